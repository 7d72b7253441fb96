/**
 * Which foundation, which credentials, which org and space — resolved in this order:
 *   1. flags (`--api`, `--target NAME`, `--org`, `--space`, `--skip-ssl-validation`)
 *   2. environment (`CFGUARD_API`; `CFGUARD_CLIENT_ID` + `CFGUARD_CLIENT_SECRET`, or
 *      `CFGUARD_USERNAME` + `CFGUARD_PASSWORD`; `CFGUARD_TARGET`, `CFGUARD_ORG`, `CFGUARD_SPACE`)
 *   3. cfguard's own store (`$CFGUARD_HOME/config.json`: the named or current target)
 *   4. the cf CLI's session (`$CF_HOME/.cf/config.json`, read-only)
 * `--cf-session` (CFGUARD_CF_SESSION) takes the cf CLI's session alone for one run. Inside a CF app
 * container, `CFGUARD_CREDENTIALS_SERVICE` names a bound service whose credentials (client id and
 * secret, maybe the API URL) stand where CFGUARD_CLIENT_ID/SECRET (and CFGUARD_API) would.
 * Pure apart from reading those two files; nothing here talks to the network.
 */
import {CfguardError, usageError} from '../errors.js'
import {normalizeApiUrl} from '../cf/http/url.js'
import {registerSecret} from '../redact.js'
import {cfCliConfigPath, readCfCliConfig, type CfCliSession} from './cf-cli-config.js'
import {serviceCredentials} from './service-credentials.js'
import {ConfigStore, type NamedRef, type StoredTarget, validateTargetName} from './store.js'

export interface TargetRequest {
  api?: string
  skipSslValidation?: boolean
  /** A stored target's name. */
  target?: string
  org?: string
  space?: string
  /** A PEM CA bundle to trust (`--ca-cert`); else CFGUARD_CA_CERT, else the stored target's. */
  caCert?: string
  /** Use the cf CLI's session (API, token, org, space) for this run. */
  cfSession?: boolean
}

export type AuthMaterial =
  | {kind: 'client-credentials'; clientId: string; clientSecret: string}
  | {kind: 'password'; username: string; password: string}
  | {
      kind: 'tokens'
      accessToken: string | null
      refreshToken: string | null
      oauthClient: {id: string; secret: string}
      /** Re-authenticate with these when the refresh token no longer works (cf CLI v6 stored them). */
      fallbackClient: {id: string; secret: string} | null
      /** A stored client-credentials token: no refresh; when it expires CFGUARD_CLIENT_SECRET is needed. */
      clientId?: string
    }

export type TargetSource = 'given' | 'store' | 'cf-cli'

export interface ResolvedTarget {
  api: string
  /** Where the API URL came from (`given` = flag or CFGUARD_API). */
  apiSource: TargetSource
  /** Where the credentials came from. */
  authSource: 'env' | 'store' | 'cf-cli'
  /** The stored target supplying tokens or the API, if any. */
  name: string | null
  auth: AuthMaterial
  skipSslValidation: boolean
  /** Path of the CA bundle to trust, from --ca-cert, CFGUARD_CA_CERT or the stored target. */
  caCert: string | null
  org: NamedRef | null
  space: NamedRef | null
  storePath: string
  cfConfigPath: string
}

export interface ResolveContext {
  env: NodeJS.ProcessEnv
  /** $CFGUARD_HOME */
  home: string
  /** Told when the store was open to other users (and has been tightened). */
  warn?: (message: string) => void
}

function envValue(env: NodeJS.ProcessEnv, key: string): string | undefined {
  const v = env[key]
  return v === undefined || v.trim() === '' ? undefined : v
}

function sameApi(a: string, b: string): boolean {
  try {
    return normalizeApiUrl(a) === normalizeApiUrl(b)
  } catch {
    return false
  }
}

export function resolveTarget(request: TargetRequest, ctx: ResolveContext): ResolvedTarget {
  const {env} = ctx
  const store = new ConfigStore(ctx.home, ctx.warn)
  const data = store.read()
  const cfPath = cfCliConfigPath(env)
  let cfSession: CfCliSession | null | undefined
  const cf = () => (cfSession === undefined ? (cfSession = readCfCliConfig(env)) : cfSession)

  const givenCa = request.caCert ?? envValue(env, 'CFGUARD_CA_CERT')
  const skipGiven =
    request.skipSslValidation === true ||
    /^(1|true|yes|on)$/i.test(envValue(env, 'CFGUARD_SKIP_SSL_VALIDATION') ?? '')
  if (request.cfSession === true || /^(1|true|yes|on)$/i.test(envValue(env, 'CFGUARD_CF_SESSION') ?? '')) {
    return cfCliTarget(request, ctx, cf(), {cfPath, storePath: store.path, givenCa, skipGiven})
  }

  const wantedName = request.target ?? envValue(env, 'CFGUARD_TARGET')
  if (wantedName !== undefined) {
    validateTargetName(wantedName)
    if (!data.targets[wantedName]) {
      const known = Object.keys(data.targets)
      throw usageError(
        `no stored target named "${wantedName}"`,
        known.length > 0
          ? `stored targets: ${known.join(', ')}`
          : 'log in first: cfguard login --name NAME --api URL',
      )
    }
  }
  const namedOrCurrent = wantedName ?? data.current ?? undefined
  const preferred: [string, StoredTarget] | undefined =
    namedOrCurrent && data.targets[namedOrCurrent]
      ? [namedOrCurrent, data.targets[namedOrCurrent]]
      : undefined

  // A bound service's credentials (CF task / scheduler job), when CFGUARD_CREDENTIALS_SERVICE names one.
  const service = serviceCredentials(env)

  // 1–4: the API
  const givenApi = request.api ?? envValue(env, 'CFGUARD_API') ?? service?.api ?? undefined
  let api: string
  let apiSource: TargetSource
  if (givenApi !== undefined) {
    api = normalizeApiUrl(givenApi)
    apiSource = 'given'
  } else if (preferred) {
    api = normalizeApiUrl(preferred[1].api)
    apiSource = 'store'
  } else if (cf()?.api) {
    api = normalizeApiUrl(cf()!.api!)
    apiSource = 'cf-cli'
  } else {
    throw new CfguardError('NOT_LOGGED_IN', 'no foundation targeted', {
      suggestions: [
        'run `cfguard login --api https://api.<system-domain>`',
        'or set CFGUARD_API with CFGUARD_CLIENT_ID and CFGUARD_CLIENT_SECRET (CI, cron)',
      ],
    })
  }

  // The stored target for this API: the named/current one if it matches, else any with this API.
  const stored: [string, StoredTarget] | undefined =
    preferred && sameApi(preferred[1].api, api)
      ? preferred
      : wantedName === undefined
        ? Object.entries(data.targets)
            .sort(([a], [b]) => a.localeCompare(b))
            .find(([, t]) => sameApi(t.api, api))
        : undefined

  // Credentials: environment first, then the store, then the cf CLI.
  const secretInEnv = envValue(env, 'CFGUARD_CLIENT_SECRET') !== undefined
  const clientId = envValue(env, 'CFGUARD_CLIENT_ID') ?? (secretInEnv ? undefined : service?.clientId)
  const clientSecret = envValue(env, 'CFGUARD_CLIENT_SECRET') ?? service?.clientSecret
  const username = envValue(env, 'CFGUARD_USERNAME')
  const password = envValue(env, 'CFGUARD_PASSWORD')
  let auth: AuthMaterial | null = null
  let authSource: ResolvedTarget['authSource'] = 'env'
  let fromStore = false
  let fromCf = false

  if (clientSecret !== undefined) {
    const id = clientId ?? (stored?.[1].auth.kind === 'client' ? stored[1].auth.clientId : undefined)
    if (id === undefined)
      throw usageError('CFGUARD_CLIENT_SECRET is set but CFGUARD_CLIENT_ID is not', 'set both, or neither')
    registerSecret(clientSecret)
    auth = {kind: 'client-credentials', clientId: id, clientSecret}
    fromStore = stored?.[1].auth.kind === 'client' && clientId === undefined
  } else if (clientId !== undefined) {
    throw usageError(
      'CFGUARD_CLIENT_ID is set but CFGUARD_CLIENT_SECRET is not',
      'client secrets come from CFGUARD_CLIENT_SECRET (never from flags)',
    )
  } else if (username !== undefined || password !== undefined) {
    if (username === undefined || password === undefined) {
      throw usageError('set both CFGUARD_USERNAME and CFGUARD_PASSWORD, or neither')
    }
    registerSecret(password)
    auth = {kind: 'password', username, password}
  } else if (stored) {
    const a = stored[1].auth
    if (a.kind === 'client' && a.accessToken) {
      auth = {
        kind: 'tokens',
        accessToken: a.accessToken,
        refreshToken: null,
        oauthClient: {id: a.clientId, secret: ''},
        fallbackClient: null,
        clientId: a.clientId,
      }
    } else if (a.kind === 'client') {
      throw new CfguardError(
        'NOT_LOGGED_IN',
        `target "${stored[0]}" uses client credentials of "${a.clientId}", which are never stored`,
        {
          suggestions: ['set CFGUARD_CLIENT_SECRET (and CFGUARD_CLIENT_ID) in the environment of this run'],
        },
      )
    } else
      auth = {
        kind: 'tokens',
        accessToken: a.accessToken,
        refreshToken: a.refreshToken,
        oauthClient: {id: a.oauthClient, secret: ''},
        fallbackClient: null,
      }
    authSource = 'store'
    fromStore = true
  } else {
    const session = cf()
    if (
      session &&
      session.api &&
      sameApi(session.api, api) &&
      (session.accessToken || session.refreshToken)
    ) {
      const canRenewAsClient = session.grantType === 'client_credentials' && session.oauthClient.secret !== ''
      auth = {
        kind: 'tokens',
        accessToken: session.accessToken,
        refreshToken: session.refreshToken,
        oauthClient: session.oauthClient,
        fallbackClient: canRenewAsClient ? session.oauthClient : null,
      }
      authSource = 'cf-cli'
      fromCf = true
    }
  }
  if (!auth) {
    throw new CfguardError('NOT_LOGGED_IN', `not logged in to ${api}`, {
      suggestions: [
        `run \`cfguard login --api ${api}\``,
        'or set CFGUARD_CLIENT_ID and CFGUARD_CLIENT_SECRET',
      ],
    })
  }

  // Org and space: flags/env, else from where the session came from.
  const orgGiven = request.org ?? envValue(env, 'CFGUARD_ORG')
  const spaceGiven = request.space ?? envValue(env, 'CFGUARD_SPACE')
  const base = fromStore || apiSource === 'store' ? stored?.[1] : undefined
  const baseOrg = base ? base.org : fromCf ? (cf()?.org ?? null) : null
  const baseSpace = base ? base.space : fromCf ? (cf()?.space ?? null) : null
  const org: NamedRef | null = orgGiven !== undefined ? {name: orgGiven, guid: null} : baseOrg
  const space: NamedRef | null =
    spaceGiven !== undefined ? {name: spaceGiven, guid: null} : orgGiven !== undefined ? null : baseSpace

  return {
    api,
    apiSource,
    authSource,
    name: stored && (fromStore || apiSource === 'store') ? stored[0] : null,
    auth,
    skipSslValidation: skipGiven || (fromCf && cf()?.skipSslValidation === true),
    caCert: givenCa ?? (stored ? (stored[1].caCert ?? null) : null),
    org,
    space,
    storePath: store.path,
    cfConfigPath: cfPath,
  }
}

/** `--cf-session`: the cf CLI's target as it is (API, token, org, space), for this run only. */
function cfCliTarget(
  request: TargetRequest,
  ctx: ResolveContext,
  session: CfCliSession | null,
  o: {cfPath: string; storePath: string; givenCa: string | undefined; skipGiven: boolean},
): ResolvedTarget {
  if (request.api !== undefined || request.target !== undefined) {
    throw usageError(
      '--cf-session takes the API from the cf CLI: it cannot be combined with --api or --target',
      'drop one of them',
    )
  }
  if (!session?.api || (!session.accessToken && !session.refreshToken)) {
    throw new CfguardError('NOT_LOGGED_IN', `--cf-session: no cf CLI login in ${o.cfPath}`, {
      suggestions: ['run `cf login` first (CF_HOME chooses its directory), or drop --cf-session'],
    })
  }
  const orgGiven = request.org ?? envValue(ctx.env, 'CFGUARD_ORG')
  const spaceGiven = request.space ?? envValue(ctx.env, 'CFGUARD_SPACE')
  const canRenewAsClient = session.grantType === 'client_credentials' && session.oauthClient.secret !== ''
  return {
    api: normalizeApiUrl(session.api),
    apiSource: 'cf-cli',
    authSource: 'cf-cli',
    name: null,
    auth: {
      kind: 'tokens',
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      oauthClient: session.oauthClient,
      fallbackClient: canRenewAsClient ? session.oauthClient : null,
    },
    skipSslValidation: o.skipGiven || session.skipSslValidation,
    caCert: o.givenCa ?? null,
    org: orgGiven !== undefined ? {name: orgGiven, guid: null} : session.org,
    space:
      spaceGiven !== undefined
        ? {name: spaceGiven, guid: null}
        : orgGiven !== undefined
          ? null
          : session.space,
    storePath: o.storePath,
    cfConfigPath: o.cfPath,
  }
}
