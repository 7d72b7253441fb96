import {expect} from 'chai'

import {identityRules} from '../../../../src/checks/identity/index.js'
import {DESIGN_IDENTITY_RULE_IDS as DESIGN_IDS} from '../../../helpers/design-rules.js'

describe('identity rule registry', () => {
  it('has exactly the 12 published identity ids, each once', () => {
    const ids = identityRules.map((r) => r.id)
    expect([...ids].sort()).to.deep.equal([...DESIGN_IDS].sort())
    expect(new Set(ids).size).to.equal(ids.length)
  })

  it('every rule has a title, docs of at least two sentences, SOC 2 criteria and the identity family', () => {
    for (const rule of identityRules) {
      expect(rule.family, rule.id).to.equal('identity')
      expect(rule.title.trim(), rule.id).to.not.equal('')
      const sentences = rule.docs.split(/[.!?](\s|$)/).filter((t) => t.trim().length > 10)
      expect(sentences.length, `${rule.id} docs`).to.be.at.least(2)
      expect(rule.soc2.length, rule.id).to.be.at.least(1)
      for (const c of rule.soc2) expect(c, rule.id).to.match(/^(CC|A|C|PI|P)\d+\.\d+$/)
    }
  })

  it('the opt-in rules carry their opt-in and need their probes', () => {
    const byId = new Map(identityRules.map((r) => [r.id, r]))
    expect(byId.get('identity/issuer-unreachable')?.optIn).to.equal('check-issuers')
    expect(byId.get('identity/issuer-unreachable')?.needs).to.include('issuerProbes')
    expect(byId.get('identity/credentials-rejected')?.optIn).to.equal('verify-credentials')
    expect(byId.get('identity/credentials-rejected')?.needs).to.include('credentialProbes')
  })
})
