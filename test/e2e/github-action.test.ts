/**
 * The GitHub Action (action.yml → action/main.js) run as the Actions runner runs a JavaScript
 * action: every input action.yml declares becomes `INPUT_<NAME>` (upper case, spaces → `_`,
 * hyphens kept) with the workflow's `with:` value or the declared default, the step's `env:`
 * comes along, and outputs go to the file named by GITHUB_OUTPUT. Against the simulator.
 */
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'
import type {Log} from 'sarif'
import {parse as parseYaml} from 'yaml'

import {ROOT, cleanEnv, tempDir} from '../helpers/cli.js'
import {categoryOf, codeScanningProblems, sarifSchemaErrors} from '../helpers/code-scanning.js'
import {useSimulator, type Simulator} from '../helpers/sim.js'

const ACTION = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, {required?: boolean; default?: string}>
  outputs: Record<string, unknown>
  runs: {using: string; main: string}
}
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string}).version
const SEVERITY_ORDER = ['info', 'low', 'medium', 'high', 'critical']

/** The runner's environment for a JavaScript action step: INPUT_* from defaults and `with:`. */
function runnerInputs(withInputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  const key = (name: string) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
  for (const [name, spec] of Object.entries(ACTION.inputs)) env[key(name)] = spec.default ?? ''
  // Undeclared inputs get a warning from the runner, and are still handed over.
  for (const [name, value] of Object.entries(withInputs)) env[key(name)] = value
  return env
}

interface StepRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  /** GITHUB_STEP_SUMMARY as written ('' when nothing was). */
  summary: string
  workspace: string
}

/** Runs the action's `main` as the runner does: `node <main>` in the workspace. */
function runStep(
  withInputs: Record<string, string>,
  stepEnv: Record<string, string> = {},
  options: {extraEnv?: Record<string, string | undefined>; prepare?: (workspace: string) => void} = {},
): Promise<StepRun> {
  const workspace = tempDir('cfguard-workspace-')
  options.prepare?.(workspace)
  const outputFile = join(workspace, '..', `github-output-${process.hrtime.bigint()}`)
  writeFileSync(outputFile, '')
  const summaryFile = join(workspace, '..', `summary-${process.hrtime.bigint()}`)
  writeFileSync(summaryFile, '')
  const env = {
    ...cleanEnv(options.extraEnv),
    ...runnerInputs(withInputs),
    ...stepEnv,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, ACTION.runs.main)], {cwd: workspace, env})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) =>
      resolvePromise({
        code,
        stdout,
        stderr,
        outputs: readOutputs(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
        workspace,
      }),
    )
  })
}

/** GITHUB_OUTPUT in the `name<<DELIMITER` form the runner reads. */
function readOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([\w-]+)<<(.+)$/.exec(lines[i]!)
    if (!m) continue
    const end = lines.indexOf(m[2]!, i + 1)
    outputs[m[1]!] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return outputs
}

function credentials(sim: Simulator) {
  return {
    with: {api: sim.apiUrl, 'client-id': sim.admin.clientId},
    env: {CFGUARD_CLIENT_SECRET: sim.admin.clientSecret},
  }
}

function expectNoSecret(run: StepRun, secret: string): void {
  const seen = [run.stdout, run.stderr, JSON.stringify(run.outputs)]
  const sarif = join(run.workspace, 'cfguard.sarif')
  if (existsSync(sarif)) seen.push(readFileSync(sarif, 'utf8'))
  // Never print the secret itself in a failure message.
  expect(
    seen.some((s) => s.includes(secret)),
    'the client secret appears in the output',
  ).to.equal(false)
}

function atOrAbove(log: Log, failOn: string): number {
  if (failOn === 'never') return 0
  const floor = SEVERITY_ORDER.indexOf(failOn)
  return log.runs
    .flatMap((r) => r.results ?? [])
    .filter((r) => SEVERITY_ORDER.indexOf(String(r.properties?.severity)) >= floor).length
}

describe('GitHub Action (action.yml, action/main.js)', function () {
  this.timeout(120_000)
  const ctx = useSimulator({scenario: 'demo'})

  it('declares the inputs, outputs and a JavaScript runtime the runner knows; no input holds a secret', () => {
    expect(ACTION.runs).to.deep.equal({using: 'node24', main: 'action/main.js'})
    expect(Object.keys(ACTION.inputs)).to.include.members([
      'api',
      'client-id',
      'scope',
      'format',
      'fail-on',
      'policy',
    ])
    expect(Object.keys(ACTION.inputs).filter((n) => /secret|password|token/i.test(n))).to.deep.equal([])
    expect(ACTION.inputs.format?.default).to.equal('sarif')
    expect(ACTION.inputs['fail-on']?.default).to.equal('high')
    expect(Object.keys(ACTION.outputs)).to.include.members(['sarif-file', 'category', 'exit-code'])
  })

  it('writes SARIF that passes the schema and code scanning checks; the exit code follows fail-on', async () => {
    const {sim} = ctx
    const {with: base, env} = credentials(sim)
    const report = await runStep({...base, 'fail-on': 'never'}, env)
    expectNoSecret(report, sim.admin.clientSecret)
    expect(report.code, report.stderr).to.equal(0)
    const log = JSON.parse(readFileSync(join(report.workspace, 'cfguard.sarif'), 'utf8')) as Log
    expect(sarifSchemaErrors(log)).to.equal(null)
    expect(codeScanningProblems(log)).to.deep.equal([])
    const host = encodeURIComponent(new URL(sim.apiUrl).host)
    expect(log.runs.map((r) => r.automationDetails?.id)).to.deep.equal([`cfguard/audit/${host}/`])
    const results = log.runs[0]!.results!.length
    expect(results).to.be.greaterThan(10)
    expect(report.outputs).to.deep.equal({
      'report-file': 'cfguard.sarif',
      'sarif-file': 'cfguard.sarif',
      category: `cfguard/audit/${host}`,
      results: String(results),
      'exit-code': '0',
    })

    // The demo foundation plants a finding per rule, so `high` fails and `never` does not; a
    // severity above every finding would pass: the code follows the SARIF's own results.
    for (const failOn of ['critical', 'info']) {
      const gated = await runStep({...base, 'fail-on': failOn}, env)
      expectNoSecret(gated, sim.admin.clientSecret)
      const expected = atOrAbove(log, failOn) > 0 ? 3 : 0
      expect(gated.code, `fail-on ${failOn}: ${gated.stderr.slice(-300)}`).to.equal(expected)
      expect(gated.outputs['exit-code']).to.equal(String(expected))
      if (expected === 3)
        expect(gated.stdout).to.contain('::error title=cfguard::exit 3: findings at or above fail-on')
    }
    expect(atOrAbove(log, 'info')).to.be.greaterThan(0)
  })

  it('scope ORG/SPACE, another command and a policy file: a category of its own, findings of that space', async () => {
    const {sim} = ctx
    const {with: base, env} = credentials(sim)
    const whole = await runStep({...base, 'fail-on': 'never'}, env)
    expectNoSecret(whole, sim.admin.clientSecret)
    const all = JSON.parse(readFileSync(join(whole.workspace, 'cfguard.sarif'), 'utf8')) as Log
    const fqn = all.runs[0]!.results!.map((r) => r.locations![0]!.logicalLocations![0]!.fullyQualifiedName!)
    const scoped = fqn.find((n) => n.split('/').length === 4 && !n.includes('%'))!
    const [org, space] = scoped.split('/') as [string, string]

    const policy = 'ci/cfguard.yml'
    // A report an earlier step left behind is not this run's.
    const stale = (ws: string) =>
      writeFileSync(join(ws, 'cfguard.sarif'), readFileSync(join(whole.workspace, 'cfguard.sarif')))
    const run = await runStep(
      {...base, scope: `${org}/${space}`, command: 'identity-audit', 'fail-on': 'never', policy},
      env,
      {prepare: stale},
    )
    expectNoSecret(run, sim.admin.clientSecret)
    // No such file yet: a usage error naming it, exit 2, no report.
    expect(run.code).to.equal(2)
    expect(run.stderr).to.contain('ci/cfguard.yml')
    expect(run.stderr).not.to.match(/\n\s+at /)
    expect(run.outputs['exit-code']).to.equal('2')
    expect(run.outputs).to.deep.equal({'exit-code': '2'})

    const withPolicy = await runStep(
      {...base, scope: `${org}/${space}`, command: 'identity-audit', 'fail-on': 'never', policy},
      env,
      {
        prepare: (ws) => {
          mkdirSync(join(ws, 'ci'))
          writeFileSync(join(ws, policy), 'version: 1\nrules:\n  disable: [identity/secret-in-env]\n')
        },
      },
    )
    expectNoSecret(withPolicy, sim.admin.clientSecret)
    expect(withPolicy.code, withPolicy.stderr).to.equal(0)
    const log = JSON.parse(readFileSync(join(withPolicy.workspace, 'cfguard.sarif'), 'utf8')) as Log
    expect(codeScanningProblems(log)).to.deep.equal([])
    const host = encodeURIComponent(new URL(sim.apiUrl).host)
    const category = `cfguard/identity-audit/${host}/${encodeURIComponent(org)}/${encodeURIComponent(space)}`
    expect(categoryOf(log.runs[0]!.automationDetails!.id!)).to.equal(category)
    expect(withPolicy.outputs.category).to.equal(category)
    expect(withPolicy.summary).to.match(/^### cfguard identity audit\n\n\d+ result\(s\) in cfguard\.sarif /)
    const ids = log.runs[0]!.results!.map((r) => r.ruleId!)
    expect(ids.length).to.be.greaterThan(0)
    expect(ids.every((id) => id.startsWith('identity/'))).to.equal(true)
    expect(ids).not.to.include('identity/secret-in-env')
    for (const r of log.runs[0]!.results!) {
      const name = r.locations![0]!.logicalLocations![0]!.fullyQualifiedName!
      if (name.split('/').length === 4) expect(name.startsWith(`${org}/${space}/`), name).to.equal(true)
    }
  })

  it('refuses a client secret given as an input, without echoing it', async () => {
    const {sim} = ctx
    const {with: base} = credentials(sim)
    const run = await runStep({...base, 'client-secret': sim.admin.clientSecret})
    expectNoSecret(run, sim.admin.clientSecret)
    expect(run.code).to.equal(2)
    expect(run.stdout.trim().split('\n')).to.have.length(1)
    expect(run.stdout).to.match(/^::error title=cfguard::client-secret is not an input.*next: /)
  })

  it('runs the image of its own version with the secret passed by name, never on the command line', async () => {
    const {sim} = ctx
    const {with: base, env} = credentials(sim)
    const bin = tempDir('cfguard-fake-docker-')
    const record = join(bin, 'argv.json')
    // A stand-in for docker that records how it was called and what reached its environment.
    writeFileSync(
      join(bin, 'docker'),
      `#!${process.execPath}\n` +
        `require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({argv: process.argv.slice(2), ` +
        "secret: require('node:crypto').createHash('sha256').update(process.env.CFGUARD_CLIENT_SECRET ?? '').digest('hex')}))\n" +
        'process.exit(3)\n',
    )
    chmodSync(join(bin, 'docker'), 0o755)
    const run = await runStep({...base, runner: 'image', scope: 'acme', 'fail-on': 'medium'}, env, {
      extraEnv: {PATH: `${bin}:${process.env.PATH ?? ''}`},
    })
    expectNoSecret(run, sim.admin.clientSecret)
    expect(run.code, run.stderr).to.equal(3)
    const {argv, secret} = JSON.parse(readFileSync(record, 'utf8')) as {argv: string[]; secret: string}
    const digest = createHash('sha256').update(sim.admin.clientSecret).digest('hex')
    expect(secret === digest, 'docker did not get CFGUARD_CLIENT_SECRET in its environment').to.equal(true)
    expect(
      argv.join(' ').includes(sim.admin.clientSecret),
      'the secret is on the docker command line',
    ).to.equal(false)
    const image = argv.indexOf(`ghcr.io/cfguard/cfguard:${VERSION}`)
    expect(image).to.be.greaterThan(0)
    expect(argv.slice(0, 2)).to.deep.equal(['run', '--rm'])
    const options = argv.slice(0, image)
    expect(options).to.include.members(['-e', 'CFGUARD_CLIENT_SECRET', 'CFGUARD_CLIENT_ID', '-v', '--user'])
    expect(options).to.include(`${run.workspace}:${run.workspace}`)
    expect(argv.slice(image + 1)).to.deep.equal([
      'audit',
      '--api',
      sim.apiUrl,
      '--org',
      'acme',
      '--format',
      'sarif',
      '--output',
      'cfguard.sarif',
      '--fail-on',
      'medium',
    ])
    expect(run.outputs['exit-code']).to.equal('3')
  })
})
