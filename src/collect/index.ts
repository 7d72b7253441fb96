/**
 * `collectSnapshot`: a foundation (or one org/space) → a Snapshot, with the fewest requests.
 * Gather every bulk list at once (lists.ts), read what has no list endpoint under one concurrency
 * limit (secrets.ts, instances.ts, logs.ts, reservations.ts, probes.ts), then join in memory
 * (join.ts). See README.md in this folder for the request minimum and the rules it follows.
 */
import {createRequire} from 'node:module'

import type {RunContext} from '../context.js'
import type {Transport} from '../cf/http/transport.js'
import {extraTransport, type Session} from '../cf/session.js'
import {cacheDir, CacheStore} from '../config/cache.js'
import type {CoverageGap} from '../model/finding.js'
import type {Access, Instance, Need, Snapshot} from '../model/snapshot.js'
import {gapsFor, summarizeAccess, type ItemState} from './access.js'
import {internStrings} from '../util/intern.js'
import {plural} from '../util/plural.js'
import {saltId} from './cache-keys.js'
import {readProcessStats, withMissingInstances} from './instances.js'
import {joinSnapshot} from './join.js'
import {createLimiter, type Limiter} from './limiter.js'
import {gentleHeapGrowth} from './memory.js'
import {startGathering, tokenScopes, type Gathering} from './lists.js'
import {readTraffic, trafficApps} from './logs.js'
import {distinctIssuers, probeCredentials, probeIssuers, PROBE_TIMEOUT_MS} from './probes.js'
import {roleHint} from './read-errors.js'
import {readReservations, reservationQueries} from './reservations.js'
import {
  readSecrets,
  skippedReads,
  isLive,
  type Caches,
  type ItemRead,
  type SecretReadResult,
} from './secrets.js'
import type {CollectionStats, CollectOptions, Gathered} from './types.js'

export type {CollectFamily, CollectOptions} from './types.js'
export {minimumRequests, requestBreakdown, type CostOptions, type FoundationCounts} from './cost.js'

export interface CollectResult {
  snapshot: Snapshot
  stats: CollectionStats
}

const TOOL_VERSION: string = (() => {
  try {
    return (createRequire(import.meta.url)('../../package.json') as {version: string}).version
  } catch {
    return 'unknown'
  }
})()

const NOT_REQUESTED: Access = {state: 'not-requested'}

export async function collectSnapshot(
  session: Session,
  ctx: RunContext,
  options: CollectOptions,
): Promise<CollectResult> {
  const now = ctx.now()
  const identity = options.families.includes('identity')
  const routes = options.families.includes('routes')
  gentleHeapGrowth(ctx.env)
  // One copy of each GUID, date and enumerated value for the whole run (util/intern.ts).
  const releaseStrings = internStrings()
  const limiter = createLimiter(options.concurrency)
  const unsubscribe = session.transport.onRateLimit((state) => limiter.observe(state))
  const probeTransport =
    identity && (options.checkIssuers || options.verifyCredentials)
      ? // One place builds every transport: the session's settings, trace included.
        extraTransport(ctx, session.reach, {
          timeoutMs: PROBE_TIMEOUT_MS,
          maxAttempts: 1,
          skipSslValidation: options.skipSslValidation ?? session.reach.skipSslValidation,
        })
      : null
  try {
    const gathering = startGathering(session, options, limiter, now)
    const {caches, reading} = startSecretReads(session, ctx, options, limiter, gathering)
    const [g, secrets] = await Promise.all([gathering.all, reading])
    if (caches) saveCaches(caches, ctx)
    const place = placeLabels(g)
    const gaps: CoverageGap[] = [...g.gaps]
    const access: Partial<Record<Need, Access>> = {...g.access}

    if (secrets) Object.assign(access, secretAccess(g, secrets, place, gaps))

    // Instances: embedded in the process list from CC 3.211, else /stats of routed processes.
    const {stats, access: instances} = await readInstances(session, g, limiter, gaps)
    access.instances = instances

    // Gorouter access logs (--traffic).
    let traffic: Snapshot['traffic'] = null
    if (options.traffic) {
      const read = await readTraffic(
        session,
        trafficApps(g.apps, g.routes),
        options.traffic.windowSeconds,
        now,
        limiter,
      )
      traffic = read.traffic
      access.traffic = read.access
      gaps.push(
        ...gapsFor(
          (n) => `Gorouter access logs of ${plural(n, 'app')}`,
          read.unread.map((u) => ({read: 'failed' as const, why: u.why, place: place(u.app.spaceGuid)})),
          // Opt-in traffic: Log Cache absent or refusing is a gap, not an incomplete audit.
          false,
        ),
      )
    }

    // Route reservations for redirect URIs no visible route serves (scoped identity runs).
    const scoped = options.scope.org !== null || options.scope.space !== null
    let reservations: Snapshot['routeReservations'] | null = null
    if (identity && scoped && access.uaaClients?.state === 'full') {
      const queries = reservationQueries(g.uaaClients, g.domains, g.routes)
      reservations = await readReservations(session.cc.core, queries, limiter)
    }

    // Opt-in network checks.
    const probes =
      identity && probeTransport && secrets
        ? await runProbes(probeTransport, options, secrets, access, limiter)
        : {issuerProbes: [], credentialProbes: []}

    const fullAccess = completeAccess(access, routes && Boolean(options.routeBaseline), gaps)

    const snapshot = joinSnapshot({
      target: {
        api: session.target.api,
        ccVersion: session.target.ccVersion,
        org: options.scope.org?.name ?? null,
        space: options.scope.space?.name ?? null,
      },
      collectedAt: now.toISOString(),
      gathered: g,
      secrets,
      stats,
      traffic,
      routeReservations: reservations,
      ...probes,
      baseline: routes ? options.routeBaseline : null,
      access: fullAccess,
    })
    const fresh = secrets?.fresh ?? {env: 0, credentials: 0, details: 0}
    return {
      snapshot,
      stats: {
        gaps,
        auditEventsCreated: fresh.env + fresh.credentials + fresh.details,
        requests: session.transport.stats.requests + (probeTransport?.stats.requests ?? 0),
      },
    }
  } finally {
    releaseStrings()
    unsubscribe()
    probeTransport?.close()
  }
}

/** Secret-bearing reads (identity only): they start as soon as apps, instances and bindings are in. */
function startSecretReads(
  session: Session,
  ctx: RunContext,
  options: CollectOptions,
  limiter: Limiter,
  gathering: Gathering,
): {caches: Caches | null; reading: Promise<SecretReadResult | null>} {
  if (!options.families.includes('identity')) return {caches: null, reading: Promise.resolve(null)}
  if (!options.secrets) {
    const reading = gathering.secretInputs.then((i) =>
      skippedReads(i.apps, i.serviceInstances, i.bindings, '--no-secrets'),
    )
    return {caches: null, reading}
  }
  const caches = options.cache ? openCaches(session, ctx, options) : null
  const hint = roleHint(tokenScopes(session) ?? [])
  const reading = gathering.secretInputs.then((i) =>
    readSecrets({
      session,
      ...i,
      salt: options.salt,
      limiter,
      caches,
      keepClientSecrets: options.verifyCredentials,
      roleHint: hint,
    }),
  )
  return {caches, reading}
}

/** Instance state: embedded in the process list from CC 3.211 (padded when short), else /stats. */
async function readInstances(
  session: Session,
  g: Gathered,
  limiter: Limiter,
  gaps: CoverageGap[],
): Promise<{stats: Map<string, Instance[] | null> | null; access: Access}> {
  if (!session.cc.versionAtLeast('3.211.0')) {
    const read = await readProcessStats(session, g.processes, g.apps, g.routes, limiter)
    if (read.unknown > 0) {
      gaps.push({
        what: `instance state of ${plural(read.unknown, 'process', 'processes')}`,
        why: read.access.why ?? '',
      })
    }
    return {stats: read.actual, access: read.access}
  }
  const unknown = g.processes.filter((p) => p.actual === null).length
  // A short embedded list leaves instances unknown, not absent (withMissingInstances).
  const started = new Set(g.apps.filter((a) => a.state === 'STARTED').map((a) => a.guid))
  let short = 0
  let missing = 0
  g.processes = g.processes.map((p) => {
    const padded = withMissingInstances(p.actual, p.instances, started.has(p.appGuid))
    if (padded.missing === 0) return p
    short++
    missing += padded.missing
    return {...p, actual: padded.actual}
  })
  const whys = [
    ...(unknown > 0 ? [`${plural(unknown, 'process', 'processes')} came without embedded instances`] : []),
    ...(short > 0
      ? [
          `${plural(short, 'process', 'processes')} embedded fewer instances than desired ` +
            `(${plural(missing, 'instance')} of unknown state)`,
        ]
      : []),
  ]
  if (short > 0) {
    gaps.push({
      what: `instance state of ${plural(missing, 'instance')} (${plural(short, 'process', 'processes')})`,
      why: 'the embedded process_instances list is shorter than the desired instance count',
    })
  }
  return {stats: null, access: whys.length === 0 ? {state: 'full'} : {state: 'partial', why: whys.join('; ')}}
}

/** --check-issuers and --verify-credentials over the credentials that were read. */
async function runProbes(
  transport: Transport,
  options: CollectOptions,
  secrets: SecretReadResult,
  access: Partial<Record<Need, Access>>,
  limiter: Limiter,
): Promise<{issuerProbes: Snapshot['issuerProbes']; credentialProbes: Snapshot['credentialProbes']}> {
  let issuerProbes: Snapshot['issuerProbes'] = []
  let credentialProbes: Snapshot['credentialProbes'] = []
  if (options.checkIssuers) {
    const views = [...secrets.ups.values(), ...secrets.bindings.values()].map((r) => r.value)
    issuerProbes = await probeIssuers(transport, distinctIssuers(views), limiter)
    access.issuerProbes = credentialsAccess(
      access,
      'issuer discovery ran for the credentials that could be read',
    )
  }
  if (options.verifyCredentials) {
    if (!options.secrets) {
      access.credentialProbes = {state: 'none', why: '--no-secrets (no secret to verify)'}
    } else {
      credentialProbes = await probeCredentials(transport, secrets.rawSecrets.values(), limiter)
      access.credentialProbes = credentialsAccess(access, 'only credentials that could be read were verified')
    }
    secrets.rawSecrets.clear()
  }
  return {issuerProbes, credentialProbes}
}

/** Every need with its access (not requested when nothing asked for it); gaps for unreadable lists. */
function completeAccess(
  access: Partial<Record<Need, Access>>,
  baseline: boolean,
  gaps: CoverageGap[],
): Record<Need, Access> {
  const fullAccess: Record<Need, Access> = {
    env: access.env ?? NOT_REQUESTED,
    upsCredentials: access.upsCredentials ?? NOT_REQUESTED,
    bindingDetails: access.bindingDetails ?? NOT_REQUESTED,
    instances: access.instances ?? {state: 'full'},
    auditEvents: access.auditEvents ?? NOT_REQUESTED,
    networkPolicies: access.networkPolicies ?? NOT_REQUESTED,
    uaaClients: access.uaaClients ?? NOT_REQUESTED,
    routePolicies: access.routePolicies ?? NOT_REQUESTED,
    issuerProbes: access.issuerProbes ?? NOT_REQUESTED,
    credentialProbes: access.credentialProbes ?? NOT_REQUESTED,
    traffic: access.traffic ?? NOT_REQUESTED,
    baseline: baseline ? {state: 'full'} : NOT_REQUESTED,
  }
  for (const need of ['networkPolicies', 'uaaClients'] as const) {
    const a = fullAccess[need]
    if (a.state === 'none' || a.state === 'partial') {
      gaps.push({
        what: need === 'uaaClients' ? 'UAA clients' : 'container-to-container network policies',
        why: a.why ?? a.state,
      })
    }
  }
  return fullAccess
}

/** `org/space` for a space guid (the guid itself when the space is not visible). */
function placeLabels(g: Gathered): (spaceGuid: string) => string {
  const orgs = new Map(g.orgs.map((o) => [o.guid, o.name]))
  const spaces = new Map(g.spaces.map((s) => [s.guid, `${orgs.get(s.orgGuid) ?? '?'}/${s.name}`]))
  return (guid) => spaces.get(guid) ?? guid
}

function states<V>(reads: Iterable<ItemRead<V>>, place: (space: string) => string): ItemState[] {
  return [...reads].map((r) => ({read: r.read, why: r.why, place: place(r.space)}))
}

/** access.env / upsCredentials / bindingDetails, and one gap per reason something went unread. */
function secretAccess(
  g: Gathered,
  secrets: SecretReadResult,
  place: (space: string) => string,
  gaps: CoverageGap[],
): Partial<Record<Need, Access>> {
  const env = states(secrets.env.values(), place)
  const ups = states(secrets.ups.values(), place)
  const keyGuids = new Set(g.bindings.filter((b) => b.type === 'key' && isLive(b)).map((b) => b.guid))
  const details = [...secrets.bindings.entries()]
  const keys = states(
    details.filter(([guid]) => keyGuids.has(guid)).map(([, r]) => r),
    place,
  )
  const appBindings = states(
    details.filter(([guid]) => !keyGuids.has(guid)).map(([, r]) => r),
    place,
  )
  gaps.push(
    ...gapsFor((n) => `environment of ${plural(n, 'app')}`, env),
    ...gapsFor((n) => `credentials of ${plural(n, 'user-provided service')}`, ups),
    ...gapsFor((n) => `details of ${plural(n, 'managed service binding')}`, appBindings),
    ...gapsFor((n) => `details of ${plural(n, 'service key')}`, keys),
  )
  return {
    env: summarizeAccess(env),
    upsCredentials: summarizeAccess(ups),
    bindingDetails: summarizeAccess([...appBindings, ...keys]),
  }
}

/** A probe over credentials is as complete as the credentials that were read. */
function credentialsAccess(access: Partial<Record<Need, Access>>, why: string): Access {
  const parts = [access.upsCredentials, access.bindingDetails].filter((a) => a !== undefined)
  if (parts.every((a) => a.state === 'full')) return {state: 'full'}
  if (parts.every((a) => a.state === 'none')) return {state: 'none', why: parts[0]?.why ?? why}
  return {state: 'partial', why}
}

function openCaches(session: Session, ctx: RunContext, options: CollectOptions): Caches {
  const actor = session.target.user ?? session.target.client ?? 'unknown'
  const dir = cacheDir(ctx.home, session.target.api, actor)
  const storeOptions = {tool: TOOL_VERSION, saltId: saltId(options.salt), now: ctx.now, warn: ctx.warn}
  return {
    env: CacheStore.open(`${dir}/env.json`, storeOptions),
    ups: CacheStore.open(`${dir}/ups.json`, storeOptions),
    details: CacheStore.open(`${dir}/details.json`, storeOptions),
  }
}

/**
 * A cache that cannot be written costs the next run some reads, never this run's result. Closed
 * once saved: its entries are not needed for the rest of the run.
 */
function saveCaches(caches: Caches, ctx: RunContext): void {
  for (const store of [caches.env, caches.ups, caches.details]) {
    try {
      store.close()
    } catch (err) {
      ctx.warn(`could not write the collection cache ${store.path}: ${(err as Error).message}`)
    }
  }
}
