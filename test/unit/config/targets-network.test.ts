/**
 * Issue 15: where a run's target comes from in corporate set-ups: the cf CLI's session for one
 * run (--cf-session), a CF task's bound service (CFGUARD_CREDENTIALS_SERVICE), the CA bundle
 * (flag, environment, stored target), and a client login's stored token.
 */
import {expect} from 'chai'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {createContext} from '../../../src/context.js'
import {openSession} from '../../../src/actions/session.js'
import {serviceCredentials} from '../../../src/config/service-credentials.js'
import {ConfigStore} from '../../../src/config/store.js'
import {resolveTarget} from '../../../src/config/targets.js'
import {failure, thrown} from '../../helpers/failure.js'
import {startSimulator} from '../../../src/sim/index.js'

const vcap = (credentials: Record<string, unknown>, name = 'cfguard-creds') =>
  JSON.stringify({
    'user-provided': [{name, instance_name: name, label: 'user-provided', credentials}],
    'p-mysql': [{name: 'db', credentials: {password: 'db-password-1'}}],
  })

describe('config/targets: corporate set-ups', () => {
  let home: string
  let cfHome: string
  let env: NodeJS.ProcessEnv

  const writeCf = (config: unknown) => {
    mkdirSync(join(cfHome, '.cf'), {recursive: true})
    writeFileSync(join(cfHome, '.cf', 'config.json'), JSON.stringify(config))
  }
  const cfConfig = {
    Target: 'https://api.cf.example.com',
    AccessToken: 'bearer cf-access-token-1',
    RefreshToken: 'cf-refresh-token-1',
    UAAOAuthClient: 'cf',
    OrganizationFields: {GUID: 'o-cf', Name: 'cf-org'},
    SpaceFields: {GUID: 's-cf', Name: 'cf-space'},
  }
  const storeTarget = (name: string, api: string, extra: {caCert?: string} = {}) =>
    new ConfigStore(home).update((d) => {
      d.targets[name] = {
        api,
        ...extra,
        auth: {
          kind: 'user',
          username: 'a',
          oauthClient: 'cf',
          accessToken: 'stored-access-1',
          refreshToken: null,
        },
        org: {name: 'stored-org', guid: null},
        space: null,
        savedAt: 'x',
      }
      d.current = name
    })

  beforeEach(() => {
    const root = mkdtempSync(join(tmpdir(), 'cfguard-targets-net-'))
    home = join(root, 'cfguard')
    cfHome = join(root, 'cf')
    env = {CF_HOME: cfHome}
  })

  it('--cf-session uses the cf CLI target even when a cfguard target is current', async () => {
    writeCf(cfConfig)
    await storeTarget('prod', 'https://api.prod.example.com')
    expect(resolveTarget({}, {env, home})).to.deep.include({
      api: 'https://api.prod.example.com',
      authSource: 'store',
    })
    for (const t of [
      resolveTarget({cfSession: true}, {env, home}),
      resolveTarget({}, {env: {...env, CFGUARD_CF_SESSION: 'true'}, home}),
    ]) {
      expect(t).to.deep.include({api: 'https://api.cf.example.com', authSource: 'cf-cli', name: null})
      expect(t.org).to.deep.equal({name: 'cf-org', guid: 'o-cf'})
      expect((t.auth as {accessToken: string}).accessToken).to.equal('cf-access-token-1')
    }
    expect(resolveTarget({cfSession: true, org: 'other'}, {env, home}).space).to.equal(null)
  })

  it('--cf-session without a cf login, or with --api: says what to do', () => {
    const none = thrown(() => resolveTarget({cfSession: true}, {env, home}))
    expect(none.code).to.equal('NOT_LOGGED_IN')
    expect(none.suggestions[0]).to.contain('cf login')
    writeCf(cfConfig)
    expect(
      thrown(() => resolveTarget({cfSession: true, api: 'https://x.example'}, {env, home})).code,
    ).to.equal('USAGE')
  })

  it('the CA bundle: --ca-cert, else CFGUARD_CA_CERT, else the stored target', async () => {
    await storeTarget('prod', 'https://api.prod.example.com', {caCert: '/etc/corp/stored.pem'})
    expect(resolveTarget({}, {env, home}).caCert).to.equal('/etc/corp/stored.pem')
    expect(resolveTarget({}, {env: {...env, CFGUARD_CA_CERT: '/env.pem'}, home}).caCert).to.equal('/env.pem')
    expect(
      resolveTarget({caCert: '/flag.pem'}, {env: {...env, CFGUARD_CA_CERT: '/env.pem'}, home}).caCert,
    ).to.equal('/flag.pem')
  })

  it('a client login keeps its token (no refresh): the target is usable without the secret', async () => {
    await new ConfigStore(home).update((d) => {
      d.targets.ci = {
        api: 'https://api.ci.example.com',
        auth: {kind: 'client', clientId: 'ci', accessToken: 'ci-client-token-1'},
        org: null,
        space: null,
        savedAt: 'x',
      }
      d.current = 'ci'
    })
    const t = resolveTarget({}, {env, home})
    expect(t.authSource).to.equal('store')
    expect(t.auth).to.deep.include({
      kind: 'tokens',
      accessToken: 'ci-client-token-1',
      refreshToken: null,
      clientId: 'ci',
    })
    // With the secret at hand, client credentials as before.
    expect(resolveTarget({}, {env: {...env, CFGUARD_CLIENT_SECRET: 'ci-secret-1'}, home}).auth.kind).to.equal(
      'client-credentials',
    )
  })

  it('CFGUARD_CREDENTIALS_SERVICE: client id, secret and API from the bound service', () => {
    const t = resolveTarget(
      {},
      {
        env: {
          ...env,
          CFGUARD_CREDENTIALS_SERVICE: 'cfguard-creds',
          VCAP_SERVICES: vcap({
            client_id: 'rotator',
            client_secret: 'svc-secret-1',
            api: 'https://api.sys.example.com',
          }),
        },
        home,
      },
    )
    expect(t.api).to.equal('https://api.sys.example.com')
    expect(t.auth).to.deep.equal({
      kind: 'client-credentials',
      clientId: 'rotator',
      clientSecret: 'svc-secret-1',
    })
    // CFGUARD_API and an explicit secret pair still win.
    const overridden = resolveTarget(
      {},
      {
        env: {
          ...env,
          CFGUARD_API: 'https://api.other.example.com',
          CFGUARD_CLIENT_ID: 'me',
          CFGUARD_CLIENT_SECRET: 'my-secret-1',
          CFGUARD_CREDENTIALS_SERVICE: 'cfguard-creds',
          VCAP_SERVICES: vcap({client_id: 'rotator', client_secret: 'svc-secret-1'}),
        },
        home,
      },
    )
    expect(overridden.api).to.equal('https://api.other.example.com')
    expect(overridden.auth).to.deep.include({clientId: 'me'})
  })

  it('CFGUARD_CREDENTIALS_SERVICE problems name the service, never a secret', () => {
    const missing = thrown(() =>
      serviceCredentials({
        CFGUARD_CREDENTIALS_SERVICE: 'nope',
        VCAP_SERVICES: vcap({client_id: 'a', client_secret: 'b'}),
      }),
    )
    expect(missing.message).to.contain('"nope"')
    expect(missing.suggestions[0]).to.equal('bound services: cfguard-creds, db')
    const half = thrown(() =>
      serviceCredentials({
        CFGUARD_CREDENTIALS_SERVICE: 'cfguard-creds',
        VCAP_SERVICES: vcap({client_id: 'a'}),
      }),
    )
    expect(half.message).to.contain('no client_secret')
    expect(thrown(() => serviceCredentials({CFGUARD_CREDENTIALS_SERVICE: 'x'})).message).to.contain(
      'VCAP_SERVICES is not set',
    )
    expect(
      thrown(() => serviceCredentials({CFGUARD_CREDENTIALS_SERVICE: 'x', VCAP_SERVICES: '{'})).code,
    ).to.equal('CONFIG_INVALID')
    expect(serviceCredentials({VCAP_SERVICES: vcap({})})).to.equal(null)
    const text = JSON.stringify([missing, half].map((e) => [e.message, e.suggestions]))
    expect(text).not.to.contain('db-password-1')
  })
})

describe('a stored client token, before and after it expires (clock injected)', function () {
  this.timeout(30_000)

  it('works while it lives; afterwards the error names CFGUARD_CLIENT_SECRET (exit 4)', async () => {
    const sim = await startSimulator({accessTokenValiditySeconds: 600})
    try {
      const root = mkdtempSync(join(tmpdir(), 'cfguard-client-token-'))
      const home = join(root, 'home')
      const token = await sim.tokenFor('adminClient')
      await new ConfigStore(home).update((d) => {
        d.targets.default = {
          api: sim.apiUrl,
          auth: {kind: 'client', clientId: sim.admin.clientId, accessToken: token},
          org: null,
          space: null,
          savedAt: 'x',
        }
        d.current = 'default'
      })
      const ctx = (now: Date) => createContext({env: {CF_HOME: join(root, 'cf')}, home, now: () => now})

      const session = await openSession(ctx(new Date()))
      try {
        expect(session.target.client).to.equal(sim.admin.clientId)
        await session.cc.orgs.list({})
      } finally {
        session.close()
      }

      const later = new Date(Date.now() + 3_600_000)
      const e = await failure(openSession(ctx(later)))
      expect(e.code).to.equal('TOKEN_EXPIRED')
      expect(e.exitCode).to.equal(4)
      expect(e.message).to.contain('CFGUARD_CLIENT_SECRET')
      expect(e.message).to.contain(`"${sim.admin.clientId}"`)
    } finally {
      await sim.stop()
    }
  })
})
