import type {Rule} from '../../model/rule.js'
import {makeFinding} from '../finding.js'
import {appRef} from '../../derive/refs.js'
import {identityUnits, unitApps, unitRef, orderFindings} from '../../derive/identity.js'

export const incompleteCredentials: Rule = {
  id: 'identity/incomplete-credentials',
  family: 'identity',
  severity: 'high',
  title: 'Identity credentials lack a part needed to use them',
  docs:
    'Credentials shaped like an OAuth/OIDC client miss a part: no client id, a client id without a secret ' +
    '(and not marked public with `token_endpoint_auth_method: none` or `public: true`), or no issuer, token ' +
    'endpoint or auth domain. The app then either fails at login or falls back to a hard-coded value that ' +
    'nobody rotates with the service. Write the complete credential object (a UPS update replaces it whole): ' +
    '`cf update-user-provided-service billing-oidc -p credentials.json`, with the file holding client id, ' +
    'secret and issuer, then `cf restart billing-api --strategy rolling`. Credentials that were not read are ' +
    'skipped, not reported clean.',
  needs: ['upsCredentials', 'bindingDetails'],
  soc2: ['CC6.1', 'CC8.1'],
  run(s) {
    const findings = []
    for (const unit of identityUnits(s)) {
      const v = unit.view
      if (!v || v.shape !== 'oidc-client') continue
      const missing: string[] = []
      if (!v.clientId) missing.push('client id')
      if (!v.hasSecret && !v.isPublic) missing.push('client secret')
      if (!v.issuer && !v.tokenEndpoint && !v.authDomain)
        missing.push('issuer / token endpoint / auth domain')
      if (missing.length === 0) continue
      const ref = unitRef(s, unit)
      const apps = unitApps(s, unit)
      findings.push(
        makeFinding(incompleteCredentials, {
          resource: ref,
          message: `${ref.name} holds identity credentials without ${missing.join(' and ')}`,
          evidence: {
            missing,
            clientId: v.clientId,
            path: v.path,
            secretKeys: v.secretKeys,
            apps: apps.map((a) => a.name),
          },
          related: apps.map((a) => appRef(s, a)),
          remediation:
            unit.source === 'user-provided'
              ? `write the complete object: cf update-user-provided-service ${unit.instance.name} -p credentials.json ` +
                `(client id, secret, issuer), then restart the bound apps with --strategy rolling`
              : `ask the service broker's owner; recreate the ${unit.source === 'key' ? 'key' : 'binding'} once fixed`,
        }),
      )
    }
    return orderFindings(findings)
  },
}
