/**
 * The simulator in its own process, so its CPU and memory never count against the process under
 * test. Started by the harness with `fork()`; options come as JSON in argv[2]. It answers over
 * IPC: `ready` (URLs, the admin client, the foundation's counts), then `reset` / `requests` /
 * `stop` commands. The admin secret travels over IPC only, never on argv or stdout.
 */
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import type * as SimModule from '../src/sim/index.js'
import {endpointOf} from './harness/endpoints.js'
import type {FoundationCounts, SimCommand, SimOptions, SimReply, RequestSummary} from './harness/protocol.js'

const ROOT = join(import.meta.dirname, '..')

function send(reply: SimReply): void {
  process.send?.(reply)
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SimOptions
  const {startSimulator} = (await import(
    pathToFileURL(join(ROOT, 'lib/sim/index.js')).href
  )) as typeof SimModule
  const built = performance.now()
  const sim = await startSimulator({
    scenario: 'generated',
    apps: options.apps,
    seed: options.seed,
    latencyMs: options.latencyMs,
  })
  const buildMs = performance.now() - built

  // Wall-clock time at which each request was answered (the log's `at` is simulated time).
  const answeredAt: number[] = []
  const push = sim.requests.push.bind(sim.requests)
  sim.requests.push = (...records) => {
    for (let i = 0; i < records.length; i++) answeredAt.push(Date.now())
    return push(...records)
  }
  let eventsAtReset = sim.state.events.size

  send({
    type: 'ready',
    apiUrl: sim.apiUrl,
    ccVersion: sim.state.config.ccVersion,
    admin: sim.admin,
    counts: countFoundation(sim),
    buildMs,
  })

  process.on('message', (message: SimCommand) => {
    switch (message.cmd) {
      case 'reset':
        sim.resetRequests()
        answeredAt.length = 0
        eventsAtReset = sim.state.events.size
        send({type: 'ok'})
        break
      case 'requests':
        send({type: 'requests', summary: summarize(sim, answeredAt, sim.state.events.size - eventsAtReset)})
        break
      case 'stop':
        void sim.stop().then(() => process.exit(0))
        break
    }
  })
  process.on('disconnect', () => void sim.stop().then(() => process.exit(0)))
}

function summarize(
  sim: SimModule.Simulator,
  answeredAt: number[],
  auditEventsCreated: number,
): RequestSummary {
  const byEndpoint: Record<string, number> = {}
  const byStatus: Record<string, number> = {}
  const first = answeredAt.reduce((a, b) => Math.min(a, b), Infinity)
  const last = answeredAt.reduce((a, b) => Math.max(a, b), -Infinity)
  const timeline: Record<string, [number, number]> = {}
  sim.requests.forEach((r, i) => {
    const key = `${r.method} ${r.origin === 'cc' ? '' : `${r.origin}:`}${endpointOf(r.path)}`
    byEndpoint[key] = (byEndpoint[key] ?? 0) + 1
    byStatus[String(r.status)] = (byStatus[String(r.status)] ?? 0) + 1
    const at = (answeredAt[i] ?? first) - first
    const span = timeline[key]
    timeline[key] = span ? [Math.min(span[0], at), Math.max(span[1], at)] : [at, at]
  })
  return {
    total: sim.requests.length,
    byEndpoint,
    byStatus,
    timeline,
    firstAnsweredAt: answeredAt.length > 0 ? first : null,
    lastAnsweredAt: answeredAt.length > 0 ? last : null,
    auditEventsCreated,
  }
}

const UPS_EVENT_TYPES = new Set([
  'audit.user_provided_service_instance.create',
  'audit.user_provided_service_instance.update',
])
const AUDIT_WINDOW_MS = 31 * 86_400_000

function hiddenManagedBindings(sim: SimModule.Simulator): number {
  const s = sim.state
  let hidden = 0
  const newest = new Map<string, number>()
  const managedAppBindings = [...s.bindings.all()].filter(
    (b) => b.type === 'app' && b.appGuid && s.serviceInstances.get(b.serviceInstanceGuid)?.type === 'managed',
  )
  for (const b of managedAppBindings) {
    const pair = `${b.appGuid}/${b.serviceInstanceGuid}`
    newest.set(pair, Math.max(newest.get(pair) ?? 0, b.createdAt))
  }
  for (const b of managedAppBindings) {
    const app = s.apps.get(b.appGuid!)
    const hidesVcap = app?.features['file-based-vcap-services'] || app?.features['service-binding-k8s']
    if (hidesVcap || b.createdAt < newest.get(`${b.appGuid}/${b.serviceInstanceGuid}`)!) hidden++
  }
  return hidden
}

/** Ground truth from the simulator's tables: what a complete audit has to read. */
function countFoundation(sim: SimModule.Simulator): FoundationCounts {
  const s = sim.state
  const all = <T>(table: {all(): Iterable<T>}) => [...table.all()]
  const instances = all(s.serviceInstances)
  const bindings = all(s.bindings)
  const processes = all(s.processes)
  return {
    orgs: s.orgs.size,
    spaces: s.spaces.size,
    apps: s.apps.size,
    processes: processes.length,
    processInstances: processes.reduce((n, p) => n + p.instances, 0),
    domains: s.domains.size,
    routes: s.routes.size,
    destinations: all(s.routes).reduce((n, r) => n + r.destinations.length, 0),
    routePolicies: s.routePolicies.size,
    routeBindings: s.routeBindings.size,
    serviceOfferings: s.offerings.size,
    servicePlans: s.plans.size,
    serviceInstances: instances.length,
    userProvidedServiceInstances: instances.filter((i) => i.type === 'user-provided').length,
    managedServiceInstances: instances.filter((i) => i.type === 'managed').length,
    credentialBindings: bindings.length,
    appBindings: bindings.filter((b) => b.type === 'app').length,
    serviceKeys: bindings.filter((b) => b.type === 'key').length,
    deployments: s.deployments.size,
    activeDeployments: all(s.deployments).filter((d) => d.statusValue === 'ACTIVE').length,
    auditEvents: s.events.size,
    recentUpsAuditEvents: all(s.events).filter(
      (e) => UPS_EVENT_TYPES.has(e.type) && e.createdAt > s.clock.ms() - AUDIT_WINDOW_MS,
    ).length,
    unboundUserProvided: instances.filter(
      (i) =>
        i.type === 'user-provided' && !s.bindings.lookup('instance', i.guid).some((b) => b.type === 'app'),
    ).length,
    hiddenManagedBindings: hiddenManagedBindings(sim),
    networkPolicies: s.networkPolicies.length,
    uaaClients: s.uaa.clients.size,
  }
}

void main().catch((err: unknown) => {
  send({type: 'error', message: err instanceof Error ? err.message : String(err)})
  process.exit(1)
})
