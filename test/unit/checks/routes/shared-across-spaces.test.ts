import {expect} from 'chai'

import {sharedAcrossSpacesRule} from '../../../../src/checks/routes/shared-across-spaces.js'
import {destination, route, space} from '../../../helpers/snapshot.js'
import {routedSnapshot, runRule, webApp} from '../../../helpers/route-fixtures.js'

describe('routes/shared-across-spaces', () => {
  it('fires when destinations live in more than one space', () => {
    const other = webApp('app-2', 'billing-dev', {spaceGuid: 'space-2'})
    const s = routedSnapshot({
      spaces: [space(), space({guid: 'space-2', name: 'dev'})],
      apps: [...routedSnapshot().apps, other.app],
      routes: [route({destinations: [destination(), destination({guid: 'd-2', appGuid: 'app-2'})]})],
    })
    const findings = runRule(sharedAcrossSpacesRule, s)
    expect(findings.map((f) => f.evidence)).to.deep.equal([
      {spaces: ['acme/dev', 'acme/prod'], sharedWith: 0, invisibleApps: 0},
    ])
  })

  it('fires on a route shared into another space (sharedSpaceGuids)', () => {
    const s = routedSnapshot({routes: [route({sharedSpaceGuids: ['space-9']})]})
    expect(runRule(sharedAcrossSpacesRule, s).map((f) => f.evidence.spaces)).to.deep.equal([
      ['acme/prod', 'space-9'],
    ])
  })

  it('does not fire when route and destinations share one space, or a destination app is not visible', () => {
    expect(runRule(sharedAcrossSpacesRule, routedSnapshot())).to.deep.equal([])
    expect(runRule(sharedAcrossSpacesRule, routedSnapshot({apps: []}))).to.deep.equal([])
  })
})
