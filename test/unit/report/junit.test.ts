import {expect} from 'chai'
import {XMLParser, XMLValidator} from 'fast-xml-parser'

import type {AuditResult} from '../../../src/model/finding.js'
import {formatJunit} from '../../../src/report/junit.js'
import type {FormatOptions} from '../../../src/report/types.js'
import {HOSTILE_APP, RULES, allKindsResult, auditResult, emptyResult} from '../../helpers/report-fixtures.js'

interface Case {
  '@_classname': string
  '@_name': string
  failure?: {'@_message': string; '@_type': string; '#text': string}
  skipped?: {'@_message': string}
  'system-out'?: string
}
interface Suite {
  '@_name': string
  '@_tests': string
  '@_failures': string
  '@_skipped': string
  testcase: Case[]
}
interface Doc {
  testsuites: {'@_tests': string; '@_failures': string; '@_skipped': string; testsuite: Suite[]}
}

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => name === 'testsuite' || name === 'testcase' || name === 'property',
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
})

function junit(result: AuditResult, options: FormatOptions = {}): Doc {
  const xml = formatJunit(result, {rules: RULES, ...options})
  expect(XMLValidator.validate(xml), 'not well-formed XML').to.equal(true)
  return parser.parse(xml) as Doc
}

const cases = (doc: Doc) => doc.testsuites.testsuite.flatMap((s) => s.testcase)

describe('report/junit', () => {
  it('has one suite per rule and one testcase per rule × resource, plus passes and skips', () => {
    const doc = junit(auditResult())
    expect(doc.testsuites.testsuite.map((s) => s['@_name'])).to.deep.equal(RULES.map((r) => r.id).sort())
    // 13 findings on 13 distinct rule × resource pairs, one rule each; 17 rules, so 4 rules pass
    // with one "no findings" case; the gap names 2 rules (both with findings): 2 skipped cases.
    expect(RULES).to.have.length(17)
    expect(cases(doc)).to.have.length(13 + 4 + 2)
    expect(doc.testsuites['@_tests']).to.equal('19')
    const drift = doc.testsuites.testsuite.find((s) => s['@_name'] === 'identity/drift')!
    expect(drift.testcase.map((c) => c['@_name'])).to.deep.equal(['no findings'])
    expect(doc.testsuites['@_skipped']).to.equal('2')
  })

  it('fails findings at or above --fail-on and passes the others with the finding in system-out', () => {
    const doc = junit(auditResult())
    expect(doc.testsuites['@_failures']).to.equal('5')
    const failed = cases(doc).filter((c) => c.failure)
    expect(failed.map((c) => c['@_classname']).sort()).to.deep.equal([
      'identity/secret-in-env',
      'identity/shared-client',
      'routes/internal-exposed',
      'routes/no-healthy-instances',
      'routes/policy-missing',
    ])
    const secret = failed.find((c) => c['@_classname'] === 'identity/secret-in-env')!
    expect(secret['@_name']).to.equal('app acme/prod/billing-api')
    expect(secret.failure!['@_type']).to.equal('high')
    expect(secret.failure!['@_message']).to.equal(
      'app billing-api sets CLIENT_SECRET in its environment variables',
    )
    expect(secret.failure!['#text']).to.contain('fingerprint: 2a1f7e3b0c8e5d4f9a7b2c3d4e5f6a02')
    const orphan = cases(doc).find((c) => c['@_classname'] === 'routes/orphan')!
    expect(orphan.failure).to.equal(undefined)
    expect(orphan['system-out']).to.contain('low finding below the fail-on threshold')
  })

  it('fails every finding with junitFailures: all, and none with --fail-on never', () => {
    expect(junit(auditResult(), {junitFailures: 'all'}).testsuites['@_failures']).to.equal('13')
    expect(junit(auditResult(), {failOn: 'never'}).testsuites['@_failures']).to.equal('0')
    expect(junit(auditResult(), {failOn: 'low'}).testsuites['@_failures']).to.equal('11')
  })

  it('marks rules a coverage gap left unchecked as skipped, with the reason', () => {
    const doc = junit(allKindsResult())
    const suite = doc.testsuites.testsuite.find((s) => s['@_name'] === 'identity/overprivileged-client')!
    const skipped = suite.testcase.filter((c) => c.skipped !== undefined)
    expect(skipped).to.have.length(1)
    expect(skipped[0]!['@_name']).to.equal('not fully checked: UAA client details (not read)')
    expect(skipped[0]!.skipped!['@_message']).to.equal(
      'not checked: UAA client details (not read) because token lacks clients.read',
    )
    const gapOnly = junit({
      ...emptyResult(),
      coverage: {
        ...emptyResult().coverage,
        gaps: [{what: 'route policies (not read)', why: 'CC < 3.224', rules: ['routes/policy-missing']}],
      },
    })
    const policy = gapOnly.testsuites.testsuite.find((s) => s['@_name'] === 'routes/policy-missing')!
    expect(policy.testcase.map((c) => c['@_name'])).to.deep.equal([
      'not fully checked: route policies (not read)',
    ])
  })

  it('passes every rule with one testcase when nothing was found', () => {
    const doc = junit(emptyResult())
    expect(cases(doc)).to.have.length(RULES.length)
    expect(cases(doc).every((c) => c['@_name'] === 'no findings')).to.equal(true)
    expect(doc.testsuites['@_failures']).to.equal('0')
  })

  it('escapes hostile names and control characters into well-formed XML that round-trips', () => {
    const result = auditResult()
    result.findings[0]!.message = 'bell\u0007 ]]> & "quotes" \'apos\' </failure>'
    const doc = junit(result, {junitFailures: 'all'})
    const legacy = cases(doc).find((c) => c['@_classname'] === 'routes/stopped-app')!
    expect(legacy['@_name']).to.equal(`app acme/staging/${HOSTILE_APP}`)
    const exposed = cases(doc).find((c) => c['@_classname'] === 'routes/internal-exposed')!
    expect(exposed.failure!['@_message']).to.equal('bell ]]> & "quotes" \'apos\' </failure>')
  })

  it('puts several findings of one rule on one resource into one testcase', () => {
    const result = auditResult()
    const secret = result.findings.find((f) => f.rule === 'identity/secret-in-env')!
    result.findings.push({...secret, message: 'app billing-api sets API_KEY', fingerprint: 'ff'.repeat(16)})
    const suite = junit(result).testsuites.testsuite.find((s) => s['@_name'] === 'identity/secret-in-env')!
    expect(suite.testcase).to.have.length(1)
    expect(suite.testcase[0]!.failure!['@_message']).to.equal('2 findings on this resource')
    expect(suite.testcase[0]!.failure!['#text']).to.contain('API_KEY')
  })
})
