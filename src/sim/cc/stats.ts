/**
 * `/v3/processes/:guid/stats` (§3.5) and `/process_instances` (CC ≥ 3.211): actual instances
 * with instance guids, ports, readiness and uptime; DOWN entries for missing indexes; a warning
 * when Log Cache has no metrics for the process. With `state.diegoUnavailable` both answer 503
 * CF-InstancesUnavailable (after the visibility check: a 404 still wins). Whether CC's embedded
 * `process_instances` on the process list also fails then is not documented: the list is left
 * serving what it knows.
 */
import {hashString} from '../core/random.js'
import type {App, Instance, Process} from '../core/model.js'
import {appProcessByType, visibleProcess} from './processes.js'
import type {CcCtx} from './context.js'
import {badQuery, instancesUnavailable, unknownRequest} from './errors.js'
import {link, ok, type CcRoutes} from './respond.js'

export const STATS_UNAVAILABLE = 'Stats server temporarily unavailable.'

/** Container ports of a process: the ports its route destinations use (8080 by default). */
export function containerPorts(ctx: CcCtx, process: Process): number[] {
  const ports = new Set<number>()
  for (const route of ctx.state.routes.lookup('app', process.appGuid)) {
    for (const d of route.destinations) {
      if (d.appGuid === process.appGuid && d.processType === process.type) ports.add(d.port ?? 8080)
    }
  }
  return ports.size > 0 ? [...ports].sort((a, b) => a - b) : [8080]
}

function usage(i: Instance, now: number, p: Process) {
  const h = hashString(i.guid)
  return {
    time: new Date(now).toISOString(),
    cpu: ((h % 300) + 1) / 1000,
    cpu_entitlement: ((h % 500) + 1) / 1000,
    mem: Math.floor(p.memoryInMb * 1024 * 1024 * (0.3 + (h % 40) / 100)),
    disk: Math.floor(p.diskInMb * 1024 * 1024 * (0.1 + (h % 20) / 100)),
    log_rate: h % 2048,
  }
}

function statsBody(ctx: CcCtx, process: Process, app: App) {
  if (ctx.state.diegoUnavailable) throw instancesUnavailable()
  const now = ctx.state.now()
  const ports = containerPorts(ctx, process)
  const byIndex = new Map<number, Instance>()
  for (const i of process.actual) if (!process.unreported?.includes(i.index)) byIndex.set(i.index, i)
  const resources: unknown[] = []
  let metricsMissing = false
  for (
    let index = 0;
    index < Math.max(process.instances, ...process.actual.map((i) => i.index + 1));
    index++
  ) {
    const i = app.state === 'STARTED' ? byIndex.get(index) : undefined
    if (!i || i.state === 'DOWN') {
      resources.push({
        type: process.type,
        index,
        state: 'DOWN',
        routable: null,
        uptime: 0,
        isolation_segment: null,
        details: null,
      })
      continue
    }
    if (process.metricsUnavailable) metricsMissing = true
    resources.push({
      type: process.type,
      index,
      state: i.state,
      instance_guid: i.guid,
      routable: ctx.state.ccVersionAtLeast('3.151.0') ? i.routable : null,
      isolation_segment: null,
      details: i.state === 'CRASHED' ? 'APP/PROC/WEB: Exited with status 1' : null,
      usage: process.metricsUnavailable ? {} : usage(i, now, process),
      host: i.host,
      instance_internal_ip: i.internalIp,
      instance_ports: ports.map((internal, k) => ({
        external: i.externalPort + k,
        internal,
        external_tls_proxy_port: i.externalTlsPort + k,
        internal_tls_proxy_port: 61001 + k * 2,
      })),
      uptime: Math.max(0, Math.floor((now - i.since) / 1000)),
      mem_quota: process.memoryInMb * 1024 * 1024,
      disk_quota: process.diskInMb * 1024 * 1024,
      fds_quota: 16384,
      log_rate_limit: process.logRateLimit,
    })
  }
  if (metricsMissing) ctx.warnings.push(STATS_UNAVAILABLE)
  return {resources}
}

export function processInstancesBody(ctx: CcCtx, process: Process): unknown[] {
  const now = ctx.state.now()
  const app = ctx.state.apps.get(process.appGuid)
  if (!app || app.state !== 'STARTED') return []
  // Diego reports nothing for unreported indexes: the list is shorter than `instances`.
  return process.actual
    .filter((i) => !process.unreported?.includes(i.index))
    .map((i) => ({
      index: i.index,
      state: i.state,
      since: Math.max(0, Math.floor((now - i.since) / 1000)),
    }))
}

export function registerStats(r: CcRoutes): void {
  r.add('GET', '/v3/processes/:guid/stats', (ctx) => {
    ctx.query.validate([])
    const {process, app} = visibleProcess(ctx, ctx.req.params.guid!)
    return ok(statsBody(ctx, process, app))
  })
  r.add('GET', '/v3/apps/:guid/processes/:type/stats', (ctx) => {
    ctx.query.validate([])
    const {process, app} = appProcessByType(ctx, ctx.req.params.guid!, ctx.req.params.type!)
    return ok(statsBody(ctx, process, app))
  })
  const instances = (find: (ctx: CcCtx) => {process: Process; app: App}) => (ctx: CcCtx) => {
    if (!ctx.state.ccVersionAtLeast('3.211.0')) throw unknownRequest()
    if (ctx.query.keys().length > 0)
      throw badQuery(`Unknown query parameter(s): '${ctx.query.keys().join("', '")}'`)
    const {process} = find(ctx)
    if (ctx.state.diegoUnavailable) throw instancesUnavailable()
    return ok({
      resources: processInstancesBody(ctx, process),
      links: {
        self: link(ctx, `/v3/processes/${process.guid}/process_instances`),
        process: link(ctx, `/v3/processes/${process.guid}`),
      },
    })
  }
  r.add(
    'GET',
    '/v3/processes/:guid/process_instances',
    instances((ctx) => visibleProcess(ctx, ctx.req.params.guid!)),
  )
  r.add(
    'GET',
    '/v3/apps/:guid/processes/:type/process_instances',
    instances((ctx) => appProcessByType(ctx, ctx.req.params.guid!, ctx.req.params.type!)),
  )
}
