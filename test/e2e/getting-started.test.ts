/**
 * Getting started on the simulator (issue 16): the lines `cfguard sim` prints work when pasted
 * into a shell, and after a login with nothing targeted cfguard says how to target an org/space.
 */
import {expect} from 'chai'
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {chmodSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {loginHint} from '../../src/actions/auth/login.js'
import {BIN, ROOT, cleanEnv, tempDir} from '../helpers/cli.js'

/** A `cfguard` on PATH that runs the built CLI, as `npm install -g` would provide. */
function shimDir(): string {
  const dir = tempDir('cfguard-shim-')
  const shim = join(dir, 'cfguard')
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
  chmodSync(shim, 0o755)
  return dir
}

/** Runs pasted lines in sh with the shim first on PATH and a fresh home. */
function paste(lines: string[], home: string) {
  const env = cleanEnv({CFGUARD_HOME: home, PATH: `${shimDir()}:${process.env.PATH ?? ''}`})
  return spawnSync('sh', ['-c', lines.join('\n')], {cwd: ROOT, env, encoding: 'utf8', timeout: 60_000})
}

describe('e2e: getting started on the simulator', function () {
  this.timeout(120_000)
  let sim: ChildProcess
  let banner = ''

  before(async () => {
    sim = spawn(process.execPath, [BIN, 'sim', '--scenario', 'demo'], {cwd: ROOT, env: cleanEnv()})
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`cfguard sim did not start: ${banner}`)), 30_000)
      sim.stderr!.on('data', (d: Buffer) => {
        banner += d.toString()
        if (banner.includes('Serving until Ctrl-C.')) {
          clearTimeout(timer)
          resolve()
        }
      })
      sim.on('exit', (code) => reject(new Error(`cfguard sim exited early (${code}): ${banner}`)))
    })
  })
  after(() => {
    sim?.kill('SIGINT')
  })

  const lines = (prefix: RegExp) =>
    banner
      .split('\n')
      .filter((l) => prefix.test(l))
      .map((l) => l.trim())

  it('the export lines, pasted, reach the simulator as its admin client', () => {
    const exports = lines(/^ {2}export CFGUARD_/)
    expect(exports).to.have.length(3)
    const r = paste([...exports, 'cfguard target --json'], tempDir('cfguard-home-'))
    expect(r.status, r.stderr).to.equal(0)
    const shown = JSON.parse(r.stdout) as {result: {api: string; client: string}}
    expect(banner).to.contain(`export CFGUARD_API=${shown.result.api}`)
    expect(shown.result.client).to.equal('cfguard-sim-admin')
  })

  it('each login line, pasted, logs in, and the hint says how to target an org and space', () => {
    const logins = lines(/^ {2}CFGUARD_PASSWORD=\S+ cfguard login /)
    expect(logins).to.have.length(2)
    for (const [line, user] of logins.map((l, i) => [l, ['admin', 'global-auditor'][i]!] as const)) {
      const home = tempDir('cfguard-home-')
      const r = paste([line], home)
      expect(r.status, r.stderr).to.equal(0)
      expect(r.stdout).to.match(new RegExp(`^Logged in\\.\\n[\\s\\S]*user: +${user}\\n`))
      // no terminal here: no picker, the hint instead (on stderr, for people)
      expect(r.stderr).to.equal(`${loginHint({org: null, space: null})}\n`)
      expect(r.stderr).to.contain('cfguard target -o ORG -s SPACE')
      const target = paste(['cfguard target -o acme -s prod', 'cfguard target --json'], home)
      expect(target.status, target.stderr).to.equal(0)
      expect(JSON.parse(target.stdout.slice(target.stdout.indexOf('{'))).result).to.deep.include({user})
    }
  })

  it('at a terminal, login offers a picker for the org and the space, as cf login does', async function () {
    if (spawnSync('script', ['--version']).status !== 0) this.skip()
    const line = lines(/^ {2}CFGUARD_PASSWORD=\S+ cfguard login .* -u admin$/)[0]!
    const password = /^CFGUARD_PASSWORD=(\S+) /.exec(line)![1]!
    const api = /--api (\S+)/.exec(line)![1]!
    const home = tempDir('cfguard-home-')
    const env = cleanEnv({CFGUARD_HOME: home, CFGUARD_PASSWORD: password})
    // script(1) gives login a pseudo-terminal; each answer is typed once its question is shown
    const child = spawn(
      'script',
      ['-qec', `"${process.execPath}" "${BIN}" login --api ${api} -u admin`, '/dev/null'],
      {
        cwd: ROOT,
        env,
      },
    )
    let screen = ''
    const answers: [string, string][] = [
      ['Org (number or name, Enter to skip): ', 'acme\n'],
      ['Space (number or name, Enter to skip): ', '2\n'],
    ]
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      screen += d
      const next = answers[0]
      if (next && screen.includes(next[0])) {
        answers.shift()
        child.stdin.write(next[1])
      }
    })
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    const text = screen.replaceAll('\r', '')
    expect(code, text).to.equal(0)
    expect(text).to.contain('Select an org:\n1. acme\n2. globex')
    expect(text).to.contain('Select a space:\n1. dev\n2. prod\n3. staging')
    expect(text).to.match(/org: +acme\n/)
    expect(text).to.match(/space: +prod\n/)
    expect(text).not.to.contain('No org or space targeted')
  })

  it('nothing secret is on a login line after `login`', () => {
    for (const line of lines(/^ {2}CFGUARD_PASSWORD=/)) {
      const password = /^CFGUARD_PASSWORD=(\S+) /.exec(line)![1]!
      expect(line.split(' login ')[1]).not.to.contain(password)
    }
  })
})
