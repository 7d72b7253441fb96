/**
 * A session: every later action (collect, rotate, audit) starts here. `openSession` resolves the
 * target (flags → env → own store → cf CLI), discovers the endpoints from `GET /` of the API,
 * builds the one transport and the clients, and makes sure there is a valid token.
 * See src/cf/README.md for the API.
 */
import {createCcClient, type CcClient} from '../cf/ccv3/client.js'
import {discoverRoot, type RootInfo} from '../cf/ccv3/root.js'
import {RetryBudget} from '../cf/http/retry.js'
import {
  decodeJwtClaims,
  jwtExpiry,
  TokenManager,
  TokenRequestLimiter,
  type TokenSet,
} from '../cf/http/tokens.js'
import {createTracer} from '../cf/http/trace.js'
import {createTransport, type Transport, type TransportOptions} from '../cf/http/transport.js'
import {createLogCacheClient, type LogCacheClient} from '../cf/logcache/client.js'
import {createNetworkClient, type NetworkClient} from '../cf/network/client.js'
import {createUaaClient, type UaaClient} from '../cf/uaa/client.js'
import {loadCaCert} from '../config/ca-cert.js'
import {ConfigStore, type NamedRef} from '../config/store.js'
import {resolveTarget, type AuthMaterial, type ResolvedTarget, type TargetRequest} from '../config/targets.js'
import {CfguardError, isCfguardError, usageError} from '../errors.js'
import type {RunContext} from './context.js'

export interface SessionOptions extends TargetRequest {
  /** Everything the token can see: ignore the targeted org and space. */
  all?: boolean
}

export interface SessionTarget {
  api: string
  ccVersion: string
  org: NamedRef | null
  space: NamedRef | null
  /** User name for user tokens; null for client tokens. */
  user: string | null
  /** OAuth client id for client-credentials tokens; null for user tokens. */
  client: string | null
  /** ISO time; null when the token does not say. */
  tokenExpiresAt: string | null
  /** Where the credentials came from. */
  source: 'env' | 'store' | 'cf-cli'
  /** The stored target's name, when the store supplied it. */
  name: string | null
}

export interface Scope {
  all: boolean
  org: {guid: string; name: string} | null
  space: {guid: string; name: string} | null
}

export interface Session {
  target: SessionTarget
  root: RootInfo
  cc: CcClient
  uaa: UaaClient
  /** null when the foundation has no policy server link. */
  network: NetworkClient | null
  /** null when the foundation has no Log Cache link. */
  logCache: LogCacheClient | null
  /** stats (requests, retries, warnings, …) and rateLimit live here. */
  transport: Transport
  /** How this session reaches hosts (TLS, CA, proxy environment): for extra transports (issuer probes). */
  reach: Reach
  tokens: TokenManager
  /** The org/space to work on as GUIDs (looked up once); `--all` or nothing targeted = everything visible. */
  resolveScope(): Promise<Scope>
  close(): void
}

/** What every transport of a run shares: TLS verification, the extra CAs, the proxy environment. */
export interface Reach {
  skipSslValidation: boolean
  /** PEM of the --ca-cert bundle; null = Node's roots only. */
  caPem: string | null
  env: NodeJS.ProcessEnv
}

/** The transport's settings from the environment: CFGUARD_TIMEOUT, CFGUARD_MAX_RETRY_WAIT, CFGUARD_TRACE. */
export function transportOptions(ctx: RunContext, reach: Reach): TransportOptions {
  const seconds = (name: string, fallback: number, min: number) => {
    const raw = ctx.env[name]
    if (raw === undefined || raw.trim() === '') return fallback
    const n = Number(raw)
    if (!Number.isFinite(n) || n < min)
      throw usageError(
        `${name} must be a number of seconds ≥ ${min}, not "${raw}"`,
        `e.g. ${name}=${fallback / 1000}, or unset it for the default`,
      )
    return n * 1000
  }
  return {
    timeoutMs: seconds('CFGUARD_TIMEOUT', 30_000, 1),
    maxRetryWaitMs: seconds('CFGUARD_MAX_RETRY_WAIT', 60_000, 0),
    ...reach,
    retryBudget: new RetryBudget(),
    tracer: createTracer(ctx.env.CFGUARD_TRACE, ctx.now),
    warn: ctx.warn,
    sleep: ctx.sleep,
    now: ctx.now,
    signal: ctx.signal,
    ...(ctx.activity ? {onActivity: ctx.activity} : {}),
  }
}

/** CFGUARD_MAX_LIST_MIB: the most JSON one list may read (a server paging forever is stopped). */
export function maxListMib(ctx: RunContext): number | undefined {
  const raw = ctx.env.CFGUARD_MAX_LIST_MIB
  if (raw === undefined || raw.trim() === '') return undefined
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 1)
    throw usageError(
      `CFGUARD_MAX_LIST_MIB must be a number of MiB ≥ 1, not "${raw}"`,
      'e.g. CFGUARD_MAX_LIST_MIB=1024, or unset it for the default (512)',
    )
  return n
}

export interface Connection {
  transport: Transport
  reach: Reach
  root: RootInfo
  uaa: UaaClient
  close(): void
}

/** Transport + root discovery + UAA client, before any token exists (login uses this directly). */
export async function connect(
  ctx: RunContext,
  target: {api: string; skipSslValidation: boolean; caCert?: string | null},
): Promise<Connection> {
  if (target.skipSslValidation) {
    ctx.warn(
      'TLS certificate verification is off for this run (--skip-ssl-validation): use it only on a network you trust',
    )
  }
  const reach: Reach = {
    skipSslValidation: target.skipSslValidation,
    caPem: target.caCert ? loadCaCert(target.caCert, '--ca-cert', ctx.warn).pem : null,
    env: ctx.env,
  }
  const transport = createTransport(transportOptions(ctx, reach))
  try {
    const root = await discoverRoot(transport, target.api)
    transport.trust({
      cc: root.api,
      login: root.login,
      uaa: root.uaa,
      logCache: root.logCache,
      networkPolicy: root.networkPolicyV1,
    })
    transport.trust({cc: root.ccV3})
    const uaa = createUaaClient({
      transport,
      loginUrl: root.login,
      uaaUrl: root.uaa,
      now: ctx.now,
      limiter: new TokenRequestLimiter(4, 60_000, ctx.now),
    })
    return {transport, reach, root, uaa, close: () => transport.close()}
  } catch (err) {
    transport.close()
    throw err
  }
}

export async function openSession(ctx: RunContext, options: SessionOptions = {}): Promise<Session> {
  const resolved = resolveTarget(options, ctx)
  const conn = await connect(ctx, resolved)
  try {
    const {transport, root, uaa} = conn
    const tokens = new TokenManager({
      initial: initialTokens(resolved.auth),
      renew: renewer(resolved, uaa),
      now: ctx.now,
      onRenewed: persister(ctx, resolved),
    })
    transport.setTokenProvider(tokens)
    await tokens.accessToken()

    const cc = createCcClient({
      transport,
      apiUrl: root.api,
      version: root.ccVersion,
      now: ctx.now,
      sleep: ctx.sleep,
      signal: ctx.signal,
      maxListMib: maxListMib(ctx),
    })
    const target: SessionTarget = {
      api: root.api,
      ccVersion: root.ccVersion,
      org: options.all ? null : resolved.org,
      space: options.all ? null : resolved.space,
      ...identity(tokens.current()),
      source: resolved.authSource,
      name: resolved.name,
    }
    let scope: Promise<Scope> | null = null
    return {
      target,
      root,
      cc,
      uaa,
      network: root.networkPolicyV1 ? createNetworkClient(transport, root.networkPolicyV1) : null,
      logCache: root.logCache ? createLogCacheClient(transport, root.logCache) : null,
      transport,
      reach: conn.reach,
      tokens,
      resolveScope: () => (scope ??= lookUpScope(cc, target, options.all === true)),
      close: conn.close,
    }
  } catch (err) {
    conn.close()
    throw err
  }
}

/** Who the token belongs to and when it expires (display only; CC decides what it may do). */
export function identity(tokens: TokenSet | null): Pick<SessionTarget, 'user' | 'client' | 'tokenExpiresAt'> {
  const claims = tokens ? decodeJwtClaims(tokens.accessToken) : null
  const user = typeof claims?.user_name === 'string' ? claims.user_name : null
  const clientId =
    typeof claims?.client_id === 'string'
      ? claims.client_id
      : typeof claims?.sub === 'string'
        ? claims.sub
        : null
  const expires = tokens?.expiresAt ?? (tokens ? jwtExpiry(tokens.accessToken) : null)
  return {user, client: user ? null : clientId, tokenExpiresAt: expires ? expires.toISOString() : null}
}

function initialTokens(auth: AuthMaterial): TokenSet | null {
  if (auth.kind !== 'tokens' || auth.accessToken === null) return null
  return {
    accessToken: auth.accessToken,
    refreshToken: auth.refreshToken,
    expiresAt: jwtExpiry(auth.accessToken),
  }
}

function loginHint(resolved: ResolvedTarget): string {
  if (resolved.authSource === 'cf-cli') return 'run `cf login` again, or `cfguard login`'
  const name = resolved.name && resolved.name !== 'default' ? ` --name ${resolved.name}` : ''
  return `run \`cfguard login --api ${resolved.api}${name}\``
}

/** How this target gets a new token: refresh, else client credentials where configured, else log in again. */
function renewer(resolved: ResolvedTarget, uaa: UaaClient) {
  const auth = resolved.auth
  return async (current: TokenSet | null): Promise<TokenSet> => {
    switch (auth.kind) {
      case 'client-credentials':
        return uaa.clientCredentialsGrant(auth.clientId, auth.clientSecret)
      case 'password':
        if (current?.refreshToken) {
          try {
            return await uaa.refreshTokenGrant(current.refreshToken)
          } catch (err) {
            if (!isCfguardError(err) || err.code !== 'TOKEN_EXPIRED') throw err
          }
        }
        return uaa.passwordGrant(auth.username, auth.password)
      case 'tokens': {
        if (auth.clientId !== undefined) {
          throw new CfguardError(
            'TOKEN_EXPIRED',
            `the token of client "${auth.clientId}" for ${resolved.api} has expired: set CFGUARD_CLIENT_SECRET to go on (client secrets are never stored)`,
            {suggestions: [`CFGUARD_CLIENT_SECRET=… cfguard … (with the secret of "${auth.clientId}")`]},
          )
        }
        const refresh = current?.refreshToken ?? auth.refreshToken
        if (refresh) {
          try {
            return await uaa.refreshTokenGrant(refresh, auth.oauthClient)
          } catch (err) {
            if (!isCfguardError(err) || err.code !== 'TOKEN_EXPIRED' || !auth.fallbackClient) {
              if (isCfguardError(err) && err.code === 'TOKEN_EXPIRED') {
                throw new CfguardError('TOKEN_EXPIRED', `the login for ${resolved.api} has expired`, {
                  suggestions: [loginHint(resolved)],
                })
              }
              throw err
            }
          }
        }
        if (auth.fallbackClient)
          return uaa.clientCredentialsGrant(auth.fallbackClient.id, auth.fallbackClient.secret)
        throw new CfguardError('TOKEN_EXPIRED', `the login for ${resolved.api} has expired`, {
          suggestions: [loginHint(resolved)],
        })
      }
    }
  }
}

/** Renewed tokens of a stored password login are written back (the cf CLI's config never is). */
function persister(ctx: RunContext, resolved: ResolvedTarget) {
  if (resolved.authSource !== 'store' || !resolved.name) return undefined
  const name = resolved.name
  return async (tokens: TokenSet) => {
    try {
      await new ConfigStore(ctx.home).update((d) => {
        const t = d.targets[name]
        if (t && t.auth.kind === 'user') {
          t.auth.accessToken = tokens.accessToken
          if (tokens.refreshToken) t.auth.refreshToken = tokens.refreshToken
        }
      })
    } catch (err) {
      ctx.warn(
        `could not save the refreshed token in ${resolved.storePath}: ${err instanceof Error ? err.message : String(err)}`,
      )
    }
  }
}

async function lookUpScope(cc: CcClient, target: SessionTarget, all: boolean): Promise<Scope> {
  if (all || (!target.org && !target.space)) return {all: true, org: null, space: null}
  let org: Scope['org'] = null
  if (target.org) {
    org = target.org.guid
      ? {guid: target.org.guid, name: target.org.name}
      : await cc.orgs.single({names: [target.org.name]}).then((o) => ({guid: o.guid, name: o.name}))
  }
  let space: Scope['space'] = null
  if (target.space) {
    if (target.space.guid) space = {guid: target.space.guid, name: target.space.name}
    else {
      const s = await cc.spaces.single({
        names: [target.space.name],
        ...(org ? {organizationGuids: [org.guid]} : {}),
      })
      space = {guid: s.guid, name: s.name}
    }
  }
  return {all: false, org, space}
}
