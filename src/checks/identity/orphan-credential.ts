import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import {makeFinding} from '../finding.js'
import {identityUnits, isLiveBinding, unitRef, orderFindings} from '../../derive/identity.js'

export const orphanCredential: Rule = {
  id: 'identity/orphan-credential',
  family: 'identity',
  severity: 'low',
  title: 'Identity credential bound to no app',
  docs:
    'A user-provided service holding identity credentials is bound to no app, or a service key of an ' +
    'identity service exists (keys are handed out of the platform by design: no app uses them). Either way a ' +
    'working client secret sits where nobody watches it and no rotation reaches it: leftovers of deleted apps, ' +
    'copies for a one-off script, keys of former CI jobs. Confirm nobody uses it, then delete it ' +
    '(`cf delete-service billing-oidc-old`, `cf delete-service-key billing-sso ci-key`) and delete or rotate ' +
    'the client behind it (`uaa delete-client billing-old`). Services whose credentials were not read and ' +
    'that nothing marks as identity are skipped.',
  needs: ['upsCredentials', 'bindingDetails'],
  soc2: ['CC6.2', 'CC6.3'],
  run(s) {
    const findings: Finding[] = []
    // Any live app binding counts, even to an app outside the audited scope. (A set: looking
    // through every binding for every credential was quadratic on a large foundation.)
    const boundInstances = new Set(
      s.bindings.filter((b) => b.type === 'app' && isLiveBinding(b)).map((b) => b.serviceInstanceGuid),
    )
    for (const unit of identityUnits(s)) {
      if (unit.source === 'binding') continue
      const bound = boundInstances.has(unit.instance.guid)
      if (unit.source === 'user-provided' && bound) continue
      const ref = unitRef(s, unit)
      const routeBindings = s.routeBindings.filter(
        (rb) => rb.serviceInstanceGuid === unit.instance.guid,
      ).length
      const isKey = unit.source === 'key'
      findings.push(
        makeFinding(orphanCredential, {
          resource: ref,
          message: isKey
            ? `service key ${ref.name} holds identity credentials outside the platform; no app uses it`
            : `${ref.name} holds identity credentials but is bound to no app`,
          evidence: {
            source: unit.source,
            clientId: unit.view?.clientId ?? null,
            createdAt: unit.binding?.createdAt ?? unit.instance.createdAt,
            routeBindings,
          },
          remediation: isKey
            ? `if no one uses it: cf delete-service-key ${unit.instance.name} ${unit.binding?.name ?? ''}`.trim()
            : `if no one uses it: cf delete-service ${unit.instance.name}, then delete or rotate its client at the identity provider`,
        }),
      )
    }
    return orderFindings(findings)
  },
}
