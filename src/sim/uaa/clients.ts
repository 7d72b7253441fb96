/** `/oauth/clients` (§9.4) and `PUT /oauth/clients/:id/secret` with the two-secret rule (§9.5). */
import type {UaaClient} from '../core/model.js'
import {json, type SimResponse} from '../server/types.js'
import {OAuthError, bearerClaims, clientAccepts, jsonBody, requireScope, type UaaCtx} from './common.js'

const READ_SCOPES = ['clients.read', 'clients.admin', 'zones.uaa.admin']
const SECRET_SCOPES = ['clients.secret', 'clients.admin', 'zones.uaa.admin']
const WRITE_SCOPES = ['clients.write', 'clients.admin', 'zones.uaa.admin']

export function presentClient(c: UaaClient): Record<string, unknown> {
  const out: Record<string, unknown> = {
    client_id: c.clientId,
    scope: c.scope.length > 0 ? c.scope : ['uaa.none'],
    resource_ids: c.resourceIds.length > 0 ? c.resourceIds : ['none'],
    authorized_grant_types: c.authorizedGrantTypes,
    autoapprove: c.autoapprove,
    authorities: c.authorities.length > 0 ? c.authorities : ['uaa.none'],
    lastModified: c.lastModified,
  }
  if (c.redirectUris.length > 0) out.redirect_uri = c.redirectUris
  if (c.name !== null) out.name = c.name
  if (c.accessTokenValidity !== null) out.access_token_validity = c.accessTokenValidity
  if (c.refreshTokenValidity !== null) out.refresh_token_validity = c.refreshTokenValidity
  if (c.requiredUserGroups.length > 0) out.required_user_groups = c.requiredUserGroups
  if (c.allowPublic) out.allowpublic = true
  if (c.createdWith !== null) out.createdwith = c.createdWith
  return out
}

export async function getClient(ctx: UaaCtx): Promise<SimResponse> {
  requireScope(await bearerClaims(ctx), READ_SCOPES)
  const client = ctx.state.uaa.clients.get(ctx.req.params.id ?? '')
  if (!client) return {status: 404}
  return json(200, presentClient(client))
}

/** SCIM-style list; `filter` supports `client_id eq|co|sw "x"` and `pr`, joined by `or`. */
export async function listClients(ctx: UaaCtx): Promise<SimResponse> {
  requireScope(await bearerClaims(ctx), READ_SCOPES)
  const q = new URLSearchParams(ctx.req.rawQuery)
  const filter = q.get('filter')
  const startIndex = Math.max(1, parseInt(q.get('startIndex') ?? '1', 10) || 1)
  const count = Math.min(500, Math.max(1, parseInt(q.get('count') ?? '100', 10) || 100))
  let clients = [...ctx.state.uaa.clients.values()]
  if (filter) {
    const match = compileFilter(filter)
    clients = clients.filter(match)
  }
  clients.sort((a, b) => a.clientId.localeCompare(b.clientId))
  if ((q.get('sortOrder') ?? 'ascending').toLowerCase() === 'descending') clients.reverse()
  const page = clients.slice(startIndex - 1, startIndex - 1 + count)
  return json(200, {
    resources: page.map(presentClient),
    startIndex,
    itemsPerPage: count,
    totalResults: clients.length,
    schemas: ['http://cloudfoundry.org/schema/scim/oauth-clients-1.0'],
  })
}

function compileFilter(filter: string): (c: UaaClient) => boolean {
  const terms = filter.split(/\s+or\s+/i).map((term) => {
    const m = /^\s*client_id\s+(eq|co|sw|pr)\s*(?:"([^"]*)")?\s*$/i.exec(term)
    if (!m) throw new OAuthError(400, 'invalid_scim_resource', `Invalid filter expression: [${filter}]`)
    const op = m[1]!.toLowerCase()
    const value = m[2] ?? ''
    return (c: UaaClient) =>
      op === 'eq'
        ? c.clientId.toLowerCase() === value.toLowerCase()
        : op === 'co'
          ? c.clientId.includes(value)
          : op === 'sw'
            ? c.clientId.startsWith(value)
            : true
  })
  return (c) => terms.some((t) => t(c))
}

export async function changeSecret(ctx: UaaCtx): Promise<SimResponse> {
  const caller = await bearerClaims(ctx)
  requireScope(caller, SECRET_SCOPES)
  const clientId = ctx.req.params.id ?? ''
  const client = ctx.state.uaa.clients.get(clientId)
  if (!client) return {status: 404}
  const body = jsonBody(ctx.req)
  const mode = String(body.changeMode ?? 'UPDATE').toUpperCase()
  const record = (status: number) =>
    ctx.state.uaa.secretChanges.push({
      clientId,
      changeMode: mode,
      status,
      at: new Date(ctx.state.now()).toISOString(),
    })
  try {
    const answer = applySecretChange(ctx, client, body, mode, caller)
    record(answer.status)
    return answer
  } catch (err) {
    record(err instanceof OAuthError ? err.status : 500)
    throw err
  }
}

function applySecretChange(
  ctx: UaaCtx,
  client: UaaClient,
  body: Record<string, unknown>,
  mode: string,
  caller: Awaited<ReturnType<typeof bearerClaims>>,
): SimResponse {
  const clientId = client.clientId
  const secret = typeof body.secret === 'string' ? body.secret : ''
  const invalid = (message: string) => new OAuthError(400, 'invalid_client', message)

  const privileged = caller.scope.includes('uaa.admin') || caller.scope.includes('clients.admin')
  if (!privileged) {
    if (caller.client_id !== clientId)
      throw invalid("Bad request. Not permitted to change another client's secret")
    const old = typeof body.oldSecret === 'string' ? body.oldSecret : ''
    if (!clientAccepts(client, old)) throw invalid('Previous secret is required and must be valid')
  }

  let message: string
  switch (mode) {
    case 'ADD':
      if (client.secrets.length >= 2)
        throw invalid('client secret is either empty or client already has two secrets.')
      validateSecret(secret)
      client.secrets = [...client.secrets, secret]
      message = 'Secret is added'
      break
    case 'DELETE':
      if (client.secrets.length !== 2)
        throw invalid('client secret is either empty or client has only one secret.')
      // The older (first) secret goes; the newer one stays.
      client.secrets = [client.secrets[1]!]
      message = 'Secret is deleted'
      break
    case 'UPDATE':
      validateSecret(secret)
      client.secrets = [secret]
      message = 'secret updated'
      break
    default:
      throw new OAuthError(400, 'invalid_request', `Invalid changeMode: ${mode}`)
  }
  client.lastModified = ctx.state.now()
  return json(200, {status: 'ok', message})
}

function validateSecret(secret: string): void {
  if (secret.length === 0) throw new OAuthError(400, 'invalid_client', 'Client secret must not be empty')
  if (secret.length > 255)
    throw new OAuthError(400, 'invalid_client', 'Client secret must be at most 255 characters')
}

export async function createClient(ctx: UaaCtx): Promise<SimResponse> {
  requireScope(await bearerClaims(ctx), WRITE_SCOPES)
  const body = jsonBody(ctx.req)
  const clientId = typeof body.client_id === 'string' ? body.client_id : ''
  if (clientId === '') throw new OAuthError(400, 'invalid_client', 'client_id is required')
  if (ctx.state.uaa.clients.has(clientId)) {
    throw new OAuthError(409, 'invalid_client', `Client already exists: ${clientId}`)
  }
  const list = (v: unknown, fallback: string[] = []) =>
    Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : fallback
  const client: UaaClient = {
    clientId,
    secrets: typeof body.client_secret === 'string' ? [body.client_secret] : [],
    name: typeof body.name === 'string' ? body.name : null,
    authorizedGrantTypes: list(body.authorized_grant_types, ['client_credentials']),
    scope: list(body.scope),
    authorities: list(body.authorities),
    resourceIds: list(body.resource_ids),
    redirectUris: list(body.redirect_uri),
    autoapprove: Array.isArray(body.autoapprove) ? body.autoapprove.map(String) : body.autoapprove === true,
    allowPublic: body.allowpublic === true,
    accessTokenValidity: typeof body.access_token_validity === 'number' ? body.access_token_validity : null,
    refreshTokenValidity:
      typeof body.refresh_token_validity === 'number' ? body.refresh_token_validity : null,
    requiredUserGroups: list(body.required_user_groups),
    lastModified: ctx.state.now(),
    createdWith: null,
  }
  ctx.state.uaa.clients.set(clientId, client)
  return json(201, presentClient(client))
}

export async function deleteClient(ctx: UaaCtx): Promise<SimResponse> {
  requireScope(await bearerClaims(ctx), WRITE_SCOPES)
  const client = ctx.state.uaa.clients.get(ctx.req.params.id ?? '')
  if (!client) return {status: 404}
  ctx.state.uaa.clients.delete(client.clientId)
  return json(200, presentClient(client))
}
