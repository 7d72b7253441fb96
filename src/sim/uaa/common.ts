import type {UaaClient} from '../core/model.js'
import type {SimState} from '../core/state.js'
import {formDecode, json, rawQueryPairs, type SimRequest, type SimResponse} from '../server/types.js'
import type {Claims, TokenService} from './tokens.js'

export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(description)
  }

  toResponse(): SimResponse {
    return json(this.status, {error: this.error, error_description: this.description, ...this.extra})
  }
}

export const badCredentials = () => new OAuthError(401, 'unauthorized', 'Bad credentials')
export const fullAuthRequired = () =>
  new OAuthError(401, 'unauthorized', 'Full authentication is required to access this resource')

export interface UaaCtx {
  state: SimState
  tokens: TokenService
  req: SimRequest
}

/** Form body (and query string) parameters, form-decoded. */
export function formParams(req: SimRequest): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of rawQueryPairs(req.rawQuery)) out.set(k, formDecode(v))
  const type = String(req.headers['content-type'] ?? '')
  if (type.includes('application/json')) {
    try {
      const body = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>
      for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out.set(k, v)
    } catch {
      throw new OAuthError(400, 'invalid_request', 'Request body is not valid JSON')
    }
  } else {
    for (const [k, v] of rawQueryPairs(req.body.toString('utf8'))) out.set(k, formDecode(v))
  }
  return out
}

export function jsonBody(req: SimRequest): Record<string, unknown> {
  try {
    const parsed = JSON.parse(req.body.toString('utf8') || '{}') as unknown
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>
  } catch {
    // fall through
  }
  throw new OAuthError(400, 'invalid_request', 'Request body is not valid JSON')
}

export async function bearerClaims(ctx: UaaCtx): Promise<Claims> {
  const header = String(ctx.req.headers.authorization ?? '')
  const m = /^bearer\s+(.+)$/i.exec(header)
  if (!m) throw fullAuthRequired()
  const claims = await ctx.tokens.verify(m[1]!.trim())
  if (!claims)
    throw new OAuthError(
      401,
      'invalid_token',
      'The token expired, was revoked, or the token ID is incorrect.',
    )
  return claims
}

export function requireScope(claims: Claims, anyOf: string[]): void {
  if (!anyOf.some((s) => claims.scope.includes(s))) {
    throw new OAuthError(403, 'insufficient_scope', 'Insufficient scope for this resource', {
      scope: anyOf.join(' '),
    })
  }
}

export function clientAccepts(client: UaaClient, secret: string): boolean {
  return client.secrets.some((s) => s === secret)
}
