import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {IssuerProbe} from '../../model/snapshot.js'
import {redactText} from '../../redact.js'
import {makeFinding} from '../finding.js'
import {appRef} from '../../derive/refs.js'
import {identityUnits, unitApps, unitRef, orderFindings} from '../../derive/identity.js'
import {normalizeUrl} from './_url.js'

export const issuerUnreachable: Rule = {
  id: 'identity/issuer-unreachable',
  family: 'identity',
  severity: 'medium',
  title: 'Issuer discovery fails or disagrees',
  docs:
    "With `--check-issuers`, cfguard fetches each distinct issuer's OIDC discovery document and its JWKS. " +
    'This rule fires when discovery fails, when the document names a different `issuer` than the ' +
    'credentials (strict OIDC libraries then reject every token), or when the JWKS is empty or unreachable ' +
    '(no token can be verified). Apps using those credentials cannot log users in, or fail at their next ' +
    'restart. Check the URL (`curl https://uaa.sys.example.com/oauth/token/.well-known/openid-configuration`), ' +
    'fix the issuer in the credentials (`cf update-user-provided-service billing-oidc -p credentials.json`) or ' +
    'the identity provider, then roll the apps. Credentials whose issuer was not probed are skipped.',
  needs: ['issuerProbes'],
  soc2: ['CC6.1', 'CC7.1', 'A1.2'],
  optIn: 'check-issuers',
  run(s) {
    const probes = new Map(s.issuerProbes.map((p) => [normalizeUrl(p.issuer), p]))
    const findings: Finding[] = []
    for (const unit of identityUnits(s)) {
      const v = unit.view
      if (!v) continue
      const probe = [v.issuer, v.tokenEndpoint, v.authDomain]
        .map((e) => (e ? probes.get(normalizeUrl(e)) : undefined))
        .find((p) => p !== undefined)
      if (!probe) continue
      const problem = probeProblem(probe)
      if (!problem) continue
      const ref = unitRef(s, unit)
      const apps = unitApps(s, unit)
      findings.push(
        makeFinding(issuerUnreachable, {
          resource: ref,
          message: `${ref.name}: issuer ${probe.issuer} ${problem}`,
          evidence: {
            issuer: probe.issuer,
            discoveryOk: probe.discoveryOk,
            discoveredIssuer: probe.discoveredIssuer,
            jwksKeys: probe.jwksKeys,
            error: probe.error === null ? null : redactText(probe.error),
          },
          related: apps.map((a) => appRef(s, a)),
          remediation:
            `check ${probe.issuer.replace(/\/$/, '')}/.well-known/openid-configuration; fix the issuer in ` +
            `${unit.instance.name} (cf update-user-provided-service ${unit.instance.name} -p credentials.json) or ` +
            `the identity provider, then roll the bound apps`,
        }),
      )
    }
    return orderFindings(findings)
  },
}

/** Why a probe is a problem, or null when discovery and JWKS are fine. */
function probeProblem(p: IssuerProbe): string | null {
  if (!p.discoveryOk) return `discovery failed${p.error ? ` (${redactText(p.error)})` : ''}`
  if (p.discoveredIssuer !== null && p.discoveredIssuer !== p.issuer) {
    return `discovery names a different issuer (${p.discoveredIssuer})`
  }
  if (p.jwksKeys === null) return `JWKS unreachable${p.error ? ` (${redactText(p.error)})` : ''}`
  if (p.jwksKeys === 0) return 'JWKS has no keys'
  return null
}
