import {expect} from 'chai'

import {trafficImbalanceRule} from '../../../../src/checks/routes/traffic-imbalance.js'
import type {Snapshot, TrafficStat} from '../../../../src/model/snapshot.js'
import {access, proc, route} from '../../../helpers/snapshot.js'
import {
  instancesIn,
  routedSnapshot,
  runRule,
  runWithRunner,
  trafficStat,
  withRoutes,
} from '../../../helpers/route-fixtures.js'

function withTraffic(stats: TrafficStat[], o: Partial<Snapshot> = {}): Snapshot {
  return routedSnapshot({
    processes: [proc({instances: 3, actual: instancesIn('RUNNING', 'RUNNING', 'RUNNING')})],
    traffic: {windowSeconds: 900, stats, linesRead: 1000, linesSkipped: 0},
    access: access({traffic: {state: 'full'}}),
    ...o,
  })
}

const at = (index: number, requests: number, status5xx = 0) =>
  trafficStat({instanceIndex: index, instanceGuid: `inst-${index}`, requests, status5xx})

describe('routes/traffic-imbalance', () => {
  it('fires on an instance serving at least twice its fair share', () => {
    const findings = runRule(trafficImbalanceRule, withTraffic([at(0, 400), at(1, 50), at(2, 50)]))
    expect(findings).to.have.length(1)
    expect(findings[0]?.message).to.equal(
      'billing.apps.example.com: instance billing-api/0 served 400 of 500 requests, 2.4× its fair share across 3 instances',
    )
    expect(findings[0]?.resource.guid).to.equal('route-1')
  })

  it('counts RUNNING instances the logs never saw: one of two taking everything fires', () => {
    const s = withTraffic([at(0, 200)], {processes: [proc({actual: instancesIn('RUNNING', 'RUNNING')})]})
    const findings = runRule(trafficImbalanceRule, s)
    expect(
      findings.map((f) => [f.evidence.instancesSeen, f.evidence.instancesRunning, f.evidence.shareFactor]),
    ).to.deep.equal([[1, 2, 2]])
  })

  it('fires on an instance whose 5xx rate is far above its peers', () => {
    const findings = runRule(
      trafficImbalanceRule,
      withTraffic([at(0, 100, 30), at(1, 100, 1), at(2, 100, 0)]),
    )
    expect(
      findings.map((f) => [f.evidence.instance, f.evidence.errorRate, f.evidence.peerErrorRate]),
    ).to.deep.equal([['billing-api/0', 0.3, 0.005]])
  })

  it('does not fire on balanced traffic, tiny samples, uniform errors, or router-error lines', () => {
    expect(runRule(trafficImbalanceRule, withTraffic([at(0, 180), at(1, 160), at(2, 160)]))).to.deep.equal([])
    expect(runRule(trafficImbalanceRule, withTraffic([at(0, 60), at(1, 5)]))).to.deep.equal([])
    expect(
      runRule(trafficImbalanceRule, withTraffic([at(0, 100, 20), at(1, 100, 18), at(2, 100, 22)])),
    ).to.deep.equal([])
    const noInstance = trafficStat({
      instanceIndex: -1,
      instanceGuid: null,
      requests: 500,
      routerErrors: {no_endpoints: 500},
    })
    expect(
      runRule(trafficImbalanceRule, withTraffic([noInstance, at(0, 100), at(1, 100), at(2, 100)])),
    ).to.deep.equal([])
  })

  it('skips the share test on hash-balanced routes (skew follows the header)', () => {
    const s = withTraffic([at(0, 400), at(1, 50), at(2, 50)], {
      routes: [route({options: {loadbalancing: 'hash', hashHeader: 'X-Tenant'}})],
    })
    expect(runRule(trafficImbalanceRule, s)).to.deep.equal([])
  })

  it('honours the policy factor', () => {
    const s = withTraffic([at(0, 250), at(1, 130), at(2, 120)])
    expect(runRule(trafficImbalanceRule, s)).to.deep.equal([])
    const strict = runRule(trafficImbalanceRule, s, withRoutes({trafficImbalanceFactor: 1.5}))
    expect(strict.map((f) => f.evidence.shareFactor)).to.deep.equal([1.5])
  })

  it('is opt-in: without --traffic it neither runs nor reports a gap; partial logs are a gap', () => {
    const notAsked = routedSnapshot()
    expect(runWithRunner(trafficImbalanceRule, notAsked)).to.deep.equal({
      findings: [],
      gaps: [],
      evaluated: [],
    })
    const partial = withTraffic([at(0, 400), at(1, 50), at(2, 50)], {
      access: access({traffic: {state: 'partial', why: 'Log Cache denied 2 apps'}}),
    })
    const run = runWithRunner(trafficImbalanceRule, partial)
    expect(run.findings).to.have.length(1)
    expect(run.gaps.map((g) => g.what)).to.deep.equal(['Gorouter access logs (partly read)'])
  })
})
