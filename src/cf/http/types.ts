/**
 * The transport's public types (re-exported by transport.ts, where callers import them from).
 */
import type {ActivityListener} from './activity.js'
import type {HttpMethod, RetryBudget} from './retry.js'
import type {AccessTokenProvider} from './tokens.js'
import type {Tracer} from './trace.js'

/**
 * `bearer`: the session token (trusted origins only); `{bearerToken}`: a given token, same rule
 * (e.g. revoking it); `{basic}`: client authentication at a token endpoint, any host.
 */
export type RequestAuth =
  'bearer' | 'none' | {bearerToken: string} | {basic: {username: string; password: string}}

export interface HttpRequest {
  method: HttpMethod
  /** Absolute URL. */
  url: string
  /** Added to the URL; arrays become repeated parameters. */
  query?: Record<string, string | number | boolean | string[] | undefined>
  json?: unknown
  form?: Record<string, string | undefined>
  /** Default `bearer`: the session token, sent only to the foundation's own origins. */
  auth?: RequestAuth
  /** How to read the body: parsed JSON (default), raw text, or not at all. */
  accept?: 'json' | 'text' | 'none'
  /** The UAA token POST: may be retried like an idempotent request, counted as a token request. */
  tokenGrant?: boolean
  /**
   * false: never resent after a failure that may have reached the server (connection cut, timeout,
   * 5xx), even for PUT/DELETE: for requests that are not truly idempotent (UAA secret changes).
   * A 401 token replay and a 429 wait still happen: the server refused those unprocessed.
   */
  retry?: boolean
  headers?: Record<string, string>
  /** Name for messages ("Cloud Controller", "UAA", …); default from the origin. */
  service?: string
  /** Hide every value of both bodies in the trace (automatic for known secret endpoints). */
  sensitive?: boolean
  /** Statuses returned to the caller instead of thrown (e.g. 404 for an existence probe). */
  allowStatus?: number[]
  /**
   * The session's own token requests: every attempt counts, retries included. The first attempt
   * throws when the limit is spent; a retry is simply not made.
   */
  tokenLimiter?: {take(): void; tryTake(): boolean}
}

export interface HttpResponse<T = unknown> {
  status: number
  headers: Record<string, string>
  data: T
  /** Final URL (after redirects). */
  url: string
  /** Characters of the body as received (a list's pages add up to a bounded total). */
  size?: number
}

export interface RateLimitState {
  limit: number | null
  remaining: number | null
  resetAt: Date | null
  observedAt: Date
}

export interface TransportStats {
  /** HTTP requests sent, every attempt and token request included. */
  requests: number
  retries: number
  tokenRequests: number
  authReplays: number
  rateLimitWaits: number
  waitedMs: number
  /** Distinct warnings (X-Cf-Warnings and job warnings), in arrival order. */
  warnings: string[]
  byService: Record<string, number>
}

export interface TransportOptions {
  /**
   * Per-request timeout (default 30 s, CFGUARD_TIMEOUT): nothing received for this long, or the
   * whole answer not complete within twice this long.
   */
  timeoutMs?: number
  /** Turns TLS verification off (--skip-ssl-validation); the caller warns the person. */
  skipSslValidation?: boolean
  /** PEM of extra CAs to trust (--ca-cert), added to Node's roots. */
  caPem?: string | null
  /** Where HTTPS_PROXY / NO_PROXY are read (default process.env); see agents.ts. */
  env?: NodeJS.ProcessEnv
  /** Longest 429 wait before failing instead (default 60 s, CFGUARD_MAX_RETRY_WAIT). */
  maxRetryWaitMs?: number
  /** Attempts per request for retryable failures (default 3). */
  maxAttempts?: number
  retryBudget?: RetryBudget
  /** Where warnings go (RunContext.warn). */
  warn?: (message: string) => void
  tracer?: Tracer | null
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  random?: () => number
  now?: () => Date
  signal?: AbortSignal
  /** Told of every request, list page and wait (a progress display; never a secret or a query). */
  onActivity?: ActivityListener
}

/** Named origins of a foundation, from `GET /` (cf/ccv3/root.ts). */
export interface TrustedEndpoints {
  cc: string
  uaa?: string | null
  login?: string | null
  logCache?: string | null
  networkPolicy?: string | null
}

export interface Transport {
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>
  /** Allow the bearer token for these endpoints' origins (and name them in messages). */
  trust(endpoints: TrustedEndpoints): void
  isTrusted(url: string): boolean
  setTokenProvider(provider: AccessTokenProvider | null): void
  /** Record a warning that did not come in a header (job warnings). */
  addWarning(message: string): void
  readonly stats: TransportStats
  /** Last X-RateLimit-* seen; null until a response carried them. */
  readonly rateLimit: RateLimitState | null
  onRateLimit(listener: (state: RateLimitState) => void): () => void
  close(): void
}
