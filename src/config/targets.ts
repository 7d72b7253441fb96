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

/** A yes/no environment variable (`1`, `true`, `yes`, `on` mean yes). */
export function envFlag(env: NodeJS.ProcessEnv, key: string): boolean {
  return /^(1|true|yes|on)$/i.test(envValue(env, key) ?? '')
}

/** Whether two API URLs name the same foundation (false when either is not a URL). */
export function sameApi(a: string, b: string): boolean {
  try {
    return normalizeApiUrl(a) === normalizeApiUrl(b)
  } catch {
    return false
  }
}

type Named = [string, StoredTarget]
type StoreData = ReturnType<ConfigStore['read']>
type Credentials = {
  auth: AuthMaterial
  authSource: ResolvedTarget['authSource']
  fromStore: boolean
  fromCf: boolean
}

export function resolveTarget(request: TargetRequest, ctx: ResolveContext): ResolvedTarget {
  const {env} = ctx
  const store = new ConfigStore(ctx.home, ctx.warn)
  const data = store.read()
  const cfPath = cfCliConfigPath(env)
  let cfSession: CfCliSession | null | undefined
  const cf = () => (cfSession === undefined ? (cfSession = readCfCliConfig(env)) : cfSession)

  const givenCa = request.caCert ?? envValue(env, 'CFGUARD_CA_CERT')
  const skipGiven = request.skipSslValidation === true || envFlag(env, 'CFGUARD_SKIP_SSL_VALIDATION')
  if (request.cfSession === true || envFlag(env, 'CFGUARD_CF_SESSION')) {
    return cfCliTarget(request, ctx, cf(), {cfPath, storePath: store.path, givenCa, skipGiven})
  }

  const wantedName = wantedTargetName(request, env, data)
  const namedOrCurrent = wantedName ?? data.current ?? undefined
  const preferred: Named | undefined =
    namedOrCurrent && data.targets[namedOrCurrent]
      ? [namedOrCurrent, data.targets[namedOrCurrent]]
      : undefined
  // A bound service's credentials (CF task / scheduler job), when CFGUARD_CREDENTIALS_SERVICE names one.
  const service = serviceCredentials(env)
  const {api, apiSource} = chooseApi(
    request.api ?? envValue(env, 'CFGUARD_API') ?? service?.api ?? undefined,
    preferred,
    cf,
  )
  const stored = storedTargetFor(api, data, preferred, wantedName)
  const {auth, authSource, fromStore, fromCf} = chooseCredentials(api, env, service, stored, cf)

  // Org and space: flags/env, else from where the session came from.
  const base = fromStore || apiSource === 'store' ? stored?.[1] : undefined
  const baseOrg = base ? base.org : fromCf ? (cf()?.org ?? null) : null
  const baseSpace = base ? base.space : fromCf ? (cf()?.space ?? null) : null
  return {
    api,
    apiSource,
    authSource,
    name: stored && (fromStore || apiSource === 'store') ? stored[0] : null,
    auth,
    skipSslValidation: skipGiven || (fromCf && cf()?.skipSslValidation === true),
    caCert: givenCa ?? (stored ? (stored[1].caCert ?? null) : null),
    ...chooseScope(request, env, baseOrg, baseSpace),
    storePath: store.path,
    cfConfigPath: cfPath,
  }
}

/** `--target` or CFGUARD_TARGET, which must name a stored target. */
function wantedTargetName(
  request: TargetRequest,
  env: NodeJS.ProcessEnv,
  data: StoreData,
): string | undefined {
  const wantedName = request.target ?? envValue(env, 'CFGUARD_TARGET')
  if (wantedName === undefined) return undefined
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
  return wantedName
}

/** 1–4: the API — given (flag, CFGUARD_API, a bound service), the stored target's, the cf CLI's. */
function chooseApi(
  givenApi: string | undefined,
  preferred: Named | undefined,
  cf: () => CfCliSession | null,
): {api: string; apiSource: TargetSource} {
  if (givenApi !== undefined) return {api: normalizeApiUrl(givenApi), apiSource: 'given'}
  if (preferred) return {api: normalizeApiUrl(preferred[1].api), apiSource: 'store'}
  const cfApi = cf()?.api
  if (cfApi) return {api: normalizeApiUrl(cfApi), apiSource: 'cf-cli'}
  throw new CfguardError('NOT_LOGGED_IN', 'no foundation targeted', {
    suggestions: [
      'run `cfguard login --api https://api.<system-domain>`',
      'or set CFGUARD_API with CFGUARD_CLIENT_ID and CFGUARD_CLIENT_SECRET (CI, cron)',
    ],
  })
}

/** The stored target for this API: the named/current one if it matches, else any with this API. */
function storedTargetFor(
  api: string,
  data: StoreData,
  preferred: Named | undefined,
  wantedName: string | undefined,
): Named | undefined {
  if (preferred && sameApi(preferred[1].api, api)) return preferred
  if (wantedName !== undefined) return undefined
  return Object.entries(data.targets)
    .sort(([a], [b]) => a.localeCompare(b))
    .find(([, t]) => sameApi(t.api, api))
}

/** Credentials: environment (or a bound service) first, then the store, then the cf CLI. */
function chooseCredentials(
  api: string,
  env: NodeJS.ProcessEnv,
  service: ReturnType<typeof serviceCredentials>,
  stored: Named | undefined,
  cf: () => CfCliSession | null,
): Credentials {
  const secretInEnv = envValue(env, 'CFGUARD_CLIENT_SECRET') !== undefined
  const clientId = envValue(env, 'CFGUARD_CLIENT_ID') ?? (secretInEnv ? undefined : service?.clientId)
  const clientSecret = envValue(env, 'CFGUARD_CLIENT_SECRET') ?? service?.clientSecret
  const username = envValue(env, 'CFGUARD_USERNAME')
  const password = envValue(env, 'CFGUARD_PASSWORD')

  if (clientSecret !== undefined) {
    const storedClient = stored?.[1].auth.kind === 'client' ? stored[1].auth.clientId : undefined
    const id = clientId ?? storedClient
    if (id === undefined)
      throw usageError('CFGUARD_CLIENT_SECRET is set but CFGUARD_CLIENT_ID is not', 'set both, or neither')
    registerSecret(clientSecret)
    const auth: AuthMaterial = {kind: 'client-credentials', clientId: id, clientSecret}
    return {
      auth,
      authSource: 'env',
      fromStore: storedClient !== undefined && clientId === undefined,
      fromCf: false,
    }
  }
  if (clientId !== undefined) {
    throw usageError(
      'CFGUARD_CLIENT_ID is set but CFGUARD_CLIENT_SECRET is not',
      'client secrets come from CFGUARD_CLIENT_SECRET (never from flags)',
    )
  }
  if (username !== undefined || password !== undefined) {
    if (username === undefined || password === undefined) {
      throw usageError('set both CFGUARD_USERNAME and CFGUARD_PASSWORD, or neither')
    }
    registerSecret(password)
    return {auth: {kind: 'password', username, password}, authSource: 'env', fromStore: false, fromCf: false}
  }
  if (stored) return {auth: storedAuth(stored), authSource: 'store', fromStore: true, fromCf: false}
  const session = cf()
  if (session?.api && sameApi(session.api, api) && (session.accessToken || session.refreshToken)) {
    return {auth: cfSessionAuth(session), authSource: 'cf-cli', fromStore: false, fromCf: true}
  }
  throw new CfguardError('NOT_LOGGED_IN', `not logged in to ${api}`, {
    suggestions: [`run \`cfguard login --api ${api}\``, 'or set CFGUARD_CLIENT_ID and CFGUARD_CLIENT_SECRET'],
  })
}

/** A stored target's tokens (a client login's secret is never stored: its token, or an error). */
function storedAuth([name, target]: Named): AuthMaterial {
  const a = target.auth
  if (a.kind === 'client' && a.accessToken) {
    return {
      kind: 'tokens',
      accessToken: a.accessToken,
      refreshToken: null,
      oauthClient: {id: a.clientId, secret: ''},
      fallbackClient: null,
      clientId: a.clientId,
    }
  }
  if (a.kind === 'client') {
    throw new CfguardError(
      'NOT_LOGGED_IN',
      `target "${name}" uses client credentials of "${a.clientId}", which are never stored`,
      {
        suggestions: ['set CFGUARD_CLIENT_SECRET (and CFGUARD_CLIENT_ID) in the environment of this run'],
      },
    )
  }
  return {
    kind: 'tokens',
    accessToken: a.accessToken,
    refreshToken: a.refreshToken,
    oauthClient: {id: a.oauthClient, secret: ''},
    fallbackClient: null,
  }
}

/** The cf CLI's tokens; a client-credentials session renews with its own client when it can. */
function cfSessionAuth(session: CfCliSession): AuthMaterial {
  const canRenewAsClient = session.grantType === 'client_credentials' && session.oauthClient.secret !== ''
  return {
    kind: 'tokens',
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    oauthClient: session.oauthClient,
    fallbackClient: canRenewAsClient ? session.oauthClient : null,
  }
}

/** `--org`/`--space` (or CFGUARD_ORG/SPACE) over the session's own; a new org drops its space. */
function chooseScope(
  request: TargetRequest,
  env: NodeJS.ProcessEnv,
  baseOrg: NamedRef | null,
  baseSpace: NamedRef | null,
): {org: NamedRef | null; space: NamedRef | null} {
  const orgGiven = request.org ?? envValue(env, 'CFGUARD_ORG')
  const spaceGiven = request.space ?? envValue(env, 'CFGUARD_SPACE')
  return {
    org: orgGiven !== undefined ? {name: orgGiven, guid: null} : baseOrg,
    space:
      spaceGiven !== undefined ? {name: spaceGiven, guid: null} : orgGiven !== undefined ? null : baseSpace,
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
  return {
    api: normalizeApiUrl(session.api),
    apiSource: 'cf-cli',
    authSource: 'cf-cli',
    name: null,
    auth: cfSessionAuth(session),
    skipSslValidation: o.skipGiven || session.skipSslValidation,
    caCert: o.givenCa ?? null,
    ...chooseScope(request, ctx.env, session.org, session.space),
    storePath: o.storePath,
    cfConfigPath: o.cfPath,
  }
}
