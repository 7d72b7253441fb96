import {expect} from 'chai'

import {sharedClient} from '../../../../src/checks/identity/shared-client.js'
import {DEFAULT_POLICY, type Policy} from '../../../../src/model/policy.js'
import {envVar, unreadBinding, unreadUps} from '../../../helpers/identity-fixtures.js'
import {NOW, app, appEnv, binding, oidcCredentials, snapshot, space, ups} from '../../../helpers/snapshot.js'

const twoSpaces = {
  spaces: [space(), space({guid: 'space-2', name: 'dev'})],
  apps: [app(), app({guid: 'app-2', name: 'billing-api-dev', spaceGuid: 'space-2'})],
}

describe('identity/shared-client', () => {
  it('reports one client id reaching apps in two spaces through two services', () => {
    const s = snapshot({
      ...twoSpaces,
      serviceInstances: [
        ups({guid: 'si-1', name: 'billing-oidc'}),
        ups({
          guid: 'si-2',
          name: 'billing-oidc-dev',
          spaceGuid: 'space-2',
          credentials: oidcCredentials({secretFingerprint: 'hmac:other'}),
        }),
      ],
      bindings: [binding({guid: 'b1'}), binding({guid: 'b2', appGuid: 'app-2', serviceInstanceGuid: 'si-2'})],
    })
    const [f, ...rest] = sharedClient.run(s, DEFAULT_POLICY, NOW)
    expect(rest).to.deep.equal([])
    expect(f).to.include({severity: 'high'})
    expect(f!.resource).to.deep.equal({kind: 'uaa_client', guid: 'billing-client', name: 'billing-client'})
    expect(f!.evidence).to.deep.include({
      appCount: 2,
      spaceCount: 2,
      spaces: ['acme/dev', 'acme/prod'],
      serviceInstances: ['billing-oidc', 'billing-oidc-dev'],
      secretFingerprints: ['hmac:aaaa', 'hmac:other'],
    })
  })

  it('links different client ids that share one secret, and env vars holding it', () => {
    const s = snapshot({
      ...twoSpaces,
      serviceInstances: [
        ups({guid: 'si-1', credentials: oidcCredentials({clientId: 'a', secretFingerprint: 'hmac:s'})}),
      ],
      bindings: [binding({guid: 'b1'})],
      env: [appEnv({appGuid: 'app-2', variables: [envVar({name: 'SSO_SECRET', fingerprint: 'hmac:s'})]})],
    })
    const [f] = sharedClient.run(s, DEFAULT_POLICY, NOW)
    expect(f!.evidence.envVariables).to.deep.equal(['billing-api-dev:SSO_SECRET'])
    expect(f!.evidence.spaceCount).to.equal(2)
  })

  it('does not fire for one UPS bound to many apps in one space, or distinct clients', () => {
    const s = snapshot({
      apps: [app(), app({guid: 'app-2', name: 'billing-worker'})],
      serviceInstances: [
        ups({guid: 'si-1'}),
        ups({guid: 'si-2', credentials: oidcCredentials({clientId: 'other', secretFingerprint: 'hmac:b'})}),
      ],
      bindings: [
        binding({guid: 'b1'}),
        binding({guid: 'b2', appGuid: 'app-2'}),
        binding({guid: 'b3', serviceInstanceGuid: 'si-2'}),
      ],
    })
    expect(sharedClient.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })

  it('applies sharedClientMaxApps when set', () => {
    const policy: Policy = {...DEFAULT_POLICY, identity: {...DEFAULT_POLICY.identity, sharedClientMaxApps: 1}}
    const s = snapshot({
      apps: [app(), app({guid: 'app-2', name: 'billing-worker'})],
      serviceInstances: [ups()],
      bindings: [binding({guid: 'b1'}), binding({guid: 'b2', appGuid: 'app-2'})],
    })
    const [f] = sharedClient.run(s, policy, NOW)
    expect(f!.message).to.contain('reaches 2 apps in 1 space (acme/prod); the policy allows 1 app')
  })

  it('skips unread credentials: no sharing can be claimed or cleared from them', () => {
    const s = snapshot({
      ...twoSpaces,
      serviceInstances: [
        ups({guid: 'si-1'}),
        unreadUps({guid: 'si-2', name: 'billing-oidc-dev', spaceGuid: 'space-2'}),
      ],
      bindings: [
        binding({guid: 'b1'}),
        unreadBinding({guid: 'b2', appGuid: 'app-2', serviceInstanceGuid: 'si-2'}),
      ],
    })
    expect(sharedClient.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })
})
