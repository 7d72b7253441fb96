/**
 * The retry policy, kept pure so it can be tested as a table (like the cf CLI's
 * retry_request_test.go): which request may be repeated, how long to wait, and how many repeats a
 * whole run may spend.
 */

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Connection failures worth repeating for an idempotent request (a reused keep-alive socket can reset). */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'ESOCKETTIMEDOUT',
])

export interface RetryInput {
  method: HttpMethod
  /** HTTP status, or undefined when the request failed without a response. */
  status?: number
  /** Node/axios error code for a failure without a response. */
  errorCode?: string
  /** The UAA token POST: repeating it is harmless (a new token is issued). */
  tokenGrant?: boolean
  /** false: never repeated, whatever the method (a request whose repetition does harm). */
  retry?: boolean
}

export function isIdempotent(method: HttpMethod, tokenGrant = false): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE' || tokenGrant
}

/** True when this failure may be retried (attempt limits and budget are checked separately). */
export function isRetryable(input: RetryInput): boolean {
  if (input.retry === false || !isIdempotent(input.method, input.tokenGrant)) return false
  if (input.status === undefined)
    return input.errorCode !== undefined && RETRYABLE_NETWORK_CODES.has(input.errorCode)
  if (input.status === 502 || input.status === 503 || input.status === 504) return true
  return input.status === 500 && (input.method === 'GET' || input.method === 'HEAD')
}

export interface BackoffOptions {
  baseMs: number
  capMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = {baseMs: 500, capMs: 20_000}

/** Exponential backoff with full jitter (attempt 1 = the first retry). */
export function backoffDelay(
  attempt: number,
  random: () => number,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.floor(random() * ceiling)
}

/**
 * How long a 429 asks to wait, in ms: `Retry-After` as delta-seconds or an HTTP date (RFC 9110; CC
 * sends seconds although its docs say "absolute time"), else `X-RateLimit-Reset` (epoch seconds).
 * null when the response says nothing usable.
 */
export function rateLimitWaitMs(headers: Record<string, string | undefined>, now: Date): number | null {
  const retryAfter = headers['retry-after']?.trim()
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000)
    const at = Date.parse(retryAfter)
    if (!Number.isNaN(at)) return Math.max(0, at - now.getTime())
  }
  const reset = headers['x-ratelimit-reset']?.trim()
  if (reset && /^\d+(\.\d+)?$/.test(reset))
    return Math.max(0, Math.ceil(Number(reset) * 1000 - now.getTime()))
  return null
}

/**
 * A per-run allowance of retries (token bucket, after the AWS SDK's standard mode): each retry
 * costs tokens, a timeout costs more, each success gives one back. When the bucket is empty the
 * run stops retrying, so a failing foundation is not hammered by every request in turn.
 */
export class RetryBudget {
  private tokens: number

  constructor(
    private readonly capacity = 100,
    private readonly retryCost = 5,
    private readonly timeoutCost = 10,
  ) {
    this.tokens = capacity
  }

  /** Takes the cost of one retry; false when the budget cannot pay for it. */
  take(timeout = false): boolean {
    const cost = timeout ? this.timeoutCost : this.retryCost
    if (this.tokens < cost) return false
    this.tokens -= cost
    return true
  }

  refund(): void {
    this.tokens = Math.min(this.capacity, this.tokens + 1)
  }

  get remaining(): number {
    return this.tokens
  }
}
