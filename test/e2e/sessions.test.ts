/**
 * Issue 15 sessions: a client login leaves a usable target; `login -a`; which session a run uses
 * when both a cfguard login and a cf CLI session exist; `--cf-session` for one run.
 */
import {expect} from 'chai'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {parseJson, runCli, tempDir} from '../helpers/cli.js'
import {useSimulator} from '../helpers/sim.js'

describe('sessions, end to end', function () {
  this.timeout(120_000)
  const ctx = useSimulator({scenario: 'demo'})

  it('login -a --client-id, then target and identity list with no secret in the environment', async () => {
    const {sim} = ctx
    const home = tempDir('cfguard-home-')
    const login = await runCli(['login', '-a', sim.apiUrl, '--client-id', sim.admin.clientId], {
      env: {CFGUARD_HOME: home, CFGUARD_CLIENT_SECRET: sim.admin.clientSecret},
    })
    expect(login.code, login.stderr).to.equal(0)
    expect(login.stderr).to.contain('then need CFGUARD_CLIENT_SECRET')
    const stored = readFileSync(join(home, 'config.json'), 'utf8')
    expect(stored).not.to.contain(sim.admin.clientSecret)

    const target = await runCli(['target', '--json'], {env: {CFGUARD_HOME: home}})
    expect(target.code, target.stderr).to.equal(0)
    const shown = parseJson<{client: string; source: string; tokenExpiresAt: string}>(target).result
    expect(shown).to.include({client: sim.admin.clientId, source: 'store'})
    expect(Date.parse(shown.tokenExpiresAt)).to.be.greaterThan(Date.now())

    const list = await runCli(['identity', 'list', '--all', '--json'], {env: {CFGUARD_HOME: home}})
    expect(list.code, list.stderr).to.equal(0)

    const logout = await runCli(['logout'], {env: {CFGUARD_HOME: home}})
    expect(logout.code, logout.stderr).to.equal(0)
    expect(logout.stderr).not.to.contain('could not revoke')
    expect(readFileSync(join(home, 'config.json'), 'utf8')).not.to.contain(sim.admin.clientId)
    const gone = await runCli(['target'], {env: {CFGUARD_HOME: home}})
    expect(gone.code).to.equal(4)
  })

  it('with a cfguard login and a cf CLI session, target says which is used; --cf-session picks the cf one', async () => {
    const {sim} = ctx
    const home = tempDir('cfguard-home-')
    const cfHome = tempDir('cf-home-')
    const admin = sim.users.admin!
    // A user login; its tokens also make the cf CLI session (as `cf login` would have written them).
    const login = await runCli(['login', '-a', sim.apiUrl, '-u', admin.username, '--password-stdin'], {
      env: {CFGUARD_HOME: home},
      input: `${admin.password}\n`,
    })
    expect(login.code, login.stderr).to.equal(0)
    const t = (
      JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as {
        targets: Record<string, {auth: {accessToken: string; refreshToken: string}}>
      }
    ).targets.default!.auth
    mkdirSync(join(cfHome, '.cf'), {recursive: true})
    writeFileSync(
      join(cfHome, '.cf', 'config.json'),
      JSON.stringify({
        Target: sim.apiUrl,
        AccessToken: `bearer ${t.accessToken}`,
        RefreshToken: t.refreshToken,
        UAAOAuthClient: 'cf',
        OrganizationFields: {GUID: '', Name: 'acme'},
      }),
    )
    const env = {CFGUARD_HOME: home, CF_HOME: cfHome}

    const both = await runCli(['target'], {env})
    expect(both.code, both.stderr).to.equal(0)
    expect(both.stdout).to.match(/from:\s+cfguard login, target "default"/)
    expect(both.stdout).to.match(/cf CLI session:\s+\S+ \(not used: --cf-session uses it for one run\)/)

    const cf = await runCli(['target', '--cf-session'], {env})
    expect(cf.code, cf.stderr).to.equal(0)
    expect(cf.stdout).to.match(/from:\s+the cf CLI session/)
    expect(cf.stdout).to.match(/org:\s+acme/)
    expect(cf.stdout).to.match(/cf CLI session:\s+\S+ \(used by this run\)/)

    const json = await runCli(['target', '--json'], {env: {...env, CFGUARD_CF_SESSION: '1'}})
    expect(parseJson<{source: string; cfCliSession: {used: boolean}}>(json).result).to.deep.include({
      source: 'cf-cli',
      cfCliSession: {api: sim.apiUrl, used: true},
    })
  })
})
