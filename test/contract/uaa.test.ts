import {expect} from 'chai'
import {createRemoteJWKSet, decodeProtectedHeader, jwtVerify} from 'jose'

import {Api, http, useSimulator} from '../helpers/sim.js'

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

describe('contract: UAA (§8)', () => {
  const ctx = useSimulator({accessTokenValiditySeconds: 600, refreshTokenValiditySeconds: 3600})
  const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    http('POST', `${ctx.sim.uaaUrl}/oauth/token`, {form, headers})

  it('password grant with client cf and an empty secret returns bearer, refresh and id tokens', async () => {
    const u = ctx.sim.users.spaceDeveloper
    const res = await token(
      {grant_type: 'password', username: u.username, password: u.password},
      {Authorization: basic('cf', '')},
    )
    expect(res.status).to.equal(200)
    expect(res.json).to.include.keys(
      'access_token',
      'refresh_token',
      'id_token',
      'expires_in',
      'scope',
      'jti',
    )
    expect(res.json.token_type).to.equal('bearer')
    expect(res.json.scope.split(' ')).to.include.members([
      'cloud_controller.read',
      'cloud_controller.write',
      'openid',
    ])
    expect(res.json.scope.split(' ')).to.not.include('cloud_controller.admin')
    expect(res.json.expires_in).to.be.within(590, 600)
  })

  it('issues RS256 JWTs with a kid that verify against /token_keys, with the §8.2 claims', async () => {
    const u = ctx.sim.users.admin
    const res = await token({
      grant_type: 'password',
      username: u.username,
      password: u.password,
      client_id: 'cf',
      client_secret: '',
    })
    expect(res.status).to.equal(200)
    const header = decodeProtectedHeader(res.json.access_token)
    expect(header.alg).to.equal('RS256')
    expect(header.kid).to.be.a('string')
    const jwks = createRemoteJWKSet(new URL(`${ctx.sim.uaaUrl}/token_keys`))
    const {payload} = await jwtVerify(res.json.access_token, jwks, {
      algorithms: ['RS256'],
      issuer: `${ctx.sim.uaaUrl}/oauth/token`,
      currentDate: ctx.sim.clock.now(),
    })
    expect(payload.scope).to.be.an('array').that.includes('cloud_controller.admin')
    expect(payload).to.include({
      user_name: 'admin',
      client_id: 'cf',
      cid: 'cf',
      zid: 'uaa',
      grant_type: 'password',
      origin: 'uaa',
    })
    expect(payload.user_id).to.be.a('string')
    expect(payload.jti).to.equal(res.json.jti)
    expect(payload.exp! - payload.iat!).to.equal(600)
    const keys = await http('GET', `${ctx.sim.uaaUrl}/token_keys`)
    expect(keys.json.keys[0]).to.include({kid: header.kid, alg: 'RS256', kty: 'RSA', use: 'sig'})
    expect(keys.json.keys[0].value).to.match(/^-----BEGIN PUBLIC KEY-----/)
    const etag = keys.headers.get('etag')!
    const again = await http('GET', `${ctx.sim.uaaUrl}/token_keys`, {headers: {'If-None-Match': etag}})
    expect(again.status).to.equal(304)
    const single = await http('GET', `${ctx.sim.uaaUrl}/token_key`)
    expect(single.json.kid).to.equal(header.kid)
  })

  it('client_credentials (Basic auth) returns authorities as scope and no refresh token', async () => {
    const {clientId, clientSecret} = ctx.sim.admin
    const res = await token(
      {grant_type: 'client_credentials'},
      {Authorization: basic(clientId, clientSecret)},
    )
    expect(res.status).to.equal(200)
    expect(res.json).to.not.have.property('refresh_token')
    expect(res.json.scope.split(' ')).to.include.members([
      'cloud_controller.admin',
      'clients.admin',
      'clients.secret',
      'network.admin',
      'doppler.firehose',
    ])
    const claims = JSON.parse(Buffer.from(res.json.access_token.split('.')[1], 'base64url').toString())
    expect(claims.sub).to.equal(clientId)
    expect(claims).to.not.have.property('user_id')
    expect(claims.authorities).to.include('clients.admin')
  })

  it('form client auth works the same as Basic', async () => {
    const {clientId, clientSecret} = ctx.sim.admin
    const res = await token({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    })
    expect(res.status).to.equal(200)
  })

  it('a wrong secret is 401 unauthorized / "Bad credentials"', async () => {
    const res = await token(
      {grant_type: 'client_credentials'},
      {Authorization: basic(ctx.sim.admin.clientId, 'wrong')},
    )
    expect(res.status).to.equal(401)
    expect(res.json).to.deep.equal({error: 'unauthorized', error_description: 'Bad credentials'})
  })

  it('the right secret with a grant the client may not use is 401 invalid_client / "Unauthorized grant type"', async () => {
    const u = ctx.sim.users.admin
    const cc = await token({grant_type: 'client_credentials'}, {Authorization: basic('cf', '')})
    expect(cc.status).to.equal(401)
    expect(cc.json).to.deep.equal({
      error: 'invalid_client',
      error_description: 'Unauthorized grant type: client_credentials',
    })
    const pw = await token(
      {grant_type: 'password', username: u.username, password: u.password},
      {Authorization: basic(ctx.sim.admin.clientId, ctx.sim.admin.clientSecret)},
    )
    expect(pw.json).to.deep.equal({
      error: 'invalid_client',
      error_description: 'Unauthorized grant type: password',
    })
  })

  it('a wrong user password is 401 Bad credentials; an unknown grant is 400 unsupported_grant_type', async () => {
    const bad = await token(
      {grant_type: 'password', username: 'admin', password: 'nope'},
      {Authorization: basic('cf', '')},
    )
    expect(bad.status).to.equal(401)
    expect(bad.json.error_description).to.equal('Bad credentials')
    const unknown = await token({grant_type: 'magic'}, {Authorization: basic('cf', '')})
    expect(unknown.status).to.equal(400)
    expect(unknown.json.error).to.equal('unsupported_grant_type')
  })

  it('refresh_token grant works until the refresh token expires (simulated clock)', async () => {
    const u = ctx.sim.users.spaceAuditor
    const first = await token(
      {grant_type: 'password', username: u.username, password: u.password},
      {Authorization: basic('cf', '')},
    )
    const refreshed = await token(
      {grant_type: 'refresh_token', refresh_token: first.json.refresh_token},
      {Authorization: basic('cf', '')},
    )
    expect(refreshed.status).to.equal(200)
    expect(refreshed.json.access_token).to.not.equal(first.json.access_token)
    ctx.sim.clock.advance(3601 * 1000)
    const expired = await token(
      {grant_type: 'refresh_token', refresh_token: first.json.refresh_token},
      {Authorization: basic('cf', '')},
    )
    expect(expired.status).to.equal(401)
    expect(expired.json.error).to.equal('invalid_token')
    expect(expired.json.error_description).to.match(/expired/)
  })

  it('revoking the refresh token by jti makes it unusable', async () => {
    const u = ctx.sim.users.spaceSupporter
    const first = await token(
      {grant_type: 'password', username: u.username, password: u.password},
      {Authorization: basic('cf', '')},
    )
    const jti = JSON.parse(Buffer.from(first.json.refresh_token.split('.')[1], 'base64url').toString()).jti
    const revoke = await new Api(ctx.sim.uaaUrl, first.json.access_token).delete(`/oauth/token/revoke/${jti}`)
    expect(revoke.status).to.equal(200)
    const after = await token(
      {grant_type: 'refresh_token', refresh_token: first.json.refresh_token},
      {Authorization: basic('cf', '')},
    )
    expect(after.status).to.equal(401)
    expect(after.json.error).to.equal('invalid_token')
  })

  it('a one-time passcode logs a user in once', async () => {
    const code = ctx.sim.passcodeFor('spaceDeveloper')
    const ok = await token({grant_type: 'password', passcode: code}, {Authorization: basic('cf', '')})
    expect(ok.status).to.equal(200)
    const reuse = await token({grant_type: 'password', passcode: code}, {Authorization: basic('cf', '')})
    expect(reuse.status).to.equal(401)
  })

  it('serves OpenID discovery at the root and issuer-relative paths', async () => {
    for (const path of [
      '/.well-known/openid-configuration',
      '/oauth/token/.well-known/openid-configuration',
    ]) {
      const res = await http('GET', ctx.sim.uaaUrl + path)
      expect(res.status).to.equal(200)
      expect(res.json.issuer).to.equal(`${ctx.sim.uaaUrl}/oauth/token`)
      expect(res.json.jwks_uri).to.equal(`${ctx.sim.uaaUrl}/token_keys`)
      expect(res.json).to.include.keys(
        'token_endpoint',
        'authorization_endpoint',
        'userinfo_endpoint',
        'scopes_supported',
        'subject_types_supported',
        'id_token_signing_alg_values_supported',
        'claims_supported',
        'code_challenge_methods_supported',
      )
    }
  })
})

describe('contract: UAA clients and two-secret rotation (§8.4, §8.6)', () => {
  const ctx = useSimulator({}, {each: true})
  const adminApi = async () => new Api(ctx.sim.uaaUrl, await ctx.sim.tokenFor('adminClient'))
  const accepts = async (id: string, secret: string) =>
    (
      await http('POST', `${ctx.sim.uaaUrl}/oauth/token`, {
        form: {grant_type: 'client_credentials'},
        headers: {Authorization: basic(id, secret)},
      })
    ).status === 200

  async function makeClient(api: Api, id: string, secret: string) {
    const res = await api.post('/oauth/clients', {
      client_id: id,
      client_secret: secret,
      authorized_grant_types: ['client_credentials'],
      authorities: ['uaa.resource'],
      redirect_uri: ['https://app.apps.cfguard.test/callback'],
    })
    expect(res.status).to.equal(201)
  }

  it('GET /oauth/clients/:id needs clients.read and never returns the secret; unknown is 404', async () => {
    const api = await adminApi()
    await makeClient(api, 'billing', 's1-secret')
    const res = await api.get('/oauth/clients/billing')
    expect(res.status).to.equal(200)
    expect(res.json).to.include({client_id: 'billing'})
    expect(res.json.authorized_grant_types).to.deep.equal(['client_credentials'])
    expect(res.json.redirect_uri).to.deep.equal(['https://app.apps.cfguard.test/callback'])
    expect(res.json.lastModified).to.be.a('number')
    expect(res.text.includes('s1-secret')).to.equal(false, 'secret leaked')
    expect((await api.get('/oauth/clients/nope')).status).to.equal(404)
    const dev = new Api(ctx.sim.uaaUrl, await ctx.sim.tokenFor('spaceDeveloper'))
    const denied = await dev.get('/oauth/clients/billing')
    expect(denied.status).to.equal(403)
    expect(denied.json.error).to.equal('insufficient_scope')
    const list = await api.get(`/oauth/clients?filter=${encodeURIComponent('client_id eq "billing"')}`)
    expect(list.json.totalResults).to.equal(1)
    expect(list.json).to.include.keys('resources', 'startIndex', 'itemsPerPage', 'schemas')
  })

  it('ADD keeps both secrets valid, a third ADD fails, DELETE drops the older one', async () => {
    const api = await adminApi()
    await makeClient(api, 'billing', 'old-secret')
    const add = await api.put('/oauth/clients/billing/secret', {
      clientId: 'billing',
      secret: 'new-secret',
      changeMode: 'ADD',
    })
    expect(add.status).to.equal(200)
    expect(add.json).to.deep.equal({status: 'ok', message: 'Secret is added'})
    expect(await accepts('billing', 'old-secret')).to.equal(true)
    expect(await accepts('billing', 'new-secret')).to.equal(true)
    expect(ctx.sim.uaaAccepts('billing', 'new-secret')).to.equal(true)

    const third = await api.put('/oauth/clients/billing/secret', {
      clientId: 'billing',
      secret: 'third',
      changeMode: 'ADD',
    })
    expect(third.status).to.equal(400)
    expect(third.json).to.deep.equal({
      error: 'invalid_client',
      error_description: 'client secret is either empty or client already has two secrets.',
    })

    const del = await api.put('/oauth/clients/billing/secret', {clientId: 'billing', changeMode: 'DELETE'})
    expect(del.json).to.deep.equal({status: 'ok', message: 'Secret is deleted'})
    expect(await accepts('billing', 'old-secret')).to.equal(false)
    expect(await accepts('billing', 'new-secret')).to.equal(true)

    const again = await api.put('/oauth/clients/billing/secret', {clientId: 'billing', changeMode: 'DELETE'})
    expect(again.status).to.equal(400)
    expect(again.json.error_description).to.equal(
      'client secret is either empty or client has only one secret.',
    )
  })

  it('UPDATE replaces every secret', async () => {
    const api = await adminApi()
    await makeClient(api, 'billing', 'one')
    await api.put('/oauth/clients/billing/secret', {clientId: 'billing', secret: 'two', changeMode: 'ADD'})
    const res = await api.put('/oauth/clients/billing/secret', {clientId: 'billing', secret: 'three'})
    expect(res.json).to.deep.equal({status: 'ok', message: 'secret updated'})
    expect([
      await accepts('billing', 'one'),
      await accepts('billing', 'two'),
      await accepts('billing', 'three'),
    ]).to.deep.equal([false, false, true])
  })

  it('without clients.admin a client may change only its own secret, with a valid oldSecret', async () => {
    const api = await adminApi()
    await api.post('/oauth/clients', {
      client_id: 'self',
      client_secret: 'self-1',
      authorized_grant_types: ['client_credentials'],
      authorities: ['clients.secret'],
    })
    await makeClient(api, 'other', 'o-1')
    const tok = await http('POST', `${ctx.sim.uaaUrl}/oauth/token`, {
      form: {grant_type: 'client_credentials'},
      headers: {Authorization: basic('self', 'self-1')},
    })
    const selfApi = new Api(ctx.sim.uaaUrl, tok.json.access_token)
    const other = await selfApi.put('/oauth/clients/other/secret', {
      clientId: 'other',
      secret: 'x',
      changeMode: 'ADD',
    })
    expect(other.json.error_description).to.equal(
      "Bad request. Not permitted to change another client's secret",
    )
    const noOld = await selfApi.put('/oauth/clients/self/secret', {
      clientId: 'self',
      secret: 'self-2',
      changeMode: 'ADD',
    })
    expect(noOld.json.error_description).to.equal('Previous secret is required and must be valid')
    const ok = await selfApi.put('/oauth/clients/self/secret', {
      clientId: 'self',
      oldSecret: 'self-1',
      secret: 'self-2',
      changeMode: 'ADD',
    })
    expect(ok.status).to.equal(200)
  })

  it('the secret endpoint needs clients.secret or clients.admin, and 404s for an unknown client', async () => {
    const dev = new Api(ctx.sim.uaaUrl, await ctx.sim.tokenFor('admin'))
    const denied = await dev.put('/oauth/clients/cf/secret', {secret: 'x', changeMode: 'ADD'})
    expect(denied.status).to.equal(403)
    const api = await adminApi()
    expect((await api.put('/oauth/clients/ghost/secret', {secret: 'x', changeMode: 'ADD'})).status).to.equal(
      404,
    )
  })
})
