import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'
import AjvDraft04Module from 'ajv-draft-04'
import addFormatsModule from 'ajv-formats'
import type {Log} from 'sarif'

import type {AuditResult} from '../../../src/model/finding.js'
import {FINGERPRINT_KEY, formatSarif, ruleName} from '../../../src/report/sarif.js'
import {ALL_KINDS, RULES, allKindsResult, auditResult, emptyResult} from '../../helpers/report-fixtures.js'
import {ROOT} from '../../helpers/cli.js'

const SARIF_SCHEMA = join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')
// Both packages are CommonJS with a default export; under Node16 ESM interop the class arrives wrapped.
type AjvDraft04 = InstanceType<typeof AjvDraft04Module.default>
const AjvDraft04 = AjvDraft04Module.default
const addFormats = ((addFormatsModule as unknown as {default?: unknown}).default ?? addFormatsModule) as (
  ajv: AjvDraft04,
) => AjvDraft04
// The official schema's `language` pattern is not valid with the `u` flag; ajv compiles it without.
const ajv = new AjvDraft04({allErrors: true, strict: false, unicodeRegExp: false})
addFormats(ajv)
const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')) as object)

function sarif(result: AuditResult, rules = RULES): Log {
  const text = formatSarif(result, {rules, toolVersion: '0.1.0'})
  const log = JSON.parse(text) as Log
  expect(validate(log), ajv.errorsText(validate.errors)).to.equal(true)
  return log
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
      {name: 'billing-api', fullyQualifiedName: 'acme/prod/app/billing-api', kind: 'app'},
    ])
    expect(secret.locations![0]!.physicalLocation!.artifactLocation!.uri).to.equal(
      'cloudfoundry/api.sys.example.com/acme/prod/app/billing-api',
    )
    const shared = run.results!.find((r) => r.ruleId === 'identity/shared-client')!
    expect(shared.relatedLocations!.map((l) => l.logicalLocations![0]!.fullyQualifiedName)).to.deep.equal([
      'acme/prod/app/billing-api',
      'acme/staging/app/invoice-worker',
    ])
  })

  it('gives every resource kind a location; platform-wide ones without org and space', () => {
    const run = sarif(allKindsResult()).runs[0]!
    const kinds = run.results!.map((r) => r.locations![0]!.logicalLocations![0]!.kind)
    expect([...kinds].sort()).to.deep.equal([...ALL_KINDS].sort())
    const domain = run.results!.find((r) => r.locations![0]!.logicalLocations![0]!.kind === 'domain')!
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
})
