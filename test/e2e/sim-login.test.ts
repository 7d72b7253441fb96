import {expect} from 'chai'

import {parseJson, runCli, tempDir} from '../helpers/cli.js'
import {startSimCommand, type SimProcess} from '../helpers/sim-command.js'

describe('cfguard sim serves a foundation that login and target accept', function () {
  this.timeout(60_000)
  let sim: SimProcess

  before(async () => {
    sim = await startSimCommand(['--scenario', 'empty'], 20_000)
  })
  after(() => {
    sim?.child.kill('SIGINT')
  })

  it('password login (stdin), target, logout', async () => {
    const home = tempDir('cfguard-home-')
    const dev = sim.doc.users.spaceDeveloper!
    const login = await runCli(['login', '--api', sim.doc.apiUrl, '-u', dev.username, '--password-stdin'], {
      env: {CFGUARD_HOME: home},
      input: `${dev.password}\n`,
    })
    expect(login.code, login.stderr).to.equal(0)
    expect((login.stdout + login.stderr).includes(dev.password)).to.equal(
      false,
      'password leaked into output',
    )

    const target = await runCli(['target', '--json'], {env: {CFGUARD_HOME: home}})
    expect(target.code, target.stderr).to.equal(0)
    const shown = parseJson<{api: string; user: string | null; ccVersion: string}>(target).result
    expect(shown).to.include({api: sim.doc.apiUrl, user: dev.username})
    expect(shown.ccVersion).to.match(/^3\.\d+\.\d+$/)

    const logout = await runCli(['logout'], {env: {CFGUARD_HOME: home}})
    expect(logout.code, logout.stderr).to.equal(0)
    const after = await runCli(['target'], {env: {CFGUARD_HOME: home}})
    expect(after.code).to.equal(4)
    expect(after.stderr).to.match(/^cfguard: .*\n {2}next: .*login/m)
  })

  it('client-credentials login with the secret from the environment, then target', async () => {
    const home = tempDir('cfguard-home-')
    const {clientId, clientSecret} = sim.doc.admin
    const login = await runCli(['login', '--api', sim.doc.apiUrl, '--client-id', clientId], {
      env: {CFGUARD_HOME: home, CFGUARD_CLIENT_SECRET: clientSecret},
    })
    expect(login.code, login.stderr).to.equal(0)
    const target = await runCli(['target', '--json'], {
      env: {CFGUARD_HOME: home, CFGUARD_CLIENT_SECRET: clientSecret},
    })
    expect(target.code, target.stderr).to.equal(0)
    expect(parseJson<{client: string | null}>(target).result.client).to.equal(clientId)
  })

  it('the ready-to-paste environment alone is a complete target', async () => {
    const r = await runCli(['target', '--json'], {
      env: {
        CFGUARD_API: sim.doc.apiUrl,
        CFGUARD_CLIENT_ID: sim.doc.admin.clientId,
        CFGUARD_CLIENT_SECRET: sim.doc.admin.clientSecret,
      },
    })
    expect(r.code, r.stderr).to.equal(0)
    expect(parseJson<{api: string}>(r).result.api).to.equal(sim.doc.apiUrl)
  })
})
