/**
 * The session's plumbing: what a session is (clients, transport, scope), how transports are built
 * from the run's settings, and how the API is reached before any token exists. Opening a session
 * from a stored or cf CLI target is a use case: actions/session.ts `openSession`.
 * See src/cf/README.md for the API.
 */
import type {RunContext} from '../context.js'
import {usageError} from '../errors.js'
import type {CcClient} from './ccv3/client.js'
import {discoverRoot, type RootInfo} from './ccv3/root.js'
import {RetryBudget} from './http/retry.js'
import {
  decodeJwtClaims,
  jwtExpiry,
  TokenRequestLimiter,
  type TokenManager,
  type TokenSet,
} from './http/tokens.js'
import {createTracer} from './http/trace.js'
import {createTransport, type Transport, type TransportOptions} from './http/transport.js'
import type {LogCacheClient} from './logcache/client.js'
import type {NetworkClient} from './network/client.js'
import {createUaaClient, type UaaClient} from './uaa/client.js'

/** An org or space as named by the target (the GUID when known). */
export interface NamedRef {
  guid: string | null
  name: string
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

/**
 * Transport + root discovery + UAA client, before any token exists (login uses this directly).
 * `reach` comes from config/ca-cert.ts `reachFor` (which warns about --skip-ssl-validation).
 */
export async function connect(ctx: RunContext, api: string, reach: Reach): Promise<Connection> {
  const transport = createTransport(transportOptions(ctx, reach))
  try {
    const root = await discoverRoot(transport, api)
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

/**
 * A further transport for hosts outside the foundation (issuer and credential probes): the same
 * settings as the session's (TLS, CA, proxy, trace, warnings, activity) with the caller's changes.
 * Its own tracer (the file opened again for append), because closing a transport closes its tracer.
 */
export function extraTransport(
  ctx: RunContext,
  reach: Reach,
  changes: Pick<TransportOptions, 'timeoutMs' | 'maxAttempts' | 'skipSslValidation'>,
): Transport {
  return createTransport({...transportOptions(ctx, reach), ...changes})
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

/** The targeted org and space as GUIDs (names are looked up once). */
export async function lookUpScope(cc: CcClient, target: SessionTarget, all: boolean): Promise<Scope> {
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
