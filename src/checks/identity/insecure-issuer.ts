import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {CredentialView} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {appRef} from '../../derive/refs.js'
import {identityUnits, unitApps, unitRef, orderFindings} from '../../derive/identity.js'
import {isLoopbackHost, parseEndpoint} from './_url.js'

const ENDPOINT_FIELDS = ['issuer', 'tokenEndpoint', 'authDomain'] as const

export const insecureIssuer: Rule = {
  id: 'identity/insecure-issuer',
  family: 'identity',
  severity: 'high',
  title: 'Identity credentials use an insecure or unapproved issuer',
  docs:
    'The credentials name an issuer, token endpoint or auth domain over plain `http://` (loopback hosts ' +
    'excepted), or switch TLS verification off (`skip_ssl_validation: true`, `verify_ssl: false` and the ' +
    'like). Client secrets and tokens then cross the network readable and forgeable by anyone on the path. ' +
    'When the policy lists `identity.allowedIssuers`, an issuer outside that list is reported by this rule too ' +
    '(evidence `issuerNotAllowed`): a typo or a rogue identity provider would otherwise mint the tokens your ' +
    'apps trust. Fix the credentials (https, verification on, an approved issuer) with ' +
    '`cf update-user-provided-service billing-oidc -p credentials.json`, then `cf restart billing-api ' +
    '--strategy rolling`. Credentials that were not read are skipped.',
  needs: ['upsCredentials', 'bindingDetails'],
  soc2: ['CC6.1', 'CC6.7'],
  run(s, policy) {
    const allowed = policy.identity.allowedIssuers
    const findings: Finding[] = []
    for (const unit of identityUnits(s)) {
      const v = unit.view
      if (!v || v.shape !== 'oidc-client') continue
      const plainHttp = ENDPOINT_FIELDS.filter((f) => isPlainHttp(v[f]))
      const notAllowed = allowed.length > 0 && !issuerAllowed(v, allowed)
      if (plainHttp.length === 0 && !v.tlsVerifyDisabled && !notAllowed) continue
      const problems = [
        ...(plainHttp.length > 0 ? [`plain http (${plainHttp.join(', ')})`] : []),
        ...(v.tlsVerifyDisabled ? ['TLS verification switched off'] : []),
        ...(notAllowed ? ['issuer not in identity.allowedIssuers'] : []),
      ]
      const ref = unitRef(s, unit)
      const apps = unitApps(s, unit)
      findings.push(
        makeFinding(insecureIssuer, {
          resource: ref,
          message: `${ref.name}: ${problems.join('; ')}`,
          evidence: {
            issuer: v.issuer,
            tokenEndpoint: v.tokenEndpoint,
            authDomain: v.authDomain,
            plainHttp: [...plainHttp],
            tlsVerifyDisabled: v.tlsVerifyDisabled,
            issuerNotAllowed: notAllowed,
            clientId: v.clientId,
          },
          related: apps.map((a) => appRef(s, a)),
          remediation:
            unit.source === 'user-provided'
              ? `use https with verification on and an approved issuer: cf update-user-provided-service ` +
                `${unit.instance.name} -p credentials.json, then restart bound apps with --strategy rolling`
              : `ask the service broker's owner to serve https and verify TLS, then recreate the binding`,
        }),
      )
    }
    return orderFindings(findings)
  },
}

function isPlainHttp(value: string | null): boolean {
  if (!value) return false
  const e = parseEndpoint(value)
  return e?.scheme === 'http' && !isLoopbackHost(e.host)
}

/**
 * The issuer (else token endpoint, else auth domain) matches an allowed entry: same host (an entry
 * `*.example.com` matches subdomains) and, when the entry has a path, the same path or below it.
 */
function issuerAllowed(v: CredentialView, allowed: string[]): boolean {
  const named = v.issuer ?? v.tokenEndpoint ?? v.authDomain
  const e = named ? parseEndpoint(named) : null
  if (!e) return false
  return allowed.some((entry) => {
    const a = parseEndpoint(entry)
    if (!a) return false
    const hostOk = a.host.startsWith('*.') ? e.host.endsWith(a.host.slice(1)) : a.host === e.host
    const prefix = a.path.replace(/\/$/, '')
    const pathOk = prefix === '' || e.path === prefix || e.path.startsWith(`${prefix}/`)
    return hostOk && pathOk && (a.scheme === null || e.scheme === null || a.scheme === e.scheme)
  })
}
