import {expect} from 'chai'

import {
  decodeJournal,
  decodeLease,
  decodeRotationRecord,
  encodeJournal,
  encodeLease,
  encodeRotationRecord,
  changeMarker,
  secretSetAtOf,
} from '../../../src/rotate/annotations.js'
import {ANNOTATION} from '../../../src/model/annotations.js'
import {simulateSteps, stepCatalog} from '../../../src/rotate/catalog.js'
import {locateSecret, secretAt, secretLeaves, withSecret} from '../../../src/rotate/credentials.js'
import {decodeStore, encodeStore} from '../../../src/rotate/store.js'
import {compareVersions} from '../../../src/rotate/versions.js'

describe('credential locator', () => {
  it('finds the client id and secret at the top level or nested (XSUAA), and replaces only the secret', () => {
    const flat = {client_id: 'a', client_secret: 's1', issuer: 'https://uaa/oauth/token', other: {x: 1}}
    const loc = locateSecret(flat)!
    expect([loc.path, loc.idKey, loc.secretKey, loc.clientId, loc.issuer]).to.deep.equal([
      [],
      'client_id',
      'client_secret',
      'a',
      'https://uaa/oauth/token',
    ])
    expect(withSecret(flat, loc, 's2')).to.deep.equal({...flat, client_secret: 's2'})
    expect(flat.client_secret).to.equal('s1', 'the input is not mutated')

    const xsuaa = {uaa: {clientid: 'sb-app', clientsecret: 'x1', url: 'https://auth'}, tag: 'xsuaa'}
    const nested = locateSecret(xsuaa)!
    expect(nested.path).to.deep.equal(['uaa'])
    expect(nested.issuer).to.equal(null, 'a generic url is not taken for an identity provider')
    expect(secretAt(withSecret(xsuaa, nested, 'x2'), nested)).to.equal('x2')
    expect(locateSecret({uri: 'postgres://db'})).to.equal(null)
  })

  it('lists values under secret-sounding keys only', () => {
    expect(
      secretLeaves({client_id: 'id', client_secret: 'sec', nested: {password: 'pw', host: 'h'}}).sort(),
    ).to.deep.equal(['pw', 'sec'])
  })
})

describe('annotation and state codecs', () => {
  it('round-trips leases and journals; unreadable leases are null, absent ones undefined', () => {
    const lease = {
      owner: 'o',
      rotationId: 'r',
      token: 't',
      acquiredAt: '2026-01-01T00:00:00Z',
      expiresAt: '2026-01-01T00:10:00Z',
    }
    expect(decodeLease(encodeLease(lease))).to.deep.equal(lease)
    expect(decodeLease(undefined)).to.equal(undefined)
    expect(decodeLease('{not json')).to.equal(null)
    expect(decodeLease('{"owner":"o"}')).to.equal(null)
    const journal = {
      rotationId: 'r',
      kind: 'managed-binding' as const,
      startedAt: 't',
      apps: ['a', 'b'],
      keyName: null,
    }
    expect(decodeJournal(encodeJournal(journal))).to.deep.equal(journal)
    expect(decodeJournal('{"kind":"other"}')).to.equal(null)
  })

  it('stores pending state under keys that are not identity-shaped', () => {
    const state = {
      rotationId: 'r',
      kind: 'ups-uaa' as const,
      targetGuid: 'g',
      clientId: 'c',
      startedAt: 't',
      pending: 'p-secret',
      previous: 'v-secret',
    }
    const encoded = encodeStore(state)
    expect(Object.keys(encoded)).to.not.include.members(['client_id', 'client_secret', 'clientid', 'issuer'])
    expect(locateSecret(encoded)).to.equal(null)
    expect(decodeStore(encoded)).to.deep.equal(state)
    expect(decodeStore({...encoded, cfguard_rotation_state: '2'})).to.equal(null)
  })

  it('change markers are valid label values', () => {
    expect(changeMarker('2026-11-28T12:00:01.123Z')).to.equal('20261128T120001123Z')
    expect(changeMarker('2026-11-28T12:00:01.123Z')).to.match(
      /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/,
    )
  })

  it('compares CC versions numerically', () => {
    expect(compareVersions('3.205.0', '3.99.9')).to.equal(1)
    expect(compareVersions('3.205', '3.205.0')).to.equal(0)
    expect(compareVersions('3.204.9', '3.205.0')).to.equal(-1)
  })
})

describe('step catalog', () => {
  it('every action/kind pair has a lease first and a finalize last', () => {
    for (const action of ['rotate', 'retire', 'rollback'] as const) {
      for (const kind of ['ups-uaa', 'ups-external', 'managed-binding', 'service-key'] as const) {
        const specs = stepCatalog(action, kind)
        if (specs === null) {
          expect(action).to.equal('rollback')
          continue
        }
        expect(specs[0]!.id).to.equal('lease')
        expect(specs.at(-1)!.id).to.equal('finalize')
      }
    }
  })

  it('simulates a sequence from any phase', () => {
    const specs = stepCatalog('rotate', 'service-key')!
    expect(simulateSteps(specs, 'created', {grace: false}).map((s) => s.run)).to.deep.equal([
      true,
      false,
      false,
      true,
      true,
      true,
    ])
    expect(simulateSteps(specs, 'idle', {grace: true}).find((s) => s.id === 'delete-old-keys')!.run).to.equal(
      false,
    )
  })
})

describe('what a rollback puts back', () => {
  const A = ANNOTATION
  it('secretSetAtOf: the time the secret held now was put in place, from marks and the audit trail', () => {
    // cfguard's mark, no later change.
    expect(secretSetAtOf({[A.credentialsUpdatedAt]: '2026-09-01T00:00:00Z'}, null)).to.equal(
      '2026-09-01T00:00:00Z',
    )
    // Its own PATCH event a moment later is the same write; a mark from a rollback keeps the older time.
    const rolledBack = {
      [A.credentialsUpdatedAt]: '2026-11-20T10:00:00Z',
      [A.secretSetAt]: '2026-08-01T00:00:00Z',
    }
    expect(secretSetAtOf(rolledBack, '2026-11-20T10:00:02Z')).to.equal('2026-08-01T00:00:00Z')
    expect(secretSetAtOf({...rolledBack, [A.secretSetAt]: 'unknown'}, null)).to.equal('unknown')
    // Changed outside cfguard later (cf update-user-provided-service): that event.
    expect(secretSetAtOf(rolledBack, '2026-11-25T00:00:00Z')).to.equal('2026-11-25T00:00:00Z')
    // Never rotated by cfguard: the audit trail, or unknown once it was pruned.
    expect(secretSetAtOf({[A.rotatedAt]: '2026-11-01T00:00:00Z'}, '2026-10-01T00:00:00Z')).to.equal(
      '2026-10-01T00:00:00Z',
    )
    expect(secretSetAtOf({}, null)).to.equal('unknown')
  })

  it('the rotation record round-trips; keys the target did not have are deleted on restore', () => {
    const before = {[A.rotatedAt]: '2026-10-01T00:00:00Z', [A.rotatedBy]: 'ops', other: 'x'}
    expect(decodeRotationRecord(encodeRotationRecord(before))).to.deep.equal({
      [A.rotatedAt]: '2026-10-01T00:00:00Z',
      [A.rotatedBy]: 'ops',
      [A.rotatedKind]: null,
      [A.rotationId]: null,
    })
    expect(decodeRotationRecord(encodeRotationRecord({}))).to.deep.equal({
      [A.rotatedAt]: null,
      [A.rotatedBy]: null,
      [A.rotatedKind]: null,
      [A.rotationId]: null,
    })
    expect(decodeRotationRecord(undefined)).to.equal(null)
    expect(decodeRotationRecord('{not json')).to.equal(null)
  })
})
