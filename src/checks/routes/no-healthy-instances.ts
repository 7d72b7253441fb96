import type {Evidence, Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {appRef, routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {type DestinationProcess, destinationProcess, processesKnown} from '../../derive/routes.js'

export const noHealthyInstancesRule: Rule = {
  id: 'routes/no-healthy-instances',
  family: 'routes',
  severity: 'high',
  title: 'Routed process with no healthy instance',
  docs:
    'The app is STARTED and mapped, but the process its route points at has no instance Gorouter ' +
    'can use: it is scaled to 0, it does not exist (a destination for a process type the app ' +
    'does not have), every instance is crashed, starting or down, or the running ones fail their ' +
    'readiness check (`routable: false`). Users get 502/503 (`no_endpoints`) on this route while ' +
    'the app looks "started". Check `cf app APP` and `cf logs APP --recent`, fix the crash or the ' +
    'readiness endpoint, then `cf scale APP -i N` or `cf restart APP --strategy rolling`; remap a ' +
    'destination to the right process with `cf unmap-route` / `cf map-route`. Processes whose ' +
    'instances could not be read are reported as a coverage gap, never as healthy. While a rolling ' +
    'deployment runs, the old and the new web process serve the route together and are judged together.',
  needs: ['instances'],
  soc2: ['A1.2', 'CC7.2'],
  run(s: Snapshot): Finding[] {
    const ix = indexSnapshot(s)
    const findings: Finding[] = []
    for (const route of s.routes) {
      const seen = new Set<string>()
      for (const d of route.destinations) {
        const key = `${d.appGuid}/${d.processType}`
        if (seen.has(key)) continue
        seen.add(key)
        const app = ix.apps.get(d.appGuid)
        if (!app || app.state !== 'STARTED') continue
        const process = destinationProcess(ix, d.appGuid, d.processType)
        const problem = process
          ? problemOf(process)
          : processesKnown(ix, d.appGuid)
            ? {reason: `app has no ${d.processType} process`, evidence: {processMissing: true}}
            : null
        if (!problem) continue
        findings.push(
          makeFinding(noHealthyInstancesRule, {
            resource: routeRef(s, route),
            related: [appRef(s, app)],
            key,
            message: `route ${route.url} → ${app.name}/${d.processType}: ${problem.reason}`,
            remediation: process
              ? `cf app ${app.name} && cf logs ${app.name} --recent   # then fix and: cf restart ${app.name} --strategy rolling (or cf scale ${app.name} -i N)`
              : `map the route to an existing process: cf unmap-route / cf map-route (process ${d.processType} does not exist on ${app.name})`,
            evidence: {app: app.name, processType: d.processType, ...problem.evidence},
          }),
        )
      }
    }
    return findings
  },
}

/** Judges every process of the destination together (old and new during a rolling deployment). */
function problemOf(process: DestinationProcess): {reason: string; evidence: Evidence} | null {
  if (process.instances === 0) {
    return {reason: 'scaled to 0 instances', evidence: {desired: 0}}
  }
  if (!process.actual) return null // unknown: a coverage gap, not a pass and not a finding
  const count = (state: string) => process.actual?.filter((i) => i.state === state).length ?? 0
  const evidence: Evidence = {
    desired: process.instances,
    running: count('RUNNING'),
    crashed: count('CRASHED'),
    starting: count('STARTING'),
    down: count('DOWN') + count('STOPPING') + count('UNKNOWN'),
    ...(process.processes.length > 1 ? {processes: process.processes.length} : {}),
  }
  const running = process.actual.filter((i) => i.state === 'RUNNING')
  // An instance of unknown state (e.g. missing from a short embedded list) may be serving:
  // "none is running" cannot be said; the collection reports the gap.
  if (running.length === 0 && process.actual.some((i) => i.state === 'UNKNOWN')) return null
  if (running.length === 0) {
    const reason =
      process.actual.length === 0
        ? `no instance is running (${process.instances} desired)`
        : `none of ${process.actual.length} instance(s) is RUNNING`
    const across =
      process.processes.length > 1 ? ` across ${process.processes.length} ${process.type} processes` : ''
    return {reason: reason + across, evidence}
  }
  if (running.every((i) => i.routable === false)) {
    return {
      reason: `all ${running.length} running instance(s) fail readiness (routable: false)`,
      evidence: {...evidence, unroutable: running.length},
    }
  }
  return null
}
