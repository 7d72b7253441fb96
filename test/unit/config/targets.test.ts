import {expect} from 'chai'
import {createHash} from 'node:crypto'
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {readCfCliConfig} from '../../../src/config/cf-cli-config.js'
import {ConfigStore} from '../../../src/config/store.js'
import {resolveTarget} from '../../../src/config/targets.js'
import {thrown} from '../../helpers/failure.js'

describe('config/targets resolution', () => {
  let home: string
  let cfHome: string
  let env: NodeJS.ProcessEnv

  const writeCf = (config: unknown) => {
    mkdirSync(join(cfHome, '.cf'), {recursive: true})
    writeFileSync(
      join(cfHome, '.cf', 'config.json'),
      typeof config === 'string' ? config : JSON.stringify(config),
    )
  }
  const cfConfig = {
    ConfigVersion: 4,
    Target: 'https://api.cf.example.com/',
    AccessToken: 'bearer eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE5OTk5OTk5OTl9.c2ln',
    RefreshToken: 'cf-refresh-token-123',
    UAAOAuthClient: 'cf',
    UAAOAuthClientSecret: '',
    UAAGrantType: '',
    SSLDisabled: true,
    OrganizationFields: {GUID: 'o-cf', Name: 'cf-org'},
    SpaceFields: {GUID: 's-cf', Name: 'cf-space', AllowSSH: true},
  }
  const storeTarget = async (name: string, api: string, current = true) =>
    new ConfigStore(home).update((d) => {
      d.targets[name] = {
        api,
        auth: {
          kind: 'user',
          username: 'alice',
          oauthClient: 'cf',
          accessToken: `${name}-access-123`,
          refreshToken: `${name}-refresh-123`,
        },
        org: {name: `${name}-org`, guid: `${name}-org-guid`},
        space: {name: `${name}-space`, guid: `${name}-space-guid`},
        savedAt: 'x',
      }
      if (current) d.current = name
    })

  beforeEach(() => {
    const root = mkdtempSync(join(tmpdir(), 'cfguard-targets-'))
    home = join(root, 'cfguard')
    cfHome = join(root, 'cf')
    env = {CF_HOME: cfHome}
  })

  it('with nothing configured: NOT_LOGGED_IN (exit 4) telling how to log in', () => {
    const e = thrown(() => resolveTarget({}, {env, home}))
    expect(e.code).to.equal('NOT_LOGGED_IN')
    expect(e.exitCode).to.equal(4)
    expect(e.suggestions[0]).to.contain('cfguard login --api')
  })

  it('uses the cf CLI session alone: target, tokens without "bearer ", client, TLS setting, org and space', () => {
    writeCf(cfConfig)
    const t = resolveTarget({}, {env, home})
    expect(t).to.deep.include({
      api: 'https://api.cf.example.com',
      apiSource: 'cf-cli',
      authSource: 'cf-cli',
      skipSslValidation: true,
      name: null,
    })
    expect(t.auth).to.deep.equal({
      kind: 'tokens',
      accessToken: 'eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE5OTk5OTk5OTl9.c2ln',
      refreshToken: 'cf-refresh-token-123',
      oauthClient: {id: 'cf', secret: ''},
      fallbackClient: null,
    })
    expect(t.org).to.deep.equal({name: 'cf-org', guid: 'o-cf'})
    expect(t.space).to.deep.equal({name: 'cf-space', guid: 's-cf'})
  })

  it('never writes the cf CLI config (read-only file, unchanged checksum)', () => {
    writeCf(cfConfig)
    const path = join(cfHome, '.cf', 'config.json')
    chmodSync(path, 0o400)
    const before = createHash('sha256').update(readFileSync(path)).digest('hex')
    resolveTarget({}, {env, home})
    readCfCliConfig(env)
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).to.equal(before)
  })

  it('uses only CFGUARD_API + CFGUARD_CLIENT_ID + CFGUARD_CLIENT_SECRET', () => {
    const t = resolveTarget(
      {},
      {
        env: {
          ...env,
          CFGUARD_API: 'https://api.ci.example.com',
          CFGUARD_CLIENT_ID: 'ci',
          CFGUARD_CLIENT_SECRET: 'ci-secret-xyz',
        },
        home,
      },
    )
    expect(t.api).to.equal('https://api.ci.example.com')
    expect(t.auth).to.deep.equal({kind: 'client-credentials', clientId: 'ci', clientSecret: 'ci-secret-xyz'})
    expect(t.authSource).to.equal('env')
  })

  it('environment credentials win over the store and the cf CLI; half a pair is a usage error', async () => {
    writeCf(cfConfig)
    await storeTarget('prod', 'https://api.cf.example.com')
    const t = resolveTarget(
      {},
      {env: {...env, CFGUARD_USERNAME: 'bob', CFGUARD_PASSWORD: 'bob-password-1'}, home},
    )
    expect(t.auth.kind).to.equal('password')
    expect(thrown(() => resolveTarget({}, {env: {...env, CFGUARD_USERNAME: 'bob'}, home})).code).to.equal(
      'USAGE',
    )
    expect(thrown(() => resolveTarget({}, {env: {...env, CFGUARD_CLIENT_ID: 'x'}, home})).message).to.contain(
      'CFGUARD_CLIENT_SECRET is not',
    )
  })

  it('the store wins over the cf CLI; --target picks a named target; flags override org/space', async () => {
    writeCf(cfConfig)
    await storeTarget('prod', 'https://api.prod.example.com')
    await storeTarget('dev', 'https://api.dev.example.com', false)
    const current = resolveTarget({}, {env, home})
    expect(current).to.deep.include({
      api: 'https://api.prod.example.com',
      name: 'prod',
      authSource: 'store',
      skipSslValidation: false,
    })
    expect(current.space?.name).to.equal('prod-space')
    const dev = resolveTarget({target: 'dev'}, {env, home})
    expect(dev.api).to.equal('https://api.dev.example.com')
    expect((dev.auth as {accessToken: string}).accessToken).to.equal('dev-access-123')
    const scoped = resolveTarget({org: 'other'}, {env: {...env, CFGUARD_TARGET: 'dev'}, home})
    expect(scoped.org).to.deep.equal({name: 'other', guid: null})
    expect(scoped.space).to.equal(null)
    expect(thrown(() => resolveTarget({target: 'nope'}, {env, home})).message).to.equal(
      'no stored target named "nope"',
    )
  })

  it('--api picks the stored target for that API, else the cf CLI session for it, else says not logged in', async () => {
    writeCf(cfConfig)
    await storeTarget('prod', 'https://api.prod.example.com')
    await storeTarget('dev', 'https://api.dev.example.com', false)
    expect(resolveTarget({api: 'https://api.dev.example.com/'}, {env, home}).name).to.equal('dev')
    expect(resolveTarget({api: 'https://API.cf.example.com'}, {env, home}).authSource).to.equal('cf-cli')
    expect(thrown(() => resolveTarget({api: 'https://api.new.example.com'}, {env, home})).message).to.equal(
      'not logged in to https://api.new.example.com',
    )
  })

  it('a client-credentials target needs the secret from the environment each run', async () => {
    await new ConfigStore(home).update((d) => {
      d.targets.ci = {
        api: 'https://api.ci.example.com',
        auth: {kind: 'client', clientId: 'ci'},
        org: null,
        space: null,
        savedAt: 'x',
      }
      d.current = 'ci'
    })
    expect(thrown(() => resolveTarget({}, {env, home})).message).to.contain('never stored')
    const t = resolveTarget({}, {env: {...env, CFGUARD_CLIENT_SECRET: 'ci-secret-abc'}, home})
    expect(t.auth).to.deep.equal({kind: 'client-credentials', clientId: 'ci', clientSecret: 'ci-secret-abc'})
  })

  it('a cf CLI client-credentials session with a stored secret can re-authenticate', () => {
    writeCf({
      ...cfConfig,
      UAAGrantType: 'client_credentials',
      UAAOAuthClient: 'ops',
      UAAOAuthClientSecret: 'ops-secret-1',
    })
    expect((resolveTarget({}, {env, home}).auth as {fallbackClient: unknown}).fallbackClient).to.deep.equal({
      id: 'ops',
      secret: 'ops-secret-1',
    })
  })

  it('bad input: malformed cf CLI config, wrong field types, bad URL, plain http elsewhere than loopback', () => {
    writeCf('{"Target": "https://api.x", ')
    const e = thrown(() => resolveTarget({}, {env, home}))
    expect(e.code).to.equal('CONFIG_INVALID')
    expect(e.exitCode).to.equal(2)
    expect(e.message).to.contain('.cf/config.json is not valid JSON')
    writeCf({Target: 42})
    expect(thrown(() => resolveTarget({}, {env, home})).message).to.contain('Target that is not a string')
    expect(thrown(() => resolveTarget({api: 'not a url'}, {env, home})).code).to.equal('USAGE')
    const insecure = thrown(() => resolveTarget({api: 'http://api.example.com'}, {env, home}))
    expect(insecure.code).to.equal('INSECURE_URL')
    expect(
      resolveTarget(
        {api: 'http://127.0.0.1:9/'},
        {env: {...env, CFGUARD_CLIENT_ID: 'a', CFGUARD_CLIENT_SECRET: 'b-secret'}, home},
      ).api,
    ).to.equal('http://127.0.0.1:9')
  })
})
