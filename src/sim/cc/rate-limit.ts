/**
 * CC's general rate limiter (§2.6): per user guid (or client IP when unauthenticated), headers
 * on every counted request, 429 with `Retry-After` and a JSON body labelled text/plain.
 */
import type {SimState} from '../core/state.js'
import type {SimResponse} from '../server/types.js'
import {errorBody} from './errors.js'

export interface RateLimitConfig {
  limit: number
  resetSeconds: number
  exemptAdmins?: boolean
}

const EXEMPT = new Set(['/', '/v3', '/v3/', '/v2/info', '/healthz'])

export class RateLimiter {
  private readonly windows = new Map<string, {count: number; resetAt: number}>()

  constructor(
    private readonly state: SimState,
    readonly config: RateLimitConfig,
  ) {}

  static applies(path: string): boolean {
    if (EXEMPT.has(path) || path.startsWith('/internal/')) return false
    return path.startsWith('/v3') || path.startsWith('/v2')
  }

  /** Counts the request; returns the headers to add and, when over the limit, the 429. */
  check(key: string, authenticated: boolean): {headers: Record<string, string>; reject: SimResponse | null} {
    const now = this.state.now()
    let w = this.windows.get(key)
    if (!w || w.resetAt <= now) {
      w = {count: 0, resetAt: now + this.config.resetSeconds * 1000}
      this.windows.set(key, w)
    }
    w.count += 1
    const limit = this.config.limit
    const fraction = Math.max(0, (limit - w.count) / limit)
    const remaining = Math.floor((Math.floor(fraction * 10) / 10) * limit)
    const headers = {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Reset': String(Math.ceil(w.resetAt / 1000)),
    }
    if (w.count <= limit) return {headers, reject: null}
    const retryAfter = Math.max(1, Math.ceil((w.resetAt - now) / 1000))
    const body = authenticated
      ? errorBody('CF-RateLimitExceeded', 10013, 'Rate Limit Exceeded')
      : errorBody(
          'CF-IPBasedRateLimitExceeded',
          10014,
          'Rate Limit Exceeded: Unauthenticated requests from this IP address have exceeded the limit',
        )
    return {
      headers,
      reject: {
        status: 429,
        headers: {...headers, 'Retry-After': String(retryAfter), 'Content-Type': 'text/plain; charset=utf-8'},
        body: JSON.stringify(body),
      },
    }
  }
}
