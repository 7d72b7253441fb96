import {Config} from '@oclif/core'
import {expect} from 'chai'

import {ROOT, runCli} from '../helpers/cli.js'

describe('cfguard --version', () => {
  it('prints the user agent oclif would print, answered by bin/version.js without loading oclif', async () => {
    const r = await runCli(['--version'])
    expect(r.code).to.equal(0)
    expect(r.stderr).to.equal('')
    const config = await Config.load(ROOT)
    expect(r.stdout).to.equal(`${config.userAgent}\n`)
  })

  it('other arguments still go through oclif', async () => {
    const r = await runCli(['--help'])
    expect(r.code).to.equal(0)
    expect(r.stdout).to.contain('USAGE')
  })
})
