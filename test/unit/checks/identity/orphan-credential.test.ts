import {expect} from 'chai'

import {orphanCredential} from '../../../../src/checks/identity/orphan-credential.js'
import {DEFAULT_POLICY} from '../../../../src/model/policy.js'
import {managed, offering, plan, serviceKey, unreadUps} from '../../../helpers/identity-fixtures.js'
import {NOW, app, binding, oidcCredentials, routeBinding, snapshot, ups} from '../../../helpers/snapshot.js'

describe('identity/orphan-credential', () => {
  it('reports an identity UPS bound to no app and a key of an identity service', () => {
    const s = snapshot({
      serviceOfferings: [offering()],
      servicePlans: [plan()],
      serviceInstances: [ups({name: 'billing-oidc-old'}), managed()],
      bindings: [serviceKey()],
      routeBindings: [routeBinding()],
    })
    const findings = orphanCredential.run(s, DEFAULT_POLICY, NOW)
    expect(findings.map((f) => [f.resource.kind, f.resource.name, f.severity])).to.deep.equal([
      ['service_instance', 'billing-oidc-old', 'low'],
      ['service_key', 'billing-sso/ci-key', 'low'],
    ])
    expect(findings[0]!.evidence).to.deep.include({
      source: 'user-provided',
      clientId: 'billing-client',
      routeBindings: 1,
    })
    expect(findings[1]!.remediation).to.equal('if no one uses it: cf delete-service-key billing-sso ci-key')
  })

  it('does not fire for bound UPS (even to an app outside the audited scope) or non-identity credentials', () => {
    const s = snapshot({
      apps: [app()],
      serviceInstances: [
        ups({guid: 'si-1'}),
        ups({guid: 'si-2', name: 'elsewhere-oidc'}),
        ups({
          guid: 'si-3',
          name: 'db',
          credentials: oidcCredentials({shape: 'secret-bearing', clientId: null}),
        }),
      ],
      bindings: [
        binding({guid: 'b1'}),
        binding({guid: 'b2', serviceInstanceGuid: 'si-2', appGuid: 'app-not-visible'}),
      ],
    })
    expect(orphanCredential.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })

  it('a failed binding does not count as bound', () => {
    const s = snapshot({
      apps: [app()],
      serviceInstances: [ups()],
      bindings: [binding({lastOperation: {type: 'create', state: 'failed'}})],
    })
    expect(orphanCredential.run(s, DEFAULT_POLICY, NOW)).to.have.length(1)
  })

  it('skips unbound UPS whose credentials were not read and that nothing marks as identity', () => {
    const s = snapshot({serviceInstances: [unreadUps({name: 'leftover-config'})]})
    expect(orphanCredential.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })
})
