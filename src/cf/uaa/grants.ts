/**
 * UAA's token endpoint (at the root `login` link): the password, passcode, client-credentials and
 * refresh-token grants, and revocation — docs/platform-facts.md §9.
 */
import {CfguardError} from '../../errors.js'
import {registerSecret} from '../../redact.js'
import {ApiError, isApiError} from '../http/errors.js'
import {decodeJwtClaims, type TokenRequestLimiter} from '../http/tokens.js'
import type {Transport} from '../http/transport.js'
import {joinUrl} from '../http/url.js'
import {UAA} from './request.js'
import {decodeTokenResponse, type UaaTokens} from './tokens.js'
import type {WireTokenResponse} from './wire.js'

/** The cf CLI's public client: `cf` with an empty secret (Basic `cf:`). */
export const CF_CLIENT = {id: 'cf', secret: ''} as const

export interface OAuthClientAuth {
  id: string
  secret: string
}

export interface GrantOptions {
  transport: Transport
  /** Root `login` link: the token endpoint host. */
  loginUrl: string
  now: () => Date
  /** Counts this session's own token requests, every attempt (not probes of other clients). */
  limiter?: TokenRequestLimiter
}

interface Hints {
  suggestions: string[]
  /** A refused grant means the stored login expired (TOKEN_EXPIRED, not an API error). */
  expired?: boolean
}

/** `POST /oauth/token` with a client's Basic auth; a refused grant keeps UAA's OAuth error. */
function tokenRequester(options: GrantOptions, tokenUrl: string) {
  const {transport, now} = options
  return async function grant(
    form: Record<string, string | undefined>,
    client: OAuthClientAuth,
    hints: Hints,
  ): Promise<UaaTokens> {
    registerSecret(client.secret)
    try {
      const res = await transport.request<WireTokenResponse>({
        method: 'POST',
        url: tokenUrl,
        form,
        auth: {basic: {username: client.id, password: client.secret}},
        tokenGrant: true,
        tokenLimiter: options.limiter,
        service: UAA,
      })
      return decodeTokenResponse(res.data, now(), tokenUrl)
    } catch (err) {
      if (isApiError(err) && (err.status === 400 || err.status === 401) && err.oauth) {
        if (hints.expired) {
          throw new CfguardError(
            'TOKEN_EXPIRED',
            `the stored login has expired or was revoked (${err.oauth.error})`,
            {
              suggestions: hints.suggestions,
              status: err.status,
              apiTitle: err.oauth.error,
            },
          )
        }
        throw new ApiError(
          err.code,
          err.message,
          {method: 'POST', url: tokenUrl, service: UAA, status: err.status, oauth: err.oauth},
          hints.suggestions,
        )
      }
      throw err
    }
  }
}

/** The grants and revocation, at `<login>/oauth/token`. */
export function createGrants(options: GrantOptions) {
  const tokenUrl = joinUrl(options.loginUrl, '/oauth/token')
  const grant = tokenRequester(options, tokenUrl)
  return {
    tokenUrl,

    /** Password grant, as `cf login` does (client `cf`, empty secret). */
    passwordGrant(
      username: string,
      password: string,
      client: OAuthClientAuth = CF_CLIENT,
      /** The user's identity provider (`cf login --origin`), sent as UAA's `login_hint`. */
      origin?: string,
    ): Promise<UaaTokens> {
      registerSecret(password)
      const hint = origin ? {login_hint: JSON.stringify({origin})} : {}
      return grant({grant_type: 'password', username, password, ...hint}, client, {
        suggestions: [
          'check the user name and password (or CFGUARD_USERNAME / CFGUARD_PASSWORD)',
          'SSO users: `cfguard login --sso-passcode`',
        ],
      })
    },

    /** One-time passcode from `<login>/passcode` (SSO users); still grant type `password`. */
    passcodeGrant(
      passcode: string,
      client: OAuthClientAuth = CF_CLIENT,
      origin?: string,
    ): Promise<UaaTokens> {
      registerSecret(passcode)
      const hint = origin ? {login_hint: JSON.stringify({origin})} : {}
      return grant({grant_type: 'password', passcode, ...hint}, client, {
        suggestions: [`get a new one-time passcode at ${joinUrl(options.loginUrl, '/passcode')}`],
      })
    },

    clientCredentialsGrant(clientId: string, clientSecret: string): Promise<UaaTokens> {
      return grant(
        {grant_type: 'client_credentials'},
        {id: clientId, secret: clientSecret},
        {
          suggestions: ['check CFGUARD_CLIENT_ID and CFGUARD_CLIENT_SECRET'],
        },
      )
    },

    refreshTokenGrant(refreshToken: string, client: OAuthClientAuth = CF_CLIENT): Promise<UaaTokens> {
      registerSecret(refreshToken)
      return grant({grant_type: 'refresh_token', refresh_token: refreshToken}, client, {
        suggestions: ['run `cfguard login` again'],
        expired: true,
      })
    },

    /**
     * Revokes a token by its `jti` (`DELETE /oauth/token/revoke/:jti`, authenticated with the
     * token itself). Returns false when the token carries no jti or is not revocable.
     */
    async revoke(token: string): Promise<boolean> {
      const claims = decodeJwtClaims(token)
      const jti = typeof claims?.jti === 'string' ? claims.jti : null
      if (!jti || claims?.revocable === false) return false
      await options.transport.request({
        method: 'DELETE',
        url: joinUrl(options.loginUrl, `/oauth/token/revoke/${encodeURIComponent(jti)}`),
        auth: {bearerToken: token},
        accept: 'none',
        service: UAA,
      })
      return true
    },
  }
}
