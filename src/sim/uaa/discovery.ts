/** `/token_keys`, `/token_key`, OpenID discovery and the `/login` info document (§9.3). */
import {createHash} from 'node:crypto'

import {json, type SimResponse} from '../server/types.js'
import type {UaaCtx} from './common.js'

export function tokenKeys(ctx: UaaCtx): SimResponse {
  const body = JSON.stringify({keys: [ctx.tokens.key.published]})
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`
  if (ctx.req.headers['if-none-match'] === etag) return {status: 304, headers: {ETag: etag}}
  return {status: 200, headers: {'Content-Type': 'application/json;charset=UTF-8', ETag: etag}, body}
}

export function tokenKey(ctx: UaaCtx): SimResponse {
  return json(200, ctx.tokens.key.published)
}

/**
 * Discovery for the default zone, or for a planted zone under a path prefix whose document
 * names another issuer (the demo's unreachable/mismatching issuer).
 */
export function openidConfiguration(ctx: UaaCtx, prefix = ''): SimResponse {
  const base = ctx.state.urls.uaa
  const issuer =
    prefix === '' ? `${base}/oauth/token` : (ctx.state.uaa.discoveryOverrides.get(prefix) ?? null)
  if (issuer === null) return {status: 404}
  return json(200, {
    issuer,
    authorization_endpoint: `${base}${prefix}/oauth/authorize`,
    token_endpoint: `${base}${prefix}/oauth/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'HS256'],
    userinfo_endpoint: `${base}${prefix}/userinfo`,
    jwks_uri: `${base}${prefix}/token_keys`,
    end_session_endpoint: `${base}${prefix}/logout.do`,
    scopes_supported: ['openid', 'profile', 'email', 'phone', 'roles', 'user_attributes'],
    response_types_supported: ['code', 'code id_token', 'id_token', 'token id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256', 'HS256'],
    id_token_encryption_alg_values_supported: ['none'],
    claim_types_supported: ['normal'],
    claims_supported: [
      'sub',
      'user_name',
      'origin',
      'iss',
      'auth_time',
      'amr',
      'acr',
      'client_id',
      'aud',
      'zid',
      'grant_type',
      'user_id',
      'azp',
      'scope',
      'exp',
      'iat',
      'jti',
      'rev_sig',
      'cid',
      'given_name',
      'family_name',
      'phone_number',
      'email',
    ],
    claims_parameter_supported: false,
    service_documentation: 'http://docs.cloudfoundry.org/api/uaa/',
    ui_locales_supported: ['en-US'],
    code_challenge_methods_supported: ['S256', 'plain'],
  })
}

export function loginInfo(ctx: UaaCtx): SimResponse {
  const base = ctx.state.urls.uaa
  return json(200, {
    app: {version: '78.0.0'},
    links: {uaa: base, passwd: '/forgot_password', login: base, register: '/create_account'},
    zone_name: 'uaa',
    entityID: 'cloudfoundry-saml-login',
    commit_id: 'sim',
    idpDefinitions: {},
    prompts: {
      username: ['text', 'Email'],
      password: ['password', 'Password'],
      passcode: ['password', `Temporary Authentication Code ( Get one at ${base}/passcode )`],
    },
    timestamp: new Date(ctx.state.now()).toISOString(),
  })
}
