/**
 * `cfguard rules`: the rule catalogue the audit commands run, as a user lists it.
 */
import {expect} from 'chai'

import {parseJson, runCli} from '../helpers/cli.js'
import {DESIGN_RULE_IDS} from '../helpers/design-rules.js'

interface RuleInfo {
  id: string
  severity: string
  title: string
  docs: string
  soc2: string[]
  optIn: string | null
}

describe('cfguard rules (e2e)', () => {
  it('lists exactly the published rules, each with a title, docs naming a command, and SOC 2 criteria', async () => {
    const r = await runCli(['rules', '--json'])
    expect(r.code).to.equal(0)
    const rules = parseJson<RuleInfo[]>(r).result
    expect(rules.map((x) => x.id).sort()).to.deep.equal([...DESIGN_RULE_IDS].sort())
    for (const rule of rules) {
      expect(rule.title, rule.id).to.match(/\S/)
      expect(rule.docs.length, `${rule.id} docs`).to.be.greaterThan(120)
      // "how to fix it (name a real command)": every paragraph quotes one in backticks.
      expect(rule.docs, `${rule.id} names a command`).to.match(/`(cf|cfguard|uaa)\s[^`]+`/)
      expect(rule.soc2.length, `${rule.id} SOC 2`).to.be.greaterThan(0)
      for (const criterion of rule.soc2) expect(criterion, rule.id).to.match(/^(CC|A|C|PI|P)\d+\.\d+$/)
    }
    const optIn = Object.fromEntries(rules.filter((x) => x.optIn).map((x) => [x.id, x.optIn]))
    expect(optIn).to.deep.equal({
      'identity/issuer-unreachable': 'check-issuers',
      'identity/credentials-rejected': 'verify-credentials',
      'routes/traffic-imbalance': 'traffic',
      'routes/drift': 'baseline',
    })
  })

  it('prints the table with the SOC 2 column, and one rule in full', async () => {
    const table = await runCli(['rules'])
    expect(table.code).to.equal(0)
    expect(table.stdout.split('\n')[0]).to.match(/^RULE\s+SEVERITY\s+SOC 2\s+TITLE$/)
    for (const id of DESIGN_RULE_IDS) expect(table.stdout).to.contain(id)
    const one = await runCli(['rules', 'routes/drift'])
    expect(one.code).to.equal(0)
    expect(one.stdout).to.contain('routes/drift  (medium)')
    expect(one.stdout).to.match(/SOC 2: CC8\.1/)
  })
})
