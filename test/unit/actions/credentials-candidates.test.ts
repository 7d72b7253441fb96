import {expect} from 'chai'

import {
  cronCanRotate,
  rotationCandidates,
  unjudgedServices,
  withUpsCredentials,
} from '../../../src/actions/credentials/candidates.js'
import {unjudgedGaps} from '../../../src/actions/credentials/list.js'
import {DEFAULT_POLICY} from '../../../src/model/policy.js'
import type {ServiceInstance} from '../../../src/model/snapshot.js'
import {
  access,
  app,
  auditEvent,
  binding,
  instance,
  NOW,
  oidcCredentials,
  proc,
  snapshot,
  ups,
} from '../../helpers/snapshot.js'

const DAY = 86_400_000
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString()
const uaaClient = (clientId: string) => ({
  clientId,
  authorities: [],
  scope: [],
  grantTypes: [],
  redirectUris: [],
  lastModified: null,
})

const managed = (o: Partial<ServiceInstance> = {}): ServiceInstance =>
  ups({
    guid: 'msi-1',
    name: 'billing-sso',
    type: 'managed',
    planGuid: 'plan-sso',
    credentials: null,
    credentialsRead: 'not-applicable',
    ...o,
  })

const catalogue = {
  serviceOfferings: [
    {guid: 'off-sso', name: 'p-identity', description: 'SSO', tags: ['sso'], brokerName: null},
  ],
  servicePlans: [{guid: 'plan-sso', name: 'standard', offeringGuid: 'off-sso'}],
}

describe('rotationCandidates: what can be rotated, how old it is, whether it is due', () => {
  it('a UPS holding a UAA client: kind, apps, age from the last credentials change, due by policy', () => {
    const s = snapshot({
      apps: [
        app({guid: 'app-1', name: 'billing-api'}),
        app({guid: 'app-2', name: 'billing-web', state: 'STOPPED'}),
      ],
      serviceInstances: [ups({createdAt: ago(400)})],
      bindings: [binding({guid: 'b1', appGuid: 'app-1'}), binding({guid: 'b2', appGuid: 'app-2'})],
      auditEvents: [
        auditEvent({createdAt: ago(95)}),
        auditEvent({guid: 'ev-2', createdAt: ago(10), requestKeys: ['metadata']}),
      ],
      uaaClients: [uaaClient('billing-client')],
    })
    const [c, ...rest] = rotationCandidates(s, DEFAULT_POLICY, NOW)
    expect(rest).to.deep.equal([])
    expect(c!.kind).to.equal('ups-uaa')
    expect(c!.clientId).to.equal('billing-client')
    expect(c!.apps.map((a) => a.name)).to.deep.equal(['billing-api', 'billing-web'])
    // The metadata-only update 10 days ago is not a credential change.
    expect(c!.changedAt).to.equal(ago(95))
    expect(c!.changedFrom).to.equal('audit-event')
    expect(c!.ageDays).to.equal(95)
    expect(c!.dueAt).to.equal(ago(5))
    expect(c!.due).to.equal(true)
    expect(c!.state).to.deep.equal({status: 'idle'})
  })

  it('--older-than and --max-age move the due date; a younger credential is not due', () => {
    const s = snapshot({
      serviceInstances: [ups({annotations: {'cfguard.io/credentials-updated-at': ago(40)}})],
      uaaClients: [uaaClient('billing-client')],
    })
    expect(rotationCandidates(s, DEFAULT_POLICY, NOW)[0]!.due).to.equal(false)
    expect(rotationCandidates(s, DEFAULT_POLICY, NOW, {olderThanMs: 30 * DAY})[0]!.due).to.equal(true)
    expect(rotationCandidates(s, {...DEFAULT_POLICY, maxCredentialAgeDays: 30}, NOW)[0]!.due).to.equal(true)
    expect(rotationCandidates(s, DEFAULT_POLICY, NOW, {maxAgeMs: 60 * DAY})[0]!.dueAt).to.equal(
      new Date(Date.parse(ago(40)) + 60 * DAY).toISOString(),
    )
  })

  it('drift: running instances that started before the last change', () => {
    const s = snapshot({
      apps: [app({guid: 'app-1'})],
      processes: [
        proc({
          actual: [
            instance({index: 0, since: ago(20)}),
            instance({index: 1, since: ago(2)}),
            instance({index: 2, since: ago(30), state: 'CRASHED'}),
          ],
        }),
      ],
      serviceInstances: [ups({annotations: {'cfguard.io/credentials-updated-at': ago(5)}})],
      bindings: [binding()],
      uaaClients: [uaaClient('billing-client')],
    })
    expect(rotationCandidates(s, DEFAULT_POLICY, NOW)[0]!.drift).to.deep.equal({
      instances: 1,
      apps: ['billing-api'],
    })
  })

  it('a client not at this UAA (clients readable) is another identity provider; cron leaves it to a person', () => {
    const s = snapshot({serviceInstances: [ups()], uaaClients: [uaaClient('someone-else')]})
    const [c] = rotationCandidates(s, DEFAULT_POLICY, NOW)
    expect(c!.kind).to.equal('ups-external')
    expect(cronCanRotate(c!, false)).to.match(/identity provider/)
  })

  it('without clients.read the kind of a UPS stays unknown', () => {
    const s = snapshot({serviceInstances: [ups()], access: access({uaaClients: {state: 'none', why: '403'}})})
    expect(rotationCandidates(s, DEFAULT_POLICY, NOW)[0]!.kind).to.equal(null)
  })

  it('unread credentials: identity from the name, the client id from cfguard’s annotation', () => {
    const s = snapshot({
      serviceInstances: [
        ups({credentials: null, credentialsRead: 'skipped'}),
        ups({guid: 'si-2', name: 'smtp-relay', credentials: null, credentialsRead: 'skipped'}),
        ups({
          guid: 'si-3',
          name: 'partner-creds',
          credentials: null,
          credentialsRead: 'skipped',
          annotations: {'cfguard.io/client-id': 'partner'},
        }),
      ],
      uaaClients: [uaaClient('partner')],
    })
    const out = rotationCandidates(s, DEFAULT_POLICY, NOW)
    expect(out.map((c) => [c.serviceInstance.name, c.clientId, c.kind])).to.deep.equal([
      ['billing-oidc', null, null],
      ['partner-creds', 'partner', 'ups-uaa'],
    ])
  })

  it('not identity (a database UPS) and cfguard’s own rotation state are no candidates', () => {
    const s = snapshot({
      serviceInstances: [
        ups({
          guid: 'si-db',
          name: 'orders-db',
          credentials: oidcCredentials({shape: 'secret-bearing', clientId: null}),
        }),
        ups({
          guid: 'si-state',
          name: 'cfguard-rotation-si-1',
          labels: {'cfguard.io/role': 'rotation-state'},
        }),
      ],
    })
    expect(rotationCandidates(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })

  it('managed SSO bindings: one candidate per instance, aged by the oldest binding apps use', () => {
    const s = snapshot({
      ...catalogue,
      apps: [app({guid: 'app-1', name: 'a'}), app({guid: 'app-2', name: 'b'})],
      serviceInstances: [managed()],
      bindings: [
        binding({
          guid: 'b1',
          appGuid: 'app-1',
          serviceInstanceGuid: 'msi-1',
          createdAt: ago(100),
          credentials: null,
          credentialsRead: 'skipped',
        }),
        binding({
          guid: 'b2',
          appGuid: 'app-2',
          serviceInstanceGuid: 'msi-1',
          createdAt: ago(20),
          credentials: null,
          credentialsRead: 'skipped',
        }),
        // An older binding of app-2 still kept (grace): apps do not use it.
        binding({
          guid: 'b0',
          appGuid: 'app-2',
          serviceInstanceGuid: 'msi-1',
          createdAt: ago(200),
          credentials: null,
          credentialsRead: 'skipped',
        }),
        binding({
          guid: 'k1',
          type: 'key',
          appGuid: null,
          name: 'ci',
          serviceInstanceGuid: 'msi-1',
          createdAt: ago(50),
          credentials: null,
          credentialsRead: 'skipped',
        }),
      ],
    })
    const out = rotationCandidates(s, DEFAULT_POLICY, NOW)
    expect(out.map((c) => [c.kind, c.keyName, c.ageDays, c.due])).to.deep.equal([
      ['managed-binding', null, 100, true],
      ['service-key', 'ci', 50, false],
    ])
    expect(out[0]!.apps.map((a) => a.name)).to.deep.equal(['a', 'b'])
    expect(cronCanRotate(out[1]!, false)).to.match(/--output DIR/)
    expect(cronCanRotate(out[1]!, true)).to.equal(null)
  })

  it('rotation state from cfguard’s marks: lease, rotation state companion, journal, grace', () => {
    const lease = JSON.stringify({
      owner: 'ops@host',
      rotation_id: 'r1',
      token: 't',
      acquired_at: ago(0.01),
      expires_at: new Date(NOW.getTime() + 5 * 60_000).toISOString(),
    })
    const s = snapshot({
      ...catalogue,
      apps: [app({guid: 'app-1'})],
      serviceInstances: [
        ups({guid: 'si-leased', name: 'a-oidc', annotations: {'cfguard.io/lease': lease}}),
        ups({guid: 'si-run', name: 'b-oidc', annotations: {'cfguard.io/credentials-updated-at': ago(1)}}),
        ups({
          guid: 'st-run',
          name: 'cfguard-rotation-si-run',
          labels: {'cfguard.io/role': 'rotation-state'},
          annotations: {'cfguard.io/rotation-id': 'r2', 'cfguard.io/started-at': ago(2)},
        }),
        ups({
          guid: 'si-grace',
          name: 'c-oidc',
          annotations: {'cfguard.io/retire-after': ago(1), 'cfguard.io/rotation-id': 'r3'},
        }),
        ups({guid: 'si-bad', name: 'd-oidc', annotations: {'cfguard.io/lease': '{not json'}}),
        managed({
          annotations: {
            'cfguard.io/rotation-journal': JSON.stringify({
              rotation_id: 'r4',
              kind: 'managed-binding',
              started_at: ago(1),
              apps: ['app-1'],
              key_name: null,
            }),
          },
        }),
      ],
      bindings: [
        binding({guid: 'b1', serviceInstanceGuid: 'msi-1', credentials: null, credentialsRead: 'skipped'}),
      ],
    })
    const states = Object.fromEntries(
      rotationCandidates(s, DEFAULT_POLICY, NOW).map((c) => [c.serviceInstance.name, c.state]),
    )
    expect(states['a-oidc']).to.include({status: 'leased', owner: 'ops@host'})
    expect(states['b-oidc']).to.deep.equal({status: 'in-progress', phase: 'updated', rotationId: 'r2'})
    expect(states['c-oidc']).to.deep.equal({status: 'grace', until: ago(1), over: true})
    expect(states['d-oidc']).to.include({status: 'needs-human'})
    expect(states['billing-sso']).to.deep.equal({status: 'in-progress', phase: 'started', rotationId: 'r4'})
  })

  it('--selector keeps only instances whose labels match', () => {
    const s = snapshot({
      serviceInstances: [ups({labels: {rotation: 'nightly'}}), ups({guid: 'si-2', name: 'other-oidc'})],
    })
    const out = rotationCandidates(s, DEFAULT_POLICY, NOW, {selector: 'rotation=nightly'})
    expect(out.map((c) => c.serviceInstance.name)).to.deep.equal(['billing-oidc'])
  })
})

describe('unjudged services: what only the credentials could tell', () => {
  // `ignition-config` holds a client, `smtp-relay` a mail password: their names say nothing.
  const unread = {credentials: null, credentialsRead: 'skipped' as const}
  const s = snapshot({
    apps: [app({guid: 'app-1', name: 'ignition'})],
    serviceInstances: [
      ups({guid: 'si-1', name: 'ignition-config', ...unread}),
      ups({guid: 'si-2', name: 'smtp-relay', ...unread}),
      ups({guid: 'si-3', name: 'billing-oidc', ...unread}),
      ups({guid: 'si-4', name: 'ledger', ...unread, annotations: {'cfguard.io/client-id': 'ledger'}}),
      managed({guid: 'msi-2', name: 'orders-db', planGuid: 'plan-db'}),
    ],
    bindings: [
      binding({guid: 'b1', serviceInstanceGuid: 'si-1', ...unread}),
      binding({guid: 'b2', serviceInstanceGuid: 'msi-2', ...unread}),
    ],
    servicePlans: [{guid: 'plan-db', name: 'small', offeringGuid: 'off-db'}],
    serviceOfferings: [{guid: 'off-db', name: 'postgres', description: 'SQL', tags: [], brokerName: null}],
  })

  it('lists unread services without an identity word or cfguard mark, once per instance', () => {
    expect(unjudgedServices(s).map((u) => [u.serviceInstance.name, u.read])).to.deep.equal([
      ['ignition-config', 'skipped'],
      ['orders-db', 'skipped'],
      ['smtp-relay', 'skipped'],
    ])
    // Not candidates either: listing them as rotatable would be a guess.
    expect(rotationCandidates(s, DEFAULT_POLICY, NOW).map((c) => c.serviceInstance.name)).to.deep.equal([
      'billing-oidc',
      'ledger',
    ])
    expect(unjudgedServices(s, 'team=payments')).to.deep.equal([])
  })

  it('once read, a client makes it a candidate, anything else drops it, a denial keeps it unjudged', () => {
    const judged = withUpsCredentials(
      s,
      new Map([
        ['si-1', {read: 'read' as const, view: oidcCredentials({clientId: 'ignition'})}],
        ['si-2', {read: 'read' as const, view: oidcCredentials({shape: 'secret-bearing', clientId: null})}],
        ['si-4', {read: 'denied' as const, view: null}],
      ]),
    )
    expect(s.serviceInstances[0]!.credentialsRead).to.equal('skipped', 'the input is not changed')
    const names = rotationCandidates(judged, DEFAULT_POLICY, NOW).map((c) => [
      c.serviceInstance.name,
      c.clientId,
    ])
    expect(names).to.deep.equal([
      ['billing-oidc', null],
      ['ignition-config', 'ignition'],
      ['ledger', 'ledger'],
    ])
    expect(unjudgedServices(judged).map((u) => u.serviceInstance.name)).to.deep.equal(['orders-db'])
  })

  it('gaps count per kind and reason', () => {
    const gaps = unjudgedGaps(unjudgedServices(s), {ups: 'not read here', managed: 'details not read'})
    expect(gaps).to.deep.equal([
      {
        what: '2 user-provided service(s) not judged (no identity word in name, tags or labels)',
        why: 'not read here',
      },
      {
        what: '1 managed service instance(s) not judged (offering not recognised as identity)',
        why: 'details not read',
      },
    ])
  })
})
