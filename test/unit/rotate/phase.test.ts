import {expect} from 'chai'

import {LABEL} from '../../../src/model/annotations.js'
import {
  deriveBindingPhase,
  deriveKeyPhase,
  deriveRollbackPhase,
  deriveUpsPhase,
  isAppRolled,
  staleInstances,
  type UpsFacts,
} from '../../../src/rotate/phase.js'
import type {AppInfo, BindingInfo, DeploymentInfo} from '../../../src/rotate/platform.js'

const STORE = {rotationId: 'r1', startedAt: '2026-11-28T12:00:00.000Z'}
const ups = (over: Partial<UpsFacts>): UpsFacts => ({
  kind: 'ups-uaa',
  store: STORE,
  current: 'previous',
  currentProbe: null,
  pendingProbe: 'rejected',
  previousProbe: 'accepted',
  credentialsUpdatedAt: null,
  instancesFresh: false,
  recordedRotationId: null,
  retireAfter: null,
  secretsRead: true,
  followersOn: {previous: 0, pending: 0},
  ...over,
})

describe('deriveUpsPhase: platform observations → phase', () => {
  const rows: [string, Partial<UpsFacts>, string][] = [
    ['no companion', {store: null, current: 'no-store', pendingProbe: null, previousProbe: null}, 'idle'],
    ['pending stored, not at UAA', {}, 'generated'],
    ['pending accepted, UPS holds previous', {pendingProbe: 'accepted'}, 'added'],
    ['UPS holds pending, instances behind', {current: 'pending', pendingProbe: 'accepted'}, 'updated'],
    [
      'all instances run it, old still valid',
      {current: 'pending', pendingProbe: 'accepted', instancesFresh: true},
      'rolled',
    ],
    [
      'old secret rejected',
      {current: 'pending', pendingProbe: 'accepted', instancesFresh: true, previousProbe: 'rejected'},
      'retired',
    ],
    [
      'recorded, grace mark, old valid',
      {current: 'pending', recordedRotationId: 'r1', retireAfter: '2026-12-01T00:00:00Z'},
      'grace',
    ],
    [
      'recorded, grace mark, old gone',
      {
        current: 'pending',
        recordedRotationId: 'r1',
        retireAfter: '2026-12-01T00:00:00Z',
        previousProbe: 'rejected',
      },
      'recorded',
    ],
    ['recorded without grace', {current: 'pending', recordedRotationId: 'r1'}, 'recorded'],
    ['another rotation recorded earlier', {recordedRotationId: 'r0'}, 'generated'],
    ['UPS holds something else', {current: 'other'}, 'needs-human'],
    ['UPS holds pending that UAA rejects', {current: 'pending', pendingProbe: 'rejected'}, 'needs-human'],
    ['UPS holds previous that UAA rejects', {previousProbe: 'rejected'}, 'needs-human'],
    ['UAA cannot answer', {pendingProbe: 'error'}, 'unknown'],
    // Dry runs read no secret: the phase is estimated from marks, probes are null.
    [
      'dry run: stored, not yet in the service',
      {secretsRead: false, pendingProbe: null, previousProbe: null},
      'generated',
    ],
    [
      'dry run: the service holds the new secret, instances behind',
      {secretsRead: false, current: 'pending', pendingProbe: null, previousProbe: null},
      'updated',
    ],
    [
      'dry run: every instance runs it',
      {secretsRead: false, current: 'pending', instancesFresh: true, pendingProbe: null, previousProbe: null},
      'rolled',
    ],
    [
      'dry run: recorded with a grace mark (old secret not probed)',
      {
        secretsRead: false,
        recordedRotationId: 'r1',
        retireAfter: '2026-12-01T00:00:00Z',
        previousProbe: null,
      },
      'grace',
    ],
    ['UAA cannot answer about the old one', {previousProbe: 'error', pendingProbe: 'accepted'}, 'unknown'],
    [
      'external, no endpoint to probe',
      {kind: 'ups-external', pendingProbe: null, previousProbe: null},
      'added',
    ],
    [
      'external, provider rejects',
      {kind: 'ups-external', pendingProbe: 'rejected', previousProbe: null},
      'generated',
    ],
    [
      'external, rolled (old not cfguard’s to retire)',
      {
        kind: 'ups-external',
        current: 'pending',
        pendingProbe: null,
        previousProbe: null,
        instancesFresh: true,
      },
      'rolled',
    ],
  ]
  for (const [name, facts, phase] of rows) {
    it(`${name} → ${phase}`, () => expect(deriveUpsPhase(ups(facts)).phase).to.equal(phase))
  }
})

describe('deriveRollbackPhase', () => {
  const rows: [string, Partial<UpsFacts>, string][] = [
    ['no companion', {store: null}, 'idle'],
    [
      'previous already retired',
      {current: 'pending', pendingProbe: 'accepted', previousProbe: 'rejected'},
      'retired',
    ],
    ['UPS holds pending', {current: 'pending', pendingProbe: 'accepted'}, 'rb-ready'],
    [
      'restored, instances behind',
      {current: 'previous', pendingProbe: 'accepted', credentialsUpdatedAt: '2026-11-28T13:00:00.000Z'},
      'rb-restored',
    ],
    [
      'restored and rolled',
      {
        current: 'previous',
        pendingProbe: 'accepted',
        credentialsUpdatedAt: '2026-11-28T13:00:00.000Z',
        instancesFresh: true,
      },
      'rb-rolled',
    ],
    ['never updated, pending added', {current: 'previous', pendingProbe: 'accepted'}, 'rb-rolled'],
    ['never updated, pending never added', {current: 'previous', pendingProbe: 'rejected'}, 'rb-reverted'],
    ['UPS holds something else', {current: 'other'}, 'needs-human'],
  ]
  for (const [name, facts, phase] of rows) {
    it(`${name} → ${phase}`, () => expect(deriveRollbackPhase(ups(facts)).phase).to.equal(phase))
  }
})

const binding = (guid: string, state: 'succeeded' | 'in progress' | 'failed' = 'succeeded'): BindingInfo => ({
  guid,
  name: 'sso',
  type: 'app',
  appGuid: 'app-1',
  serviceInstanceGuid: 'si',
  createdAt: '2026-11-28T12:00:00.000Z',
  lastOperation: {type: 'create', state, updatedAt: '2026-11-28T12:00:04.000Z'},
  labels: {},
  annotations: {},
})

describe('deriveBindingPhase and deriveKeyPhase', () => {
  const app = (over: object) => ({
    appGuid: 'app-1',
    ours: null,
    older: [binding('old')],
    fresh: false,
    ...over,
  })
  it('walks started → bound → rolled → retired, and grace without a journal', () => {
    const j = {rotationId: 'r1'}
    expect(deriveBindingPhase({journal: null, retireAfter: null, apps: [app({})]}).phase).to.equal('idle')
    expect(deriveBindingPhase({journal: j, retireAfter: null, apps: [app({})]}).phase).to.equal('started')
    expect(
      deriveBindingPhase({journal: j, retireAfter: null, apps: [app({ours: binding('n', 'in progress')})]})
        .phase,
    ).to.equal('started')
    expect(
      deriveBindingPhase({journal: j, retireAfter: null, apps: [app({ours: binding('n')})]}).phase,
    ).to.equal('bound')
    expect(
      deriveBindingPhase({journal: j, retireAfter: null, apps: [app({ours: binding('n'), fresh: true})]})
        .phase,
    ).to.equal('rolled')
    expect(
      deriveBindingPhase({
        journal: j,
        retireAfter: null,
        apps: [app({ours: binding('n'), fresh: true, older: []})],
      }).phase,
    ).to.equal('retired')
    expect(deriveBindingPhase({journal: null, retireAfter: 'x', apps: [app({fresh: true})]}).phase).to.equal(
      'grace',
    )
    expect(deriveBindingPhase({journal: null, retireAfter: 'x', apps: [app({older: []})]}).phase).to.equal(
      'retired',
    )
  })

  it('keys: started → created → delivered → retired', () => {
    const j = {rotationId: 'r1'}
    const base = {journal: j, retireAfter: null, ours: null, delivered: false, older: [binding('old')]}
    expect(deriveKeyPhase({...base, journal: null}).phase).to.equal('idle')
    expect(deriveKeyPhase(base).phase).to.equal('started')
    expect(deriveKeyPhase({...base, ours: binding('n')}).phase).to.equal('created')
    expect(deriveKeyPhase({...base, ours: binding('n'), delivered: true}).phase).to.equal('delivered')
    expect(deriveKeyPhase({...base, ours: binding('n'), delivered: true, older: []}).phase).to.equal(
      'retired',
    )
    expect(deriveKeyPhase({...base, journal: null, retireAfter: 'x'}).phase).to.equal('grace')
  })
})

describe('isAppRolled and staleInstances', () => {
  const T = '2026-11-28T12:00:00.000Z'
  const appAt = (...since: string[]): AppInfo => ({
    guid: 'app-1',
    name: 'a',
    state: 'STARTED',
    spaceGuid: 's',
    processTypes: ['web'],
    webInstances: since.map((s, index) => ({index, instanceGuid: `i${index}`, state: 'RUNNING', since: s})),
  })
  const deployed = (marker: string, reason = 'DEPLOYED'): DeploymentInfo => ({
    guid: 'd',
    appGuid: 'app-1',
    statusValue: 'FINALIZED',
    statusReason: reason,
    createdAt: T,
    labels: {[LABEL.credentialsChange]: marker},
    annotations: {},
    error: null,
  })
  const target = {marker: 'm1', since: T}

  it('needs a finished deployment labelled with the change, not just young instances', () => {
    const young = appAt('2026-11-28T12:00:30.000Z')
    expect(isAppRolled(young, target, [])).to.equal(false)
    expect(isAppRolled(young, target, [deployed('m0')])).to.equal(false, 'a deployment of an earlier change')
    expect(isAppRolled(young, target, [deployed('m1', 'CANCELED')])).to.equal(false)
    expect(isAppRolled(young, target, [deployed('m1')])).to.equal(true)
  })

  it('counts an instance as old until one uptime second after the change', () => {
    expect(staleInstances(appAt('2026-11-28T12:00:00.900Z'), T)).to.have.length(1)
    expect(staleInstances(appAt('2026-11-28T12:00:01.000Z'), T)).to.have.length(0)
    expect(isAppRolled(appAt('2026-11-28T11:00:00.000Z'), target, [deployed('m1')])).to.equal(false)
  })

  it('a started app whose instances could not be read is never rolled', () => {
    const young = appAt('2026-11-28T12:00:30.000Z')
    expect(
      isAppRolled({...young, webInstances: [], instancesUnknown: '503'}, target, [deployed('m1')]),
    ).to.equal(false)
    expect(isAppRolled({...young, state: 'STOPPED', instancesUnknown: '503'}, target, [])).to.equal(true)
  })

  it('a stopped app needs nothing now; DOWN instances run nothing', () => {
    expect(isAppRolled({...appAt('2026-01-01T00:00:00Z'), state: 'STOPPED'}, null, [])).to.equal(true)
    const down = appAt('2026-01-01T00:00:00Z')
    down.webInstances[0] = {index: 0, instanceGuid: null, state: 'DOWN', since: null}
    expect(staleInstances(down, T)).to.have.length(0)
  })
})
