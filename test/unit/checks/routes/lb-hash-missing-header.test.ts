import {expect} from 'chai'

import {lbHashMissingHeaderRule} from '../../../../src/checks/routes/lb-hash-missing-header.js'
import {route} from '../../../helpers/snapshot.js'
import {routedSnapshot, runRule} from '../../../helpers/route-fixtures.js'

describe('routes/lb-hash-missing-header', () => {
  it('fires on loadbalancing=hash without hash_header (also blank)', () => {
    const s = routedSnapshot({
      routes: [
        route({guid: 'r-1', options: {loadbalancing: 'hash'}}),
        route({guid: 'r-2', options: {loadbalancing: 'HASH', hashHeader: '  '}}),
      ],
    })
    const findings = runRule(lbHashMissingHeaderRule, s)
    expect(findings.map((f) => f.resource.guid)).to.deep.equal(['r-1', 'r-2'])
    expect(findings[0]?.remediation).to.contain(
      'cf update-route apps.example.com --hostname billing --option hash_header=X-User-ID',
    )
  })

  it('does not fire on hash with a header, nor on other algorithms', () => {
    const s = routedSnapshot({
      routes: [
        route({guid: 'r-1', options: {loadbalancing: 'hash', hashHeader: 'X-User-ID'}}),
        route({guid: 'r-2', options: {loadbalancing: 'least-connection'}}),
        route({guid: 'r-3'}),
      ],
    })
    expect(runRule(lbHashMissingHeaderRule, s)).to.deep.equal([])
  })
})
