import {expect} from 'chai'

import {noHealthyInstancesRule} from '../../../../src/checks/routes/no-healthy-instances.js'
import {access, destination, instance, proc, route} from '../../../helpers/snapshot.js'
import {instancesIn, routedSnapshot, runRule, runWithRunner} from '../../../helpers/route-fixtures.js'

describe('routes/no-healthy-instances', () => {
  it('fires when every instance is crashed, down or starting', () => {
    const s = routedSnapshot({processes: [proc({actual: instancesIn('CRASHED', 'STARTING', 'DOWN')})]})
    const [f, ...rest] = runRule(noHealthyInstancesRule, s)
    expect(rest).to.deep.equal([])
    expect(f?.message).to.equal(
      'route billing.apps.example.com → billing-api/web: none of 3 instance(s) is RUNNING',
    )
    expect(f?.evidence).to.deep.equal({
      app: 'billing-api',
      processType: 'web',
      desired: 2,
      running: 0,
      crashed: 1,
      starting: 1,
      down: 1,
    })
  })

  it('fires when all running instances fail readiness, and when scaled to 0', () => {
    const unready = routedSnapshot({
      processes: [proc({actual: [instance({routable: false}), instance({index: 1, routable: false})]})],
    })
    expect(runRule(noHealthyInstancesRule, unready)[0]?.message).to.contain(
      'fail readiness (routable: false)',
    )
    const scaledDown = routedSnapshot({processes: [proc({instances: 0, actual: null})]})
    expect(runRule(noHealthyInstancesRule, scaledDown)[0]?.message).to.contain('scaled to 0 instances')
  })

  it('fires when no instance is reported at all for a started process', () => {
    const s = routedSnapshot({processes: [proc({instances: 3, actual: []})]})
    expect(runRule(noHealthyInstancesRule, s).map((f) => f.message)).to.deep.equal([
      'route billing.apps.example.com → billing-api/web: no instance is running (3 desired)',
    ])
  })

  it('fires when the destination names a process type the app does not have', () => {
    const s = routedSnapshot({routes: [route({destinations: [destination({processType: 'api'})]})]})
    const findings = runRule(noHealthyInstancesRule, s)
    expect(findings.map((f) => f.evidence.processMissing)).to.deep.equal([true])
  })

  it('does not fire with one routable running instance, nor when readiness is unknown (null)', () => {
    const oneUp = routedSnapshot({processes: [proc({actual: instancesIn('RUNNING', 'CRASHED')})]})
    expect(runRule(noHealthyInstancesRule, oneUp)).to.deep.equal([])
    const oldDiego = routedSnapshot({processes: [proc({actual: [instance({routable: null})]})]})
    expect(runRule(noHealthyInstancesRule, oldDiego)).to.deep.equal([])
  })

  it('does not judge stopped apps (routes/stopped-app does)', () => {
    const s = routedSnapshot({processes: [proc({actual: instancesIn('DOWN')})]})
    s.apps = s.apps.map((a) => ({...a, state: 'STOPPED' as const}))
    expect(runRule(noHealthyInstancesRule, s)).to.deep.equal([])
  })

  it('unknown instances are a coverage gap, never a pass and never a finding', () => {
    const s = routedSnapshot({
      processes: [proc({actual: null})],
      access: access({instances: {state: 'partial', why: '403 on stats for 1 process'}}),
    })
    const run = runWithRunner(noHealthyInstancesRule, s)
    expect(run.findings).to.deep.equal([])
    expect(run.gaps).to.deep.equal([
      {
        what: 'process instance state (partly read)',
        why: '403 on stats for 1 process',
        rules: ['routes/no-healthy-instances'],
      },
    ])
  })

  it('stays silent while an instance of unknown state (missing from a short list) may serve', () => {
    const s = routedSnapshot({processes: [proc({instances: 2, actual: instancesIn('CRASHED', 'UNKNOWN')})]})
    expect(runRule(noHealthyInstancesRule, s)).to.deep.equal([])
    // Look-alike: every known instance is down and none is unknown.
    const known = routedSnapshot({processes: [proc({instances: 2, actual: instancesIn('CRASHED', 'DOWN')})]})
    expect(runRule(noHealthyInstancesRule, known)).to.have.length(1)
  })
})
