/**
 * cfguard as a library (src/index.ts, docs/library.md): the example script in examples/ imports
 * `cfguard` by its package name, as a user's script does, and runs against the simulator. What it
 * prints must agree with the CLI's own audit of the same foundation, rule by rule.
 */
import {spawn} from 'node:child_process'
import {join} from 'node:path'

import {expect} from 'chai'

import {cleanEnv, parseJson, ROOT, runCli} from '../helpers/cli.js'
import {useSimulator} from '../helpers/sim.js'

const EXAMPLE = join(ROOT, 'examples/audit-summary.mjs')

function runExample(
  env: Record<string, string>,
): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [EXAMPLE], {cwd: ROOT, env: cleanEnv(env)})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stdout, stderr}))
  })
}

describe('cfguard as a library: the example script', function () {
  this.timeout(60_000)
  const s = useSimulator({scenario: 'demo'})

  it('imports cfguard by name, audits the demo foundation and agrees with `cfguard audit`', async () => {
    const env = {
      CFGUARD_API: s.sim.apiUrl,
      CFGUARD_CLIENT_ID: s.sim.admin.clientId,
      CFGUARD_CLIENT_SECRET: s.sim.admin.clientSecret,
    }
    const script = await runExample(env)
    expect(script.code, script.stderr).to.equal(0)
    const lines = script.stdout.trim().split('\n')
    expect(lines[0]).to.match(
      new RegExp(`^${s.sim.apiUrl.replaceAll('.', '\\.')}: \\d+ apps, \\d+ requests$`),
    )
    const fromScript = new Map<string, number>()
    for (const line of lines.slice(1).filter((l) => !l.startsWith('not read:'))) {
      const m = /^(\w+)\s+(\d+)\s+(\S+)$/.exec(line)
      expect(m, line).to.not.equal(null)
      fromScript.set(m![3]!, Number(m![2]))
    }
    expect(fromScript.size).to.be.greaterThan(5)
    expect(script.stdout).to.not.contain(s.sim.admin.clientSecret)

    const cli = await runCli(['audit', '--all', '--no-secrets', '--json', '--fail-on', 'never'], {env})
    expect(cli.code, cli.stderr).to.equal(0)
    const result = parseJson<{findings: {rule: string}[]}>(cli).result
    const fromCli = new Map<string, number>()
    for (const f of result.findings) fromCli.set(f.rule, (fromCli.get(f.rule) ?? 0) + 1)
    expect(Object.fromEntries(fromScript)).to.deep.equal(Object.fromEntries(fromCli))
  })
})
