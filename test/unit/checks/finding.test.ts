import {expect} from 'chai'

import {makeFinding, sortFindings} from '../../../src/checks/finding.js'
import type {Finding, ResourceRef} from '../../../src/model/finding.js'

const ref = (guid: string, name: string): ResourceRef => ({kind: 'app', guid, name, space: null, org: null})
const finding = (rule: string, guid: string, name: string, key = '', message = `${rule} ${name}`): Finding =>
  makeFinding(
    {id: rule, severity: 'low', title: rule},
    {resource: ref(guid, name), key, message, remediation: 'none'},
  )

/** The order sortFindings promises, written as the plain comparator it replaced. */
const reference = (findings: Finding[]) =>
  [...findings].sort(
    (a, b) =>
      a.rule.localeCompare(b.rule) ||
      a.resource.name.localeCompare(b.resource.name) ||
      a.fingerprint.localeCompare(b.fingerprint),
  )

describe('sortFindings', () => {
  it('orders by rule, then resource name (locale order), then fingerprint, rules interleaved in the input', () => {
    const input = [
      finding('routes/orphan', 'g3', 'zeta'),
      finding('identity/drift', 'g1', 'Beta'),
      finding('routes/orphan', 'g1', 'alpha'),
      finding('identity/drift', 'g2', 'beta'),
      finding('identity/missing', 'g9', 'émile'),
      finding('identity/drift', 'g4', 'alpha', 'b'),
      finding('identity/drift', 'g4', 'alpha', 'a'),
      finding('routes/orphan', 'g2', 'Alpha'),
      finding('identity/missing', 'g8', 'eve'),
    ]
    const sorted = sortFindings(input)
    expect(sorted.map((f) => `${f.rule} ${f.resource.name} ${f.fingerprint}`)).to.deep.equal(
      reference(input).map((f) => `${f.rule} ${f.resource.name} ${f.fingerprint}`),
    )
    expect(sorted.map((f) => f.rule)).to.deep.equal([
      'identity/drift',
      'identity/drift',
      'identity/drift',
      'identity/drift',
      'identity/missing',
      'identity/missing',
      'routes/orphan',
      'routes/orphan',
      'routes/orphan',
    ])
    expect(sorted.filter((f) => f.rule === 'identity/missing').map((f) => f.resource.name)).to.deep.equal([
      'émile',
      'eve',
    ])
  })

  it('keeps the input order of findings equal on every key (a severity override copy) and leaves the input alone', () => {
    const a = finding('routes/orphan', 'g1', 'same', '', 'first')
    const b = {...a, message: 'second'}
    const c = finding('identity/drift', 'g2', 'other')
    const input = [a, c, b]
    expect(sortFindings(input).map((f) => f.message)).to.deep.equal([
      'identity/drift other',
      'first',
      'second',
    ])
    expect(input.map((f) => f.message)).to.deep.equal(['first', 'identity/drift other', 'second'])
  })
})
