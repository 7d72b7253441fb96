/**
 * Simulated traffic behind Log Cache: RTR access logs per route and instance (counts, status
 * codes, response times), a few app log lines, and container metric gauges. Generated
 * deterministically per app when first read and kept until the app's running instances change.
 */
import type {App, Instance, Process, Route} from '../core/model.js'
import {Random, hashString} from '../core/random.js'
import type {SimState, TrafficEntry} from '../core/state.js'
import type {TrafficProfile} from '../types.js'
import {accessLogLine} from './rtr.js'

export interface Envelope {
  timestamp: string
  source_id: string
  instance_id: string
  deprecated_tags: Record<string, string>
  tags: Record<string, string>
  log?: {payload: string; type: 'OUT' | 'ERR'}
  gauge?: {metrics: Record<string, {unit: string; value: number}>}
}

export interface Materialised {
  envelopes: Envelope[]
  /** Envelope timestamps (ns), ascending, parallel to `envelopes`. */
  ns: bigint[]
}

const ROUTERS = 3

function runningWebInstances(state: SimState, app: App): {process: Process; instance: Instance}[] {
  if (app.state !== 'STARTED') return []
  return state.processes
    .lookup('app', app.guid)
    .filter((p) => p.type === 'web')
    .flatMap((process) =>
      process.actual.filter((i) => i.state === 'RUNNING').map((instance) => ({process, instance})),
    )
}

function routedHttpRoutes(state: SimState, app: App): Route[] {
  return state.routes.lookup('app', app.guid).filter((r) => {
    const domain = state.domains.get(r.domainGuid)
    return (
      domain !== undefined &&
      !domain.internal &&
      domain.routerGroupGuid === null &&
      r.destinations.some((d) => d.appGuid === app.guid && d.processType === 'web')
    )
  })
}

function entryFor(state: SimState, appGuid: string): TrafficEntry {
  let entry = state.traffic.get(appGuid)
  if (!entry) state.traffic.set(appGuid, (entry = {profile: {}, rawLines: [], cache: null}))
  return entry
}

const LRU_SIZE = 256

/** Seconds the generated lines spread over when the profile does not say. */
export const DEFAULT_SPREAD_SECONDS = 600

export function materialise(state: SimState, app: App): Materialised {
  const entry = entryFor(state, app.guid)
  const instances = runningWebInstances(state, app)
  const key = instances.map((x) => x.instance.guid).join(',')
  if (!entry.cache || entry.cache.instanceKey !== key) {
    entry.cache = {instanceKey: key, anchorMs: state.now()}
    state.trafficLru.delete(app.guid)
  }
  const cached = state.trafficLru.get(app.guid)
  if (cached) {
    state.trafficLru.delete(app.guid)
    state.trafficLru.set(app.guid, cached)
    return cached as Materialised
  }
  const generated = generate(state, app, entry.profile, entry.rawLines, instances, entry.cache.anchorMs)
  state.trafficLru.set(app.guid, generated)
  if (state.trafficLru.size > LRU_SIZE) state.trafficLru.delete(state.trafficLru.keys().next().value!)
  return generated
}

/** One generation run: its random stream, time spread, tag builder and envelope sink. */
interface Generation {
  app: App
  profile: TrafficProfile
  r: Random
  endMs: number
  out: {ns: bigint; envelope: Envelope}[]
  /** A timestamp (ns) within the spread window. */
  at(): bigint
  baseTags(p: Process, i: Instance): Record<string, string>
  log(ns: bigint, instanceId: string, tags: Record<string, string>, line: string, type?: 'OUT' | 'ERR'): void
}

interface RtrLine {
  ns: bigint
  tags: Record<string, string>
  line: string
}

function startGeneration(state: SimState, app: App, profile: TrafficProfile, endMs: number): Generation {
  const r = new Random(hashString(app.guid) ^ state.config.seed)
  // The lines are history fixed at the first read; spread over 10 min, every later run within 5 min
  // still finds all of them in its default 15 min window, however slowly the machine ran it.
  const windowMs = (profile.windowSeconds ?? DEFAULT_SPREAD_SECONDS) * 1000
  const space = state.spaces.get(app.spaceGuid)
  const org = space ? state.orgs.get(space.orgGuid) : undefined
  const out: Generation['out'] = []
  return {
    app,
    profile,
    r,
    endMs,
    out,
    at: () =>
      BigInt(endMs - windowMs + Math.floor(r.float() * windowMs)) * 1_000_000n + BigInt(r.int(0, 999_999)),
    baseTags: (p, i) => ({
      app_id: app.guid,
      app_name: app.name,
      space_id: app.spaceGuid,
      space_name: space?.name ?? '',
      organization_id: org?.guid ?? '',
      organization_name: org?.name ?? '',
      process_id: p.guid,
      process_instance_id: i.guid,
      process_type: p.type,
      source_id: app.guid,
    }),
    log: (ns, instanceId, tags, line, type = 'OUT') =>
      out.push({
        ns,
        envelope: {
          timestamp: ns.toString(),
          source_id: app.guid,
          instance_id: instanceId,
          deprecated_tags: {},
          tags,
          log: {payload: Buffer.from(line, 'utf8').toString('base64'), type},
        },
      }),
  }
}

/** One access-log line of a request to `route` (`host`) served by `instance`. */
function rtrRequest(
  g: Generation,
  route: {host: string; path: string; routeService: string | null},
  {process, instance}: {process: Process; instance: Instance},
  errorRate: number,
  mean: number,
): RtrLine {
  const {r, app} = g
  const ns = g.at()
  const failed = r.chance(errorRate)
  const responseTime = mean * (0.3 + -Math.log(1 - r.float() * 0.999))
  return {
    ns,
    tags: {...g.baseTags(process, instance), source_type: 'RTR', component: 'route-emitter'},
    line: accessLogLine({
      host: route.host,
      startNs: ns - BigInt(Math.round(responseTime * 1e9)),
      method: r.pick(['GET', 'GET', 'GET', 'POST']),
      uri:
        `${route.path || ''}/${r.pick(['', 'api/items', 'health', 'login', 'api/orders'])}`.replace(
          '//',
          '/',
        ) || '/',
      status: failed ? r.pick([500, 502, 503]) : r.pick([200, 200, 200, 201, 304, 404]),
      bytesReceived: r.int(0, 2048),
      bytesSent: r.int(80, 20480),
      userAgent: 'Mozilla/5.0 (cfguard-sim)',
      remoteAddr: `203.0.113.${r.int(1, 254)}:${r.int(20000, 65000)}`,
      backendAddr: `${instance.host}:${instance.externalPort}`,
      requestId: r.uuid(),
      responseTime,
      gorouterTime: Math.min(responseTime, 0.0002 + r.float() * 0.001),
      appGuid: app.guid,
      appIndex: instance.index,
      instanceGuid: instance.guid,
      routeServiceUrl: route.routeService,
      routerError: failed && r.chance(0.3) ? 'endpoint_failure' : null,
    }),
  }
}

/** The RTR lines of every routed HTTP route × running instance, oldest first, with older-format and truncated lines planted. */
function rtrLines(
  g: Generation,
  state: SimState,
  instances: {process: Process; instance: Instance}[],
): RtrLine[] {
  const {profile} = g
  const lines: RtrLine[] = []
  for (const route of routedHttpRoutes(state, g.app)) {
    const domain = state.domains.get(route.domainGuid)!
    const host = `${route.host ? `${route.host}.` : ''}${domain.name}`
    const routeService = state.routeBindings.lookup('route', route.guid)[0]?.routeServiceUrl ?? null
    for (const served of instances) {
      const weight = profile.instanceWeights?.[served.instance.index] ?? 1
      const count = Math.round((profile.requestsPerInstance ?? 30) * weight)
      const errorRate = profile.errorRates?.[served.instance.index] ?? 0.01
      const mean = profile.meanResponseSeconds ?? 0.05
      for (let k = 0; k < count; k++)
        lines.push(rtrRequest(g, {host, path: route.path, routeService}, served, errorRate, mean))
    }
  }
  // Plant older-format and truncated lines by rewriting the first few generated ones.
  lines.sort((a, b) => (a.ns < b.ns ? -1 : 1))
  const older = Math.min(profile.olderFormatLines ?? 0, lines.length)
  for (let k = 0; k < older; k++) lines[k]!.line = toOlderFormat(lines[k]!.line)
  const truncated = Math.min(profile.truncatedLines ?? 0, lines.length - older)
  for (let k = older; k < older + truncated; k++) {
    const line = lines[k]!.line
    lines[k]!.line = line.slice(0, Math.floor(line.length * 0.6))
  }
  return lines
}

/** Three app log lines and one container-metrics gauge per running instance. */
function appLogsAndGauges(g: Generation, instances: {process: Process; instance: Instance}[]): void {
  const {r, app, endMs} = g
  for (const {process, instance} of instances) {
    const tags = {...g.baseTags(process, instance), source_type: 'APP/PROC/WEB'}
    for (let k = 0; k < 3; k++) {
      g.log(
        g.at(),
        String(instance.index),
        tags,
        `${new Date(endMs).toISOString()} INFO request handled (${r.token(8)})`,
      )
    }
    const ns = BigInt(endMs) * 1_000_000n
    g.out.push({
      ns,
      envelope: {
        timestamp: ns.toString(),
        source_id: app.guid,
        instance_id: String(instance.index),
        deprecated_tags: {},
        tags: {...g.baseTags(process, instance), source_type: 'APP/PROC/WEB'},
        gauge: {
          metrics: {
            cpu: {unit: 'percentage', value: (hashString(instance.guid) % 300) / 10},
            memory: {unit: 'bytes', value: process.memoryInMb * 1024 * 1024 * 0.4},
            disk: {unit: 'bytes', value: process.diskInMb * 1024 * 1024 * 0.2},
            memory_quota: {unit: 'bytes', value: process.memoryInMb * 1024 * 1024},
            disk_quota: {unit: 'bytes', value: process.diskInMb * 1024 * 1024},
            log_rate: {unit: 'B/s', value: 120},
            log_rate_limit: {unit: 'B/s', value: process.logRateLimit},
          },
        },
      },
    })
  }
}

function generate(
  state: SimState,
  app: App,
  profile: TrafficProfile,
  rawLines: string[],
  instances: {process: Process; instance: Instance}[],
  endMs: number,
): Materialised {
  const g = startGeneration(state, app, profile, endMs)
  const {r} = g
  for (const l of rtrLines(g, state, instances)) g.log(l.ns, String(r.int(0, ROUTERS - 1)), l.tags, l.line)
  for (const line of rawLines) {
    const first = instances[0]
    const tags = first ? g.baseTags(first.process, first.instance) : {app_id: app.guid, source_id: app.guid}
    g.log(g.at(), String(r.int(0, ROUTERS - 1)), {...tags, source_type: 'RTR'}, line)
  }
  appLogsAndGauges(g, instances)
  const out = g.out
  out.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0))
  return {envelopes: out.map((x) => x.envelope), ns: out.map((x) => x.ns)}
}

/** Drops the fields older Gorouters did not print. */
export function toOlderFormat(line: string): string {
  return line
    .replace(/ gorouter_time:\S+/, '')
    .replace(/ instance_id:"[^"]*"/, '')
    .replace(/ route_service_url:"[^"]*"/, '')
}
