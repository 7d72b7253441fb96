import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {App} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {appRef} from '../../derive/refs.js'
import {
  type CredentialUnit,
  CREDENTIALS_UPDATED_AT_ANNOTATION,
  ageInDays,
  identityUnits,
  lastCredentialChange,
  unitApps,
  unitRef,
  orderFindings,
} from '../../derive/identity.js'

export const staleCredential: Rule = {
  id: 'identity/stale-credential',
  family: 'identity',
  severity: 'medium',
  title: 'Identity credential older than the maximum age',
  docs:
    'The credential last changed longer ago than `maxCredentialAgeDays` (default 90; `--max-age`): medium, ' +
    'high past twice the limit. Old secrets have had the longest time to leak through logs, laptops and ' +
    'former staff, and a rotation nobody has practised tends to fail on the day it is needed. Last change is ' +
    'when the secret held now was put in place: the newest user-provided service create/update audit event ' +
    `that carried \`credentials\`, or the \`${CREDENTIALS_UPDATED_AT_ANNOTATION}\` annotation cfguard writes with ` +
    "the credentials (after a rollback, the restored secret's own time), or a binding's or key's creation " +
    'time (never `updated_at`, which any metadata change bumps). Cloud Controller prunes audit events after ' +
    '31 days, so a user-provided service older than the limit with no event and no annotation is reported at ' +
    'low severity with age "unknown": nothing shows it changed within the limit. Rotate with zero downtime: ' +
    '`cfguard credentials rotate billing-oidc` (it records the annotation).',
  needs: ['auditEvents', 'upsCredentials', 'bindingDetails'],
  soc2: ['CC6.1', 'CC6.3'],
  run(s, policy, now) {
    const maxDays = policy.maxCredentialAgeDays
    const eventsFullyRead = s.access.auditEvents.state === 'full'
    const findings: Finding[] = []
    for (const unit of identityUnits(s)) {
      const ref = unitRef(s, unit)
      const apps = unitApps(s, unit)
      const change = lastCredentialChange(s, unit)
      const base = {
        resource: ref,
        related: apps.map((a) => appRef(s, a)),
        remediation: remediation(unit, apps),
      }
      if (change.setAt === null) {
        // Unknown age: only a finding when the audit trail was fully read (so the change is older than
        // its retention) and the service itself is older than the limit (else it cannot be stale).
        const createdDays = ageInDays(unit.instance.createdAt, now)
        if (!eventsFullyRead || Number.isNaN(createdDays) || createdDays <= maxDays) continue
        findings.push(
          makeFinding(staleCredential, {
            ...base,
            severity: 'low',
            message:
              `${ref.name}: last credential change unknown (` +
              (change.at === null
                ? `no update in the audit trail, no ${CREDENTIALS_UPDATED_AT_ANNOTATION} annotation`
                : `a rollback on ${change.at} restored a secret of unrecorded age`) +
              `); created ${createdDays} days ago, limit ${maxDays}`,
            evidence: {
              lastChange: 'unknown',
              lastChangeSource: null,
              ageDays: 'unknown',
              createdDaysAgo: createdDays,
              maxAgeDays: maxDays,
              apps: apps.map((a) => a.name),
            },
          }),
        )
        continue
      }
      const age = ageInDays(change.setAt, now)
      if (age <= maxDays) continue
      findings.push(
        makeFinding(staleCredential, {
          ...base,
          severity: age > 2 * maxDays ? 'high' : 'medium',
          message: `${ref.name}: credential last changed ${age} days ago (limit ${maxDays})`,
          evidence: {
            lastChange: change.setAt,
            lastChangeSource: change.setAtSource,
            ageDays: age,
            maxAgeDays: maxDays,
            clientId: unit.view?.clientId ?? null,
            superseded: !unit.active,
            apps: apps.map((a) => a.name),
          },
        }),
      )
    }
    return orderFindings(findings)
  },
}

function remediation(unit: CredentialUnit, apps: readonly App[]): string {
  const name = unit.instance.name
  if (!unit.active && apps[0]) {
    // An older binding of a pair rotated with `strategy: multiple`: the app no longer reads it.
    return `a newer binding replaced it; delete it: cf cleanup-outdated-service-bindings ${apps[0].name} --service-instance ${name}`
  }
  if (unit.source === 'key') {
    return `rotate the key (a new key, handed over, then the old one deleted): cfguard credentials rotate ${name}`
  }
  return `rotate with zero downtime: cfguard credentials rotate ${name}`
}
