/**
 * `cfguard rules [RULE]` served from lib/rules-cache.json (built by scripts/render-rules.js) is
 * byte for byte what the command prints through oclif, and anything the cache cannot vouch for
 * still goes to oclif. Which path answered is observed from outside: a preloaded probe records,
 * at exit, how many @oclif/core modules the process loaded (none when the cache answered).
 */
import {expect} from 'chai'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {formKey} from '../../bin/help-cache.js'
import type {RulesCache} from '../../bin/rules-cache.js'
import {RULES_CACHE_PATH} from '../../bin/rules-cache.js'
import {fileDigest} from '../../bin/help-cache.js'
import {listRules} from '../../src/actions/rules.js'
import {ROOT, tempDir} from '../helpers/cli.js'
import {type Env, oclifProbe} from '../helpers/oclif-probe.js'

const cache: RulesCache = JSON.parse(readFileSync(RULES_CACHE_PATH, 'utf8'))
const probe = oclifProbe('cfguard-rules-e2e-')

/** The CLI as a pipe or a script sees it: no COLUMNS (the test helper sets 100), no user plugins. */
const run = (argv: string[], extra: Env = {}) => probe.run(argv, {COLUMNS: undefined, ...extra})
const viaOclif = (argv: string[], extra: Env = {}) => run(argv, {...extra, CFGUARD_NO_RULES_CACHE: '1'})
const show = (argv: string[]) => ['cfguard', ...argv].join(' ')

describe('e2e: `cfguard rules` served from the build-time cache', function () {
  this.timeout(60_000)

  describe('every cached form prints what oclif prints, byte for byte, without loading oclif', () => {
    for (const key of Object.keys(cache.forms)) {
      const argv = key.split('\0')
      it(show(argv), async () => {
        const [cached, oclif] = await Promise.all([run(argv), viaOclif(argv)])
        expect(oclif.oclifModules).to.be.greaterThan(0, 'CFGUARD_NO_RULES_CACHE=1 should go through oclif')
        expect([oclif.code, oclif.stderr]).to.deep.equal([0, ''])
        expect(cached.oclifModules).to.equal(0, 'the cache should have answered')
        expect([cached.code, cached.stderr]).to.deep.equal([0, ''])
        expect(cached.stdout).to.equal(oclif.stdout)
      })
    }
  })

  it('covers `rules`, every rule id and every family, rendered at 120 columns from lib/ as it is now', () => {
    const rules = listRules()
    const expected = [
      ['rules'],
      ...rules.map((r) => ['rules', r.id]),
      ...[...new Set(rules.map((r) => r.family))].map((f) => ['rules', f]),
    ].map(formKey)
    expect(Object.keys(cache.forms)).to.have.members(expected)
    expect(cache.width).to.equal(120)
    const sources = Object.keys(cache.sources)
    expect(sources).to.include.members([
      'package.json',
      'oclif.manifest.json',
      'lib/commands/rules.js',
      'lib/actions/rules.js',
      'lib/cli/views/rules.js',
      'lib/cli/render/terminal.js',
      'lib/checks/index.js',
    ])
    for (const [path, digest] of Object.entries(cache.sources)) {
      expect(fileDigest(join(ROOT, path))).to.equal(digest, path)
    }
  })

  describe('falls through to oclif, which prints what the setting asks for', () => {
    const settings: [string, string[], Env][] = [
      ['another width (COLUMNS)', ['rules'], {COLUMNS: '100'}],
      ['CFGUARD_JSON', ['rules'], {CFGUARD_JSON: '1'}],
      ['CFGUARD_QUIET, even off', ['rules', 'routes'], {CFGUARD_QUIET: '0'}],
      ['DEBUG', ['rules'], {DEBUG: 'nothing-matches'}],
      ['--json', ['rules', '--json'], {}],
      ['a rule and a flag', ['rules', 'identity', '--quiet'], {}],
      ['two rules', ['rules', 'identity', 'routes'], {}],
      ['an unknown rule (exit 2)', ['rules', 'nosuch'], {}],
    ]
    for (const [what, argv, extra] of settings) {
      it(`${what}: ${show(argv)}`, async () => {
        const [r, oclif] = await Promise.all([run(argv, extra), viaOclif(argv, extra)])
        expect(r.oclifModules).to.be.greaterThan(0)
        expect({code: r.code, stdout: r.stdout, stderr: r.stderr}).to.deep.equal({
          code: oclif.code,
          stdout: oclif.stdout,
          stderr: oclif.stderr,
        })
      })
    }

    it('with a user-installed plugin listed in the data dir', async () => {
      const data = tempDir('cfguard-rules-data-')
      mkdirSync(join(data, 'cfguard'), {recursive: true})
      writeFileSync(join(data, 'cfguard', 'package.json'), JSON.stringify({oclif: {plugins: []}}))
      const r = await run(['rules'], {XDG_DATA_HOME: data})
      expect(r.oclifModules).to.be.greaterThan(0)
      expect(r.code).to.equal(0)
    })
  })
})
