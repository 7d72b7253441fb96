/** Token grant responses → TokenSet (+ what UAA said about scope and id). */
import {ApiError, TRACE_HINT} from '../http/errors.js'
import {expiryDate, jwtExpiry, type TokenSet} from '../http/tokens.js'
import {registerSecret} from '../../redact.js'
import type {WireTokenResponse} from './wire.js'

export interface UaaTokens extends TokenSet {
  tokenType: string
  /** Space-delimited `scope` of the grant response, split. */
  scope: string[]
  jti: string | null
}

export function decodeTokenResponse(w: WireTokenResponse | undefined, now: Date, url: string): UaaTokens {
  if (!w || typeof w.access_token !== 'string' || w.access_token === '') {
    throw new ApiError(
      'BAD_RESPONSE',
      'UAA answered the token request without an access token',
      {method: 'POST', url, service: 'UAA'},
      [TRACE_HINT],
    )
  }
  registerSecret(w.access_token)
  registerSecret(w.refresh_token)
  registerSecret(w.id_token)
  const fromJwt = jwtExpiry(w.access_token)
  const fromResponse =
    typeof w.expires_in === 'number' ? expiryDate(now.getTime() / 1000 + w.expires_in) : null
  return {
    accessToken: w.access_token,
    refreshToken: typeof w.refresh_token === 'string' && w.refresh_token !== '' ? w.refresh_token : null,
    expiresAt: fromJwt ?? fromResponse,
    tokenType: w.token_type ?? 'bearer',
    scope: typeof w.scope === 'string' ? w.scope.split(/\s+/).filter(Boolean) : [],
    jti: w.jti ?? null,
  }
}
