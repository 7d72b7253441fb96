import {expect} from 'chai'

import {SimState} from '../../../src/sim/core/state.js'
import {buildGenerated} from '../../../src/sim/scenarios/generated.js'

const config = (seed: number) => ({
  ccVersion: '3.228.0',
  accessTokenValiditySeconds: 1200,
  refreshTokenValiditySeconds: 2_592_000,
  instanceStartupMs: 300,
  maxBindingsPerAppServiceInstance: 5,
  jobDurationMs: 200,
  seed,
})

function build(apps: number, seed: number) {
  const state = new SimState(config(seed))
  buildGenerated(state, apps)
  return state
}

describe('sim: generated scenario', () => {
  it('has the benchmark shape at 2,000 apps', () => {
    const s = build(2000, 1)
    expect(s.apps.size).to.equal(2000)
    expect(s.orgs.size).to.equal(10)
    expect(s.spaces.size).to.equal(80)
    const perApp = (n: number) => n / 2000
    expect(perApp(s.routes.size)).to.be.within(1.4, 1.6)
    const ups = [...s.serviceInstances.all()].filter((si) => si.type === 'user-provided').length
    expect(perApp(ups)).to.be.within(0.55, 0.65)
    expect(perApp(s.bindings.size)).to.be.within(1.1, 1.3)
    const web = [...s.processes.all()].filter((p) => p.type === 'web')
    expect(web.every((p) => p.instances === 2)).to.equal(true)
    const oidc = [...s.serviceInstances.all()].filter((si) => typeof si.credentials.client_id === 'string')
    expect(oidc.length).to.be.greaterThan(0)
    expect(
      oidc.every((si) =>
        s.uaa.clients
          .get(si.credentials.client_id as string)
          ?.secrets.includes(si.credentials.client_secret as string),
      ),
    ).to.equal(true)
  })

  it('scales down to at least one org and space', () => {
    const s = build(3, 9)
    expect(s.orgs.size).to.equal(1)
    expect(s.spaces.size).to.equal(1)
    expect(s.apps.size).to.equal(3)
  })

  it('is deterministic per seed', () => {
    const names = (s: SimState) => [...s.routes.all()].map((r) => `${r.guid}:${r.host}${r.path}`)
    expect(names(build(200, 5))).to.deep.equal(names(build(200, 5)))
    expect(names(build(200, 5))).to.not.deep.equal(names(build(200, 6)))
  })

  it('plants some drift: instances holding credentials older than their UPS', () => {
    const s = build(2000, 1)
    let drifting = 0
    for (const p of s.processes.all()) {
      for (const i of p.actual) {
        for (const v of i.env.vcap) {
          const si = s.serviceInstances.get(v.instanceGuid)
          if (si?.type === 'user-provided' && v.credentials !== si.credentials) drifting++
        }
      }
    }
    expect(drifting).to.be.greaterThan(0)
  })
})

describe('sim: scenario names', () => {
  const listeningServers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length

  it('refuses an unknown scenario before any origin listens', async () => {
    const before = listeningServers()
    const {startSimulator} = await import('../../../src/sim/index.js')
    const started = startSimulator({scenario: 'nope' as never})
    await started.then(
      () => expect.fail('an unknown scenario started'),
      (err: unknown) => expect(String(err)).to.contain('unknown scenario "nope" (empty, demo, generated)'),
    )
    expect(listeningServers()).to.equal(before)
  })
})
