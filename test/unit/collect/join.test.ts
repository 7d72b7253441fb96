import {expect} from 'chai'

import type {CcAuditEvent} from '../../../src/cf/ccv3/types.js'
import {joinSnapshot, type JoinInput} from '../../../src/collect/join.js'
import {skippedReads, type SecretReadResult} from '../../../src/collect/secrets.js'
import {access} from '../../helpers/snapshot.js'
import {T, ccApp, ccBinding, ccProcess, ccUps, gathered, view} from './fixtures.js'

function reads(o: Partial<SecretReadResult> = {}): SecretReadResult {
  return {
    env: new Map(),
    ups: new Map(),
    bindings: new Map(),
    fresh: {env: 0, credentials: 0, details: 0},
    cacheHits: 0,
    rawSecrets: new Map(),
    ...o,
  }
}

function input(o: Partial<JoinInput> = {}): JoinInput {
  return {
    target: {api: 'https://api.example.com', ccVersion: '3.228.0', org: null, space: null},
    collectedAt: T,
    gathered: gathered(),
    secrets: reads(),
    stats: null,
    traffic: null,
    routeReservations: null,
    issuerProbes: [],
    credentialProbes: [],
    baseline: null,
    access: access(),
    ...o,
  }
}

describe('collect/join: lists and reads → Snapshot', () => {
  it('keeps the model shapes only: no process command, no droplet or buildpack fields', () => {
    const s = joinSnapshot(input())
    const text = JSON.stringify(s)
    expect(text.includes('hunter2'), 'a start command leaked into the snapshot').to.equal(false)
    expect(Object.keys(s.processes[0]!)).to.not.include('command')
    expect(Object.keys(s.apps[0]!).sort()).to.deep.equal(
      [
        'annotations',
        'createdAt',
        'guid',
        'labels',
        'lifecycleType',
        'name',
        'spaceGuid',
        'state',
        'updatedAt',
      ].sort(),
    )
  })

  it('gives a UPS binding the instance credentials it carries a copy of', () => {
    const v = view()
    const s = joinSnapshot(
      input({secrets: reads({ups: new Map([['si-1', {read: 'read', value: v, space: 'space-1'}]])})}),
    )
    expect(s.serviceInstances[0]).to.include({credentialsRead: 'read'})
    expect(s.serviceInstances[0]?.credentials).to.deep.equal(v)
    expect(s.bindings[0]?.credentials).to.deep.equal(v)
    expect(s.bindings[0]?.credentialsRead).to.equal('read')
  })

  it('carries denied reads as denied, without a view', () => {
    const s = joinSnapshot(
      input({
        secrets: reads({
          ups: new Map([['si-1', {read: 'denied', value: null, why: '403', space: 'space-1'}]]),
          env: new Map([['app-1', {read: 'denied', value: null, why: '403', space: 'space-1'}]]),
        }),
      }),
    )
    expect(s.serviceInstances[0]).to.include({credentials: null, credentialsRead: 'denied'})
    expect(s.bindings[0]).to.include({credentials: null, credentialsRead: 'denied'})
    expect(s.env).to.deep.equal([{appGuid: 'app-1', read: 'denied', variables: []}])
  })

  it('reads managed bindings from the binding reads; bindings nobody read are not applicable', () => {
    const managed = ccUps({guid: 'si-2', name: 'sso', type: 'managed', planGuid: 'plan-1'})
    const own = ccBinding({guid: 'b-2', serviceInstanceGuid: 'si-2'})
    const foreign = ccBinding({guid: 'b-3', serviceInstanceGuid: 'si-2', appGuid: 'app-elsewhere'})
    const v = view({clientId: 'sso-1'})
    const s = joinSnapshot(
      input({
        gathered: gathered({serviceInstances: [ccUps(), managed], bindings: [ccBinding(), own, foreign]}),
        secrets: reads({bindings: new Map([['b-2', {read: 'read', value: v, space: 'space-1'}]])}),
      }),
    )
    const byGuid = new Map(s.bindings.map((b) => [b.guid, b]))
    expect(byGuid.get('b-2')?.credentials).to.deep.equal(v)
    expect(byGuid.get('b-3')?.credentialsRead).to.equal('not-applicable')
    expect(s.serviceInstances.find((si) => si.guid === 'si-2')?.credentialsRead).to.equal('not-applicable')
  })

  it('--no-secrets: every secret-bearing item is skipped, env entries exist but are empty', () => {
    const g = gathered()
    const s = joinSnapshot(
      input({gathered: g, secrets: skippedReads(g.apps, g.serviceInstances, g.bindings, '--no-secrets')}),
    )
    expect(s.serviceInstances[0]?.credentialsRead).to.equal('skipped')
    expect(s.bindings[0]?.credentialsRead).to.equal('skipped')
    expect(s.env).to.deep.equal([{appGuid: 'app-1', read: 'skipped', variables: []}])
  })

  it('without the identity family: no env entries, credentials skipped', () => {
    const s = joinSnapshot(input({secrets: null}))
    expect(s.env).to.deep.equal([])
    expect(s.serviceInstances[0]?.credentialsRead).to.equal('skipped')
  })

  it('takes instances from /stats before CC 3.211 (unknown stays null)', () => {
    const stats = new Map([
      ['proc-1', [{index: 0, instanceGuid: 'i-0', state: 'CRASHED' as const, routable: false, since: T}]],
    ])
    const s = joinSnapshot(
      input({
        gathered: gathered({
          processes: [ccProcess(), ccProcess({guid: 'proc-2', type: 'worker', actual: null})],
        }),
        stats,
      }),
    )
    expect(s.processes[0]?.actual?.[0]).to.include({state: 'CRASHED', instanceGuid: 'i-0'})
    expect(s.processes[1]?.actual).to.equal(null)
  })

  it('keeps route-service and drain URLs without userinfo or query (they can carry tokens)', () => {
    const s = joinSnapshot(
      input({
        gathered: gathered({
          serviceInstances: [
            ccUps({
              routeServiceUrl: 'https://proxy.example.com/auth?token=abc123',
              syslogDrainUrl: 'syslog-tls://user:pw@logs.example.com:6514',
            }),
          ],
          routeBindings: [
            {
              guid: 'rb-1',
              routeGuid: 'route-1',
              serviceInstanceGuid: 'si-1',
              routeServiceUrl: 'https://proxy.example.com/auth?token=abc123',
              lastOperation: null,
              createdAt: T,
              updatedAt: T,
              labels: {},
              annotations: {},
            },
          ],
        }),
      }),
    )
    expect(s.serviceInstances[0]?.routeServiceUrl).to.equal('https://proxy.example.com/auth')
    expect(s.serviceInstances[0]?.syslogDrainUrl).to.equal('syslog-tls://logs.example.com:6514')
    expect(s.routeBindings[0]?.routeServiceUrl).to.equal('https://proxy.example.com/auth')
  })

  it('keeps audit events without their data (only the request keys)', () => {
    const event: CcAuditEvent = {
      guid: 'e-1',
      type: 'audit.user_provided_service_instance.update',
      createdAt: T,
      actor: {guid: 'u', type: 'user', name: 'alice'},
      target: {guid: 'si-1', type: 'user_provided_service_instance', name: 'billing-oidc'},
      spaceGuid: 'space-1',
      organizationGuid: 'org-1',
      requestKeys: ['credentials'],
      data: {request: {credentials: '[PRIVATE DATA HIDDEN]', note: 'x'}},
    }
    const s = joinSnapshot(input({gathered: gathered({auditEvents: [event]})}))
    expect(s.auditEvents[0]).to.deep.equal({
      guid: 'e-1',
      type: 'audit.user_provided_service_instance.update',
      createdAt: T,
      actor: {guid: 'u', type: 'user', name: 'alice'},
      target: {guid: 'si-1', type: 'user_provided_service_instance', name: 'billing-oidc'},
      spaceGuid: 'space-1',
      requestKeys: ['credentials'],
    })
  })

  it('sorts every list by guid (two collections of one foundation compare equal)', () => {
    const s = joinSnapshot(
      input({gathered: gathered({apps: [ccApp({guid: 'z'}), ccApp({guid: 'a'}), ccApp({guid: 'm'})]})}),
    )
    expect(s.apps.map((a) => a.guid)).to.deep.equal(['a', 'm', 'z'])
    expect(s.env.map((e) => e.appGuid)).to.deep.equal(['a', 'm', 'z'])
  })
})
