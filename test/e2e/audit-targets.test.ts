/**
 * `cfguard audit --targets a,b`: two simulated foundations logged in as named targets of one
 * CFGUARD_HOME, audited together; then one of them gone.
 */
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import type {Log} from 'sarif'

import type {AuditResult} from '../../src/model/finding.js'
import {startSimulator, type Simulator} from '../../src/sim/index.js'
import {parseJson, runCli, tempDir, type CliResult} from '../helpers/cli.js'
import {codeScanningProblems, sarifSchemaErrors} from '../helpers/code-scanning.js'

function resultOf(r: CliResult): AuditResult {
  expect(r.stderr).not.to.match(/\n\s+at /)
  return parseJson<AuditResult>(r).result
}

describe('e2e: cfguard audit --targets (several foundations)', function () {
  this.timeout(180_000)
  let staging: Simulator
  let prod: Simulator
  let gone: Simulator
  let home: string
  const run = (args: string[], env: Record<string, string> = {}) =>
    runCli(args, {env: {CFGUARD_HOME: home, ...env}})

  before(async () => {
    // Different seeds: different guids, as two real foundations have.
    staging = await startSimulator({scenario: 'demo', seed: 1})
    prod = await startSimulator({scenario: 'demo', seed: 2})
    gone = await startSimulator({scenario: 'demo', seed: 3})
    home = tempDir('cfguard-home-targets-')
    for (const [name, sim] of [
      ['staging', staging],
      ['prod', prod],
      ['dr', gone],
    ] as const) {
      const r = await run(['login', '--api', sim.apiUrl, '--name', name], {
        CFGUARD_USERNAME: sim.users.admin.username,
        CFGUARD_PASSWORD: sim.users.admin.password,
      })
      expect(r.code, r.stderr).to.equal(0)
    }
    await gone.stop()
  })

  after(async () => {
    await staging?.stop()
    await prod?.stop()
  })

  it('merges the findings of both, each with its foundation, so they compare finding by finding', async () => {
    const r = await run(['audit', '--targets', 'staging,prod', '--all', '--json', '--fail-on', 'never'])
    expect(r.code, r.stderr).to.equal(0)
    const result = resultOf(r)
    expect(new Set(result.findings.map((f) => f.foundation))).to.deep.equal(new Set(['staging', 'prod']))
    const where = (rule: string, name: string) =>
      result.findings
        .filter((f) => f.rule === rule && f.resource.name === name)
        .map((f) => f.foundation)
        .sort()
    expect(where('identity/secret-in-env', 'billing-api')).to.deep.equal(['prod', 'staging'])
    expect(where('routes/orphan', 'old-landing.apps.cfguard.test')).to.deep.equal(['prod', 'staging'])
    expect(result.foundations?.map((f) => [f.name, f.target?.api, f.error])).to.deep.equal([
      ['staging', staging.apiUrl, null],
      ['prod', prod.apiUrl, null],
    ])
    const perFoundation = result.foundations!.map((f) => f.coverage!.apps)
    expect(result.coverage.apps).to.equal(perFoundation[0]! + perFoundation[1]!)
    expect(result.summary.high).to.equal(result.foundations!.reduce((n, f) => n + f.summary!.high, 0))
    // The stored logins were used, not one shared API.
    expect(result.target.api).to.equal(`${staging.apiUrl}, ${prod.apiUrl}`)
  })

  it('prints a line per foundation in the table, and names the foundation on each finding', async () => {
    const r = await run(['audit', '--targets', 'staging,prod', '--all', '--rules', 'routes/orphan'], {
      COLUMNS: '100',
    })
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.match(
      /^Foundations\n {2}staging: http:\/\/127\.0\.0\.1:\d+ \(CC 3\.228\.0\), 1 finding/,
    )
    expect(r.stdout).to.contain('[staging] route acme/prod/old-landing.apps.cfguard.test')
    expect(r.stdout).to.contain('[prod] route acme/prod/old-landing.apps.cfguard.test')
  })

  it('a foundation that cannot be reached is a gap with its error and exit 5; --fail-on never reports only', async () => {
    const r = await run(['audit', '--targets', 'staging,dr', '--all', '--rules', 'routes/', '--json'], {
      CFGUARD_TIMEOUT: '5',
    })
    expect(r.code, r.stderr).to.equal(5)
    const result = resultOf(r)
    expect(new Set(result.findings.map((f) => f.foundation))).to.deep.equal(new Set(['staging']))
    const dr = result.foundations!.find((f) => f.name === 'dr')!
    expect(dr.error?.code).to.equal('API_UNAVAILABLE')
    expect(dr.error?.exitCode).to.equal(5)
    expect(result.coverage.gaps.some((g) => g.what.startsWith('foundation dr'))).to.equal(true)
    expect(parseJson(r).warnings.some((w) => w.startsWith('[dr] not audited'))).to.equal(true)

    const reportOnly = await run(
      [
        'audit',
        '--targets',
        'staging,dr',
        '--all',
        '--rules',
        'routes/',
        '--fail-on',
        'never',
        '--format',
        'json',
      ],
      {CFGUARD_TIMEOUT: '5'},
    )
    expect(reportOnly.code).to.equal(0)
    expect(JSON.parse(reportOnly.stdout).foundations[1].error.code).to.equal('API_UNAVAILABLE')
  })

  it('--format sarif: one run per audited foundation, each its own code-scanning category; none for one not reached', async () => {
    const file = join(tempDir('cfguard-sarif-targets-'), 'fleet.sarif')
    const r = await run([
      'audit',
      '--targets',
      'staging,prod,dr',
      '--all',
      '--format',
      'sarif',
      '--output',
      file,
      '--fail-on',
      'never',
    ])
    expect(r.code, r.stderr).to.equal(0)
    const log = JSON.parse(readFileSync(file, 'utf8')) as Log
    expect(sarifSchemaErrors(log)).to.equal(null)
    expect(codeScanningProblems(log)).to.deep.equal([])
    expect(log.runs.map((run) => run.automationDetails?.id)).to.deep.equal([
      'cfguard/audit/staging/',
      'cfguard/audit/prod/',
    ])
    for (const [i, name] of ['staging', 'prod'].entries()) {
      const run = log.runs[i]!
      expect(run.results!.length, name).to.be.greaterThan(10)
      for (const result of run.results!) {
        expect(result.properties?.foundation).to.equal(name)
        expect(result.locations![0]!.physicalLocation!.artifactLocation!.uri).to.match(
          new RegExp(`^cloudfoundry/${name}/`),
        )
      }
      expect(run.properties?.unauditedFoundations).to.deep.equal(['dr'])
    }
    expect((log.runs[0]!.properties?.target as {api: string}).api).to.equal(staging.apiUrl)
  })

  it('--baseline with {target} reads one baseline per foundation', async () => {
    const dir = tempDir('cfguard-targets-baseline-')
    for (const name of ['staging', 'prod']) {
      const r = await run([
        'audit',
        '--target',
        name,
        '--all',
        '--format',
        'json',
        '--output',
        join(dir, `${name}.json`),
        '--fail-on',
        'never',
      ])
      expect(r.code, r.stderr).to.equal(0)
    }
    expect(JSON.parse(readFileSync(join(dir, 'prod.json'), 'utf8')).findings.length).to.be.greaterThan(10)
    const r = await run([
      'audit',
      '--targets',
      'staging,prod',
      '--all',
      '--baseline',
      join(dir, '{target}.json'),
      '--json',
    ])
    expect(r.code, r.stderr).to.equal(0)
    const result = resultOf(r)
    expect(result.findings).to.deep.equal([])
    expect(result.suppressed!.length).to.be.greaterThan(20)
  })

  it('an unknown target name is a usage error before any foundation is asked', async () => {
    staging.resetRequests()
    const r = await run(['audit', '--targets', 'staging,prd', '--all'])
    expect(r.code).to.equal(2)
    expect(r.stderr.split('\n')[0]).to.equal('cfguard: no stored target named "prd"')
    expect(staging.requests).to.deep.equal([])
    const both = await run(['audit', '--targets', 'staging', '--api', staging.apiUrl])
    expect(both.code).to.equal(2)
  })
})
