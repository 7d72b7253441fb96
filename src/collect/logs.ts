/**
 * `--traffic`: Gorouter access logs (RTR) from Log Cache for every STARTED app with a route, over
 * the window, newest first (docs/platform-facts.md §§11–12). Each app's envelopes are aggregated as soon as
 * they are read (collect/traffic) and dropped, so memory holds stats, not log lines. Older Gorouter
 * line formats are parsed tolerantly; lines that do not parse are counted as skipped.
 */
import type {Session} from '../cf/session.js'
import type {CcApp, CcRoute} from '../cf/ccv3/types.js'
import {isCfguardError} from '../errors.js'
import type {Access, Traffic} from '../model/snapshot.js'
import type {Limiter} from './limiter.js'
import {aggregateTraffic, type LogEnvelope} from './traffic/index.js'

/** Envelopes read per app at most (Log Cache keeps up to 100,000 per source). */
export const MAX_ENVELOPES_PER_APP = 20_000

export function trafficApps(apps: readonly CcApp[], routes: readonly CcRoute[]): CcApp[] {
  const routed = new Set(routes.flatMap((r) => r.destinations.map((d) => d.appGuid)))
  return apps.filter((a) => a.state === 'STARTED' && routed.has(a.guid))
}

export interface TrafficRead {
  traffic: Traffic | null
  access: Access
  unread: {app: CcApp; why: string}[]
}

export async function readTraffic(
  session: Session,
  apps: readonly CcApp[],
  windowSeconds: number,
  now: Date,
  limiter: Limiter,
): Promise<TrafficRead> {
  const logCache = session.logCache
  if (!logCache) {
    const why = 'no log_cache link in GET / (Log Cache not deployed)'
    return {traffic: null, access: {state: 'none', why}, unread: apps.map((app) => ({app, why}))}
  }
  const since = BigInt(now.getTime() - windowSeconds * 1000) * 1_000_000n
  const traffic: Traffic = {windowSeconds, stats: [], linesRead: 0, linesSkipped: 0}
  const unread: TrafficRead['unread'] = []
  let capped = 0
  await Promise.all(
    apps.map((app) =>
      limiter.run(async () => {
        const envelopes: LogEnvelope[] = []
        let seen = 0
        try {
          // Newest first, pages of 1000; the client stops at a short page, the window's start or the cap.
          for await (const e of logCache.readBackwards(app.guid, {
            since,
            envelopeTypes: ['LOG'],
            maxEnvelopes: MAX_ENVELOPES_PER_APP,
          })) {
            seen++
            if (e.tags.source_type !== 'RTR' || !e.log) continue
            envelopes.push({
              source_id: e.sourceId || app.guid,
              tags: e.tags,
              log: {payload: Buffer.from(e.log.text, 'utf8').toString('base64'), type: e.log.type},
            })
          }
        } catch (err) {
          if (
            !isCfguardError(err) ||
            !['FORBIDDEN', 'NOT_FOUND', 'API_UNAVAILABLE', 'BAD_RESPONSE', 'API_ERROR'].includes(err.code)
          )
            throw err
          unread.push({app, why: `Log Cache: ${err.message}`})
          return
        }
        // The cap reached: older envelopes in the window may be left unread.
        if (seen >= MAX_ENVELOPES_PER_APP) capped++
        const part = aggregateTraffic(envelopes, windowSeconds)
        traffic.stats.push(...part.stats)
        traffic.linesRead += part.linesRead
        traffic.linesSkipped += part.linesSkipped
      }),
    ),
  )
  traffic.stats.sort(
    (a, b) =>
      a.routeHost.localeCompare(b.routeHost) ||
      a.appGuid.localeCompare(b.appGuid) ||
      a.instanceIndex - b.instanceIndex ||
      (a.instanceGuid ?? '').localeCompare(b.instanceGuid ?? ''),
  )
  let access: Access = {state: 'full'}
  if (unread.length > 0) {
    access = {
      state: unread.length === apps.length ? 'none' : 'partial',
      why: unread[0]?.why ?? 'Log Cache reads failed',
    }
  } else if (capped > 0) {
    access = {
      state: 'partial',
      why: `${capped} apps had more than ${MAX_ENVELOPES_PER_APP} log envelopes in the window; the newest were read`,
    }
  }
  return {traffic, access, unread}
}
