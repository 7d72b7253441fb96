import {expect} from 'chai'

import {runChecks} from '../../../../src/checks/index.js'
import {routeRules} from '../../../../src/checks/routes/index.js'
import {DEFAULT_POLICY} from '../../../../src/model/policy.js'
import {NOW, access} from '../../../helpers/snapshot.js'
import {routedSnapshot} from '../../../helpers/route-fixtures.js'
import {DESIGN_ROUTE_RULE_IDS as DESIGN_ROUTE_IDS} from '../../../helpers/design-rules.js'

describe('route rule registry', () => {
  it('has exactly the 21 published route rule ids, each once', () => {
    const ids = routeRules.map((r) => r.id)
    expect(new Set(ids).size).to.equal(ids.length)
    expect([...ids].sort()).to.deep.equal([...DESIGN_ROUTE_IDS].sort())
  })

  it('every rule has a title, docs of at least two sentences naming a command, soc2 criteria', () => {
    for (const rule of routeRules) {
      expect(rule.family, rule.id).to.equal('routes')
      expect(rule.title.trim(), rule.id).to.not.equal('')
      const sentences = rule.docs.split(/[.!?](?:\s|$)/).filter((s) => s.trim().length > 0)
      expect(sentences.length, `${rule.id} docs sentences`).to.be.at.least(2)
      expect(rule.docs, `${rule.id} docs name a real command`).to.match(/`(cf|cfguard) [a-z-]+/)
      expect(rule.soc2.length, rule.id).to.be.at.least(1)
      for (const c of rule.soc2) expect(c, rule.id).to.match(/^(CC\d\.\d|A1\.\d)$/)
    }
  })

  it('only traffic-imbalance and drift are opt-in, with the data they need', () => {
    const optIns = routeRules.filter((r) => r.optIn).map((r) => [r.id, r.optIn, r.needs])
    expect(optIns).to.deep.equal([
      ['routes/traffic-imbalance', 'traffic', ['traffic']],
      ['routes/drift', 'baseline', ['baseline']],
    ])
  })

  it('a healthy, plainly routed app raises no route finding and no gap', () => {
    const run = runChecks(routedSnapshot(), DEFAULT_POLICY, NOW, routeRules)
    expect(run.findings.map((f) => f.rule)).to.deep.equal([])
    expect(run.gaps).to.deep.equal([])
    expect(run.evaluated).to.have.length(19)
  })

  it('the runner records no gap for data the foundation does not have (unsupported)', () => {
    const s = routedSnapshot({
      access: access({routePolicies: {state: 'unsupported', why: 'CC 3.200.0 < 3.224.0'}}),
    })
    expect(runChecks(s, DEFAULT_POLICY, NOW, routeRules).gaps).to.deep.equal([])
  })
})
