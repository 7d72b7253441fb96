import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import {redactText} from '../../redact.js'
import {makeFinding} from '../finding.js'
import {appRef} from '../../derive/refs.js'
import {identityUnits, unitApps, unitRef, orderFindings} from '../../derive/identity.js'

export const credentialsRejected: Rule = {
  id: 'identity/credentials-rejected',
  family: 'identity',
  severity: 'critical',
  title: 'Identity provider rejects the bound client credentials',
  docs:
    'With `--verify-credentials`, cfguard asks each token endpoint for a client-credentials token once per ' +
    'distinct client id and secret. This rule fires when the provider rejects them (UAA: 401 "Bad ' +
    'credentials"; RFC 6749: `invalid_client`). UAA\'s "Unauthorized grant type" and RFC 6749\'s ' +
    '`unauthorized_client` mean the secret was right and only the grant is not allowed, so they count as ' +
    'accepted; probes that failed for other reasons (network, 5xx) are not findings. Apps holding rejected ' +
    'credentials cannot log in or call APIs: the secret was rotated at the provider but not on the platform, ' +
    'or the client was deleted. Check the client (`uaa get-client billing-client`) and put a working secret ' +
    'in place with `cfguard credentials rotate billing-oidc`. Credentials that were not probed are skipped.',
  needs: ['credentialProbes'],
  soc2: ['CC6.1', 'CC7.2', 'A1.2'],
  optIn: 'verify-credentials',
  run(s) {
    const rejected = s.credentialProbes.filter((p) => p.outcome === 'rejected')
    if (rejected.length === 0) return []
    const findings: Finding[] = []
    for (const unit of identityUnits(s)) {
      const v = unit.view
      if (!v?.clientId || !v.secretFingerprint) continue
      const probe = rejected.find(
        (p) => p.clientId === v.clientId && p.secretFingerprint === v.secretFingerprint,
      )
      if (!probe) continue
      const ref = unitRef(s, unit)
      const apps = unitApps(s, unit)
      findings.push(
        makeFinding(credentialsRejected, {
          resource: ref,
          message: `${ref.name}: ${probe.tokenEndpoint} rejects client ${v.clientId} with the bound secret`,
          evidence: {
            clientId: v.clientId,
            secretFingerprint: v.secretFingerprint,
            tokenEndpoint: probe.tokenEndpoint,
            detail: redactText(probe.detail),
            apps: apps.map((a) => a.name),
          },
          related: apps.map((a) => appRef(s, a)),
          remediation:
            `check the client (uaa get-client ${v.clientId}) and put a working secret in place: ` +
            `cfguard credentials rotate ${unit.instance.name}`,
        }),
      )
    }
    return orderFindings(findings)
  },
}
