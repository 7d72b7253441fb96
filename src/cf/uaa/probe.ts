/**
 * Is this client secret valid? One client_credentials grant, read the way docs/platform-facts.md §9.1 says:
 * a token, UAA's "Unauthorized grant type", or RFC 6749's `unauthorized_client` mean the secret
 * was accepted; "Bad credentials" / `invalid_client` mean it was rejected.
 */
import {isCfguardError} from '../../errors.js'
import {registerSecret} from '../../redact.js'
import type {Transport} from '../http/transport.js'
import {joinUrl} from '../http/url.js'
import type {WireTokenResponse} from './wire.js'

export interface SecretProbe {
  outcome: 'accepted' | 'rejected' | 'error'
  /** One line for people; never contains the secret or a token. */
  detail: string
}

export async function probeClientSecret(
  transport: Transport,
  tokenEndpoint: string,
  clientId: string,
  secret: string,
): Promise<SecretProbe> {
  registerSecret(secret)
  const url = /\/oauth\/token\/?$/.test(tokenEndpoint)
    ? tokenEndpoint
    : joinUrl(tokenEndpoint, '/oauth/token')
  try {
    const res = await transport.request<WireTokenResponse & {error?: string; error_description?: string}>({
      method: 'POST',
      url,
      form: {grant_type: 'client_credentials'},
      auth: {basic: {username: clientId, password: secret}},
      tokenGrant: true,
      allowStatus: [400, 401, 403],
      service: 'token endpoint',
    })
    const body = res.data ?? {}
    if (res.status === 200) {
      registerSecret(body.access_token)
      return typeof body.access_token === 'string'
        ? {outcome: 'accepted', detail: 'token issued'}
        : {outcome: 'error', detail: 'the token endpoint answered 200 without a token'}
    }
    const error = body.error ?? ''
    const description = body.error_description ?? ''
    if (/unauthorized grant type/i.test(description) || error === 'unauthorized_client') {
      return {
        outcome: 'accepted',
        detail: `secret accepted; the client may not use client_credentials (${error})`,
      }
    }
    if (
      error === 'invalid_client' ||
      (error === 'unauthorized' && /bad credentials/i.test(description)) ||
      res.status === 401
    ) {
      return {
        outcome: 'rejected',
        detail: `secret rejected (${error || res.status}${description ? `: ${description}` : ''})`,
      }
    }
    return {outcome: 'error', detail: `unexpected answer ${res.status} ${error}`.trim()}
  } catch (err) {
    return {outcome: 'error', detail: isCfguardError(err) ? err.message : String(err)}
  }
}
