import {expect} from 'chai'

import {stoppedAppRule} from '../../../../src/checks/routes/stopped-app.js'
import {destination, route} from '../../../helpers/snapshot.js'
import {routedSnapshot, runRule, webApp} from '../../../helpers/route-fixtures.js'

describe('routes/stopped-app', () => {
  it('fires when the only destination app is stopped', () => {
    const a = webApp('app-1', 'billing-api', {state: 'STOPPED', actual: []})
    const findings = runRule(stoppedAppRule, routedSnapshot({apps: [a.app], processes: [a.process]}))
    expect(findings).to.have.length(1)
    expect(findings[0]?.message).to.contain('STOPPED (its only destination: requests fail)')
    expect(findings[0]?.remediation).to.contain(
      'cf unmap-route billing-api apps.example.com --hostname billing',
    )
    expect(findings[0]?.related.map((r) => r.name)).to.deep.equal(['billing-api'])
  })

  it('names how many other destinations still serve on a blue/green route', () => {
    const blue = webApp('app-1', 'billing-blue', {state: 'STOPPED', actual: []})
    const green = webApp('app-2', 'billing-green')
    const s = routedSnapshot({
      apps: [blue.app, green.app],
      processes: [blue.process, green.process],
      routes: [route({destinations: [destination(), destination({guid: 'dest-2', appGuid: 'app-2'})]})],
    })
    const findings = runRule(stoppedAppRule, s)
    expect(findings.map((f) => f.evidence)).to.deep.equal([
      {app: 'billing-blue', otherApps: 1, otherAppsServing: 1},
    ])
  })

  it('does not fire for started apps, nor for destination apps it cannot see', () => {
    expect(runRule(stoppedAppRule, routedSnapshot())).to.deep.equal([])
    expect(runRule(stoppedAppRule, routedSnapshot({apps: []}))).to.deep.equal([])
  })
})
