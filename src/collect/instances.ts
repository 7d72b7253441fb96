/**
 * Instance state before CC 3.211 (no `embed=process_instances`): one `GET /v3/processes/:guid/stats`
 * per *routed* process — a route destination's process of a STARTED app with instances > 0 — since
 * those are what the route rules need and `/stats` is slow at scale (Diego + Log Cache per call).
 * Stopped apps and processes scaled to 0 have no instances (nothing to ask); every other process
 * stays unknown (`actual: null`) and `access.instances` says so. From 3.211 on, the process list
 * embeds every instance's state and none of this runs.
 */
import type {Session} from '../cf/session.js'
import type {CcApp, CcProcess, CcRoute} from '../cf/ccv3/types.js'
import {isCfguardError} from '../errors.js'
import type {Access, Instance} from '../model/snapshot.js'
import type {Limiter} from './limiter.js'

/** `app guid/process type` of every route destination. */
export function routedProcessKeys(routes: readonly CcRoute[]): Set<string> {
  const keys = new Set<string>()
  for (const r of routes) for (const d of r.destinations) keys.add(`${d.appGuid}/${d.processType}`)
  return keys
}

/** Processes whose stats a pre-3.211 collection reads (pure; the cost formula counts these). */
export function processesNeedingStats(
  processes: readonly CcProcess[],
  apps: readonly CcApp[],
  routes: readonly CcRoute[],
): CcProcess[] {
  const started = new Set(apps.filter((a) => a.state === 'STARTED').map((a) => a.guid))
  const routed = routedProcessKeys(routes)
  return processes.filter(
    (p) => started.has(p.appGuid) && p.instances > 0 && routed.has(`${p.appGuid}/${p.type}`),
  )
}

export interface StatsRead {
  actual: Map<string, Instance[] | null>
  access: Access
  unknown: number
}

export async function readProcessStats(
  session: Session,
  processes: readonly CcProcess[],
  apps: readonly CcApp[],
  routes: readonly CcRoute[],
  limiter: Limiter,
): Promise<StatsRead> {
  const started = new Set(apps.filter((a) => a.state === 'STARTED').map((a) => a.guid))
  const wanted = new Set(processesNeedingStats(processes, apps, routes).map((p) => p.guid))
  const actual = new Map<string, Instance[] | null>()
  let failed = 0
  await Promise.all(
    processes.map(async (p) => {
      if (!started.has(p.appGuid) || p.instances === 0) {
        actual.set(p.guid, [])
        return
      }
      if (!wanted.has(p.guid)) {
        actual.set(p.guid, null)
        return
      }
      try {
        const stats = await limiter.run(() => session.cc.processes.stats(p.guid))
        actual.set(
          p.guid,
          stats.map((s) => ({
            index: s.index,
            instanceGuid: s.instanceGuid,
            state: s.state,
            routable: s.routable,
            since: s.since,
          })),
        )
      } catch (err) {
        if (
          !isCfguardError(err) ||
          !['API_UNAVAILABLE', 'BAD_RESPONSE', 'NOT_FOUND', 'FORBIDDEN', 'API_ERROR'].includes(err.code)
        )
          throw err
        failed++
        actual.set(p.guid, null)
      }
    }),
  )
  const unknown = [...actual.values()].filter((a) => a === null).length
  const why =
    `CC ${session.cc.version} < 3.211.0: instance state is read per process (/stats) for routed ` +
    `processes only${failed > 0 ? `; ${failed} /stats reads failed` : ''}`
  return {
    actual,
    unknown,
    access: unknown === 0 ? {state: 'full'} : {state: unknown === processes.length ? 'none' : 'partial', why},
  }
}

/**
 * An instance list shorter than the desired count (an embedded `process_instances` that leaves
 * indices out) does not say the missing instances are gone: each missing index of a STARTED app's
 * process becomes an `UNKNOWN` instance, so no rule counts it as running, down or drifting, and
 * `missing` feeds the coverage gap. A stopped app has no instances to miss. Pure.
 */
export function withMissingInstances(
  actual: Instance[] | null,
  desired: number,
  appStarted: boolean,
): {actual: Instance[] | null; missing: number} {
  if (actual === null || !appStarted || actual.length >= desired) return {actual, missing: 0}
  const seen = new Set(actual.map((i) => i.index))
  const padded = [...actual]
  for (let index = 0; padded.length < desired; index++) {
    if (seen.has(index)) continue
    padded.push({index, instanceGuid: null, state: 'UNKNOWN', routable: null, since: null})
  }
  return {actual: padded.sort((a, b) => a.index - b.index), missing: desired - actual.length}
}
