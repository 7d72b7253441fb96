/**
 * UAA: token grants (at the root `login` link), revocation, signing keys, and OAuth client
 * management (at the `uaa` link) — docs/platform-facts.md §9. Every call goes through the one transport.
 */
import {CfguardError} from '../../errors.js'
import {registerSecret} from '../../redact.js'
import {ApiError, isApiError} from '../http/errors.js'
import type {TokenRequestLimiter} from '../http/tokens.js'
import {decodeJwtClaims} from '../http/tokens.js'
import type {HttpMethod, RequestAuth, Transport} from '../http/transport.js'
import {joinUrl} from '../http/url.js'
import type {UaaClient as UaaOAuthClient} from '../../model/snapshot.js'
import {decodeTokenResponse, type UaaTokens} from './tokens.js'
import type {
  WireOpenIdConfiguration,
  WireSecretChangeResponse,
  WireTokenKeys,
  WireTokenResponse,
  WireUaaClient,
  WireUaaClientList,
} from './wire.js'

export const UAA = 'UAA'

/** The cf CLI's public client: `cf` with an empty secret (Basic `cf:`). */
export const CF_CLIENT = {id: 'cf', secret: ''} as const

export interface OAuthClientAuth {
  id: string
  secret: string
}

export interface UaaClientOptions {
  transport: Transport
  /** Root `login` link: the token endpoint host. */
  loginUrl: string
  /** Root `uaa` link: client management and keys. */
  uaaUrl: string
  now?: () => Date
  /** Counts this session's own token requests, every attempt (not probes of other clients). */
  limiter?: TokenRequestLimiter
}

export type SecretChangeMode = 'ADD' | 'DELETE' | 'UPDATE'

/** SCIM page size of `GET /oauth/clients` (UAA's largest `count`). */
export const CLIENTS_PAGE_SIZE = 500

/** Runs one request; a caller's concurrency limit (e.g. the collector's `limiter.run`). */
export type Schedule = <T>(request: () => Promise<T>) => Promise<T>

export interface ListClientsOptions {
  /** SCIM filter, e.g. `client_id sw "app-"`. */
  filter?: string
  /** Each page request runs through this (default: at once). */
  schedule?: Schedule
}

export function createUaaClient(options: UaaClientOptions) {
  const {transport} = options
  const now = options.now ?? (() => new Date())
  const tokenUrl = joinUrl(options.loginUrl, '/oauth/token')

  async function grant(
    form: Record<string, string | undefined>,
    client: OAuthClientAuth,
    hints: {suggestions: string[]; expired?: boolean},
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

  async function call<T>(
    method: HttpMethod,
    path: string,
    init: {
      json?: unknown
      query?: Record<string, string | number | undefined>
      auth?: RequestAuth
      allowStatus?: number[]
      retry?: boolean
    } = {},
  ) {
    return transport.request<T>({
      method,
      url: joinUrl(options.uaaUrl, path),
      json: init.json,
      query: init.query as Record<string, string | undefined>,
      auth: init.auth,
      allowStatus: init.allowStatus,
      retry: init.retry,
      service: UAA,
    })
  }

  return {
    tokenUrl,
    loginUrl: options.loginUrl,
    uaaUrl: options.uaaUrl,

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
      await transport.request({
        method: 'DELETE',
        url: joinUrl(options.loginUrl, `/oauth/token/revoke/${encodeURIComponent(jti)}`),
        auth: {bearerToken: token},
        accept: 'none',
        service: UAA,
      })
      return true
    },

    /** The signing keys (`GET /token_keys`, no auth) as a JWKS of RSA keys. */
    async tokenKeys(): Promise<WireTokenKeys> {
      return (await call<WireTokenKeys>('GET', '/token_keys', {auth: 'none'})).data ?? {}
    },

    /** The issuer tokens must carry: from OIDC discovery, else `<login>/oauth/token`. */
    async issuer(): Promise<string> {
      const res = await call<WireOpenIdConfiguration>('GET', '/.well-known/openid-configuration', {
        auth: 'none',
        allowStatus: [404],
      })
      return res.status === 200 && typeof res.data?.issuer === 'string' ? res.data.issuer : tokenUrl
    },

    async getClient(clientId: string): Promise<UaaOAuthClient> {
      const res = await call<WireUaaClient>('GET', `/oauth/clients/${encodeURIComponent(clientId)}`, {
        allowStatus: [404],
      })
      if (res.status === 404 || !res.data) {
        throw new CfguardError('NOT_FOUND', `UAA has no OAuth client "${clientId}"`, {status: 404})
      }
      return decodeUaaClient(res.data)
    },

    /**
     * Every client the token may read (`clients.read`): the first SCIM page tells the total, then
     * the other pages are asked for at once by `startIndex` (5,000 clients: 2 round trips, not 10),
     * stepping by what UAA actually returns per page (it may cap `count`). Nothing past the total
     * is asked for. A client seen on two pages (the list shifted meanwhile) is kept once.
     */
    async listClients(list: ListClientsOptions = {}): Promise<UaaOAuthClient[]> {
      const schedule: Schedule = list.schedule ?? ((request) => request())
      const page = (startIndex: number) =>
        schedule(async () => {
          const res = await call<WireUaaClientList>('GET', '/oauth/clients', {
            query: {startIndex, count: CLIENTS_PAGE_SIZE, filter: list.filter},
          })
          return res.data ?? {}
        })
      const first = await page(1)
      const total = first.totalResults ?? 0
      const step = first.resources?.length ?? 0
      const starts: number[] = []
      for (let start = 1 + step; step > 0 && start <= total; start += step) starts.push(start)
      const rest = await Promise.all(starts.map(page))
      const seen = new Set<string>()
      const out: UaaOAuthClient[] = []
      for (const body of [first, ...rest]) {
        for (const w of body.resources ?? []) {
          if (seen.has(w.client_id)) continue
          seen.add(w.client_id)
          out.push(decodeUaaClient(w))
        }
      }
      return out
    },

    /**
     * `PUT /oauth/clients/:id/secret`: ADD a second secret, DELETE the older one, or UPDATE
     * (replace all). At most two secrets exist; UAA's 400 becomes UNPROCESSABLE with its reason.
     * Sent once, never retried: a PUT, but not idempotent — after a cut connection a second
     * DELETE would remove the next secret too (lockout). A lost answer fails; the caller decides
     * from UAA's state (probe the secrets) what happened.
     */
    async changeClientSecret(
      clientId: string,
      change: {changeMode: SecretChangeMode; secret?: string; oldSecret?: string},
    ): Promise<{status: string; message: string}> {
      registerSecret(change.secret)
      registerSecret(change.oldSecret)
      const body = {
        clientId,
        changeMode: change.changeMode,
        ...(change.secret !== undefined ? {secret: change.secret} : {}),
        ...(change.oldSecret !== undefined ? {oldSecret: change.oldSecret} : {}),
      }
      try {
        const res = await call<WireSecretChangeResponse>(
          'PUT',
          `/oauth/clients/${encodeURIComponent(clientId)}/secret`,
          {json: body, retry: false},
        )
        return {status: res.data?.status ?? 'ok', message: res.data?.message ?? ''}
      } catch (err) {
        if (isApiError(err) && err.status === 400) {
          const why = err.oauth?.description || err.oauth?.error || 'bad request'
          throw new CfguardError(
            'UNPROCESSABLE',
            `UAA refused to ${change.changeMode} a secret of client "${clientId}": ${why}`,
            {
              status: 400,
              apiTitle: err.oauth?.error,
            },
          )
        }
        throw err
      }
    },
  }
}

export type UaaClient = ReturnType<typeof createUaaClient>

export function decodeUaaClient(w: WireUaaClient): UaaOAuthClient {
  return {
    clientId: w.client_id,
    authorities: w.authorities ?? [],
    scope: w.scope ?? [],
    grantTypes: w.authorized_grant_types ?? [],
    redirectUris: w.redirect_uri ?? [],
    lastModified: typeof w.lastModified === 'number' ? new Date(w.lastModified).toISOString() : null,
  }
}
