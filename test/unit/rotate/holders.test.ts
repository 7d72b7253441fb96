import {expect} from 'chai'

import {findHolders} from '../../../src/actions/credentials/holders.js'
import {deriveRollbackPhase, deriveUpsPhase, type UpsFacts} from '../../../src/rotate/phase.js'
import {sharedRefusals, type Holder, type HolderScan} from '../../../src/rotate/holders.js'
import {envVar, managed, offering, plan, serviceKey} from '../../helpers/identity-fixtures.js'
import {access, app, appEnv, binding, oidcCredentials, snapshot, space, ups} from '../../helpers/snapshot.js'

const staging = space({guid: 'space-2', name: 'staging'})
const target = ups({guid: 'si-dev', name: 'billing-oidc'})

describe('findHolders: who else holds the client a rotation changes', () => {
  it('finds a copy in another space by client id, with its bound apps; not the target itself', () => {
    const s = snapshot({
      spaces: [space(), staging],
      apps: [app(), app({guid: 'app-2', name: 'billing-staging', spaceGuid: 'space-2'})],
      serviceInstances: [
        target,
        ups({
          guid: 'si-stg',
          spaceGuid: 'space-2',
          credentials: oidcCredentials({secretFingerprint: 'hmac:other'}),
        }),
      ],
      bindings: [
        binding({guid: 'b-1', serviceInstanceGuid: 'si-dev'}),
        binding({guid: 'b-2', appGuid: 'app-2', serviceInstanceGuid: 'si-stg'}),
      ],
    })
    const scan = findHolders(s, 'si-dev')
    expect(scan.clientId).to.equal('billing-client')
    expect(scan.fingerprint).to.equal('hmac:aaaa')
    expect(scan.holders).to.deep.equal([
      {
        kind: 'user-provided',
        guid: 'si-stg',
        name: 'billing-oidc',
        space: 'acme/staging',
        apps: ['billing-staging'],
        match: 'client-id',
        secretFingerprint: 'hmac:other',
      },
    ] satisfies Holder[])
    expect(scan.unseen).to.deep.equal([])
  })

  it('finds the same secret under another client id, in a managed binding, a key and an env var', () => {
    const s = snapshot({
      apps: [app(), app({guid: 'app-9', name: 'legacy-cron'})],
      serviceOfferings: [offering()],
      servicePlans: [plan()],
      serviceInstances: [
        target,
        ups({guid: 'si-x', name: 'renamed', credentials: oidcCredentials({clientId: 'alias'})}),
        managed(),
        ups({
          guid: 'si-db',
          name: 'billing-db',
          credentials: oidcCredentials({clientId: 'db', secretFingerprint: 'hmac:db'}),
        }),
      ],
      bindings: [
        binding({guid: 'b-sso', appGuid: 'app-1', serviceInstanceGuid: 'si-sso'}),
        serviceKey({credentials: oidcCredentials({clientId: 'ci', secretFingerprint: 'hmac:aaaa'})}),
      ],
      env: [appEnv({appGuid: 'app-9', variables: [envVar({name: 'OIDC_SECRET', fingerprint: 'hmac:aaaa'})]})],
    })
    const scan = findHolders(s, 'si-dev')
    const found = scan.holders.map((h) => `${h.kind} ${h.name} ${h.match}`)
    expect(found).to.deep.equal([
      'binding billing-sso/billing-api client-id',
      'key billing-sso/ci-key secret',
      'env legacy-cron:OIDC_SECRET secret',
      'user-provided renamed secret',
    ])
    expect(found.join()).to.not.contain('billing-db')
  })

  it("skips cfguard's own rotation-state services, and says where it could not look", () => {
    const s = snapshot({
      serviceInstances: [
        target,
        ups({
          guid: 'si-state',
          name: 'cfguard-rotation-si-dev',
          labels: {'cfguard.io/role': 'rotation-state'},
        }),
      ],
      access: access({
        upsCredentials: {state: 'partial', why: '403 CF-NotAuthorized in 2 spaces (space auditor)'},
        env: {state: 'none', why: '--no-secrets'},
      }),
    })
    const scan = findHolders(s, 'si-dev')
    expect(scan.holders).to.deep.equal([])
    expect(scan.unseen).to.deep.equal([
      'credentials of user-provided services: 403 CF-NotAuthorized in 2 spaces (space auditor)',
      'app environment variables: --no-secrets',
    ])
  })
})

const holder = (o: Partial<Holder>): Holder => ({
  kind: 'user-provided',
  guid: 'si-stg',
  name: 'billing-oidc',
  space: 'acme/staging',
  apps: ['billing-staging'],
  match: 'client-id',
  secretFingerprint: 'hmac:aaaa',
  ...o,
})
const scanOf = (holders: Holder[]): HolderScan => ({
  clientId: 'billing-client',
  fingerprint: 'hmac:aaaa',
  holders,
  unseen: [],
  spaceNames: {},
})

describe('sharedRefusals', () => {
  const base = {targetName: 'billing-oidc', followers: [], keptFingerprint: null}

  it('rotate without --include-shared refuses while anyone else holds the client, suggesting the flag', () => {
    const [r, ...rest] = sharedRefusals({
      ...base,
      action: 'rotate',
      scan: scanOf([holder({})]),
      includeShared: false,
    })
    expect(rest).to.deep.equal([])
    expect(r!.message).to.contain(
      'also held by 1 other place: user-provided service billing-oidc in acme/staging',
    )
    expect(r!.suggestions[0]).to.equal(
      'rotate them together: cfguard credentials rotate billing-oidc --include-shared',
    )
  })

  it('no holder, no refusal; --include-shared with only services, no refusal', () => {
    expect(sharedRefusals({...base, action: 'rotate', scan: scanOf([]), includeShared: false})).to.deep.equal(
      [],
    )
    expect(
      sharedRefusals({...base, action: 'rotate', scan: scanOf([holder({})]), includeShared: true}),
    ).to.deep.equal([])
  })

  it('an env var or a key cannot be updated: refused even with --include-shared, unless it holds the kept secret', () => {
    const env = holder({kind: 'env', name: 'legacy:SECRET', secretFingerprint: 'hmac:aaaa'})
    const refused = sharedRefusals({...base, action: 'rotate', scan: scanOf([env]), includeShared: true})
    expect(refused).to.have.length(1)
    expect(refused[0]!.message).to.contain('env var legacy:SECRET in acme/staging')
    // retire: an env var already on the new secret does not stop it
    expect(
      sharedRefusals({
        ...base,
        action: 'retire',
        scan: scanOf([env]),
        includeShared: false,
        keptFingerprint: 'hmac:aaaa',
      }),
    ).to.deep.equal([])
    expect(
      sharedRefusals({
        ...base,
        action: 'retire',
        scan: scanOf([env]),
        includeShared: false,
        keptFingerprint: 'hmac:new',
      }),
    ).to.have.length(1)
  })

  it('a follower holding neither secret needs a person', () => {
    const [r] = sharedRefusals({
      ...base,
      action: 'rotate',
      scan: scanOf([holder({})]),
      includeShared: true,
      followers: [{guid: 'si-stg', name: 'billing-oidc', space: 'acme/staging', holds: 'other'}],
    })
    expect(r!.needsHuman).to.equal(true)
  })
})

describe('phases with followers', () => {
  const facts = (o: Partial<UpsFacts>): UpsFacts => ({
    kind: 'ups-uaa',
    store: {rotationId: 'r1', startedAt: '2026-11-28T12:00:00.000Z'},
    current: 'pending',
    currentProbe: null,
    pendingProbe: 'accepted',
    previousProbe: 'accepted',
    credentialsUpdatedAt: '2026-11-28T12:01:00.000Z',
    instancesFresh: true,
    recordedRotationId: null,
    retireAfter: null,
    secretsRead: true,
    followersOn: {previous: 0, pending: 0},
    ...o,
  })

  it('a follower left on the previous secret sends the rotation back to the credentials step', () => {
    expect(deriveUpsPhase(facts({})).phase).to.equal('rolled')
    const back = deriveUpsPhase(facts({followersOn: {previous: 1, pending: 0}}))
    expect(back.phase).to.equal('added')
    expect(back.reason).to.contain('1 other service holding the client still hold the previous one')
  })

  it('a follower still on a secret UAA already rejects needs a person', () => {
    expect(
      deriveUpsPhase(facts({previousProbe: 'rejected', followersOn: {previous: 2, pending: 0}})).phase,
    ).to.equal('needs-human')
  })

  it('rollback: a follower still on the new secret sends it back to the restore step', () => {
    const restored = facts({current: 'previous', credentialsUpdatedAt: '2026-11-28T12:05:00.000Z'})
    expect(deriveRollbackPhase(restored).phase).to.equal('rb-rolled')
    expect(deriveRollbackPhase({...restored, followersOn: {previous: 0, pending: 1}}).phase).to.equal(
      'rb-ready',
    )
  })
})
