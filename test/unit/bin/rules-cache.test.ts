import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {fileDigest, formKey} from '../../../bin/help-cache.js'
import type {CachedRulesOptions, RulesCache} from '../../../bin/rules-cache.js'
import {RULES_CACHE_SCHEMA, cachedRules, mightBeRules, noUserPlugins} from '../../../bin/rules-cache.js'
import {tempDir} from '../../helpers/cli.js'

// a package root of its own: a stand-in terminal.js whose width rule the cache must use, a source
const root = tempDir('cfguard-rules-unit-')
mkdirSync(join(root, 'lib/cli/render'), {recursive: true})
writeFileSync(
  join(root, 'lib/cli/render/terminal.js'),
  'export function outputWidth(env, stream) { return Number(env.COLUMNS || (stream.isTTY ? stream.columns : 120)) }\n',
)
writeFileSync(join(root, 'lib/rules.js'), 'export const rules = 1\n')
const TABLE = 'RULE  SEVERITY\nidentity/drift  high\n'

function writeCache(change: Partial<RulesCache> = {}): string {
  const cache: RulesCache = {
    schema: RULES_CACHE_SCHEMA,
    width: 120,
    flagEnv: ['CFGUARD_JSON', 'CFGUARD_QUIET'],
    dirname: 'cfguard',
    sources: {
      'lib/rules.js': fileDigest(join(root, 'lib/rules.js')),
      'lib/cli/render/terminal.js': fileDigest(join(root, 'lib/cli/render/terminal.js')),
      'gone.json': null,
    },
    forms: {[formKey(['rules'])]: TABLE, [formKey(['rules', 'identity'])]: 'identity\n'},
    ...change,
  }
  const path = join(tempDir('cfguard-rules-cache-'), 'rules-cache.json')
  writeFileSync(path, JSON.stringify(cache))
  return path
}

const dataHome = tempDir('cfguard-rules-data-')
const pipe = {isTTY: false}
function options(change: Partial<CachedRulesOptions> = {}): CachedRulesOptions {
  return {env: {XDG_DATA_HOME: dataHome, HOME: root}, stdout: pipe, cachePath: writeCache(), root, ...change}
}

describe('bin/rules-cache: when `cfguard rules` may be answered from the build', () => {
  it('serves a rendered form when nothing differs', async () => {
    expect(await cachedRules(['rules'], options())).to.equal(TABLE)
    expect(await cachedRules(['rules', 'identity'], options())).to.equal('identity\n')
  })

  it('only ever considers `rules` with at most one word that is not a flag', () => {
    expect([['rules'], ['rules', 'x']].map(mightBeRules)).to.deep.equal([true, true])
    expect([['rules', '--json'], ['rules', 'a', 'b'], ['audit'], []].map(mightBeRules)).to.deep.equal([
      false,
      false,
      false,
      false,
    ])
  })

  describe('answers nothing', () => {
    const cases: [string, () => Partial<CachedRulesOptions>, string[]?][] = [
      ['for a form not rendered', () => ({}), ['rules', 'routes']],
      ['for a flag', () => ({}), ['rules', '--json']],
      ['at another width (COLUMNS)', () => ({env: {...options().env, COLUMNS: '100'}})],
      ['at a terminal of another width', () => ({stdout: {isTTY: true, columns: 90}})],
      ['when a flag’s variable is set, even empty', () => ({env: {...options().env, CFGUARD_JSON: ''}})],
      ['under CFGUARD_NO_RULES_CACHE', () => ({env: {...options().env, CFGUARD_NO_RULES_CACHE: '1'}})],
      ['under DEBUG', () => ({env: {...options().env, DEBUG: 'x'}})],
      ['under an OCLIF_ setting', () => ({env: {...options().env, OCLIF_DISABLE_RC: '1'}})],
      ['when a source changed', () => ({cachePath: writeCache({sources: {'lib/rules.js': 'f'.repeat(64)}})})],
      [
        'when a source that was absent exists',
        () => ({cachePath: writeCache({sources: {'lib/rules.js': null}})}),
      ],
      ['for another schema', () => ({cachePath: writeCache({schema: RULES_CACHE_SCHEMA + 1})})],
      ['without a cache', () => ({cachePath: join(root, 'none.json')})],
      [
        'when the data dir cannot be read (a path through a file)',
        () => ({env: {XDG_DATA_HOME: join(root, 'lib/rules.js')}}),
      ],
    ]
    for (const [what, change, argv] of cases) {
      it(what, async () => {
        expect(await cachedRules(argv ?? ['rules'], options(change()))).to.equal(undefined)
      })
    }

    it('when a user plugin is listed in the data dir', async () => {
      const data = tempDir('cfguard-rules-plugins-')
      mkdirSync(join(data, 'cfguard'))
      writeFileSync(join(data, 'cfguard', 'package.json'), '{}')
      expect(noUserPlugins(join(data, 'cfguard'))).to.equal(false)
      expect(await cachedRules(['rules'], options({env: {XDG_DATA_HOME: data}}))).to.equal(undefined)
    })
  })
})
