import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {App, Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {appRef} from '../../derive/refs.js'
import {
  type LastChange,
  identityUnits,
  lastCredentialChange,
  unitRef,
  orderFindings,
} from '../../derive/identity.js'
import {indexSnapshot} from '../../derive/lookup.js'

/** Instance states that hold a running container (and so an environment). */
const LIVE_STATES = new Set(['RUNNING', 'STARTING'])

interface InstanceCounts {
  stale: number
  current: number
  unknown: number
  oldestSince: string | null
}

export const credentialDrift: Rule = {
  id: 'identity/drift',
  family: 'identity',
  severity: 'high',
  title: 'Instances still run with the previous credential',
  docs:
    'Some instances of the app started before its identity credential last changed (or before it was bound), ' +
    'so they still hold the previous value: a user-provided service update or a new binding reaches ' +
    'containers only when the app restarts or redeploys. Those instances fail once the old ' +
    'secret is retired, or keep a secret alive that was meant to be revoked. Roll the app so every instance ' +
    'reads the current value: `cf restart billing-api --strategy rolling` (or re-run `cfguard credentials ' +
    'rotate billing-oidc`, which resumes an interrupted rotation). Start times come from instance stats ' +
    '(`since`); instances whose start time is unknown are counted as unknown, never as current, and apps ' +
    'whose credential change time is unknown are skipped. Instances restarted by the platform (a crash, a ' +
    'Diego evacuation) keep the environment the app was last started with, so a recent `since` ' +
    'without an app restart is not proof of a fresh credential.',
  needs: ['instances', 'auditEvents', 'upsCredentials', 'bindingDetails'],
  soc2: ['CC6.1', 'CC6.3', 'CC8.1'],
  run(s) {
    const ix = indexSnapshot(s)
    const findings: Finding[] = []
    // Looked up once, not by scanning every deployment for every finding.
    const deploying = new Set(s.deployments.filter((d) => d.statusValue === 'ACTIVE').map((d) => d.appGuid))
    for (const unit of identityUnits(s)) {
      // A superseded managed binding is not what the app sees; the newest one decides.
      if (!unit.active) continue
      const change = lastCredentialChange(s, unit)
      if (change.at === null) continue
      for (const b of unit.appBindings) {
        const app = ix.apps.get(b.appGuid ?? '')
        if (!app || app.state !== 'STARTED') continue
        const effective = effectiveChange(change, b.createdAt)
        const counts = countInstances(s, app, effective.at as string)
        if (counts.stale === 0) continue
        const ref = unitRef(s, unit)
        const total = counts.stale + counts.current + counts.unknown
        const deploymentActive = deploying.has(app.guid)
        findings.push(
          makeFinding(credentialDrift, {
            resource: appRef(s, app),
            key: unit.guid,
            message:
              `${counts.stale} of ${total} instances of ${app.name} started before ${unit.instance.name}'s ` +
              `credential last changed (${effective.at}); they still hold the previous value`,
            evidence: {
              staleInstances: counts.stale,
              currentInstances: counts.current,
              unknownInstances: counts.unknown,
              lastChange: effective.at,
              lastChangeSource: effective.source,
              oldestInstanceSince: counts.oldestSince,
              deploymentActive,
              serviceInstance: unit.instance.name,
            },
            related: [ref],
            remediation: deploymentActive
              ? `a deployment of ${app.name} is rolling: wait for it to finish, then re-run the audit`
              : `roll the app: cf restart ${app.name} --strategy rolling (or re-run cfguard credentials rotate ` +
                `${unit.instance.name} to resume an interrupted rotation)`,
          }),
        )
      }
    }
    return orderFindings(findings)
  },
}

/** A binding created after the credential changed delivers it only from its own creation on. */
function effectiveChange(change: LastChange, boundAt: string): {at: string; source: string | null} {
  const bound = Date.parse(boundAt)
  if (!Number.isNaN(bound) && bound > Date.parse(change.at as string)) return {at: boundAt, source: 'bound'}
  return {at: change.at as string, source: change.source}
}

function countInstances(s: Snapshot, app: App, changedAt: string): InstanceCounts {
  const changed = Date.parse(changedAt)
  const counts: InstanceCounts = {stale: 0, current: 0, unknown: 0, oldestSince: null}
  for (const p of indexSnapshot(s).processesByApp.get(app.guid) ?? []) {
    if (p.actual === null) {
      counts.unknown += p.instances
      continue
    }
    for (const i of p.actual) {
      if (i.state === 'UNKNOWN') {
        counts.unknown++
        continue
      }
      if (!LIVE_STATES.has(i.state)) continue
      const since = i.since === null ? NaN : Date.parse(i.since)
      if (Number.isNaN(since)) counts.unknown++
      else if (since < changed) {
        counts.stale++
        if (!counts.oldestSince || since < Date.parse(counts.oldestSince)) counts.oldestSince = i.since
      } else counts.current++
    }
  }
  return counts
}
