import type {Finding, ResourceRef} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {App, Process, Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {describeCheck, processRef, processesOf} from '../../derive/routes.js'

export const healthCheckRule: Rule = {
  id: 'routes/health-check',
  family: 'routes',
  severity: 'medium',
  title: 'Routed process with a health check that cannot see the app serve',
  docs:
    'With health check type `process`, Diego marks an instance healthy as soon as the process ' +
    'starts, so Gorouter sends requests before the app listens (errors after every restart and ' +
    'deployment) and never takes a hung instance out of the pool; an `http` check without an ' +
    'endpoint cannot probe anything. A `process` liveness check is accepted when a `port` or ' +
    '`http` readiness check (CC ≥ 3.144) guards routing. Fix it with `cf set-health-check APP ' +
    'http --endpoint /health` (or `port`), or add a readiness check with `cf ' +
    'set-readiness-health-check APP http --endpoint /ready`; health checks take effect at the next ' +
    '`cf restart APP --strategy rolling`.',
  needs: [],
  soc2: ['A1.2', 'CC7.1'],
  run(s: Snapshot): Finding[] {
    const ix = indexSnapshot(s)
    const routesOf = new Map<string, ResourceRef[]>()
    for (const route of s.routes) {
      for (const d of route.destinations) {
        const key = `${d.appGuid}/${d.processType}`
        const refs = routesOf.get(key) ?? []
        if (!refs.some((r) => r.guid === route.guid)) refs.push(routeRef(s, route))
        routesOf.set(key, refs)
      }
    }
    const findings: Finding[] = []
    const judged = new Set<string>()
    for (const process of s.processes) {
      const group = `${process.appGuid}/${process.type}`
      const routes = routesOf.get(group)
      const app = ix.apps.get(process.appGuid)
      if (!routes || !app) continue
      // One judgement per destination: while a rolling deployment runs, the new web process is a
      // clone of the old one and both are routed; report once, on the oldest (stable resource).
      if (judged.has(group)) continue
      judged.add(group)
      const processes = processesOf(ix, process.appGuid, process.type)
      const ref = processRef(s, app, processes[0] ?? process)
      for (const f of judgeProcesses(processes, app, routes, ref)) findings.push(f)
    }
    return findings
  },
}

/** Findings for the processes of one routed destination; a problem any of them has counts once. */
function judgeProcesses(
  processes: readonly Process[],
  app: App,
  routes: ResourceRef[],
  ref: ResourceRef,
): Finding[] {
  const byKey = new Map<string, Finding>()
  for (const process of processes) {
    for (const f of judgeProcess(process, app, routes, ref)) {
      const key = f.fingerprint
      if (!byKey.has(key)) byKey.set(key, f)
    }
  }
  return [...byKey.values()]
}

function judgeProcess(process: Process, app: App, routes: ResourceRef[], ref: ResourceRef): Finding[] {
  const findings: Finding[] = []
  const liveness = process.healthCheck
  const readiness = process.readinessCheck
  const readinessGuards = readiness !== null && (readiness.type === 'port' || readiness.type === 'http')
  const evidence = {
    healthCheck: describeCheck(liveness),
    readinessCheck: readiness ? describeCheck(readiness) : null,
    routes: routes.map((r) => r.name),
  }
  const target = process.type === 'web' ? app.name : `${app.name} --process ${process.type}`
  if (liveness.type === 'process' && !readinessGuards) {
    findings.push(
      makeFinding(healthCheckRule, {
        resource: ref,
        related: routes,
        key: 'liveness',
        message: `${app.name}/${process.type} receives route traffic but its health check is type process (instances count as ready before they listen)`,
        remediation: `cf set-health-check ${target} http --endpoint /health   # or: port; then cf restart ${app.name} --strategy rolling`,
        evidence,
      }),
    )
  }
  for (const [which, check] of [
    ['liveness', liveness],
    ['readiness', readiness],
  ] as const) {
    if (!check || check.type !== 'http' || check.endpoint) continue
    const command = which === 'liveness' ? 'set-health-check' : 'set-readiness-health-check'
    findings.push(
      makeFinding(healthCheckRule, {
        resource: ref,
        related: routes,
        key: `${which}-endpoint`,
        message: `${app.name}/${process.type}: http ${which} check without an endpoint`,
        remediation: `cf ${command} ${target} http --endpoint /health`,
        evidence,
      }),
    )
  }
  return findings
}
