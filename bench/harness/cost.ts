/**
 * The minimum number of requests for a foundation, from the collector's own documented formula
 * (`requestBreakdown` / `minimumRequests` in src/collect/cost.ts, loaded from the built lib/),
 * fed with the counts the simulator reports from its own tables (ground truth, not what any
 * client saw), for the run the benchmark makes: `audit --all` (identity + routes) or
 * `identity audit --all` (identity), secrets read, the session's root discovery and token, the
 * simulator's CC version, UAA clients readable by the admin client, the policy server linked.
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import type * as CostModule from '../../src/collect/cost.js'
import type {FoundationCounts} from './protocol.js'

export interface Minimum {
  total: number
  /** Reads of one item each (no list endpoint): the part concurrency has to carry. */
  perItem: number
  /** Root discovery, the token and the bulk list pages. */
  bulk: number
  /** The collector's terms, by name. */
  breakdown: Record<string, number>
}

/** Terms of `requestBreakdown` that are one request per item (everything else is session or list pages). */
const PER_ITEM_TERMS = new Set([
  'env',
  'upsCredentials',
  'bindingDetails',
  'routeReservations',
  'processStats',
  'traffic',
  'issuerProbes',
  'credentialProbes',
])

export function costCounts(c: FoundationCounts): CostModule.FoundationCounts {
  return {
    spaces: c.spaces,
    apps: c.apps,
    processes: c.processes,
    routes: c.routes,
    domains: c.domains,
    serviceInstances: c.serviceInstances,
    credentialBindings: c.credentialBindings,
    routeBindings: c.routeBindings,
    activeDeployments: c.activeDeployments,
    auditEvents: c.recentUpsAuditEvents,
    uaaClients: c.uaaClients,
    unboundUserProvided: c.unboundUserProvided,
    serviceKeys: c.serviceKeys,
    detailsFallbacks: c.hiddenManagedBindings,
  }
}

export async function minimumFor(
  root: string,
  counts: FoundationCounts,
  ccVersion: string,
  families: readonly ('identity' | 'routes')[],
): Promise<Minimum> {
  const file = join(root, 'lib/collect/cost.js')
  if (!existsSync(file)) throw new Error('lib/collect/cost.js is not built')
  const cost = (await import(pathToFileURL(file).href)) as typeof CostModule
  const breakdown = cost.requestBreakdown(costCounts(counts), {
    ccVersion,
    families,
    secrets: true,
    scope: 'all',
    session: true,
    uaaClientsReadable: true,
    networkPolicyServer: true,
  })
  let perItem = 0
  let bulk = 0
  for (const [term, n] of Object.entries(breakdown)) {
    if (PER_ITEM_TERMS.has(term)) perItem += n
    else bulk += n
  }
  return {total: perItem + bulk, perItem, bulk, breakdown}
}
