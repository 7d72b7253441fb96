import {expect} from 'chai'

import {unroutedAppRule} from '../../../../src/checks/routes/unrouted-app.js'
import {access, proc} from '../../../helpers/snapshot.js'
import {instancesIn, routedSnapshot, runRule, runWithRunner, webApp} from '../../../helpers/route-fixtures.js'

describe('routes/unrouted-app', () => {
  it('fires on a started app with running web instances and no route', () => {
    const findings = runRule(unroutedAppRule, routedSnapshot({routes: []}))
    expect(findings.map((f) => f.message)).to.deep.equal([
      'app billing-api runs 2 web instance(s) but has no route',
    ])
    expect(findings[0]?.resource).to.include({kind: 'app', guid: 'app-1'})
  })

  it('does not fire for routed, stopped or not-running apps', () => {
    expect(runRule(unroutedAppRule, routedSnapshot())).to.deep.equal([])
    const stopped = webApp('app-1', 'billing-api', {state: 'STOPPED', actual: []})
    expect(runRule(unroutedAppRule, routedSnapshot({routes: [], apps: [stopped.app]}))).to.deep.equal([])
    const crashed = routedSnapshot({routes: [], processes: [proc({actual: instancesIn('CRASHED')})]})
    expect(runRule(unroutedAppRule, crashed)).to.deep.equal([])
  })

  it('instances not read: a coverage gap and no finding', () => {
    const s = routedSnapshot({
      routes: [],
      processes: [proc({actual: null})],
      access: access({instances: {state: 'none', why: '403 on process stats'}}),
    })
    const run = runWithRunner(unroutedAppRule, s)
    expect(run.findings).to.deep.equal([])
    expect(run.gaps.map((g) => g.what)).to.deep.equal(['process instance state (not read)'])
  })
})
