/**
 * `POST /oauth/token` (§9.1): password (also with a one-time passcode), client_credentials and
 * refresh_token grants; client auth by HTTP Basic or form. UAA's error bodies: wrong secret →
 * 401 `unauthorized`/"Bad credentials"; right secret, grant not allowed → 401 `invalid_client`/
 * "Unauthorized grant type: …". `token_format=opaque` (or the simulator's `accessTokenFormat`
 * knob, for a foundation whose clients always ask for it) issues an opaque access token: only the
 * response's `scope` then tells the client what it may do.
 */
import type {UaaClient, UaaUser} from '../core/model.js'
import {json, type SimResponse} from '../server/types.js'
import {
  OAuthError,
  badCredentials,
  bearerClaims,
  clientAccepts,
  formParams,
  fullAuthRequired,
  type UaaCtx,
} from './common.js'

const KNOWN_GRANTS = new Set([
  'password',
  'client_credentials',
  'refresh_token',
  'authorization_code',
  'implicit',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:ietf:params:oauth:grant-type:saml2-bearer',
  'user_token',
])

export async function tokenEndpoint(ctx: UaaCtx): Promise<SimResponse> {
  const params = formParams(ctx.req)
  const client = authenticateClient(ctx, params)
  const grant = params.get('grant_type') ?? ''
  if (grant === '') throw new OAuthError(400, 'invalid_request', 'Missing grant type')
  if (!KNOWN_GRANTS.has(grant))
    throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grant}`)
  if (!client.authorizedGrantTypes.includes(grant)) {
    throw new OAuthError(401, 'invalid_client', `Unauthorized grant type: ${grant}`)
  }
  const format: 'jwt' | 'opaque' =
    (params.get('token_format') ?? ctx.state.config.accessTokenFormat) === 'opaque' ? 'opaque' : 'jwt'
  const requested =
    params
      .get('scope')
      ?.split(/[\s,]+/)
      .filter(Boolean) ?? null

  switch (grant) {
    case 'client_credentials': {
      const scopes = narrow(
        client.authorities.filter((a) => a !== 'uaa.none'),
        requested,
      )
      const access = await ctx.tokens.access(client, grant, scopes, null, format)
      return json(200, {
        access_token: access.token,
        token_type: 'bearer',
        expires_in: access.exp - Math.floor(ctx.state.now() / 1000) - 1,
        scope: scopes.join(' '),
        jti: access.jti,
      })
    }
    case 'password': {
      const user = passwordUser(ctx, params)
      return userTokens(ctx, client, user, userScopes(client, user, requested), 'password', format)
    }
    case 'refresh_token':
      return refreshGrant(ctx, client, params.get('refresh_token') ?? '', requested, format)
    default:
      throw new OAuthError(400, 'invalid_grant', `The simulator does not support the ${grant} grant`)
  }
}

function authenticateClient(ctx: UaaCtx, params: Map<string, string>): UaaClient {
  let id: string | undefined
  let secret: string | undefined
  const header = String(ctx.req.headers.authorization ?? '')
  const basic = /^basic\s+(.+)$/i.exec(header)
  if (basic) {
    const decoded = Buffer.from(basic[1]!.trim(), 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) throw badCredentials()
    id = safeDecode(decoded.slice(0, colon))
    secret = safeDecode(decoded.slice(colon + 1))
  } else if (params.has('client_id')) {
    id = params.get('client_id')
    secret = params.get('client_secret') ?? ''
  }
  if (id === undefined || secret === undefined) throw fullAuthRequired()
  const client = ctx.state.uaa.clients.get(id)
  if (!client || !clientAccepts(client, secret)) throw badCredentials()
  return client
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function passwordUser(ctx: UaaCtx, params: Map<string, string>): UaaUser {
  const passcode = params.get('passcode')
  if (passcode !== undefined) {
    const entry = ctx.state.uaa.passcodes.get(passcode)
    ctx.state.uaa.passcodes.delete(passcode)
    const user =
      entry && entry.expiresAt > ctx.state.now() ? ctx.state.uaa.users.get(entry.userId) : undefined
    if (!user) throw new OAuthError(401, 'unauthorized', 'Invalid passcode')
    return user
  }
  const user = ctx.state.uaa.usersByName.get(params.get('username') ?? '')
  if (!user || user.password !== params.get('password')) throw badCredentials()
  return user
}

function userScopes(client: UaaClient, user: UaaUser, requested: string[] | null): string[] {
  const scopes = client.scope.filter((s) => user.groups.includes(s))
  const granted = narrow(scopes, requested)
  if (granted.length === 0) {
    throw new OAuthError(400, 'invalid_scope', 'User does not have any of the requested scopes')
  }
  return granted
}

function narrow(scopes: string[], requested: string[] | null): string[] {
  if (!requested) return scopes
  const bad = requested.filter((s) => !scopes.includes(s))
  if (bad.length > 0) throw new OAuthError(400, 'invalid_scope', `Invalid scope: ${bad.join(' ')}`)
  return requested
}

async function userTokens(
  ctx: UaaCtx,
  client: UaaClient,
  user: UaaUser,
  scopes: string[],
  grant: string,
  format: 'jwt' | 'opaque',
  existingRefresh?: string,
): Promise<SimResponse> {
  const access = await ctx.tokens.access(client, grant, scopes, user, format)
  const body: Record<string, unknown> = {
    access_token: access.token,
    token_type: 'bearer',
    expires_in: access.exp - Math.floor(ctx.state.now() / 1000) - 1,
    scope: scopes.join(' '),
    jti: access.jti,
  }
  if (existingRefresh) body.refresh_token = existingRefresh
  else if (client.authorizedGrantTypes.includes('refresh_token')) {
    body.refresh_token = (await ctx.tokens.refresh(client, scopes, user)).token
  }
  if (scopes.includes('openid')) body.id_token = await ctx.tokens.idToken(client, user)
  return json(200, body)
}

async function refreshGrant(
  ctx: UaaCtx,
  client: UaaClient,
  token: string,
  requested: string[] | null,
  format: 'jwt' | 'opaque',
): Promise<SimResponse> {
  const claims = token ? await ctx.tokens.verify(token, {allowExpired: true}) : null
  const record = claims ? ctx.state.uaa.refreshTokens.get(claims.jti) : undefined
  if (!claims || !record) throw new OAuthError(401, 'invalid_token', 'Invalid refresh token.')
  if (ctx.state.uaa.revoked.has(record.jti))
    throw new OAuthError(401, 'invalid_token', 'The token has been revoked.')
  if (record.expiresAt <= ctx.state.now()) {
    throw new OAuthError(
      401,
      'invalid_token',
      `Invalid refresh token (expired): refresh token expired at ${new Date(record.expiresAt).toUTCString()}`,
    )
  }
  if (record.clientId !== client.clientId)
    throw new OAuthError(401, 'invalid_grant', 'Wrong client for this refresh token')
  const user = record.userId ? ctx.state.uaa.users.get(record.userId) : undefined
  if (!user) throw new OAuthError(401, 'invalid_token', 'Invalid refresh token.')
  return userTokens(ctx, client, user, narrow(record.scopes, requested), 'refresh_token', format, token)
}

/** `DELETE /oauth/token/revoke/:jti` — the token's owner (or `uaa.admin` / `tokens.revoke`). */
export async function revokeToken(ctx: UaaCtx): Promise<SimResponse> {
  const caller = await bearerClaims(ctx)
  const jti = ctx.req.params.jti ?? ''
  const refresh = ctx.state.uaa.refreshTokens.get(jti)
  const access = ctx.tokens.issued.get(jti)
  const owner = refresh
    ? {clientId: refresh.clientId, userId: refresh.userId}
    : access
      ? {clientId: access.clientId, userId: access.userId}
      : null
  if (!owner) throw new OAuthError(404, 'not_found', 'Token not found')
  const privileged = caller.scope.includes('uaa.admin') || caller.scope.includes('tokens.revoke')
  const own = owner.userId ? owner.userId === caller.user_id : owner.clientId === caller.client_id
  if (!privileged && !own)
    throw new OAuthError(403, 'access_denied', 'User is not authorized to revoke this token')
  ctx.state.uaa.revoked.add(jti)
  return {status: 200}
}
