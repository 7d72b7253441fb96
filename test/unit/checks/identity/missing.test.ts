import {expect} from 'chai'

import {identityMissing} from '../../../../src/checks/identity/missing.js'
import {DEFAULT_POLICY, type Policy} from '../../../../src/model/policy.js'
import {managed, offering, plan, unreadBinding, unreadUps} from '../../../helpers/identity-fixtures.js'
import {
  NOW,
  app,
  binding,
  domain,
  oidcCredentials,
  route,
  routeBinding,
  routePolicy,
  snapshot,
  ups,
} from '../../../helpers/snapshot.js'

const policy: Policy = {
  ...DEFAULT_POLICY,
  identity: {...DEFAULT_POLICY.identity, required: [{labelSelector: 'exposure=public'}]},
}
const publicApp = app({labels: {exposure: 'public'}})
const base = {apps: [publicApp], domains: [domain()], routes: [route()]}

describe('identity/missing', () => {
  it('reports a required, routed app with no identity from any source', () => {
    const [f, ...rest] = identityMissing.run(snapshot(base), policy, NOW)
    expect(rest).to.deep.equal([])
    expect(f).to.include({rule: 'identity/missing', severity: 'medium'})
    expect(f!.resource.name).to.equal('billing-api')
    expect(f!.evidence.unprotectedRoutes).to.deep.equal(['billing.apps.example.com'])
  })

  it('reports when only some public routes are covered by a route service', () => {
    const s = snapshot({
      ...base,
      routes: [route(), route({guid: 'route-2', host: 'billing-v2'})],
      routeBindings: [routeBinding({routeGuid: 'route-1'})],
    })
    const [f] = identityMissing.run(s, policy, NOW)
    expect(f!.evidence.unprotectedRoutes).to.deep.equal(['billing-v2.apps.example.com'])
  })

  it('does not fire for an app with OIDC credentials, an SSO binding, a route service or a route policy', () => {
    const withUps = snapshot({...base, serviceInstances: [ups()], bindings: [binding()]})
    const withSso = snapshot({
      ...base,
      serviceOfferings: [offering()],
      servicePlans: [plan()],
      serviceInstances: [managed()],
      bindings: [binding({serviceInstanceGuid: 'si-sso', credentials: null, credentialsRead: 'denied'})],
    })
    const withRouteService = snapshot({...base, routeBindings: [routeBinding()]})
    const withPolicy = snapshot({...base, routePolicies: [routePolicy()]})
    const enforcing = snapshot({...base, domains: [domain({enforceRoutePolicies: true})]})
    for (const s of [withUps, withSso, withRouteService, withPolicy, enforcing]) {
      expect(identityMissing.run(s, policy, NOW)).to.deep.equal([])
    }
  })

  it('does not fire for apps the policy does not select, internal-only apps, or without any selector', () => {
    const other = snapshot({...base, apps: [app()]})
    expect(identityMissing.run(other, policy, NOW)).to.deep.equal([])
    const internal = snapshot({...base, domains: [domain({internal: true, name: 'apps.internal'})]})
    expect(identityMissing.run(internal, policy, NOW)).to.deep.equal([])
    expect(identityMissing.run(snapshot(base), DEFAULT_POLICY, NOW)).to.deep.equal([])
  })

  it('honours the allowed sources: a route service does not count when only bindings are allowed', () => {
    const bindingOnly: Policy = {...policy, identity: {...policy.identity, sources: ['binding']}}
    const s = snapshot({...base, routeBindings: [routeBinding()]})
    expect(identityMissing.run(s, bindingOnly, NOW)).to.have.length(1)
  })

  it('a non-identity binding does not count; an unread one makes the app unknown and skipped', () => {
    const db = snapshot({
      ...base,
      serviceInstances: [
        ups({name: 'billing-db', credentials: oidcCredentials({shape: 'secret-bearing', clientId: null})}),
      ],
      bindings: [binding()],
    })
    expect(identityMissing.run(db, policy, NOW)).to.have.length(1)
    const unread = snapshot({
      ...base,
      serviceInstances: [unreadUps({name: 'billing-config'})],
      bindings: [unreadBinding()],
    })
    expect(identityMissing.run(unread, policy, NOW)).to.deep.equal([])
  })
})
