/**
 * login / logout / target end to end: the built CLI against a foundation on loopback. Tests that
 * only need `apiUrl` and the credentials can run against the simulator later; the ones under
 * "foundation knobs" use the mini foundation's fault and clock switches.
 */
import {expect} from 'chai'
import {createHash} from 'node:crypto'
import {chmodSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {parseJson, runCli, tempDir, type CliResult} from '../helpers/cli.js'
import {startMiniFoundation, type MiniFoundation} from '../helpers/mini-foundation.js'

interface TargetJson {
  name: string | null
  api: string
  ccVersion: string
  user: string | null
  client: string | null
  org: {name: string; guid: string | null} | null
  space: {name: string; guid: string | null} | null
  tokenExpiresAt: string | null
  source: string
  storedTargets: string[]
  current: string | null
}

interface StoreFile {
  current: string | null
  targets: Record<
    string,
    {api: string; auth: {kind: string; accessToken?: string; refreshToken?: string; clientId?: string}}
  >
}

/** One line `cfguard: …`, next steps, no stack trace. */
function expectOneErrorLine(r: CliResult, code: number, pattern: RegExp): void {
  expect(r.code, r.stderr).to.equal(code)
  const lines = r.stderr.trim().split('\n')
  expect(lines[0]).to.match(/^cfguard: /)
  expect(lines[0]).to.match(pattern)
  expect(lines.slice(1).every((l) => l.startsWith('  next: ') || l.startsWith('warning: '))).to.equal(
    true,
    r.stderr,
  )
  expect(r.stderr).not.to.match(/\n\s+at /)
}

function noSecrets(text: string, secrets: Record<string, string>): void {
  for (const [name, value] of Object.entries(secrets)) {
    expect(text.includes(value), `${name} leaked`).to.equal(false)
  }
}

describe('e2e: login, logout, target', function () {
  this.timeout(60_000)
  let f: MiniFoundation
  let home: string
  let cfHome: string

  const cli = (args: string[], env: Record<string, string | undefined> = {}, input?: string) =>
    runCli(args, {env: {CFGUARD_HOME: home, CF_HOME: cfHome, ...env}, input})
  const store = (): StoreFile => JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'))
  const loginAdmin = (extra: string[] = []) =>
    cli(['login', '--api', f.apiUrl, '-u', f.admin.username, ...extra], {CFGUARD_PASSWORD: f.admin.password})

  before(async () => {
    f = await startMiniFoundation()
  })
  after(async () => {
    await f.stop()
  })
  beforeEach(() => {
    home = join(tempDir('cfguard-e2e-'), 'home')
    cfHome = tempDir('cf-e2e-')
    f.setCcWarnings([])
    f.setAccessTokenTtl(1200)
  })

  it('--help lists login, logout and target', async () => {
    const r = await runCli(['--help'])
    expect(r.code).to.equal(0)
    for (const c of ['login', 'logout', 'target', 'auth'])
      expect(r.stdout).to.match(new RegExp(`\\n\\s+${c}\\s`))
  })

  it('login with a password from the environment stores tokens 0600 in a 0700 dir, never the password', async () => {
    const r = await loginAdmin(['-o', 'acme', '-s', 'prod'])
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.contain('Logged in.').and.contain('user:').and.contain('admin')
    expect(statSync(home).mode & 0o777).to.equal(0o700)
    expect(statSync(join(home, 'config.json')).mode & 0o777).to.equal(0o600)
    const raw = readFileSync(join(home, 'config.json'), 'utf8')
    expect(raw.includes(f.admin.password)).to.equal(false, 'the password was stored')
    const s = store()
    expect(s.current).to.equal('default')
    expect(s.targets.default?.auth.kind).to.equal('user')
    noSecrets(r.stdout + r.stderr, {
      access: s.targets.default!.auth.accessToken!,
      refresh: s.targets.default!.auth.refreshToken!,
    })

    const t = await cli(['target', '--json'])
    expect(t.code, t.stderr).to.equal(0)
    const info = parseJson<TargetJson>(t).result
    expect(info).to.deep.include({
      api: f.apiUrl,
      ccVersion: f.ccVersion,
      user: 'admin',
      client: null,
      source: 'store',
      name: 'default',
    })
    expect(info.org).to.deep.equal({guid: 'org-acme', name: 'acme'})
    expect(info.space).to.deep.equal({guid: 'space-prod', name: 'prod'})
    expect(Date.parse(info.tokenExpiresAt!)).to.be.greaterThan(Date.now())
    noSecrets(t.stdout, {access: s.targets.default!.auth.accessToken!})
  })

  it('`auth` is an alias; --password-stdin reads the password from stdin', async () => {
    const r = await cli(
      ['auth', '--api', f.apiUrl, '-u', 'admin', '--password-stdin'],
      {},
      `${f.admin.password}\n`,
    )
    expect(r.code, r.stderr).to.equal(0)
    expect(store().targets.default?.auth.kind).to.equal('user')
  })

  it('a wrong password: exit 4, one line with next steps, nothing stored', async () => {
    const r = await cli(
      ['login', '--api', f.apiUrl, '-u', 'admin', '--password-stdin'],
      {},
      'not-the-password-42\n',
    )
    expectOneErrorLine(r, 4, /rejected the credentials/)
    expect(r.stderr).to.contain('next: check the user name and password')
    noSecrets(r.stdout + r.stderr, {password: 'not-the-password-42'})
    const t = await cli(['target'])
    expect(t.code).to.equal(4)
  })

  it('without a TTY and without a password, login says how to give one (exit 2)', async () => {
    const r = await cli(['login', '--api', f.apiUrl, '-u', 'admin'])
    expectOneErrorLine(r, 2, /no password: set CFGUARD_PASSWORD, pipe it with --password-stdin/)
  })

  it('login with an SSO passcode read from stdin', async () => {
    const r = await cli(['login', '--api', f.apiUrl, '--sso-passcode'], {}, `${f.issuePasscode()}\n`)
    expect(r.code, r.stderr).to.equal(0)
    expect(parseJson<TargetJson>(await cli(['target', '--json'])).result.user).to.equal('sso-user')
  })

  it('login with client credentials stores the client id and its token, never the secret; target works while the token lives', async () => {
    const r = await cli(
      ['login', '--api', f.apiUrl, '--client-id', f.client.id, '--name', 'ci'],
      {},
      `${f.client.secret}\n`,
    )
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.contain('CFGUARD_CLIENT_SECRET')
    const raw = readFileSync(join(home, 'config.json'), 'utf8')
    expect(raw.includes(f.client.secret)).to.equal(false, 'the client secret was stored')
    const auth = store().targets.ci?.auth as Record<string, unknown> | undefined
    // Keys and kinds only: a failure message must never print the stored token.
    expect(Object.keys(auth ?? {}).sort()).to.deep.equal(['accessToken', 'clientId', 'kind'])
    expect(auth?.kind).to.equal('client')
    expect(auth?.clientId).to.equal(f.client.id)
    expect(typeof auth?.accessToken === 'string' && (auth.accessToken as string).length > 0).to.equal(true)

    const kept = await cli(['target', '--json'])
    expect(kept.code, kept.stderr).to.equal(0)
    expect(parseJson<TargetJson>(kept).result).to.deep.include({client: f.client.id, user: null})
    const t = await cli(['target', '--json'], {CFGUARD_CLIENT_SECRET: f.client.secret})
    expect(t.code, t.stderr).to.equal(0)
    expect(parseJson<TargetJson>(t).result).to.deep.include({client: f.client.id, user: null})
  })

  it('target works with nothing but CFGUARD_API + CFGUARD_CLIENT_ID + CFGUARD_CLIENT_SECRET', async () => {
    const t = await cli(['target', '--json'], {
      CFGUARD_API: f.apiUrl,
      CFGUARD_CLIENT_ID: f.client.id,
      CFGUARD_CLIENT_SECRET: f.client.secret,
    })
    expect(t.code, t.stderr).to.equal(0)
    expect(parseJson<TargetJson>(t).result).to.deep.include({
      api: f.apiUrl,
      client: f.client.id,
      source: 'env',
      name: null,
    })
    noSecrets(t.stdout + t.stderr, {secret: f.client.secret})
  })

  it('target works with nothing but a cf CLI config.json, and never writes it', async () => {
    // Log in the way `cf login` would have, and write its config.
    const token = await fetch(`${f.uaaUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from('cf:').toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'password',
        username: f.admin.username,
        password: f.admin.password,
      }),
    }).then((res) => res.json() as Promise<{access_token: string; refresh_token: string}>)
    mkdirSync(join(cfHome, '.cf'), {recursive: true})
    const path = join(cfHome, '.cf', 'config.json')
    writeFileSync(
      path,
      JSON.stringify({
        ConfigVersion: 4,
        Target: f.apiUrl,
        AccessToken: `bearer ${token.access_token}`,
        RefreshToken: token.refresh_token,
        UAAOAuthClient: 'cf',
        UAAOAuthClientSecret: '',
        SSLDisabled: false,
        OrganizationFields: {GUID: 'org-acme', Name: 'acme'},
        SpaceFields: {GUID: 'space-dev', Name: 'dev', AllowSSH: true},
      }),
    )
    chmodSync(path, 0o400)
    const before = createHash('sha256').update(readFileSync(path)).digest('hex')
    const t = await cli(['target', '--json'])
    expect(t.code, t.stderr).to.equal(0)
    expect(parseJson<TargetJson>(t).result).to.deep.include({
      api: f.apiUrl,
      user: 'admin',
      source: 'cf-cli',
      name: null,
    })
    expect(parseJson<TargetJson>(t).result.space?.name).to.equal('dev')
    const human = await cli(['target'])
    expect(human.stdout).to.contain('the cf CLI session (read-only)')
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).to.equal(before)
    noSecrets(t.stdout + human.stdout, {access: token.access_token, refresh: token.refresh_token})
  })

  it('named targets: --name at login, --target per run, target --name switches the current one', async () => {
    expect((await loginAdmin(['--name', 'prod', '-o', 'acme'])).code).to.equal(0)
    expect((await loginAdmin(['--name', 'beta', '-o', 'beta'])).code).to.equal(0)
    expect(store().current).to.equal('beta')
    const prod = parseJson<TargetJson>(await cli(['target', '--json', '--target', 'prod'])).result
    expect(prod).to.deep.include({name: 'prod', current: 'beta'})
    expect(prod.org?.name).to.equal('acme')
    const switched = parseJson<TargetJson>(await cli(['target', '--json', '--name', 'prod'])).result
    expect(switched).to.deep.include({name: 'prod', current: 'prod'})
    expectOneErrorLine(await cli(['target', '--target', 'nope']), 2, /no stored target named "nope"/)
  })

  it('target -o/-s sets the org and space of the stored target; an unknown org is exit 2', async () => {
    expect((await loginAdmin()).code).to.equal(0)
    const r = await cli(['target', '-o', 'acme', '-s', 'dev', '--json'])
    expect(r.code, r.stderr).to.equal(0)
    expect(parseJson<TargetJson>(r).result.space).to.deep.equal({guid: 'space-dev', name: 'dev'})
    expect(parseJson<TargetJson>(await cli(['target', '--json'])).result.space?.name).to.equal('dev')
    expectOneErrorLine(
      await cli(['target', '-o', 'acm']),
      2,
      /^cfguard: no organization named "acm"; did you mean "acme"\?$/,
    )
  })

  it('logout revokes the tokens at UAA and forgets them; --all forgets every target', async () => {
    expect((await loginAdmin(['--name', 'one'])).code).to.equal(0)
    const {accessToken, refreshToken} = store().targets.one!.auth
    const revokedBefore = f.revokedJtis.size
    const r = await cli(['logout'])
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.contain('Logged out of "one" (2 tokens revoked at UAA)')
    expect(f.revokedJtis.size).to.equal(revokedBefore + 2)
    expect(store().targets).to.deep.equal({})
    // The revoked token no longer works at CC.
    const res = await fetch(`${f.apiUrl}/v3/organizations`, {
      headers: {Authorization: `bearer ${accessToken}`},
    })
    expect(res.status).to.equal(401)
    expect(refreshToken).to.be.a('string')

    expect((await loginAdmin(['--name', 'a'])).code).to.equal(0)
    expect((await loginAdmin(['--name', 'b'])).code).to.equal(0)
    const all = await cli(['logout', '--all', '--json'])
    expect(parseJson<{loggedOut: string[]}>(all).result.loggedOut.sort()).to.deep.equal(['a', 'b'])
    expect(store()).to.deep.equal({version: 1, current: null, targets: {}})
  })

  describe('bad input: one clear line and the documented exit code', () => {
    it('malformed cf CLI config → exit 2', async () => {
      mkdirSync(join(cfHome, '.cf'), {recursive: true})
      writeFileSync(
        join(cfHome, '.cf', 'config.json'),
        '{"Target": "https://api.example.com", "AccessToken": ',
      )
      expectOneErrorLine(await cli(['target']), 2, /the cf CLI config .*config\.json is not valid JSON/)
    })

    it('bad URL → exit 2; plain http to a non-loopback host → exit 2', async () => {
      expectOneErrorLine(
        await cli(['target', '--api', 'api.example.com']),
        2,
        /invalid API URL "api\.example\.com"/,
      )
      expectOneErrorLine(
        await cli(['login', '--api', 'http://api.example.com'], {
          CFGUARD_USERNAME: 'a',
          CFGUARD_PASSWORD: 'b',
        }),
        2,
        /refusing plain http to api\.example\.com/,
      )
    })

    it('an unreachable API → exit 5', async () => {
      expectOneErrorLine(
        await cli(['target', '--api', 'http://127.0.0.1:9'], {
          CFGUARD_CLIENT_ID: 'a',
          CFGUARD_CLIENT_SECRET: 'b',
        }),
        5,
        /cannot connect to 127\.0\.0\.1:9/,
      )
    })

    it('--json puts the error in the envelope with the same exit code', async () => {
      const r = await cli(['target', '--json'])
      expect(r.code).to.equal(4)
      expect(JSON.parse(r.stdout)).to.deep.include({status: 4})
      expect(JSON.parse(r.stdout).error.code).to.equal('NOT_LOGGED_IN')
    })
  })

  describe('foundation knobs (mini foundation)', () => {
    it('refreshes a token that expires within a minute before using it, and stores the new one', async () => {
      f.setAccessTokenTtl(30)
      expect((await loginAdmin()).code).to.equal(0)
      const first = store().targets.default!.auth.accessToken
      const refreshes = f.grants.refresh_token ?? 0
      const r = await cli(['target', '-o', 'acme'])
      expect(r.code, r.stderr).to.equal(0)
      expect(f.grants.refresh_token).to.equal(refreshes + 1)
      const second = store().targets.default!.auth.accessToken
      expect(second).not.to.equal(first)
      // The refresh happened before the first authenticated CC request.
      const ccAuth = f.requests.cc.filter((q) => q.headers.authorization).at(-1)
      expect(ccAuth?.headers.authorization).to.equal(`bearer ${second}`)
    })

    it('an expired refresh token without client credentials → exit 4 telling to log in', async () => {
      f.setAccessTokenTtl(30)
      expect((await loginAdmin()).code).to.equal(0)
      f.expireRefreshTokens()
      expectOneErrorLine(await cli(['target']), 4, /the login for .* has expired/)
    })

    it('a token revoked behind cfguard’s back: one replay with a fresh token, then success', async () => {
      expect((await loginAdmin()).code).to.equal(0)
      const token = store().targets.default!.auth.accessToken!
      const jti = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).jti as string
      f.revokedJtis.add(jti)
      const r = await cli(['target', '-o', 'acme', '--json'])
      expect(r.code, r.stderr).to.equal(0)
      expect(store().targets.default!.auth.accessToken).not.to.equal(token)
    })

    it('warnings from X-Cf-Warnings reach stderr, and the envelope under --json', async () => {
      expect((await loginAdmin()).code).to.equal(0)
      f.setCcWarnings(['Org quota is almost full, 90% used', 'second'])
      const human = await cli(['target', '-o', 'acme'])
      expect(human.code, human.stderr).to.equal(0)
      expect(human.stderr).to.contain('warning: Org quota is almost full, 90% used\n')
      expect(human.stdout).not.to.contain('quota')
      const json = parseJson(await cli(['target', '-o', 'acme', '--json']))
      expect(json.warnings).to.deep.equal(['Org quota is almost full, 90% used', 'second'])
    })

    it('an HTML page or truncated JSON instead of the API root → exit 5, one line', async () => {
      const env = {CFGUARD_CLIENT_ID: f.client.id, CFGUARD_CLIENT_SECRET: f.client.secret}
      f.failNextCc(1, 200, '<!DOCTYPE html><html><body>Sign in</body></html>', {'Content-Type': 'text/html'})
      expectOneErrorLine(
        await cli(['target', '--api', f.apiUrl], env),
        5,
        /sent an HTML page instead of JSON for GET \//,
      )
      f.failNextCc(1, 200, '{"links": {"self": {"hr', {'Content-Type': 'application/json'})
      expectOneErrorLine(await cli(['target', '--api', f.apiUrl], env), 5, /truncated or malformed JSON/)
    })

    it('a 503 that does not go away → exit 5 after 3 attempts', async () => {
      const env = {CFGUARD_CLIENT_ID: f.client.id, CFGUARD_CLIENT_SECRET: f.client.secret}
      const before = f.requests.cc.length
      f.failNextCc(3, 503, '{"errors":[{"code":10015,"title":"CF-ServiceUnavailable","detail":"x"}]}')
      expectOneErrorLine(await cli(['target', '--api', f.apiUrl], env), 5, /returned 503 after 3 attempts/)
      expect(f.requests.cc.length - before).to.equal(3)
    })

    it('CFGUARD_TRACE=file traces every request without any secret', async () => {
      const trace = join(tempDir('cfguard-trace-'), 'trace.log')
      expect((await loginAdmin(['--name', 'traced'])).code).to.equal(0)
      const {accessToken, refreshToken} = store().targets.traced!.auth
      f.setAccessTokenTtl(30)
      const steps = [
        await cli(['login', '--api', f.apiUrl, '-u', 'admin', '--name', 'traced'], {
          CFGUARD_PASSWORD: f.admin.password,
          CFGUARD_TRACE: trace,
        }),
        await cli(['target', '-o', 'acme'], {CFGUARD_TRACE: trace}),
        await cli(['login', '--api', f.apiUrl, '--client-id', f.client.id, '--name', 'ci'], {
          CFGUARD_CLIENT_SECRET: f.client.secret,
          CFGUARD_TRACE: trace,
        }),
        await cli(['logout', '--all'], {CFGUARD_TRACE: trace}),
      ]
      expect(steps.map((s) => s.code)).to.deep.equal([0, 0, 0, 0])
      expect(statSync(trace).mode & 0o777).to.equal(0o600)
      const text = readFileSync(trace, 'utf8')
      expect(text)
        .to.contain('POST ')
        .and.contain('/oauth/token')
        .and.contain('[REDACTED form body]')
        .and.contain('GET ')
      noSecrets(text, {
        password: f.admin.password,
        clientSecret: f.client.secret,
        access: accessToken!,
        refresh: refreshToken!,
      })
      expect(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/.test(text)).to.equal(
        false,
        'a JWT leaked into the trace',
      )
    })
  })
})
