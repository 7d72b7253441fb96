/**
 * A token store other users could read (issue 14 item 10) is not used silently: like ssh, cfguard
 * warns, and tightens what it owns (config.json 0600, its directory 0700).
 */
import {expect} from 'chai'
import {chmodSync, mkdirSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {runCli, tempDir} from '../helpers/cli.js'

const STORE = {
  version: 1,
  current: 'prod',
  targets: {
    prod: {
      api: 'https://api.sys.example.com',
      auth: {kind: 'client', clientId: 'ops-client'},
      org: null,
      space: null,
      savedAt: '2026-11-01T00:00:00.000Z',
    },
  },
}

const mode = (path: string) => statSync(path).mode & 0o777

describe('the token store: modes', function () {
  this.timeout(60_000)

  it('a 0644 store in a 0755 home: one warning naming both, then 0600 / 0700', async () => {
    const home = join(tempDir('cfguard-modes-'), 'home')
    mkdirSync(home)
    chmodSync(home, 0o755)
    const file = join(home, 'config.json')
    writeFileSync(file, JSON.stringify(STORE))
    chmodSync(file, 0o644)
    const r = await runCli(['target'], {env: {CFGUARD_HOME: home}})
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '))
    expect(warnings, r.stderr).to.have.length(1)
    expect(warnings[0]).to.match(/token store was readable by other users/)
    expect(warnings[0]).to.include(`${home} was 0755, now 0700`)
    expect(warnings[0]).to.include(`${file} was 0644, now 0600`)
    expect(warnings[0]).to.match(/cfguard logout --all/)
    expect(mode(file)).to.equal(0o600)
    expect(mode(home)).to.equal(0o700)

    const again = await runCli(['target'], {env: {CFGUARD_HOME: home}})
    expect(again.stderr).not.to.match(/^warning: /m)
  })

  it('a private store: no warning', async () => {
    const home = join(tempDir('cfguard-modes-'), 'home')
    mkdirSync(home, {mode: 0o700})
    writeFileSync(join(home, 'config.json'), JSON.stringify(STORE), {mode: 0o600})
    const r = await runCli(['target'], {env: {CFGUARD_HOME: home}})
    expect(r.stderr).not.to.match(/^warning: /m)
  })
})
