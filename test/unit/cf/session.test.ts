import {expect} from 'chai'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {createContext} from '../../../src/context.js'
import {openSession} from '../../../src/actions/session.js'
import {createTransport} from '../../../src/cf/http/transport.js'
import {createUaaClient} from '../../../src/cf/uaa/client.js'
import type {CfguardError} from '../../../src/errors.js'
import {startMiniFoundation, type MiniFoundation} from '../../helpers/mini-foundation.js'

describe('actions/session', () => {
  let f: MiniFoundation
  let root: string

  before(async () => {
    f = await startMiniFoundation()
  })
  after(async () => {
    await f.stop()
  })
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cfguard-session-'))
  })

  const ctx = (env: Record<string, string>, warnings: string[] = []) =>
    createContext({
      env: {CF_HOME: join(root, 'cf'), ...env},
      home: join(root, 'home'),
      warn: (w) => warnings.push(w),
      sleep: async () => {},
    })

  async function cfLogin(): Promise<{access_token: string; refresh_token: string}> {
    const transport = createTransport()
    const uaa = createUaaClient({transport, loginUrl: f.uaaUrl, uaaUrl: f.uaaUrl})
    const t = await uaa.passwordGrant(f.admin.username, f.admin.password)
    transport.close()
    return {access_token: t.accessToken, refresh_token: t.refreshToken!}
  }

  function writeCfConfig(config: Record<string, unknown>): void {
    mkdirSync(join(root, 'cf', '.cf'), {recursive: true})
    writeFileSync(join(root, 'cf', '.cf', 'config.json'), JSON.stringify(config))
  }

  it('opens a session from CFGUARD_API + client credentials: target, clients, stats', async () => {
    const s = await openSession(
      ctx({CFGUARD_API: f.apiUrl, CFGUARD_CLIENT_ID: f.client.id, CFGUARD_CLIENT_SECRET: f.client.secret}),
    )
    try {
      expect(s.target).to.deep.include({
        api: f.apiUrl,
        ccVersion: f.ccVersion,
        user: null,
        client: f.client.id,
        source: 'env',
        org: null,
        space: null,
      })
      expect(s.root.login).to.equal(f.uaaUrl)
      expect(s.network?.baseUrl).to.equal(`${f.apiUrl}/networking/v1/external`)
      expect(s.logCache).to.equal(null)
      const orgs = await s.cc.orgs.listAll()
      expect(orgs.map((o) => o.name).sort()).to.deep.equal(['acme', 'beta'])
      expect(s.transport.stats.requests).to.equal(3) // GET /, token, orgs
      expect(s.transport.stats.tokenRequests).to.equal(1)
      expect(await s.resolveScope()).to.deep.equal({all: true, org: null, space: null})
    } finally {
      s.close()
    }
  })

  it('resolves the org and space names to GUIDs once, unless --all', async () => {
    const env = {
      CFGUARD_API: f.apiUrl,
      CFGUARD_CLIENT_ID: f.client.id,
      CFGUARD_CLIENT_SECRET: f.client.secret,
    }
    const s = await openSession(ctx(env), {org: 'beta', space: 'prod'})
    try {
      expect(await s.resolveScope()).to.deep.equal({
        all: false,
        org: {guid: 'org-beta', name: 'beta'},
        space: {guid: 'space-beta', name: 'prod'},
      })
      const before = s.transport.stats.requests
      await s.resolveScope()
      expect(s.transport.stats.requests).to.equal(before)
    } finally {
      s.close()
    }
    const all = await openSession(ctx(env), {org: 'beta', all: true})
    expect(await all.resolveScope()).to.deep.equal({all: true, org: null, space: null})
    all.close()
  })

  it('re-authenticates with the client credentials of a cf CLI session once its refresh token has expired', async () => {
    const t = await cfLogin()
    writeCfConfig({
      Target: f.apiUrl,
      AccessToken: `bearer ${t.access_token}`,
      RefreshToken: t.refresh_token,
      UAAGrantType: 'client_credentials',
      UAAOAuthClient: f.client.id,
      UAAOAuthClientSecret: f.client.secret,
    })
    f.expireRefreshTokens()
    f.revokedJtis.add(JSON.parse(Buffer.from(t.access_token.split('.')[1]!, 'base64url').toString()).jti)
    const s = await openSession(ctx({}))
    try {
      // The stored access token is rejected by CC, the refresh token by UAA: the client grant takes over.
      await s.cc.orgs.listAll()
      expect(s.target.source).to.equal('cf-cli')
      expect(s.transport.stats.authReplays).to.equal(1)
    } finally {
      s.close()
    }
  })

  it('without client credentials, an expired cf CLI login is TOKEN_EXPIRED naming `cf login`', async () => {
    const t = await cfLogin()
    writeCfConfig({Target: f.apiUrl, AccessToken: `bearer ${t.access_token}`, RefreshToken: t.refresh_token})
    f.expireRefreshTokens()
    f.revokedJtis.add(JSON.parse(Buffer.from(t.access_token.split('.')[1]!, 'base64url').toString()).jti)
    const s = await openSession(ctx({}))
    try {
      await s.cc.orgs.listAll()
      expect.fail('the expired login must fail')
    } catch (err) {
      expect((err as CfguardError).code).to.equal('TOKEN_EXPIRED')
      expect((err as CfguardError).exitCode).to.equal(4)
      expect((err as CfguardError).suggestions.join(' ')).to.contain('cf login')
    } finally {
      s.close()
    }
  })

  it('warns when TLS verification is off and rejects bad CFGUARD_TIMEOUT values', async () => {
    const warnings: string[] = []
    const env = {
      CFGUARD_API: f.apiUrl,
      CFGUARD_CLIENT_ID: f.client.id,
      CFGUARD_CLIENT_SECRET: f.client.secret,
    }
    const s = await openSession(ctx(env, warnings), {skipSslValidation: true})
    s.close()
    expect(warnings[0]).to.contain('TLS certificate verification is off')
    try {
      await openSession(ctx({...env, CFGUARD_TIMEOUT: 'soon'}))
      expect.fail('must refuse')
    } catch (err) {
      expect((err as CfguardError).code).to.equal('USAGE')
    }
  })
})
