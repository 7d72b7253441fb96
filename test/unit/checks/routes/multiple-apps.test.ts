import {expect} from 'chai'

import {multipleAppsRule} from '../../../../src/checks/routes/multiple-apps.js'
import {deployment, destination, route} from '../../../helpers/snapshot.js'
import {routedSnapshot, runRule, webApp} from '../../../helpers/route-fixtures.js'

const blue = webApp('app-1', 'billing-blue', {createdAt: '2026-01-01T00:00:00Z'})
const green = webApp('app-2', 'billing-green', {createdAt: '2026-06-01T00:00:00Z'})
const split = (o: Parameters<typeof routedSnapshot>[0] = {}) =>
  routedSnapshot({
    apps: [green.app, blue.app],
    processes: [blue.process, green.process],
    routes: [route({destinations: [destination(), destination({guid: 'd-2', appGuid: 'app-2'})]})],
    ...o,
  })

describe('routes/multiple-apps', () => {
  it('fires on a route to two apps with no active deployment, suggesting to unmap the older', () => {
    const findings = runRule(multipleAppsRule, split())
    expect(findings).to.have.length(1)
    expect(findings[0]?.evidence).to.deep.equal({apps: ['billing-blue', 'billing-green']})
    expect(findings[0]?.remediation).to.match(
      /^cf unmap-route billing-blue apps\.example\.com --hostname billing/,
    )
  })

  it('does not fire while a deployment of one of the apps is active, but does after it finalised', () => {
    expect(runRule(multipleAppsRule, split({deployments: [deployment({appGuid: 'app-2'})]}))).to.deep.equal(
      [],
    )
    const done = split({
      deployments: [deployment({appGuid: 'app-2', statusValue: 'FINALIZED', statusReason: 'DEPLOYED'})],
    })
    expect(runRule(multipleAppsRule, done)).to.have.length(1)
  })

  it('does not fire on one app with several destinations (ports or processes)', () => {
    const s = routedSnapshot({
      routes: [route({destinations: [destination(), destination({guid: 'd-2', port: 9090})]})],
    })
    expect(runRule(multipleAppsRule, s)).to.deep.equal([])
  })
})
