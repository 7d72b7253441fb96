/**
 * A session: every later action (collect, rotate, audit) starts here. `openSession` resolves the
 * target (flags → env → own store → cf CLI), discovers the endpoints from `GET /` of the API,
 * builds the one transport and the clients, and makes sure there is a valid token.
 * The plumbing (Session, Scope, connect, transports) is in cf/session.ts.
 */
import {createCcClient} from '../cf/ccv3/client.js'
import {jwtExpiry, TokenManager, type TokenSet} from '../cf/http/tokens.js'
import {createLogCacheClient} from '../cf/logcache/client.js'
import {createNetworkClient} from '../cf/network/client.js'
import {
  connect,
  identity,
  lookUpScope,
  maxListMib,
  type Scope,
  type Session,
  type SessionTarget,
} from '../cf/session.js'
import type {UaaClient} from '../cf/uaa/client.js'
import {reachFor} from '../config/ca-cert.js'
import {ConfigStore} from '../config/store.js'
import {resolveTarget, type AuthMaterial, type ResolvedTarget, type TargetRequest} from '../config/targets.js'
import type {RunContext} from '../context.js'
import {CfguardError, isCfguardError} from '../errors.js'

export interface SessionOptions extends TargetRequest {
  /** Everything the token can see: ignore the targeted org and space. */
  all?: boolean
}

/** The connection and scope flags as the command line names them (every connecting command has them). */
export interface SessionFlagValues {
  api?: string
  'skip-ssl-validation'?: boolean
  target?: string
  'ca-cert'?: string
  'cf-session'?: boolean
  org?: string
  space?: string
  all?: boolean
}

/** Parsed flags → what `openSession` takes. */
export function sessionOptions(flags: SessionFlagValues): SessionOptions {
  return {
    api: flags.api,
    skipSslValidation: flags['skip-ssl-validation'],
    target: flags.target,
    caCert: flags['ca-cert'],
    cfSession: flags['cf-session'],
    org: flags.org,
    space: flags.space,
    all: flags.all,
  }
}

export async function openSession(ctx: RunContext, options: SessionOptions = {}): Promise<Session> {
  const resolved = resolveTarget(options, ctx)
  const conn = await connect(ctx, resolved.api, reachFor(ctx, resolved))
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
