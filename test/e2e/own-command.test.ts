/**
 * bin/run.js loads the package's own commands without the help and autocomplete plugins
 * (bin/own-command.js). What oclif makes of that Config is the same command, and the CLI's
 * answers are the same as with every plugin loaded (CFGUARD_ALL_PLUGINS=1).
 */
import {Config} from '@oclif/core'
import {expect} from 'chai'

import {loadOptionsFor} from '../../bin/own-command.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

const noPlugins = {XDG_DATA_HOME: tempDir('cfguard-own-e2e-')}
const login = {
  CFGUARD_API: 'http://127.0.0.1:1',
  CFGUARD_CLIENT_ID: 'c',
  CFGUARD_CLIENT_SECRET: 'not-a-secret',
}

describe('e2e: own commands without the plugins', function () {
  this.timeout(60_000)

  it('oclif builds the same commands from it, only the plugins’ own are missing', async () => {
    const full = await Config.load(ROOT)
    const own = await Config.load(loadOptionsFor(['audit'], noPlugins)!)
    expect([...own.plugins.keys()]).to.deep.equal(['cfguard'])
    expect([...full.plugins.keys()]).to.include.members(['cfguard', '@oclif/plugin-help'])
    const shape = (c: Config) =>
      c.commands
        .filter((cmd) => cmd.pluginName === 'cfguard')
        .map((cmd) => ({id: cmd.id, aliases: cmd.aliases, flags: cmd.flags, args: cmd.args}))
    expect(shape(own)).to.deep.equal(shape(full))
    expect(own.commands.length).to.be.lessThan(full.commands.length)
    expect(own.userAgent).to.equal(full.userAgent)
    expect(own.dataDir).to.equal(full.dataDir)
  })

  const runs: [string, string[], Record<string, string>][] = [
    ['a network error, as JSON', ['audit', '--json'], login],
    ['a network error, for people', ['identity', 'list'], login],
    ['a flag typo (exit 2)', ['identity', 'list', '--fial-on', 'high'], login],
    ['a missing flag value', ['credentials', 'rotate', '--app'], login],
    ['an alias', ['identities', '--json'], login],
    ['a local command', ['rules', '--json'], {}],
    ['not logged in', ['target', '--json'], {}],
  ]
  for (const [what, argv, env] of runs) {
    it(`answers as with every plugin: ${what}`, async () => {
      const [own, all] = await Promise.all([
        runCli(argv, {env: {...noPlugins, ...env}}),
        runCli(argv, {env: {...noPlugins, ...env, CFGUARD_ALL_PLUGINS: '1'}}),
      ])
      expect(own.stdout + own.stderr).not.to.equal('')
      expect({code: own.code, stdout: own.stdout, stderr: own.stderr}).to.deep.equal({
        code: all.code,
        stdout: all.stdout,
        stderr: all.stderr,
      })
    })
  }
})
