import {expect} from 'chai'

import {weightsIgnoredRule} from '../../../../src/checks/routes/weights-ignored.js'
import {destination, route} from '../../../helpers/snapshot.js'
import {routedSnapshot, runRule} from '../../../helpers/route-fixtures.js'

describe('routes/weights-ignored', () => {
  it('fires once per weighted destination', () => {
    const s = routedSnapshot({
      routes: [
        route({
          destinations: [
            destination({weight: 90}),
            destination({guid: 'dest-2', appGuid: 'app-2', weight: 10}),
          ],
        }),
      ],
    })
    const findings = runRule(weightsIgnoredRule, s)
    expect(findings.map((f) => f.evidence.weight)).to.deep.equal([90, 10])
    expect(findings[0]?.message).to.equal(
      'route billing.apps.example.com: destination billing-api/web has weight 90 of 100, which Gorouter ignores',
    )
  })

  it('does not fire on unweighted destinations', () => {
    expect(runRule(weightsIgnoredRule, routedSnapshot())).to.deep.equal([])
  })
})
