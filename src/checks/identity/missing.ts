import type {Rule} from '../../model/rule.js'
import {matchesSelector} from '../../model/selector.js'
import type {App, Route, Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {appRef, routeRef} from '../../derive/refs.js'
import {type IdentityKnowledge, credentialUnits, orderFindings} from '../../derive/identity.js'
import {indexSnapshot, placeOf} from '../../derive/lookup.js'

export const identityMissing: Rule = {
  id: 'identity/missing',
  family: 'identity',
  severity: 'medium',
  title: 'App that must have an identity has none',
  docs:
    'The policy file says these apps must sit behind an identity (`identity.required` selectors; none by ' +
    'default), yet the app has public routes and none of the allowed sources (`identity.sources`) covers ' +
    'it: no OIDC/SSO credentials bound to the app, and on at least one public route neither a route service ' +
    'nor a route policy (an identity-aware domain). Anyone who knows the URL reaches the app without ' +
    'logging in. Bind an SSO service (`cf bind-service billing-api billing-sso`) and enforce login in the app, ' +
    'or put an auth proxy in front (`cf bind-route-service apps.example.com auth-proxy --hostname billing`), ' +
    'or move the route to an identity-aware domain and add a route policy (`cf add-route-policy`). Apps bound ' +
    'to credentials that could not be read are skipped, not reported clean.',
  needs: ['upsCredentials', 'bindingDetails', 'routePolicies'],
  soc2: ['CC6.1', 'CC6.6'],
  run(s, policy) {
    if (policy.identity.required.length === 0) return []
    const ix = indexSnapshot(s)
    const sources = new Set(policy.identity.sources)
    const bindingIdentity = appBindingIdentity(s)
    const findings = []
    for (const app of s.apps) {
      const place = placeOf(ix, app.spaceGuid)
      const selectable = {name: app.name, labels: app.labels, spaceName: place.space, orgName: place.org}
      if (!policy.identity.required.some((sel) => matchesSelector(selectable, sel))) continue
      const publicRoutes = (ix.routesByApp.get(app.guid) ?? []).filter(
        (r) => !ix.domains.get(r.domainGuid)?.internal,
      )
      if (publicRoutes.length === 0) continue
      const fromBinding = sources.has('binding') ? (bindingIdentity.get(app.guid) ?? 'no') : 'no'
      if (fromBinding === 'yes') continue
      const unprotected = publicRoutes.filter((r) => !routeProtected(s, r, sources))
      if (unprotected.length === 0) continue
      // An app bound to credentials nobody could read may have an identity: skip, do not call it clean.
      if (fromBinding === 'unknown') continue
      findings.push(
        makeFinding(identityMissing, {
          resource: appRef(s, app),
          message:
            `app ${app.name} must have an identity (policy) but ${unprotected.length} of its ` +
            `${publicRoutes.length} public routes are reachable without one`,
          evidence: {
            state: app.state,
            publicRoutes: publicRoutes.map((r) => r.url).sort(),
            unprotectedRoutes: unprotected.map((r) => r.url).sort(),
            allowedSources: [...sources].sort(),
          },
          related: unprotected.map((r) => routeRef(s, r)),
          remediation: remediationFor(app, unprotected[0] as Route, s),
        }),
      )
    }
    return orderFindings(findings)
  },
}

/** Per app: does a live app binding deliver identity credentials (yes), possibly (unknown), or not? */
function appBindingIdentity(s: Snapshot): Map<string, IdentityKnowledge> {
  const result = new Map<string, IdentityKnowledge>()
  for (const unit of credentialUnits(s)) {
    for (const b of unit.appBindings) {
      const appGuid = b.appGuid as string
      const current = result.get(appGuid)
      if (current === 'yes') continue
      if (unit.identity === 'yes') result.set(appGuid, 'yes')
      else if (unit.identity === 'unknown' || current === 'unknown') result.set(appGuid, 'unknown')
      else result.set(appGuid, 'no')
    }
  }
  return result
}

function routeProtected(s: Snapshot, route: Route, sources: Set<string>): boolean {
  if (sources.has('route-service') && s.routeBindings.some((rb) => rb.routeGuid === route.guid)) return true
  if (!sources.has('route-policy')) return false
  // Identity-aware domains deny everyone without a matching policy: only app identities get in.
  const domain = indexSnapshot(s).domains.get(route.domainGuid)
  return Boolean(domain?.enforceRoutePolicies) || s.routePolicies.some((p) => p.routeGuid === route.guid)
}

function remediationFor(app: App, route: Route, s: Snapshot): string {
  const domain = indexSnapshot(s).domains.get(route.domainGuid)?.name ?? 'DOMAIN'
  const host = route.host ? ` --hostname ${route.host}` : ''
  return (
    `bind an SSO service (cf bind-service ${app.name} SSO_INSTANCE) and enforce login in the app, or bind an ` +
    `auth route service (cf bind-route-service ${domain} AUTH_PROXY${host})`
  )
}
