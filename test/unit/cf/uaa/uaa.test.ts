import {expect} from 'chai'
import {generateKeyPair, SignJWT} from 'jose'

import {createTransport, type Transport} from '../../../../src/cf/http/transport.js'
import {createUaaClient, type UaaClient} from '../../../../src/cf/uaa/client.js'
import {probeClientSecret} from '../../../../src/cf/uaa/probe.js'
import {createTokenVerifier} from '../../../../src/cf/uaa/verify.js'
import {startMiniFoundation, type MiniFoundation} from '../../../helpers/mini-foundation.js'
import {failure} from '../../../helpers/failure.js'

describe('cf/uaa', () => {
  let f: MiniFoundation
  let transport: Transport
  let uaa: UaaClient

  before(async () => {
    f = await startMiniFoundation()
  })
  after(async () => {
    await f.stop()
  })
  beforeEach(() => {
    transport = createTransport({sleep: async () => {}})
    transport.trust({cc: f.apiUrl, login: f.uaaUrl, uaa: f.uaaUrl})
    uaa = createUaaClient({transport, loginUrl: f.uaaUrl, uaaUrl: f.uaaUrl})
    f.requests.uaa.length = 0
  })
  afterEach(() => transport.close())

  describe('grants', () => {
    it('password grant as client `cf` with an empty secret', async () => {
      const t = await uaa.passwordGrant(f.admin.username, f.admin.password)
      const req = f.requests.uaa[0]!
      expect(req.headers.authorization).to.equal(`Basic ${Buffer.from('cf:').toString('base64')}`)
      expect(req.headers['content-type']).to.equal('application/x-www-form-urlencoded')
      expect(Object.fromEntries(new URLSearchParams(req.body))).to.include({
        grant_type: 'password',
        username: 'admin',
      })
      expect(t.refreshToken).to.be.a('string')
      expect(t.scope).to.include('cloud_controller.admin')
      expect(t.expiresAt!.getTime()).to.be.greaterThan(Date.now() + 1_000_000)
    })

    it('a wrong password is AUTH_FAILED (exit 4) with a next step, the password nowhere in the message', async () => {
      const err = await failure(uaa.passwordGrant('admin', 'wrong-password-123'))
      expect(err.code).to.equal('AUTH_FAILED')
      expect(err.exitCode).to.equal(4)
      expect(err.message).to.contain('Bad credentials')
      expect(err.suggestions.join(' ')).to.contain('CFGUARD_PASSWORD')
      expect(`${err.message}${err.suggestions}`.includes('wrong-password-123')).to.equal(false)
    })

    it('SSO passcode grant (grant_type=password&passcode=)', async () => {
      const code = f.issuePasscode()
      await uaa.passcodeGrant(code)
      expect(Object.fromEntries(new URLSearchParams(f.requests.uaa[0]!.body))).to.deep.equal({
        grant_type: 'password',
        passcode: code,
      })
      expect((await failure(uaa.passcodeGrant(code))).code).to.equal('AUTH_FAILED')
    })

    it('client credentials: no refresh token; a wrong secret is AUTH_FAILED', async () => {
      const t = await uaa.clientCredentialsGrant(f.client.id, f.client.secret)
      expect(t.refreshToken).to.equal(null)
      const err = await failure(uaa.clientCredentialsGrant(f.client.id, 'not-the-secret'))
      expect(err.code).to.equal('AUTH_FAILED')
      expect(err.suggestions.join(' ')).to.contain('CFGUARD_CLIENT_SECRET')
    })

    it('a client that may not use the grant is classified as such', async () => {
      const err = await failure(uaa.clientCredentialsGrant(f.noGrantClient.id, f.noGrantClient.secret))
      expect(err.code).to.equal('AUTH_FAILED')
      expect(err.message).to.contain('Unauthorized grant type')
    })

    it('refresh_token grant; an expired refresh token is TOKEN_EXPIRED telling to log in', async () => {
      const t = await uaa.passwordGrant(f.admin.username, f.admin.password)
      const renewed = await uaa.refreshTokenGrant(t.refreshToken!)
      expect(renewed.accessToken).not.to.equal(t.accessToken)
      f.expireRefreshTokens()
      const err = await failure(uaa.refreshTokenGrant(t.refreshToken!))
      expect(err.code).to.equal('TOKEN_EXPIRED')
      expect(err.suggestions.join(' ')).to.contain('cfguard login')
    })

    it('revokes a token by its jti with the token itself; CC then rejects it', async () => {
      const t = await uaa.passwordGrant(f.admin.username, f.admin.password)
      expect(await uaa.revoke(t.accessToken)).to.equal(true)
      const revoke = f.requests.uaa.find((r) => r.method === 'DELETE')!
      expect(revoke.path).to.match(/^\/oauth\/token\/revoke\/[0-9a-f]{32}$/)
      expect(revoke.headers.authorization).to.equal(`bearer ${t.accessToken}`)
      transport.setTokenProvider({
        accessToken: async () => t.accessToken,
        renewAfterRejection: async () => t.accessToken,
      })
      const err = await failure(transport.request({method: 'GET', url: `${f.apiUrl}/v3/organizations`}))
      expect(err.code).to.equal('TOKEN_EXPIRED')
      expect(await uaa.revoke('opaque')).to.equal(false)
    })
  })

  describe('probeClientSecret (platform-facts.md §9.1)', () => {
    it('accepted when a token is issued', async () => {
      expect((await probeClientSecret(transport, f.uaaUrl, f.client.id, f.client.secret)).outcome).to.equal(
        'accepted',
      )
    })
    it('accepted on "Unauthorized grant type" (right secret, grant not allowed)', async () => {
      const p = await probeClientSecret(
        transport,
        `${f.uaaUrl}/oauth/token`,
        f.noGrantClient.id,
        f.noGrantClient.secret,
      )
      expect(p.outcome).to.equal('accepted')
      expect(p.detail).to.contain('may not use client_credentials')
    })
    it('rejected on "Bad credentials"', async () => {
      const p = await probeClientSecret(transport, f.uaaUrl, f.noGrantClient.id, 'wrong-secret-abc')
      expect(p.outcome).to.equal('rejected')
      expect(p.detail.includes('wrong-secret-abc')).to.equal(false)
    })
    it('error when the endpoint is unreachable or insecure', async () => {
      expect((await probeClientSecret(transport, 'http://issuer.example.com', 'x', 'y')).outcome).to.equal(
        'error',
      )
    })
  })

  describe('OAuth clients', () => {
    it('reads a client and rotates its secret with the two-secret rule', async () => {
      const admin = await uaa.clientCredentialsGrant(f.client.id, f.client.secret)
      transport.setTokenProvider({
        accessToken: async () => admin.accessToken,
        renewAfterRejection: async () => admin.accessToken,
      })
      const c = await uaa.getClient('web-sso')
      expect(c).to.deep.equal({
        clientId: 'web-sso',
        authorities: [],
        scope: ['openid'],
        grantTypes: ['authorization_code'],
        redirectUris: [],
        lastModified: '2026-01-01T00:00:00.000Z',
      })
      expect((await failure(uaa.getClient('nope'))).code).to.equal('NOT_FOUND')

      expect(
        (await uaa.changeClientSecret('web-sso', {changeMode: 'ADD', secret: 'second-secret-xyz'})).message,
      ).to.equal('Secret is added')
      const put = f.requests.uaa.find((r) => r.method === 'PUT')!
      expect(put.path).to.equal('/oauth/clients/web-sso/secret')
      expect(JSON.parse(put.body)).to.deep.equal({
        clientId: 'web-sso',
        changeMode: 'ADD',
        secret: 'second-secret-xyz',
      })
      const third = await failure(
        uaa.changeClientSecret('web-sso', {changeMode: 'ADD', secret: 'third-secret-xyz'}),
      )
      expect(third.code).to.equal('UNPROCESSABLE')
      expect(third.message).to.contain('already has two secrets')
      await uaa.changeClientSecret('web-sso', {changeMode: 'DELETE'})
      expect((await probeClientSecret(transport, f.uaaUrl, 'web-sso', 'second-secret-xyz')).outcome).to.equal(
        'accepted',
      )
      expect(
        (await probeClientSecret(transport, f.uaaUrl, 'web-sso', f.noGrantClient.secret)).outcome,
      ).to.equal('rejected')
      await uaa.changeClientSecret('web-sso', {changeMode: 'UPDATE', secret: f.noGrantClient.secret})
    })
  })

  describe('token verification (forged tokens)', () => {
    let good: string
    let fetches: number

    beforeEach(async () => {
      good = (await uaa.passwordGrant(f.admin.username, f.admin.password)).accessToken
      fetches = 0
    })

    const verifier = (issuer = f.issuer, now = () => new Date()) =>
      createTokenVerifier({fetchKeys: () => (fetches++, uaa.tokenKeys()), issuer, now})

    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const claims = () => JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString('utf8'))

    it('accepts a genuine UAA token and reads keys only from the configured UAA (never jku)', async () => {
      const payload = await verifier()(good)
      expect(payload.user_name).to.equal('admin')
      expect(fetches).to.equal(1)
      expect(f.requests.uaa.filter((r) => r.path === '/token_keys')).to.have.length(1)
    })

    it('rejects alg: none', async () => {
      const forged = `${b64({alg: 'none', typ: 'JWT'})}.${b64(claims())}.`
      const err = await failure(verifier()(forged))
      expect(err.code).to.equal('TOKEN_INVALID')
    })

    it('rejects HS256 signed with the public key (algorithm confusion)', async () => {
      const forged = await new SignJWT(claims())
        .setProtectedHeader({alg: 'HS256', kid: f.keyId})
        .sign(new TextEncoder().encode(f.publicKeyPem))
      const err = await failure(verifier()(forged))
      expect(err.code).to.equal('TOKEN_INVALID')
      expect(err.message).to.contain('not RS256')
    })

    it('rejects an unknown kid after exactly one re-fetch of the keys', async () => {
      const {privateKey} = await generateKeyPair('RS256')
      const forged = await new SignJWT(claims())
        .setProtectedHeader({alg: 'RS256', kid: 'attacker-key', jku: 'http://127.0.0.1:1/evil-keys'})
        .sign(privateKey)
      const err = await failure(verifier()(forged))
      expect(err.code).to.equal('TOKEN_INVALID')
      expect(err.message).to.contain('key the UAA does not publish')
      expect(fetches).to.equal(2)
    })

    it('rejects a genuine signature from a different key claiming the known kid', async () => {
      const {privateKey} = await generateKeyPair('RS256')
      const forged = await new SignJWT(claims())
        .setProtectedHeader({alg: 'RS256', kid: f.keyId})
        .sign(privateKey)
      expect((await failure(verifier()(forged))).message).to.contain('signature does not match')
    })

    it('rejects a token from another issuer', async () => {
      const err = await failure(verifier('https://uaa.other.example.com/oauth/token')(good))
      expect(err.code).to.equal('TOKEN_INVALID')
      expect(err.message).to.contain('"iss"')
    })

    it('rejects an expired token (30 s tolerance)', async () => {
      const exp = claims().exp as number
      expect((await verifier(f.issuer, () => new Date((exp + 29) * 1000))(good)).user_name).to.equal('admin')
      const err = await failure(verifier(f.issuer, () => new Date((exp + 31) * 1000))(good))
      expect(err.code).to.equal('TOKEN_EXPIRED')
    })

    it('rejects JWE-shaped and garbage input without parsing it', async () => {
      expect((await failure(verifier()('a.b.c.d.e'))).code).to.equal('TOKEN_INVALID')
      expect((await failure(verifier()('garbage'))).code).to.equal('TOKEN_INVALID')
    })

    it('discovers the issuer from OIDC configuration', async () => {
      expect(await uaa.issuer()).to.equal(f.issuer)
    })
  })
})
