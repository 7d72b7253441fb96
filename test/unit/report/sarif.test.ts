import {expect} from 'chai'
import type {Log, Result} from 'sarif'

import type {AuditResult} from '../../../src/model/finding.js'
import {FINGERPRINT_KEY, automationId, formatSarif, ruleName} from '../../../src/report/sarif.js'
import {ALL_KINDS, RULES, allKindsResult, auditResult, emptyResult} from '../../helpers/report-fixtures.js'
import {categoryOf, codeScanningProblems, sarifSchemaErrors} from '../../helpers/code-scanning.js'

const validate = (log: unknown) => sarifSchemaErrors(log) === null

function sarif(result: AuditResult, rules = RULES, command?: string): Log {
  const text = formatSarif(result, {rules, toolVersion: '0.1.0', ...(command ? {command} : {})})
  const log = JSON.parse(text) as Log
  expect(sarifSchemaErrors(log)).to.equal(null)
  expect(codeScanningProblems(log)).to.deep.equal([])
  return log
}

/** `allKindsResult()` as `audit --targets eu-1,us-1,ap-1` merges it: ap-1 could not be audited. */
function multiFoundation(): AuditResult {
  const base = allKindsResult()
  const target = {api: 'https://api.eu-1.example.com', ccVersion: '3.228.0', org: null, space: null}
  const coverage = {...base.coverage, gaps: []}
  return {
    ...base,
    foundation: undefined,
    coverage: {
      ...base.coverage,
      gaps: [
        {
          what: 'eu-1: credentials of 1 user-provided service',
          why: '403 CF-NotAuthorized',
          rules: ['identity/drift'],
        },
        {what: 'foundation ap-1 (nothing was checked there)', why: 'authentication failed'},
      ],
    },
    foundations: [
      {name: 'eu-1', target, summary: base.summary, coverage, error: null},
      {
        name: 'us-1',
        target: {...target, api: 'https://api.us-1.example.com'},
        summary: base.summary,
        coverage,
        error: null,
      },
      {
        name: 'ap-1',
        target: null,
        summary: null,
        coverage: null,
        error: {code: 'AUTH', message: 'no', exitCode: 4},
      },
    ],
  }
}

describe('report/sarif', () => {
  it('validates against the official SARIF 2.1.0 schema: realistic, empty and every resource kind', () => {
    sarif(auditResult())
    sarif(emptyResult())
    sarif(allKindsResult())
    sarif(auditResult(), [])
  })

  it('the validator is real: it rejects a broken log', () => {
    const log = JSON.parse(formatSarif(auditResult(), {rules: RULES})) as Record<string, unknown>
    expect(validate(log)).to.equal(true)
    expect(validate({...log, version: '2.0.0'})).to.equal(false)
    const run = (log.runs as Record<string, unknown>[])[0]!
    expect(validate({...log, runs: [{...run, results: [{ruleId: 'x'}]}]})).to.equal(false)
  })

  it('has one rule entry per rule of the run with metadata, level, SOC 2 tags and security-severity', () => {
    const rules = sarif(auditResult()).runs[0]!.tool.driver.rules!
    expect(rules.map((r) => r.id)).to.deep.equal(RULES.map((r) => r.id).sort())
    const secret = rules.find((r) => r.id === 'identity/secret-in-env')!
    expect(secret.name).to.equal('IdentitySecretInEnv')
    expect(secret.shortDescription?.text).to.equal('Secret in a plain app environment variable')
    expect(secret.fullDescription?.text).to.contain('Move it into a user-provided service')
    expect(secret.help?.text).to.contain('SOC 2: CC6.1, CC6.7')
    expect(secret.defaultConfiguration?.level).to.equal('error')
    expect(secret.properties?.tags).to.include.members(['security', 'identity', 'soc2:CC6.1', 'soc2:CC6.7'])
    expect(secret.properties?.['security-severity']).to.equal('8.0')
    const critical = rules.find((r) => r.id === 'routes/internal-exposed')!
    expect(critical.properties?.['security-severity']).to.equal('9.5')
    const info = rules.find((r) => r.id === 'routes/lb-ineffective')!
    expect(info.defaultConfiguration?.level).to.equal('note')
    expect(info.properties).not.to.have.property('security-severity')
    expect(rules.find((r) => r.id === 'routes/stopped-app')!.defaultConfiguration?.level).to.equal('warning')
  })

  it('has one result per finding pointing at its rule, with a logical CF location and the fingerprint', () => {
    const result = auditResult()
    const run = sarif(result).runs[0]!
    const rules = run.tool.driver.rules!
    expect(run.results).to.have.length(result.findings.length)
    for (const r of run.results!) {
      expect(rules[r.ruleIndex!]!.id).to.equal(r.ruleId)
      const finding = result.findings.find((f) => f.fingerprint === r.partialFingerprints?.[FINGERPRINT_KEY])!
      expect(finding, 'result without its finding').to.not.equal(undefined)
      expect(r.ruleId).to.equal(finding.rule)
      // GitHub code scanning rejects results without a physical artifact location.
      expect(r.locations![0]!.physicalLocation!.artifactLocation!.uri).to.match(
        /^cloudfoundry\/api\.sys\.example\.com\//,
      )
    }
    const secret = run.results!.find((r) => r.ruleId === 'identity/secret-in-env')!
    expect(secret.level).to.equal('error')
    expect(secret.message.text).to.equal(
      'app billing-api sets CLIENT_SECRET in its environment variables\nFix: move it into a user-provided service: cf cups billing-oidc -p credentials.json, then cf unset-env billing-api CLIENT_SECRET',
    )
    expect(secret.locations![0]!.logicalLocations).to.deep.equal([
      {
        name: 'billing-api',
        fullyQualifiedName: 'acme/prod/app/billing-api',
        kind: 'resource',
        properties: {cloudFoundryKind: 'app'},
      },
    ])
    expect(secret.locations![0]!.physicalLocation).to.deep.equal({
      artifactLocation: {uri: 'cloudfoundry/api.sys.example.com/acme/prod/app/billing-api'},
      region: {startLine: 1},
    })
    const shared = run.results!.find((r) => r.ruleId === 'identity/shared-client')!
    expect(shared.relatedLocations!.map((l) => l.logicalLocations![0]!.fullyQualifiedName)).to.deep.equal([
      'acme/prod/app/billing-api',
      'acme/staging/app/invoice-worker',
    ])
    expect(
      shared.relatedLocations!.map((l) => [l.id, l.physicalLocation?.artifactLocation?.uri]),
    ).to.deep.equal([
      [1, 'cloudfoundry/api.sys.example.com/acme/prod/app/billing-api'],
      [2, 'cloudfoundry/api.sys.example.com/acme/staging/app/invoice-worker'],
    ])
  })

  it('gives every resource kind a location; platform-wide ones without org and space', () => {
    const run = sarif(allKindsResult()).runs[0]!
    const cfKind = (r: Result) =>
      r.locations![0]!.logicalLocations![0]!.properties?.cloudFoundryKind as string
    const kinds = run.results!.map(cfKind)
    expect([...kinds].sort()).to.deep.equal([...ALL_KINDS].sort())
    expect(new Set(run.results!.map((r) => r.locations![0]!.logicalLocations![0]!.kind))).to.deep.equal(
      new Set(['resource']),
    )
    const domain = run.results!.find((r) => cfKind(r) === 'domain')!
    expect(domain.locations![0]!.logicalLocations![0]!.fullyQualifiedName).to.equal('domain/domain-4')
    expect(domain.locations![0]!.physicalLocation!.artifactLocation!.uri).to.equal(
      'cloudfoundry/eu-1/domain/domain-4',
    )
    expect(domain.properties?.foundation).to.equal('eu-1')
  })

  it('percent-encodes user data in artifact URIs', () => {
    const run = sarif(auditResult()).runs[0]!
    const legacy = run.results!.find((r) => r.ruleId === 'routes/stopped-app')!
    const uri = legacy.locations![0]!.physicalLocation!.artifactLocation!.uri!
    expect(uri).to.match(/^cloudfoundry\/api\.sys\.example\.com\/acme\/staging\/app\/legacy%3Cscript%3E/)
    expect(uri).not.to.match(/[<>" ]/)
  })

  it('reports a successful execution with coverage gaps as tool notifications', () => {
    const inv = sarif(auditResult()).runs[0]!.invocations![0]!
    expect(inv.executionSuccessful).to.equal(true)
    expect(inv.toolExecutionNotifications).to.have.length(1)
    const note = inv.toolExecutionNotifications![0]!
    expect(note.level).to.equal('warning')
    expect(note.message.text).to.equal(
      'not checked: user-provided service credentials (not read) because 403 CF-NotAuthorized in space acme/staging (space auditor)',
    )
    expect(note.properties?.rules).to.deep.equal(['identity/shared-client', 'identity/stale-credential'])
    const empty = sarif(emptyResult()).runs[0]!
    expect(empty.results).to.deep.equal([])
    expect(empty.invocations![0]!.toolExecutionNotifications).to.deep.equal([])
  })

  it('falls back to the findings for rule entries when no metadata is given', () => {
    const run = sarif(allKindsResult(), []).runs[0]!
    expect(run.tool.driver.rules!.map((r) => r.id)).to.deep.equal([
      'identity/overprivileged-client',
      'routes/orphan',
    ])
  })

  it('makes rule names from ids', () => {
    expect(ruleName('routes/lb-hash-missing-header')).to.equal('RoutesLbHashMissingHeader')
  })

  it('gives each run an automation id per command, foundation and scope, so categories stay apart', () => {
    const ids = (log: Log) => log.runs.map((r) => r.automationDetails?.id)
    expect(ids(sarif(auditResult()))).to.deep.equal(['cfguard/audit/api.sys.example.com/acme/'])
    const everything = {...emptyResult(), target: {...emptyResult().target, org: null, space: null}}
    expect(ids(sarif(everything, RULES, 'identity-audit'))).to.deep.equal([
      'cfguard/identity-audit/api.sys.example.com/',
    ])
    const scoped = {...auditResult(), target: {...auditResult().target, org: 'acme', space: 'prod/eu'}}
    expect(ids(sarif(scoped, RULES, 'routes-report'))).to.deep.equal([
      'cfguard/routes-report/api.sys.example.com/acme/prod%2Feu/',
    ])
    expect(categoryOf(automationId('audit', scoped.target, undefined))).to.equal(
      'cfguard/audit/api.sys.example.com/acme/prod%2Feu',
    )
    expect(ids(sarif(allKindsResult()))).to.deep.equal(['cfguard/audit/eu-1/'])
  })

  it('splits a multi-foundation audit into one run per audited foundation; an unaudited one gets none', () => {
    const result = multiFoundation()
    const log = sarif(result)
    expect(log.runs.map((r) => r.automationDetails?.id)).to.deep.equal([
      'cfguard/audit/eu-1/',
      'cfguard/audit/us-1/',
    ])
    const [eu, us] = log.runs as [Log['runs'][number], Log['runs'][number]]
    const count = (name: string) => result.findings.filter((f) => f.foundation === name).length
    expect(eu.results).to.have.length(count('eu-1'))
    expect(us.results).to.have.length(count('us-1'))
    expect(count('eu-1') + count('us-1')).to.equal(result.findings.length)
    for (const r of us.results!) {
      expect(r.locations![0]!.physicalLocation!.artifactLocation!.uri).to.match(/^cloudfoundry\/us-1\//)
    }
    expect(eu.properties?.target).to.deep.equal(result.foundations![0]!.target)
    expect(us.properties?.target).to.deep.include({api: 'https://api.us-1.example.com'})
    expect(eu.invocations![0]!.toolExecutionNotifications!.map((n) => n.message.text)).to.deep.equal([
      'not checked: credentials of 1 user-provided service because 403 CF-NotAuthorized',
    ])
    expect(us.invocations![0]!.toolExecutionNotifications).to.deep.equal([])
    expect(eu.properties?.unauditedFoundations).to.deep.equal(['ap-1'])
  })

  it('the code-scanning checks are real: each rule catches its breach', () => {
    const good = () => JSON.parse(formatSarif(auditResult(), {rules: RULES})) as Log
    expect(codeScanningProblems(good())).to.deep.equal([])
    const breaches: [string, (log: Log) => void][] = [
      ['runAutomationDetails.id', (l) => delete l.runs[0]!.automationDetails],
      ['region.startLine', (l) => delete l.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region],
      ['artifactLocation.uri', (l) => delete l.runs[0]!.results![0]!.locations![0]!.physicalLocation],
      [
        'relative',
        (l) => (l.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri = '/etc/x'),
      ],
      [
        'logical kind app',
        (l) => (l.runs[0]!.results![0]!.locations![0]!.logicalLocations![0]!.kind = 'app'),
      ],
      ['at least one location', (l) => (l.runs[0]!.results![0]!.locations = [])],
      ['same tool and category', (l) => l.runs.push(structuredClone(l.runs[0]!))],
      ['fullDescription.text', (l) => delete l.runs[0]!.tool.driver.rules![0]!.fullDescription],
      [
        'security-severity',
        (l) => (l.runs[0]!.tool.driver.rules![0]!.properties!['security-severity'] = 'high'),
      ],
      ['partialFingerprints', (l) => delete l.runs[0]!.results![0]!.partialFingerprints],
      ['names no rule', (l) => (l.runs[0]!.results![0]!.ruleId = 'nope/none')],
    ]
    for (const [expected, breach] of breaches) {
      const log = good()
      breach(log)
      expect(codeScanningProblems(log).join('\n'), expected).to.contain(expected)
    }
    // Two runs of different categories are fine.
    const two = good()
    two.runs.push({...structuredClone(two.runs[0]!), automationDetails: {id: 'cfguard/audit/other/'}})
    expect(codeScanningProblems(two)).to.deep.equal([])
  })
})
