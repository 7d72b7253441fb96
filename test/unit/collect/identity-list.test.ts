import {expect} from 'chai'

import {inventoryOf, type IdentityInventory} from '../../../src/actions/identity-list.js'
import {renderInventory} from '../../../src/cli/views/identity.js'
import {
  NOW,
  app,
  appEnv,
  auditEvent,
  binding,
  oidcCredentials,
  org,
  snapshot,
  space,
  ups,
} from '../../helpers/snapshot.js'

describe('identity list: the inventory graph', () => {
  const s = snapshot({
    orgs: [org()],
    spaces: [space()],
    apps: [app({guid: 'app-1', name: 'billing-api'}), app({guid: 'app-2', name: 'orders'})],
    serviceInstances: [
      ups(),
      ups({
        guid: 'si-2',
        name: 'smtp',
        credentials: oidcCredentials({
          shape: 'secret-bearing',
          clientId: null,
          issuer: null,
          tokenEndpoint: null,
        }),
      }),
      ups({guid: 'si-3', name: 'old-oidc'}),
    ],
    bindings: [binding(), binding({guid: 'bind-2', appGuid: 'app-2', serviceInstanceGuid: 'si-2'})],
    env: [
      appEnv({
        variables: [
          {name: 'CLIENT_SECRET', class: 'secret-literal', fingerprint: 'hmac:bbbb'},
          {name: 'LOG_LEVEL', class: 'plain', fingerprint: null},
        ],
      }),
    ],
    auditEvents: [auditEvent({createdAt: '2026-11-18T12:00:00Z'})],
  })

  it('lists app → UPS → client id with age, env secrets, and identity bound to no app', () => {
    const entries = inventoryOf(s, NOW)
    const rows = entries.map((e) => [
      e.app?.name ?? null,
      e.source,
      e.serviceInstance?.name ?? e.variable,
      e.clientId,
    ])
    expect(rows).to.deep.equal([
      ['billing-api', 'env', 'CLIENT_SECRET', null],
      ['billing-api', 'user-provided', 'billing-oidc', 'billing-client'],
      [null, 'user-provided', 'old-oidc', 'billing-client'],
    ])
    const billing = entries[1]!
    expect(billing).to.deep.include({
      issuer: 'https://uaa.sys.example.com/oauth/token',
      secretFingerprint: 'hmac:aaaa',
      lastChange: '2026-11-18T12:00:00Z',
      lastChangeSource: 'audit-event',
      ageDays: 10,
      read: 'read',
      identity: 'yes',
    })
    expect(billing.app).to.deep.equal({guid: 'app-1', name: 'billing-api', space: 'prod', org: 'acme'})
  })

  it('keeps unread identity-named services (unknown) and drops plain ones', () => {
    const unread = snapshot({
      ...s,
      serviceInstances: [ups({name: 'billing-oidc', credentials: null, credentialsRead: 'denied'})],
      bindings: [binding({credentials: null, credentialsRead: 'denied'})],
      env: [],
    })
    const [entry] = inventoryOf(unread, NOW)
    expect(entry).to.deep.include({identity: 'yes', read: 'denied', clientId: null, secretFingerprint: null})
  })

  it('renders within 100 columns and lists what could not be read', () => {
    const inv: IdentityInventory = {
      schemaVersion: 1,
      target: s.target,
      generatedAt: NOW.toISOString(),
      entries: inventoryOf(s, NOW),
      coverage: {
        apps: 2,
        serviceInstances: 3,
        gaps: [{what: 'environment of 1 app (acme/dev)', why: '403 CF-NotAuthorized'}],
        auditEventsCreated: 3,
        requests: 20,
      },
    }
    const text = renderInventory(inv)
    expect(Math.max(...text.split('\n').map((l) => l.length))).to.be.at.most(100)
    expect(text).to.contain('billing-oidc')
    expect(text).to.contain('10d')
    expect(text).to.contain('not read:\n  environment of 1 app (acme/dev): 403 CF-NotAuthorized')
  })
})
