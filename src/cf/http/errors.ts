/**
 * HTTP failures classified once into CfguardErrors: by the CC error `title`/`code` (never by its
 * detail text), by the OAuth `error` field for UAA, by status otherwise. Messages are one line,
 * name the request (path only, secrets masked) and carry a next step.
 */
import {CfguardError, type CfguardErrorCode} from '../../errors.js'
import {boundText, redactText} from '../../redact.js'
import type {HttpMethod} from './retry.js'
import {findProxyError} from './agents.js'
import {describeUrl} from './url.js'

export interface CcErrorItem {
  code: number
  title: string
  detail: string
}

export interface OAuthErrorBody {
  error: string
  description: string
}

export interface ApiErrorDetails {
  method: HttpMethod
  url: string
  /** "Cloud Controller", "UAA", "policy server", "Log Cache", or the host. */
  service: string
  status?: number
  ccErrors?: CcErrorItem[]
  oauth?: OAuthErrorBody
  /** Node error code when the request got no response (ECONNREFUSED, ETIMEDOUT, …). */
  networkCode?: string
}

/** A failed API call: a CfguardError that also keeps what the API said, for callers that branch on it. */
export class ApiError extends CfguardError {
  readonly method: HttpMethod
  /** Path and query, secret parameters masked. */
  readonly path: string
  readonly service: string
  readonly ccErrors: CcErrorItem[]
  readonly oauth?: OAuthErrorBody
  readonly networkCode?: string

  constructor(code: CfguardErrorCode, message: string, details: ApiErrorDetails, suggestions: string[] = []) {
    super(code, redactText(message), {
      suggestions,
      status: details.status,
      apiTitle: details.ccErrors?.[0]?.title ?? details.oauth?.error,
      apiCode: details.ccErrors?.[0]?.code,
    })
    this.name = 'ApiError'
    this.method = details.method
    this.path = describeUrl(details.url)
    this.service = details.service
    this.ccErrors = details.ccErrors ?? []
    this.oauth = details.oauth
    this.networkCode = details.networkCode
  }

  /** True when CC answered with this error title (e.g. `CF-ResourceNotFound`). */
  hasTitle(title: string): boolean {
    return this.ccErrors.some((e) => e.title === title)
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError
}

export const TRACE_HINT = 'CFGUARD_TRACE=true shows every request and response (secrets redacted)'

export function parseCcErrors(body: unknown): CcErrorItem[] {
  const errors = (body as {errors?: unknown} | null)?.errors
  if (!Array.isArray(errors)) return []
  return errors
    .filter((e): e is Record<string, unknown> => e !== null && typeof e === 'object')
    .map((e) => ({
      code: typeof e.code === 'number' ? e.code : 0,
      title: typeof e.title === 'string' ? serverText(e.title, 200) : '',
      detail: typeof e.detail === 'string' ? serverText(e.detail) : '',
    }))
}

export function parseOAuthError(body: unknown): OAuthErrorBody | undefined {
  const b = body as {error?: unknown; error_description?: unknown; message?: unknown} | null
  if (!b || typeof b !== 'object' || typeof b.error !== 'string') return undefined
  const description =
    typeof b.error_description === 'string'
      ? b.error_description
      : typeof b.message === 'string'
        ? b.message
        : ''
  return {error: serverText(b.error, 200), description: serverText(description)}
}

/** A server string as kept: redacted, then a bounded prefix (a hostile detail can be megabytes). */
function serverText(text: string, max?: number): string {
  return boundText(redactText(text), max)
}

export interface HttpFailure {
  method: HttpMethod
  url: string
  service: string
  status: number
  body: unknown
  attempts: number
}

/** Classifies an error response (after any retry or token replay has been spent). */
export function classifyHttpError(f: HttpFailure): ApiError {
  const ccErrors = parseCcErrors(f.body)
  const oauth = ccErrors.length === 0 ? parseOAuthError(f.body) : undefined
  const details: ApiErrorDetails = {
    method: f.method,
    url: f.url,
    service: f.service,
    status: f.status,
    ccErrors,
    oauth,
  }
  const request = `${f.method} ${describeUrl(f.url)}`
  const first = ccErrors[0]
  const said = first
    ? ` (${first.title || `error ${first.code}`}${first.detail ? `: ${first.detail}` : ''})`
    : oauth
      ? ` (${oauth.error}${oauth.description ? `: ${oauth.description}` : ''})`
      : ''

  if (oauth && (f.status === 400 || f.status === 401)) return classifyOAuth(oauth, details, f.service)

  switch (f.status) {
    case 401: {
      if (first?.title === 'CF-NotAuthenticated') {
        return new ApiError('NOT_LOGGED_IN', `${f.service} needs a token for ${request}${said}`, details, [
          'run `cfguard login`',
        ])
      }
      return new ApiError(
        'TOKEN_EXPIRED',
        `${f.service} rejected the access token for ${request}${said}`,
        details,
        ['run `cfguard login` to get a new token'],
      )
    }
    case 403:
      return new ApiError('FORBIDDEN', `not authorized: ${request}${said}`, details, [
        'the logged-in user or client lacks the role for this; `cfguard target` shows who you are',
      ])
    case 404:
      return new ApiError('NOT_FOUND', `not found: ${request}${said}`, details, [
        'check the name or guid; resources you cannot see also answer 404',
      ])
    case 409:
      return new ApiError('CONFLICT', `${f.service} reported a conflict for ${request}${said}`, details, [
        'another operation may be in progress; retry when it has finished',
      ])
    case 422:
      return new ApiError(
        'UNPROCESSABLE',
        `${f.service} refused ${request}: ${first?.detail || oauth?.description || 'unprocessable entity'}${first?.title ? ` (${first.title})` : ''}`,
        details,
      )
    case 429:
      return new ApiError('RATE_LIMITED', `${f.service} rate limit reached for ${request}${said}`, details, [
        'run again later',
      ])
    default:
      break
  }
  if (f.status >= 500) {
    const tries = f.attempts > 1 ? ` after ${f.attempts} attempts` : ''
    return new ApiError(
      'API_UNAVAILABLE',
      `${f.service} failed: ${request} returned ${f.status}${tries}${said}`,
      details,
      ['retry later', TRACE_HINT],
    )
  }
  return new ApiError('API_ERROR', `${f.service} returned ${f.status} for ${request}${said}`, details, [
    TRACE_HINT,
  ])
}

/**
 * UAA's OAuth errors. UAA's names differ from RFC 6749's (docs/platform-facts.md §9.1): a wrong client secret
 * is `unauthorized`/"Bad credentials" or `invalid_client`/"Bad client credentials", a grant the
 * client may not use is `invalid_client`/"Unauthorized grant type: …".
 */
function classifyOAuth(oauth: OAuthErrorBody, details: ApiErrorDetails, service: string): ApiError {
  const desc = oauth.description
  if (oauth.error === 'invalid_token') {
    return new ApiError(
      'TOKEN_EXPIRED',
      `${service} rejected the token: ${desc || 'invalid or expired'}`,
      details,
      ['run `cfguard login` to get a new token'],
    )
  }
  if (/unauthorized grant type/i.test(desc) || oauth.error === 'unauthorized_client') {
    return new ApiError('AUTH_FAILED', `${service} refused the grant: ${desc || oauth.error}`, details, [
      'the client is not allowed this grant type; use another client or ask the UAA admin to allow it',
    ])
  }
  if (oauth.error === 'invalid_client' || (oauth.error === 'unauthorized' && /bad credentials/i.test(desc))) {
    return new ApiError(
      'AUTH_FAILED',
      `${service} rejected the credentials: ${desc || oauth.error}`,
      details,
      ['check the user name and password, or CFGUARD_CLIENT_ID / CFGUARD_CLIENT_SECRET'],
    )
  }
  if (oauth.error === 'invalid_grant') {
    return new ApiError('AUTH_FAILED', `${service} refused the grant: ${desc || oauth.error}`, details, [
      'check the credentials (a refresh token may have expired: run `cfguard login`)',
    ])
  }
  return new ApiError(
    'AUTH_FAILED',
    `${service} refused the request: ${oauth.error}${desc ? `: ${desc}` : ''}`,
    details,
    ['run `cfguard login`'],
  )
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
])

export interface NetworkFailure {
  method: HttpMethod
  url: string
  service: string
  code: string | undefined
  message: string
  /** What was thrown: a proxy failure (agents.ts) is told apart from the origin's. */
  cause?: unknown
  attempts: number
  timeoutMs: number
}

/** Classifies a request that got no HTTP response at all. */
export function classifyNetworkError(f: NetworkFailure): CfguardError {
  if (f.code === 'ERR_CANCELED') return new CfguardError('INTERRUPTED', 'interrupted')
  const host = safeHost(f.url)
  const details: ApiErrorDetails = {method: f.method, url: f.url, service: f.service, networkCode: f.code}
  const request = `${f.method} ${describeUrl(f.url)}`
  const tries = f.attempts > 1 ? ` after ${f.attempts} attempts` : ''
  const proxy = findProxyError(f.cause)
  if (proxy) return new ApiError('API_UNAVAILABLE', proxy.message, details, proxy.suggestions)
  if (f.code && TLS_CODES.has(f.code)) {
    return new ApiError(
      'API_UNAVAILABLE',
      `the TLS certificate of ${host} is not trusted (${f.code}): give the CA that signed it with --ca-cert FILE`,
      details,
      [
        're-run with --ca-cert FILE (or CFGUARD_CA_CERT, or NODE_EXTRA_CA_CERTS): the CA bundle of the foundation, in PEM',
        'or, on a network you trust, add --skip-ssl-validation for this run',
      ],
    )
  }
  if (f.code === 'ENOTFOUND' || f.code === 'EAI_AGAIN') {
    return new ApiError('API_UNAVAILABLE', `cannot resolve host ${host} (${f.code})`, details, [
      'check the API URL (--api / CFGUARD_API) and your DNS',
    ])
  }
  if (f.code === 'ECONNREFUSED') {
    return new ApiError('API_UNAVAILABLE', `cannot connect to ${host}: connection refused`, details, [
      'check the API URL (--api / CFGUARD_API) and that the foundation is up',
    ])
  }
  if (f.code === 'ETIMEDOUT' || f.code === 'ECONNABORTED' || f.code === 'ESOCKETTIMEDOUT') {
    return new ApiError(
      'API_UNAVAILABLE',
      `${f.service} did not answer ${request} within ${f.timeoutMs >= 1000 ? `${Math.round(f.timeoutMs / 1000)} s` : `${f.timeoutMs} ms`}${tries}`,
      details,
      ['retry later, or raise CFGUARD_TIMEOUT (seconds)'],
    )
  }
  return new ApiError(
    'API_UNAVAILABLE',
    `${request} to ${host} failed${tries}: ${f.code ?? oneLineMessage(f.message)}`,
    details,
    ['retry later', TRACE_HINT],
  )
}

function safeHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'the server'
  }
}

function oneLineMessage(message: string): string {
  return redactText(message).split('\n')[0] ?? ''
}
