/**
 * `cfguard audit` end to end on the demo foundation: the gate (--fail-on), suppressions, baselines,
 * every report format checked against its schema, policy errors, and --compliance soc2.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'
import {Ajv2020} from 'ajv/dist/2020.js'
import AjvDraft04Module from 'ajv-draft-04'
import addFormatsModule from 'ajv-formats'
import {XMLParser, XMLValidator} from 'fast-xml-parser'

import type {AuditResult} from '../../src/model/finding.js'
import {ROOT, parseJson, runCli, tempDir, type CliResult} from '../helpers/cli.js'
import {ccAs, useSimulator, type Simulator} from '../helpers/sim.js'
import {codeScanningProblems} from '../helpers/code-scanning.js'

type AjvDraft04 = InstanceType<typeof AjvDraft04Module.default>
const AjvDraft04 = AjvDraft04Module.default
const addFormats = ((addFormatsModule as unknown as {default?: unknown}).default ?? addFormatsModule) as <
  T extends Ajv2020 | AjvDraft04,
>(
  ajv: T,
) => T

const sarifAjv = addFormats(new AjvDraft04({allErrors: true, strict: false, unicodeRegExp: false}))
const validateSarif = sarifAjv.compile(
  JSON.parse(
    readFileSync(join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  ) as object,
)
const resultAjv = addFormats(new Ajv2020({allErrors: true, strict: true, allowUnionTypes: true}))
const validateResult = resultAjv.compile(
  JSON.parse(readFileSync(join(ROOT, 'schemas/audit-result.schema.json'), 'utf8')) as object,
)

const DEMO_POLICY = `version: 1
identity:
  requiredFor:
    - labelSelector: "identity=required"
`

function asAdmin(sim: Simulator): Record<string, string> {
  return {
    CFGUARD_API: sim.apiUrl,
    CFGUARD_CLIENT_ID: sim.admin.clientId,
    CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
  }
}

function audit(sim: Simulator, args: string[], cwd?: string): Promise<CliResult> {
  return runCli(['audit', '--all', ...args], {env: asAdmin(sim), ...(cwd ? {cwd} : {})})
}

function resultOf(r: CliResult): AuditResult {
  expect(r.stderr).not.to.match(/\n\s+at /)
  return parseJson<AuditResult>(r).result
}

/** `YYYY-MM-DD`, `days` from today (UTC). */
function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
}

describe('e2e: cfguard audit on the demo foundation', function () {
  this.timeout(180_000)
  const ctx = useSimulator({scenario: 'demo'})
  let dir: string
  let policy: string

  before(() => {
    dir = tempDir('cfguard-audit-')
    policy = join(dir, 'cfguard.yml')
    writeFileSync(policy, DEMO_POLICY)
  })

  describe('the gate: --fail-on', () => {
    // One rule per severity of the demo's plants (default severities, `cfguard rules`).
    const cases: [string, string, number][] = [
      ['routes/internal-exposed', 'critical', 3],
      ['routes/no-healthy-instances', 'high', 3],
      ['routes/no-healthy-instances', 'critical', 0],
      ['routes/stopped-app', 'medium', 3],
      ['routes/stopped-app', 'high', 0],
      ['routes/orphan', 'low', 3],
      ['routes/orphan', 'medium', 0],
      ['routes/unrouted-app', 'info', 3],
      ['routes/unrouted-app', 'low', 0],
    ]
    for (const [rule, failOn, code] of cases) {
      it(`${rule} with --fail-on ${failOn} exits ${code}`, async () => {
        const r = await audit(ctx.sim, ['--rules', rule, '--fail-on', failOn, '--json'])
        expect(r.code, r.stderr).to.equal(code)
        const result = resultOf(r)
        expect(result.findings.map((f) => f.rule)).to.include(rule)
        expect(parseJson(r).status).to.equal(code)
      })
    }

    it('--fail-on never reports everything and exits 0; the default (high) exits 3', async () => {
      const never = await audit(ctx.sim, ['--fail-on', 'never', '--policy', policy])
      expect(never.code, never.stderr).to.equal(0)
      expect(never.stdout).to.contain('fail-on never: not gating')
      expect(never.stdout).to.contain('CRITICAL (')
      const byDefault = await audit(ctx.sim, ['--json', '--policy', policy])
      expect(byDefault.code).to.equal(3)
      expect(resultOf(byDefault).summary.critical).to.be.greaterThan(0)
    })
  })

  describe('suppressions', () => {
    const suppress = (expires: string) => {
      const file = join(dir, `suppressions-${expires}.yml`)
      writeFileSync(
        file,
        [
          'version: 1',
          'suppressions:',
          '  - rule: routes/no-healthy-instances',
          '    resource: checkout.apps.cfguard.test',
          '    reason: "INC-42: checkout is being rebuilt (owner: payments team)"',
          `    expires: ${expires}`,
          '',
        ].join('\n'),
      )
      return file
    }

    it('an active suppression hides the finding (listed as suppressed) and the gate passes', async () => {
      const file = suppress(day(30))
      const r = await audit(ctx.sim, [
        '--rules',
        'routes/no-healthy-instances',
        '--suppressions',
        file,
        '--json',
      ])
      expect(r.code, r.stderr).to.equal(0)
      const result = resultOf(r)
      expect(result.findings).to.deep.equal([])
      expect(result.suppressed?.map((s) => [s.rule, s.reason])).to.deep.equal([
        ['routes/no-healthy-instances', 'INC-42: checkout is being rebuilt (owner: payments team)'],
      ])
    })

    it('an expired one warns and the finding fails the gate again', async () => {
      const file = suppress(day(-1))
      const r = await audit(ctx.sim, [
        '--rules',
        'routes/no-healthy-instances',
        '--suppressions',
        file,
        '--json',
      ])
      expect(r.code, r.stderr).to.equal(3)
      const doc = parseJson<AuditResult>(r)
      expect(doc.result.findings.map((f) => f.resource.name)).to.deep.equal(['checkout.apps.cfguard.test'])
      expect(
        doc.warnings.some((w) => /expired on/.test(w) && w.includes('routes/no-healthy-instances')),
      ).to.equal(true, doc.warnings.join('\n'))
      const human = await audit(ctx.sim, ['--rules', 'routes/no-healthy-instances', '--suppressions', file])
      expect(human.code).to.equal(3)
      expect(human.stderr).to.match(/^warning: suppression .*expired on/m)
    })
  })

  describe('report formats of a full audit (every opt-in on)', () => {
    const full = [
      '--policy',
      '',
      '--check-issuers',
      '--verify-credentials',
      '--traffic',
      '--fail-on',
      'never',
    ]
    const args = () => full.map((a) => (a === '' ? policy : a))

    it('--json: the result validates against schemas/audit-result.schema.json and names every planted rule', async () => {
      const r = await audit(ctx.sim, [...args(), '--json'])
      expect(r.code, r.stderr).to.equal(0)
      const result = resultOf(r)
      expect(validateResult(result), resultAjv.errorsText(validateResult.errors)).to.equal(true)
      expect(result.routeMap?.domains.length).to.equal(3)
      expect(result.traffic?.hosts.length).to.be.greaterThan(10)
      const rules = new Set(result.findings.map((f) => f.rule))
      const listed = parseJson<{id: string}[]>(await runCli(['rules', '--json'])).result.map((x) => x.id)
      expect(listed.filter((id) => !rules.has(id))).to.deep.equal(['routes/drift'])
      // --format json is the bare result, the same contract.
      const file = join(dir, 'audit.json')
      const bare = await audit(ctx.sim, [...args(), '--format', 'json', '--output', file])
      expect(bare.code, bare.stderr).to.equal(0)
      expect(bare.stdout).to.equal('')
      const doc = JSON.parse(readFileSync(file, 'utf8'))
      expect(validateResult(doc), resultAjv.errorsText(validateResult.errors)).to.equal(true)
      expect(doc.traffic.linesSkipped).to.equal(1)
    })

    it('--format sarif validates against the SARIF 2.1.0 schema', async () => {
      const file = join(dir, 'audit.sarif')
      const r = await audit(ctx.sim, [...args(), '--format', 'sarif', '--output', file])
      expect(r.code, r.stderr).to.equal(0)
      const log = JSON.parse(readFileSync(file, 'utf8'))
      expect(validateSarif(log), sarifAjv.errorsText(validateSarif.errors)).to.equal(true)
      expect(log.version).to.equal('2.1.0')
      expect(log.runs[0].results.length).to.be.greaterThan(30)
      expect(log.runs[0].tool.driver.rules.length).to.be.greaterThan(30)
      expect(codeScanningProblems(log)).to.deep.equal([])
      expect(log.runs[0].automationDetails.id).to.equal(
        `cfguard/audit/${encodeURIComponent(new URL(ctx.sim.apiUrl).host)}/`,
      )
    })

    it('--format junit is well-formed XML with a failure per finding at or above --fail-on', async () => {
      const r = await audit(ctx.sim, [
        ...args().filter((a) => a !== '--fail-on' && a !== 'never'),
        '--format',
        'junit',
      ])
      expect(r.code).to.equal(3)
      expect(XMLValidator.validate(r.stdout)).to.equal(true)
      const doc = new XMLParser({ignoreAttributes: false, attributeNamePrefix: '@'}).parse(r.stdout)
      const suites = [doc.testsuites.testsuite].flat()
      expect(suites.length).to.be.greaterThan(5)
      const failures = Number(doc.testsuites['@failures'])
      const json = resultOf(await audit(ctx.sim, [...args(), '--json']))
      expect(failures).to.equal(json.summary.critical + json.summary.high)
    })

    it('--format markdown and html render the same findings', async () => {
      const md = await audit(ctx.sim, [...args(), '--format', 'markdown'])
      expect(md.code, md.stderr).to.equal(0)
      expect(md.stdout).to.contain('identity/secret-in-env')
      const html = join(dir, 'audit.html')
      const h = await audit(ctx.sim, [...args(), '--format', 'html', '--output', html])
      expect(h.code, h.stderr).to.equal(0)
      const page = readFileSync(html, 'utf8')
      expect(page).to.match(/^<!doctype html>/i)
      expect(page).to.contain('svg')
      expect(page).to.contain('routes/traffic-imbalance')
    })
  })

  describe('--compliance soc2', () => {
    it('groups the audit by SOC 2 criterion: every finding under each criterion of its rule', async () => {
      const r = await audit(ctx.sim, [
        '--policy',
        policy,
        '--compliance',
        'soc2',
        '--fail-on',
        'never',
        '--json',
      ])
      expect(r.code, r.stderr).to.equal(0)
      const result = resultOf(r)
      expect(validateResult(result), resultAjv.errorsText(validateResult.errors)).to.equal(true)
      const compliance = result.compliance!
      expect(compliance.framework).to.equal('soc2')
      const ids = compliance.criteria.map((c) => c.id)
      expect(ids).to.include.members(['CC6.1', 'CC6.6', 'CC8.1', 'A1.2'])
      const rules = parseJson<{id: string; soc2: string[]}[]>(await runCli(['rules', '--json'])).result
      const soc2 = new Map(rules.map((x) => [x.id, x.soc2]))
      for (const f of result.findings) {
        for (const criterion of soc2.get(f.rule)!) {
          const group = compliance.criteria.find((c) => c.id === criterion)
          expect(group?.findings, `${f.rule} under ${criterion}`).to.include(f.fingerprint)
        }
      }
      const table = await audit(ctx.sim, ['--policy', policy, '--compliance', 'soc2', '--fail-on', 'never'])
      expect(table.stdout).to.contain('SOC 2 trust-services criteria')
      expect(table.stdout).to.match(/\n {2}CC6\.1 +Logical access security/)
    })
  })

  describe('a malformed policy file', () => {
    it('is one error line naming file:line:column, exit 2, before the foundation is asked anything', async () => {
      writeFileSync(
        join(dir, 'bad.yml'),
        ['version: 1', 'routes:', '  sensitivePaths: [/admin]', '  trafficImbalanceFactr: 2', ''].join('\n'),
      )
      ctx.sim.resetRequests()
      const r = await audit(ctx.sim, ['--policy', 'bad.yml'], dir)
      expect(r.code).to.equal(2)
      const lines = r.stderr.trim().split('\n')
      expect(lines[0]).to.match(/^cfguard: bad\.yml:4:3: /)
      expect(lines[0]).to.contain('trafficImbalanceFactr')
      expect(lines.slice(1).every((l) => l.startsWith('  next: '))).to.equal(true, r.stderr)
      expect(r.stdout).to.equal('')
      expect(ctx.sim.requests).to.deep.equal([])
      const yaml = await audit(ctx.sim, ['--policy', join(dir, 'broken.yml')])
      expect(yaml.code).to.equal(2)
      writeFileSync(join(dir, 'broken.yml'), 'version: 1\nidentity:\n  requiredFor: [\n')
      const broken = await audit(ctx.sim, ['--policy', 'broken.yml'], dir)
      expect(broken.code).to.equal(2)
      expect(broken.stderr.split('\n')[0]).to.match(/^cfguard: broken\.yml:\d+:\d+: /)
    })
  })
})

describe('e2e: cfguard audit --baseline', function () {
  this.timeout(120_000)
  const ctx = useSimulator({scenario: 'demo'})

  it('fails only on findings the baseline does not have', async () => {
    const dir = tempDir('cfguard-baseline-')
    const first = await audit(ctx.sim, ['--json', '--fail-on', 'never'])
    expect(first.code, first.stderr).to.equal(0)
    const file = join(dir, 'baseline.json')
    writeFileSync(file, first.stdout)

    const again = await audit(ctx.sim, ['--baseline', file, '--json'])
    expect(again.code, again.stderr).to.equal(0)
    const known = resultOf(again)
    expect(known.findings).to.deep.equal([])
    expect(known.suppressed?.length).to.equal(resultOf(first).findings.length)

    // A new route on the identity-aware domain, with no route policy: denies everyone (high).
    const cc = await ccAs(ctx.sim, 'adminClient')
    const guid = async (path: string) => (await cc.get(path)).json.resources[0].guid as string
    const prod = await guid('/v3/spaces?names=prod')
    const secure = await guid('/v3/domains?names=secure.cfguard.test')
    const payroll = await guid(`/v3/apps?names=payroll&space_guids=${prod}`)
    const route = await cc.post('/v3/routes', {
      host: 'payroll-v2',
      relationships: {space: {data: {guid: prod}}, domain: {data: {guid: secure}}},
    })
    expect(route.status).to.equal(201)
    await cc.post(`/v3/routes/${route.json.guid}/destinations`, {destinations: [{app: {guid: payroll}}]})

    const after = await audit(ctx.sim, ['--baseline', file, '--json'])
    expect(after.code, after.stderr).to.equal(3)
    expect(
      resultOf(after)
        .findings.map((f) => [f.rule, f.resource.name])
        .sort(),
    ).to.deep.equal([
      ['routes/drift', 'payroll-v2.secure.cfguard.test'],
      ['routes/policy-missing', 'payroll-v2.secure.cfguard.test'],
    ])
    // The same findings below the gate: only the new high one decides.
    const medium = await audit(ctx.sim, ['--baseline', file, '--json', '--fail-on', 'critical'])
    expect(medium.code).to.equal(0)
  })
})
