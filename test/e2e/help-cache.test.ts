/**
 * The help bin/run.js serves from lib/help-cache.json (built by scripts/render-help.js) is byte
 * for byte what oclif prints, and anything the cache cannot vouch for still goes to oclif.
 *
 * Which path answered is observed from outside: a preloaded probe records, at exit, how many
 * @oclif/core modules the process loaded (none when the cache answered).
 */
import {Config} from '@oclif/core'
import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import type {HelpCache} from '../../bin/help-cache.js'
import {HELP_CACHE_PATH, fileDigest, formKey} from '../../bin/help-cache.js'
import {BIN, ROOT, cleanEnv} from '../helpers/cli.js'
import {type Env, oclifProbe, type ProbedResult} from '../helpers/oclif-probe.js'

const cache: HelpCache = JSON.parse(readFileSync(HELP_CACHE_PATH, 'utf8'))
const {probeEnv, oclifModules, run} = oclifProbe('cfguard-help-e2e-')

const viaOclif = (argv: string[], extra: Env = {}) => run(argv, {...extra, CFGUARD_NO_HELP_CACHE: '1'})

const argvOf = (key: string): string[] => (key === '' ? [] : key.split('\0'))
const show = (argv: string[]) => ['cfguard', ...argv].join(' ')

describe('help served from the build-time cache', () => {
  describe('every cached form prints what oclif prints, byte for byte, without loading oclif', () => {
    for (const [key, index] of Object.entries(cache.forms)) {
      const argv = argvOf(key)
      it(show(argv), async () => {
        const [cached, oclif] = await Promise.all([run(argv), viaOclif(argv)])
        expect(oclif.oclifModules).to.be.greaterThan(0, 'CFGUARD_NO_HELP_CACHE=1 should go through oclif')
        expect(oclif.code).to.equal(0)
        expect(oclif.stderr).to.equal('')
        expect(cached.oclifModules).to.equal(0, 'the cache should have answered')
        expect(cached.code).to.equal(0)
        expect(cached.stderr).to.equal('')
        expect(cached.stdout).to.equal(oclif.stdout)
        expect(cached.stdout).to.equal(cache.texts[index])
      })
    }
  })

  it('covers the root, every command id, every alias and every topic, in both spellings', async () => {
    const config = await Config.load(ROOT)
    const subjects = [...config.commands.map((c) => c.id), ...config.topics.map((t) => t.name)]
    expect(subjects).to.include.members(['audit', 'identity:audit', 'identity-audit', 'help', 'identity'])
    const expected = [[], ['--help'], ['help']].map(formKey)
    for (const id of subjects) {
      const words = id.split(':')
      expected.push(formKey([...words, '--help']), formKey(['help', ...words]))
    }
    expect(Object.keys(cache.forms)).to.include.members(expected)
  })

  it('was rendered at 80 columns from the files as they are now', () => {
    expect(cache.width).to.equal(80)
    // package.json's oclif.helpOptions: oclif's own help is 80 columns and plain everywhere
    expect({fixedWidth: cache.fixedWidth, plain: cache.plain}).to.deep.equal({fixedWidth: 80, plain: true})
    const sources = Object.keys(cache.sources)
    expect(sources).to.include.members(['package.json', 'oclif.manifest.json'])
    expect(sources.some((p) => p.endsWith('@oclif/core/package.json'))).to.equal(true)
    expect(sources.some((p) => p.endsWith('@oclif/plugin-help/oclif.manifest.json'))).to.equal(true)
    for (const [path, digest] of Object.entries(cache.sources)) {
      expect(fileDigest(join(ROOT, path))).to.equal(digest, path)
    }
  })

  describe('is served where oclif prints the same whatever the setting', () => {
    // helpOptions {maxWidth: 80, stripAnsi: true}: no width or colour setting changes oclif's help
    for (const extra of [{OCLIF_COLUMNS: '120'}, {COLUMNS: '120'}, {FORCE_COLOR: '3'}]) {
      it(`with ${JSON.stringify(extra)}`, async () => {
        const argv = ['audit', '--help']
        const [cached, oclif] = await Promise.all([run(argv, extra), viaOclif(argv, extra)])
        expect(cached.oclifModules).to.equal(0)
        expect(cached.code).to.equal(0)
        expect(cached.stdout).to.equal(oclif.stdout)
        expect(cached.stdout).to.equal(cache.texts[cache.forms[formKey(argv)]!])
      })
    }

    for (const argv of [['-h'], ['audit', '-h'], ['identity', '-h']]) {
      it(`for ${show(argv)}, the same form as --help`, async () => {
        const [cached, oclif] = await Promise.all([run(argv), viaOclif(argv)])
        expect(cached.oclifModules).to.equal(0)
        expect({code: cached.code, stdout: cached.stdout}).to.deep.equal({code: 0, stdout: oclif.stdout})
      })
    }
  })

  describe('falls through to oclif', () => {
    it('under DEBUG, CFGUARD_DEBUG or another OCLIF_ setting', async () => {
      for (const extra of [{DEBUG: 'nothing-matches'}, {CFGUARD_DEBUG: '0'}, {OCLIF_DISABLE_RC: '1'}]) {
        const r = await run(['--help'], extra)
        expect(r.oclifModules).to.be.greaterThan(0, JSON.stringify(extra))
        expect(r.code).to.equal(0)
      }
    })

    for (const argv of [
      ['nosuch', '--help'],
      ['help', 'nosuch'],
      ['identity', 'nosuch', '--help'],
    ]) {
      it(`for ${show(argv)}, which exits as oclif decides`, async () => {
        const [r, oclif] = await Promise.all([run(argv), viaOclif(argv)])
        expect(r.oclifModules).to.be.greaterThan(0)
        expect(r.code).to.not.equal(0)
        expect({code: r.code, stdout: r.stdout, stderr: r.stderr}).to.deep.equal({
          code: oclif.code,
          stdout: oclif.stdout,
          stderr: oclif.stderr,
        })
      })
    }

    it('for a command with --help among other arguments', async () => {
      const r = await run(['audit', '--json', '--help'])
      expect(r.oclifModules).to.be.greaterThan(0)
      expect(r.code).to.equal(0)
    })
  })

  describe('on a terminal (script(1) gives the CLI a pseudo-terminal)', () => {
    before(function () {
      if (spawnSync('script', ['--version']).status !== 0) this.skip()
    })

    /** Runs `shell` under script(1) with the probe; script prints the terminal's bytes (CRLF). */
    function inTerminal(shell: string, extra: Env = {}): Promise<ProbedResult> {
      const {env, out} = probeEnv(extra)
      return new Promise((resolve, reject) => {
        const child = spawn('script', ['-qec', shell, '/dev/null'], {cwd: ROOT, env: cleanEnv(env)})
        let stdout = ''
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
        child.on('error', reject)
        child.on('close', (code, signal) =>
          resolve({code, signal, stdout, stderr: '', oclifModules: oclifModules(out)}),
        )
      })
    }
    const cli = `"${process.execPath}" "${BIN}" audit --help`

    it('serves 80 columns when stderr is not a terminal (oclif prints no colour then)', async () => {
      const [cached, oclif] = await Promise.all([
        inTerminal(`stty cols 80; ${cli} 2>/dev/null`),
        inTerminal(`stty cols 80; ${cli} 2>/dev/null`, {CFGUARD_NO_HELP_CACHE: '1'}),
      ])
      expect(cached.oclifModules).to.equal(0)
      expect(oclif.oclifModules).to.be.greaterThan(0)
      expect(cached.stdout).to.equal(oclif.stdout)
      expect(cached.stdout.replaceAll('\r\n', '\n')).to.equal(
        cache.texts[cache.forms[formKey(['audit', '--help'])]!],
      )
    })

    it('serves a terminal of another width: oclif wraps help at 80 columns there too', async () => {
      const [r, oclif] = await Promise.all([
        inTerminal(`stty cols 120; ${cli} 2>/dev/null`),
        inTerminal(`stty cols 120; ${cli} 2>/dev/null`, {CFGUARD_NO_HELP_CACHE: '1'}),
      ])
      expect(r.oclifModules).to.equal(0)
      expect(oclif.oclifModules).to.be.greaterThan(0)
      expect(r.stdout).to.equal(oclif.stdout)
    })

    it('serves stdout and stderr both terminals: oclif prints help without colour (issue 16)', async () => {
      // supports-color also reads CI, TEAMCITY_VERSION and TERM: a CI runner's own environment
      // would otherwise decide whether oclif colours at all.
      const colour = {
        NO_COLOR: undefined,
        FORCE_COLOR: undefined,
        CI: undefined,
        TEAMCITY_VERSION: undefined,
        TERM: 'xterm-256color',
      }
      const [r, oclif] = await Promise.all([
        inTerminal(`stty cols 80; ${cli}`, colour),
        inTerminal(`stty cols 80; ${cli}`, {...colour, CFGUARD_NO_HELP_CACHE: '1'}),
      ])
      expect(r.oclifModules).to.equal(0)
      expect(oclif.oclifModules).to.be.greaterThan(0)
      expect(r.stdout).to.equal(oclif.stdout)
      expect(r.stdout).not.to.contain('\u001B[')
      expect(r.stdout.replaceAll('\r\n', '\n')).to.equal(
        cache.texts[cache.forms[formKey(['audit', '--help'])]!],
      )
    })
  })

  it('exits 0 quietly when the reader has gone away, like oclif (help and --version)', async () => {
    const cases: [string[], Record<string, string>][] = [
      [['audit', '--help'], {}],
      [['audit', '--help'], {CFGUARD_NO_HELP_CACHE: '1'}],
      [['--version'], {}],
    ]
    for (const [argv, extra] of cases) {
      {
        const result = await new Promise<{code: number | null; stderr: string}>((resolve, reject) => {
          const child = spawn(process.execPath, [BIN, ...argv], {cwd: ROOT, env: cleanEnv(extra)})
          child.stdout.destroy()
          let stderr = ''
          child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
          child.on('error', reject)
          child.on('close', (code) => resolve({code, stderr}))
        })
        expect(result).to.deep.equal({code: 0, stderr: ''}, `${show(argv)} ${JSON.stringify(extra)}`)
      }
    }
  })
})
