import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {PACKAGE_ROOT} from '../../../bin/help-cache.js'
import {loadOptionsFor, ownCommandId} from '../../../bin/own-command.js'
import {tempDir} from '../../helpers/cli.js'

const ids = new Set(['audit', 'identity:list', 'identities', 'credentials', 'credentials:list'])
const noPlugins = {XDG_DATA_HOME: tempDir('cfguard-own-data-')}

describe('bin/own-command: which runs may skip the help and autocomplete plugins', () => {
  it('ownCommandId takes the longest run of leading words that names a command', () => {
    expect(ownCommandId(['audit', '--json'], ids)).to.equal('audit')
    expect(ownCommandId(['identity', 'list', '--org', 'x'], ids)).to.equal('identity:list')
    expect(ownCommandId(['credentials', 'list'], ids)).to.equal('credentials:list')
    expect(ownCommandId(['credentials', '--json'], ids)).to.equal('credentials')
    expect(ownCommandId(['identities'], ids)).to.equal('identities')
    expect(ownCommandId(['identity'], ids)).to.equal(undefined)
    expect(ownCommandId(['audti'], ids)).to.equal(undefined)
    expect(ownCommandId([], ids)).to.equal(undefined)
  })

  it('hands oclif this package.json without plugins for a command of the package', () => {
    for (const argv of [
      ['audit', '--json', '--all'],
      ['identity', 'list'],
      ['identities'],
      ['rules', '--json'],
    ]) {
      const options = loadOptionsFor(argv, noPlugins)
      expect(options?.root, argv.join(' ')).to.equal(PACKAGE_ROOT)
      expect(options?.pjson.oclif.plugins).to.deep.equal([])
      expect(options?.pjson.name).to.equal('cfguard')
    }
  })

  describe('leaves the full load to oclif', () => {
    const cases: [string, string[], Record<string, string>?][] = [
      ['help in any spelling', ['audit', '--help']],
      ['-h', ['identity', 'list', '-h']],
      ['help first', ['help', 'audit']],
      ['help as a value', ['audit', '--org', 'help']],
      ['--version', ['audit', '--version']],
      ['autocomplete', ['autocomplete']],
      ['a typo', ['audti']],
      ['a topic alone', ['identity']],
      ['nothing', []],
      ['CFGUARD_ALL_PLUGINS', ['audit'], {CFGUARD_ALL_PLUGINS: '1'}],
    ]
    for (const [what, argv, env] of cases) {
      it(what, () => {
        expect(loadOptionsFor(argv, {...noPlugins, ...env})).to.equal(undefined)
      })
    }

    it('when a user plugin is listed in the data dir', () => {
      const data = tempDir('cfguard-own-plugins-')
      mkdirSync(join(data, 'cfguard'))
      writeFileSync(join(data, 'cfguard', 'package.json'), '{}')
      expect(loadOptionsFor(['audit'], {XDG_DATA_HOME: data})).to.equal(undefined)
    })

    it('when the package cannot be read', () => {
      expect(loadOptionsFor(['audit'], noPlugins, tempDir('cfguard-own-empty-'))).to.equal(undefined)
    })
  })
})
