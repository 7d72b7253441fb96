/**
 * Per route host and app instance traffic from Gorouter access logs (pure).
 */
import type {Traffic, TrafficStat} from '../../model/snapshot.js'
import {type RtrRecord, parseRtrLine} from './rtr-line.js'

/** A Log Cache envelope as returned by `/api/v1/read` (docs/platform-facts.md §11.2), loosely typed. */
export interface LogEnvelope {
  timestamp?: string
  source_id?: string
  /** For RTR logs this is the Gorouter's index, NOT the app instance: never used here. */
  instance_id?: string
  tags?: Record<string, string>
  log?: {payload?: string; type?: string}
}

/** Index used for requests no app instance served (router errors before a backend was chosen). */
export const NO_INSTANCE = -1

interface Bucket {
  stat: TrafficStat
  times: number[]
}

/**
 * Aggregates access-log lines, or Log Cache envelopes (base64 `log.payload`, only
 * `tags.source_type == RTR` kept), into per-(host, app, instance) stats. The instance is the
 * line's `app_index` / `instance_id`; during a deployment old and new instances share an index
 * and are told apart by `instance_id`. `linesRead` counts RTR lines seen, `linesSkipped` those
 * that did not parse or name no app. A line with an app but no instance (e.g. `no_endpoints`) is
 * kept under instance index -1.
 */
export function aggregateTraffic(input: readonly (LogEnvelope | string)[], windowSeconds: number): Traffic {
  const buckets = new Map<string, Bucket>()
  let linesRead = 0
  let linesSkipped = 0
  for (const item of input) {
    const line = typeof item === 'string' ? item : payloadOf(item)
    if (line === null || line.trim() === '') continue
    if (typeof item === 'string' && !isRtr(line)) continue
    linesRead++
    const record = parseRtrLine(line)
    const appGuid = record?.appId ?? (typeof item === 'string' ? null : (item.source_id ?? null))
    if (!record || !appGuid) {
      linesSkipped++
      continue
    }
    add(buckets, record, appGuid)
  }
  foldUnidentified(buckets)
  const stats = [...buckets.values()]
    .map(({stat, times}) => ({...stat, p95ResponseSeconds: p95(times)}))
    .sort(
      (a, b) =>
        a.routeHost.localeCompare(b.routeHost) ||
        a.appGuid.localeCompare(b.appGuid) ||
        a.instanceIndex - b.instanceIndex ||
        (a.instanceGuid ?? '').localeCompare(b.instanceGuid ?? ''),
    )
  return {windowSeconds, stats, linesRead, linesSkipped}
}

function add(buckets: Map<string, Bucket>, r: RtrRecord, appGuid: string): void {
  const routeHost = r.host.toLowerCase().replace(/:\d+$/, '')
  const index = r.appIndex ?? NO_INSTANCE
  const key = `${routeHost}\u0000${appGuid}\u0000${index}\u0000${r.instanceId ?? ''}`
  let bucket = buckets.get(key)
  if (!bucket) {
    bucket = {
      stat: {
        routeHost,
        appGuid,
        instanceIndex: index,
        instanceGuid: r.instanceId,
        requests: 0,
        status5xx: 0,
        p95ResponseSeconds: null,
        routerErrors: {},
      },
      times: [],
    }
    buckets.set(key, bucket)
  }
  const {stat} = bucket
  stat.requests++
  if (r.status !== null && r.status >= 500 && r.status <= 599) stat.status5xx++
  if (r.responseTime !== null) bucket.times.push(r.responseTime)
  if (r.routerError) stat.routerErrors[r.routerError] = (stat.routerErrors[r.routerError] ?? 0) + 1
}

/**
 * Lines from older Gorouters carry `app_index` but no `instance_id`. Counted apart, they would
 * look like one more instance (and lower every instance's fair share), so they join the bucket of
 * the one instance seen with that index. With several (old and new during a deployment) the line
 * cannot be placed and stays apart.
 */
function foldUnidentified(buckets: Map<string, Bucket>): void {
  for (const [key, bucket] of buckets) {
    const {stat} = bucket
    if (stat.instanceGuid !== null || stat.instanceIndex === NO_INSTANCE) continue
    const peers = [...buckets.values()].filter(
      (b) =>
        b !== bucket &&
        b.stat.instanceGuid !== null &&
        b.stat.routeHost === stat.routeHost &&
        b.stat.appGuid === stat.appGuid &&
        b.stat.instanceIndex === stat.instanceIndex,
    )
    const into = peers.length === 1 ? peers[0] : undefined
    if (!into) continue
    into.stat.requests += stat.requests
    into.stat.status5xx += stat.status5xx
    for (const [err, n] of Object.entries(stat.routerErrors))
      into.stat.routerErrors[err] = (into.stat.routerErrors[err] ?? 0) + n
    into.times.push(...bucket.times)
    buckets.delete(key)
  }
}

/** Nearest-rank 95th percentile; null without samples. */
export function p95(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.ceil(0.95 * sorted.length) - 1] ?? null
}

/** The decoded line of an RTR envelope; null for any other envelope or an undecodable payload. */
function payloadOf(envelope: LogEnvelope): string | null {
  if (envelope?.tags?.source_type !== 'RTR') return null
  const payload = envelope.log?.payload
  if (typeof payload !== 'string') return null
  return Buffer.from(payload, 'base64')
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

/** Plain lines: everything is RTR unless a `cf logs` prefix names another source. */
function isRtr(line: string): boolean {
  const m = /^\S+\s+\[([A-Za-z]+)(?:\/[^\]]*)?\]\s+(?:OUT|ERR)\s/.exec(line)
  return !m || m[1]?.toUpperCase() === 'RTR'
}
