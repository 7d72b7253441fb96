import {expect} from 'chai'

import {
  CREDENTIALS_UPDATED_AT_ANNOTATION,
  ROTATED_AT_ANNOTATION,
  SECRET_SET_AT_ANNOTATION,
  credentialUnits,
  identityUnits,
  lastCredentialChange,
} from '../../../../src/derive/identity.js'
import {managed, offering, plan, serviceKey, unreadUps} from '../../../helpers/identity-fixtures.js'
import {app, auditEvent, binding, oidcCredentials, snapshot, ups} from '../../../helpers/snapshot.js'

describe('identity helpers', () => {
  it('one unit per UPS (not per binding), per managed binding and per key', () => {
    const s = snapshot({
      apps: [app(), app({guid: 'app-2', name: 'billing-worker'})],
      servicePlans: [plan()],
      serviceOfferings: [offering()],
      serviceInstances: [ups(), managed()],
      bindings: [
        binding({guid: 'b-ups-1'}),
        binding({guid: 'b-ups-2', appGuid: 'app-2'}),
        binding({guid: 'b-sso', serviceInstanceGuid: 'si-sso', credentials: null, credentialsRead: 'denied'}),
        serviceKey(),
      ],
    })
    const units = credentialUnits(s)
    expect(units.map((u) => [u.guid, u.source, u.identity])).to.deep.equal([
      ['b-sso', 'binding', 'yes'],
      ['key-1', 'key', 'yes'],
      ['si-1', 'user-provided', 'yes'],
    ])
    expect(units.find((u) => u.guid === 'si-1')?.appBindings.map((b) => b.guid)).to.deep.equal([
      'b-ups-1',
      'b-ups-2',
    ])
  })

  it('identity is unknown for unread credentials without hints, yes with a hint, no for other shapes', () => {
    const s = snapshot({
      serviceInstances: [
        unreadUps({guid: 'si-a', name: 'config'}),
        unreadUps({guid: 'si-b', name: 'orders-oidc'}),
        ups({
          guid: 'si-c',
          name: 'db',
          credentials: oidcCredentials({shape: 'secret-bearing', clientId: null}),
        }),
      ],
    })
    expect(credentialUnits(s).map((u) => u.identity)).to.deep.equal(['unknown', 'yes', 'no'])
    expect(identityUnits(s).map((u) => u.guid)).to.deep.equal(['si-b'])
  })

  it('last change: newest credential-carrying UPS event or credentials-updated-at, never updated_at or rotated-at', () => {
    const si = ups({
      updatedAt: '2026-11-27T00:00:00Z',
      annotations: {
        [CREDENTIALS_UPDATED_AT_ANNOTATION]: '2026-09-01T00:00:00Z',
        // A rotation records its end after the apps were rolled: not when the credentials changed.
        [ROTATED_AT_ANNOTATION]: '2026-09-01T00:20:00Z',
      },
    })
    const s = snapshot({
      serviceInstances: [si],
      auditEvents: [
        auditEvent({guid: 'e1', createdAt: '2026-08-01T00:00:00Z'}),
        auditEvent({guid: 'e2', createdAt: '2026-10-01T00:00:00Z', requestKeys: ['tags']}),
        auditEvent({
          guid: 'e3',
          createdAt: '2026-10-05T00:00:00Z',
          target: {guid: 'other', type: 'x', name: 'x'},
        }),
      ],
    })
    const [unit] = credentialUnits(s)
    expect(lastCredentialChange(s, unit!)).to.deep.equal({
      at: '2026-09-01T00:00:00Z',
      source: 'annotation',
      setAt: '2026-09-01T00:00:00Z',
      setAtSource: 'annotation',
    })
    const withEvent = snapshot({
      serviceInstances: [si],
      auditEvents: [auditEvent({createdAt: '2026-10-02T00:00:00Z'})],
    })
    expect(lastCredentialChange(withEvent, credentialUnits(withEvent)[0]!)).to.deep.equal({
      at: '2026-10-02T00:00:00Z',
      source: 'audit-event',
      setAt: '2026-10-02T00:00:00Z',
      setAtSource: 'audit-event',
    })
    const onlyRotatedAt = snapshot({
      serviceInstances: [ups({annotations: {[ROTATED_AT_ANNOTATION]: '2026-09-01T00:00:00Z'}})],
    })
    expect(lastCredentialChange(onlyRotatedAt, credentialUnits(onlyRotatedAt)[0]!).at).to.equal(null)
    const none = snapshot({serviceInstances: [ups({updatedAt: '2026-11-27T00:00:00Z'})]})
    expect(lastCredentialChange(none, credentialUnits(none)[0]!)).to.deep.equal({
      at: null,
      source: null,
      setAt: null,
      setAtSource: null,
    })
  })

  it("after a rollback: changed when the rollback wrote the credentials, aged from the restored secret's time", () => {
    const rolledBack = ups({
      annotations: {
        [CREDENTIALS_UPDATED_AT_ANNOTATION]: '2026-11-20T10:00:00Z',
        [SECRET_SET_AT_ANNOTATION]: '2026-08-01T00:00:00Z',
      },
    })
    // The rollback's own PATCH event, a few seconds off cfguard's clock: the same write.
    const own = auditEvent({createdAt: '2026-11-20T10:00:03Z'})
    const s = snapshot({serviceInstances: [rolledBack], auditEvents: [own]})
    expect(lastCredentialChange(s, credentialUnits(s)[0]!)).to.deep.equal({
      at: '2026-11-20T10:00:03Z',
      source: 'audit-event',
      setAt: '2026-08-01T00:00:00Z',
      setAtSource: 'annotation',
    })
    // A change made outside cfguard afterwards is a new secret: its time is both.
    const later = auditEvent({guid: 'e-later', createdAt: '2026-11-25T00:00:00Z'})
    const changed = snapshot({serviceInstances: [rolledBack], auditEvents: [own, later]})
    expect(lastCredentialChange(changed, credentialUnits(changed)[0]!)).to.deep.include({
      at: '2026-11-25T00:00:00Z',
      setAt: '2026-11-25T00:00:00Z',
    })
    // A restored secret of unrecorded age: the change is known, the age is not.
    const unknown = snapshot({
      serviceInstances: [
        ups({
          annotations: {
            [CREDENTIALS_UPDATED_AT_ANNOTATION]: '2026-11-20T10:00:00Z',
            [SECRET_SET_AT_ANNOTATION]: 'unknown',
          },
        }),
      ],
    })
    expect(lastCredentialChange(unknown, credentialUnits(unknown)[0]!)).to.deep.equal({
      at: '2026-11-20T10:00:00Z',
      source: 'annotation',
      setAt: null,
      setAtSource: null,
    })
  })

  it('managed bindings: created_at is the last change; only the newest succeeded binding per app is active', () => {
    const s = snapshot({
      apps: [app()],
      servicePlans: [plan()],
      serviceOfferings: [offering()],
      serviceInstances: [managed()],
      bindings: [
        binding({guid: 'old', serviceInstanceGuid: 'si-sso', createdAt: '2026-01-01T00:00:00Z'}),
        binding({guid: 'new', serviceInstanceGuid: 'si-sso', createdAt: '2026-11-01T00:00:00Z'}),
        binding({
          guid: 'newest-failed',
          serviceInstanceGuid: 'si-sso',
          createdAt: '2026-11-20T00:00:00Z',
          lastOperation: {type: 'create', state: 'failed'},
        }),
      ],
    })
    const units = credentialUnits(s)
    expect(units.map((u) => [u.guid, u.active])).to.deep.equal([
      ['new', true],
      ['old', false],
    ])
    expect(lastCredentialChange(s, units[0]!)).to.deep.equal({
      at: '2026-11-01T00:00:00Z',
      source: 'created',
      setAt: '2026-11-01T00:00:00Z',
      setAtSource: 'created',
    })
  })
})
