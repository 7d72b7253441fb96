import {expect} from 'chai'

import {encodeLease} from '../../../src/rotate/annotations.js'
import {ANNOTATION} from '../../../src/model/annotations.js'
import type {Observation, UpsObservation} from '../../../src/rotate/observe.js'
import {planRotation, type PlanOptions} from '../../../src/rotate/plan.js'
import type {AppInfo, DeploymentInfo} from '../../../src/rotate/platform.js'

const NOW = new Date('2026-11-28T12:00:00.000Z')
const OPTIONS: PlanOptions = {
  owner: 'ops@host-a',
  maxInFlight: 1,
  parallelApps: 4,
  graceMs: null,
  timeoutMs: 600_000,
  allowDowntime: false,
  force: false,
  secretSupplied: false,
  keySinkGiven: false,
  minIntervalMs: 600_000,
  includeShared: false,
}

const app = (name: string, over: Partial<AppInfo> = {}): AppInfo => ({
  guid: `${name}-guid`,
  name,
  state: 'STARTED',
  spaceGuid: 'space',
  processTypes: ['web'],
  webInstances: [
    {index: 0, instanceGuid: 'a', state: 'RUNNING', since: '2026-10-01T00:00:00.000Z'},
    {index: 1, instanceGuid: 'b', state: 'RUNNING', since: '2026-10-01T00:00:00.000Z'},
  ],
  ...over,
})

const upsFacts = (over: Partial<UpsObservation> = {}): UpsObservation => ({
  kind: 'ups-uaa',
  store: null,
  current: 'no-store',
  currentProbe: 'accepted',
  pendingProbe: null,
  previousProbe: null,
  credentialsUpdatedAt: null,
  instancesFresh: false,
  recordedRotationId: null,
  retireAfter: null,
  clientId: 'billing-client',
  currentFingerprint: 'hmac:0000aaaa',
  pendingFingerprint: null,
  previousFingerprint: null,
  tokenEndpoint: null,
  issuer: null,
  uaaClient: {clientId: 'billing-client', authorizedGrantTypes: ['authorization_code']},
  callerScopes: ['clients.secret'],
  storeGuid: null,
  foreignStore: false,
  secretsRead: true,
  followers: [],
  followersOn: {previous: 0, pending: 0},
  ...over,
})

const observation = (over: Partial<Observation> = {}): Observation => ({
  target: {
    guid: 'ups-guid',
    name: 'billing-oidc',
    type: 'user-provided',
    spaceGuid: 'space',
    labels: {},
    annotations: {},
    updatedAt: '2026-01-01T00:00:00Z',
  },
  ccVersion: '3.228.0',
  shared: null,
  lease: undefined,
  kind: 'ups-uaa',
  problem: null,
  apps: [
    app('billing-api', {processTypes: ['web', 'worker']}),
    app('billing-batch', {state: 'STOPPED', webInstances: []}),
  ],
  activeDeployments: [],
  changeDeployments: [],
  rotatedAt: null,
  rotatedKind: null,
  ups: upsFacts(),
  binding: null,
  key: null,
  ...over,
})

const plan = (
  obs: Observation,
  options: Partial<PlanOptions> = {},
  action: 'rotate' | 'retire' | 'rollback' = 'rotate',
) => planRotation({action, observation: obs, options: {...OPTIONS, ...options}, now: NOW})

describe('planRotation (pure)', () => {
  it('plans a fresh UPS rotation: every step, the blast radius and the audit events', () => {
    const p = plan(observation())
    expect(p.refusals).to.deep.equal([])
    expect(p.resume).to.equal(false)
    expect(p.steps.map((s) => [s.id, s.run])).to.deep.equal([
      ['lease', true],
      ['persist-secret', true],
      ['add-secret', true],
      ['verify-secret', true],
      ['update-credentials', true],
      ['roll-apps', true],
      ['verify-instances', true],
      ['retire-secret', true],
      ['finalize', true],
    ])
    expect(p.apps.map((a) => [a.name, a.roll, a.toReplace, a.restartedProcesses])).to.deep.equal([
      ['billing-api', true, 2, ['worker']],
      ['billing-batch', false, 0, []],
    ])
    expect(p.expectedRestarts).to.deep.equal({
      webInstances: 2,
      processes: [{app: 'billing-api', types: ['worker']}],
    })
    expect(p.auditEvents.map((e) => [e.type, e.count])).to.deep.equal([
      ['audit.user_provided_service_instance.show', null],
      ['audit.user_provided_service_instance.update', null],
      ['audit.user_provided_service_instance.create', 1],
      ['audit.user_provided_service_instance.delete', 1],
      ['audit.app.deployment.create', 1],
    ])
    expect(p.retire).to.deep.equal({mode: 'now'})
    expect(p.credential.currentFingerprint).to.equal('hmac:0000aaaa')
  })

  it('with a grace period: retirement is deferred and the rotation state kept', () => {
    const p = plan(observation(), {graceMs: 86_400_000})
    expect(p.retire).to.deep.equal({mode: 'after', at: '2026-11-29T12:00:00.000Z'})
    expect(p.steps.find((s) => s.id === 'retire-secret')!.skipReason).to.contain('grace period')
    expect(p.auditEvents.some((e) => e.type === 'audit.user_provided_service_instance.delete')).to.equal(
      false,
    )
  })

  it('refuses: active deployment, missing UAA permission, unknown client, held lease', () => {
    const deployment: DeploymentInfo = {
      guid: 'dep',
      appGuid: 'billing-api-guid',
      statusValue: 'ACTIVE',
      statusReason: 'DEPLOYING',
      createdAt: '2026-11-28T11:59:00Z',
      labels: {},
      annotations: {},
      error: null,
    }
    const lease = {
      owner: 'carol@host-c',
      rotationId: 'r-c',
      token: 't',
      acquiredAt: '2026-11-28T11:59:00.000Z',
      expiresAt: '2026-11-28T12:05:00.000Z',
    }
    const p = plan(
      observation({
        activeDeployments: [deployment],
        lease,
        ups: upsFacts({callerScopes: ['openid'], uaaClient: null}),
      }),
    )
    expect(p.refusals.map((r) => r.code)).to.deep.equal([
      'LEASE_HELD',
      'ROTATION_REFUSED',
      'ROTATION_REFUSED',
      'FORBIDDEN',
    ])
    expect(p.refusals[1]!.message).to.contain('billing-api has an active deployment')
    expect(p.refusals[3]!.message).to.contain('clients.secret')
    expect(
      plan(observation({lease: {...lease, expiresAt: '2026-11-28T11:59:30.000Z'}})).refusals,
    ).to.deep.equal([])
    expect(plan(observation({lease: {...lease, owner: 'ops@host-a'}})).refusals).to.deep.equal([])
    expect(encodeLease(lease)).to.contain('carol@host-c')
  })

  it('managed bindings: the CC version gate, unless downtime is accepted', () => {
    const obs = observation({
      kind: 'managed-binding',
      ccVersion: '3.204.9',
      ups: null,
      binding: {journal: null, retireAfter: null, apps: [], bindings: []},
    })
    const refused = plan(obs)
    expect(refused.versionGates).to.deep.equal([
      {
        feature: 'credential bindings with strategy multiple',
        required: '3.205.0',
        actual: '3.204.9',
        ok: false,
      },
    ])
    expect(refused.refusals.map((r) => r.code)).to.deep.equal(['VERSION_UNSUPPORTED'])
    const accepted = plan(obs, {allowDowntime: true})
    expect(accepted.refusals).to.deep.equal([])
    expect(accepted.downtime).to.equal(true)
  })

  it('a resumed rotation skips finished steps and plans only the rest', () => {
    const p = plan(
      observation({
        target: {
          ...observation().target,
          annotations: {[ANNOTATION.credentialsUpdatedAt]: '2026-11-28T11:00:00.000Z'},
        },
        ups: upsFacts({
          store: {rotationId: 'r-1', startedAt: '2026-11-28T10:59:00.000Z'},
          current: 'pending',
          pendingProbe: 'accepted',
          previousProbe: 'accepted',
          credentialsUpdatedAt: '2026-11-28T11:00:00.000Z',
          storeGuid: 'store-guid',
        }),
      }),
    )
    expect(p.resume).to.equal(true)
    expect(p.rotationId).to.equal('r-1')
    expect(p.phase).to.equal('updated')
    expect(p.steps.filter((s) => s.run).map((s) => s.id)).to.deep.equal([
      'lease',
      'roll-apps',
      'verify-instances',
      'retire-secret',
      'finalize',
    ])
    expect(p.refusals).to.deep.equal([], 'an active lease-free resume is not refused for a deployment check')
  })

  it('refuses to rotate again right after a rotation, or during its grace period', () => {
    expect(plan(observation({rotatedAt: '2026-11-28T11:55:00.000Z'})).refusals[0]!.message).to.contain(
      'that rotation is complete',
    )
    expect(plan(observation({rotatedAt: '2026-11-28T11:55:00.000Z'}), {force: true}).refusals).to.deep.equal(
      [],
    )
    const inGrace = observation({
      ups: upsFacts({
        store: {rotationId: 'r-1', startedAt: '2026-11-27T00:00:00.000Z'},
        current: 'pending',
        pendingProbe: 'accepted',
        previousProbe: 'accepted',
        recordedRotationId: 'r-1',
        retireAfter: '2026-11-29T00:00:00.000Z',
      }),
    })
    const grace = plan(inGrace)
    expect(grace.phase).to.equal('grace')
    expect(grace.refusals[0]!.message).to.contain('grace period')
    expect(plan(inGrace, {}, 'retire').refusals[0]!.message).to.contain('grace period runs until')
    expect(plan(inGrace, {force: true}, 'retire').refusals).to.deep.equal([])
  })

  it('a credential that cannot be rotated is one clear refusal', () => {
    const p = plan(
      observation({
        kind: null,
        problem: 'its credentials hold no client id and client secret to rotate',
        ups: null,
      }),
    )
    expect(p.refusals).to.have.length(1)
    expect(p.refusals[0]!.message).to.equal(
      'cannot rotate billing-oidc: its credentials hold no client id and client secret to rotate',
    )
  })

  it('instances nobody could read: counts unknown (null), a refusal only a real run obeys', () => {
    const why = 'Cloud Controller 3.200.0 answered 503 CF-InstancesUnavailable to /stats'
    const p = plan(
      observation({
        apps: [
          app('billing-api', {webInstances: [], instancesUnknown: why}),
          app('billing-web'),
          app('billing-batch', {state: 'STOPPED', webInstances: [], instancesUnknown: why}),
        ],
      }),
    )
    expect(p.apps.map((a) => [a.name, a.roll, a.webInstances, a.toReplace])).to.deep.equal([
      ['billing-api', true, null, null],
      ['billing-web', true, 2, 2],
      ['billing-batch', false, 0, 0],
    ])
    expect(p.expectedRestarts.webInstances).to.equal(null)
    expect(p.refusals).to.have.length(1)
    expect(p.refusals[0]).to.deep.include({code: 'API_UNAVAILABLE', dryRunProceeds: true})
    expect(p.refusals[0]!.message).to.contain('cannot verify the instances of 1 app(s) (billing-api)')
    expect(p.warnings.some((w) => w.startsWith('app billing-api: web instances cannot be read'))).to.equal(
      true,
    )
  })
})
