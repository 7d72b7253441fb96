/**
 * UAA: token grants (at the root `login` link), revocation, signing keys, and OAuth client
 * management (at the `uaa` link) — docs/platform-facts.md §9. Every call goes through the one
 * transport. One concern per module: `grants.ts` (the token endpoint), `oauth-clients.ts`
 * (client management), `request.ts` (a request at the `uaa` link); this file composes them.
 */
import type {TokenRequestLimiter} from '../http/tokens.js'
import type {Transport} from '../http/transport.js'
import {createGrants} from './grants.js'
import {createOAuthClients} from './oauth-clients.js'
import {uaaCall, type UaaCall} from './request.js'
import type {WireOpenIdConfiguration, WireTokenKeys} from './wire.js'

export {CF_CLIENT, type OAuthClientAuth} from './grants.js'
export {
  CLIENTS_PAGE_SIZE,
  decodeUaaClient,
  type ListClientsOptions,
  type Schedule,
  type SecretChangeMode,
} from './oauth-clients.js'
export {UAA} from './request.js'

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

/** What verifying a token needs: the signing keys and the issuer (no auth). */
function createKeyReader(call: UaaCall, tokenUrl: string) {
  return {
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
  }
}

export function createUaaClient(options: UaaClientOptions) {
  const grants = createGrants({
    transport: options.transport,
    loginUrl: options.loginUrl,
    now: options.now ?? (() => new Date()),
    limiter: options.limiter,
  })
  const call = uaaCall(options.transport, options.uaaUrl)
  return {
    loginUrl: options.loginUrl,
    uaaUrl: options.uaaUrl,
    ...grants,
    ...createKeyReader(call, grants.tokenUrl),
    ...createOAuthClients(call),
  }
}

export type UaaClient = ReturnType<typeof createUaaClient>
