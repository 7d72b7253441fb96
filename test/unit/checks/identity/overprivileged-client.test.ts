import {expect} from 'chai'

import {runChecks} from '../../../../src/checks/index.js'
import {overprivilegedClient} from '../../../../src/checks/identity/overprivileged-client.js'
import {DEFAULT_POLICY} from '../../../../src/model/policy.js'
import {uaaClient} from '../../../helpers/identity-fixtures.js'
import {NOW, access, app, binding, snapshot, ups} from '../../../helpers/snapshot.js'

describe('identity/overprivileged-client', () => {
  it('reports the client behind an app holding admin-grade authorities or scopes', () => {
    const s = snapshot({
      apps: [app()],
      serviceInstances: [ups()],
      bindings: [binding()],
      uaaClients: [
        uaaClient({
          authorities: ['uaa.none', 'cloud_controller.admin', 'zones.acme.admin'],
          scope: ['openid', 'scim.write'],
          grantTypes: ['client_credentials', 'authorization_code'],
        }),
      ],
    })
    const [f, ...rest] = overprivilegedClient.run(s, DEFAULT_POLICY, NOW)
    expect(rest).to.deep.equal([])
    expect(f).to.include({severity: 'high'})
    expect(f!.resource).to.deep.equal({kind: 'uaa_client', guid: 'billing-client', name: 'billing-client'})
    expect(f!.evidence).to.deep.include({
      adminAuthorities: ['cloud_controller.admin', 'zones.acme.admin'],
      adminScopes: ['scim.write'],
      apps: ['billing-api'],
      serviceInstances: ['billing-oidc'],
    })
  })

  it('does not fire for narrow clients or admin clients no credentials reference', () => {
    const s = snapshot({
      apps: [app()],
      serviceInstances: [ups()],
      bindings: [binding()],
      uaaClients: [
        uaaClient({
          authorities: ['uaa.resource'],
          scope: ['openid', 'cloud_controller.read', 'clients.read'],
        }),
        uaaClient({clientId: 'admin', authorities: ['uaa.admin', 'clients.admin']}),
      ],
    })
    expect(overprivilegedClient.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })

  it('skips clients that could not be read and reports the gap', () => {
    const s = snapshot({
      apps: [app()],
      serviceInstances: [ups()],
      bindings: [binding()],
      uaaClients: [],
      access: access({uaaClients: {state: 'none', why: 'token lacks clients.read'}}),
    })
    const run = runChecks(s, DEFAULT_POLICY, NOW, [overprivilegedClient])
    expect(run.findings).to.deep.equal([])
    expect(run.gaps).to.deep.equal([
      {
        what: 'UAA client details (not read)',
        why: 'token lacks clients.read',
        rules: ['identity/overprivileged-client'],
      },
    ])
  })
})
