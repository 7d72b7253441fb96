/**
 * What the transport observes in answers, beside the answer itself: warnings (X-Cf-Warnings and
 * job warnings, distinct and redacted) and the rate limit (X-RateLimit-*).
 */
import {boundText, redactText} from '../../redact.js'
import type {RateLimitState, TransportStats} from './types.js'
import {parseCfWarnings} from './warnings.js'

export interface Observer {
  /** A warning, told once (redacted and bounded). */
  addWarning(message: string): void
  /** An answer's headers: its warnings and rate limit. */
  observe(headers: Record<string, string>): void
  readonly rateLimit: RateLimitState | null
  onRateLimit(listener: (state: RateLimitState) => void): () => void
}

export function createObserver(
  stats: TransportStats,
  now: () => Date,
  warn: ((message: string) => void) | undefined,
): Observer {
  const seenWarnings = new Set<string>()
  const listeners = new Set<(state: RateLimitState) => void>()
  let rateLimit: RateLimitState | null = null

  const addWarning = (message: string) => {
    const clean = boundText(redactText(message.trim()))
    if (clean === '' || seenWarnings.has(clean)) return
    seenWarnings.add(clean)
    stats.warnings.push(clean)
    warn?.(clean)
  }

  function observeRateLimit(headers: Record<string, string>): void {
    if (headers['x-ratelimit-remaining'] === undefined && headers['x-ratelimit-limit'] === undefined) return
    const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : null)
    const reset = num(headers['x-ratelimit-reset'])
    rateLimit = {
      limit: num(headers['x-ratelimit-limit']),
      remaining: num(headers['x-ratelimit-remaining']),
      resetAt: reset === null ? null : new Date(reset * 1000),
      observedAt: now(),
    }
    for (const l of listeners) l(rateLimit)
  }

  return {
    addWarning,
    observe(headers) {
      const warnings = headers['x-cf-warnings']
      if (warnings !== undefined) for (const w of parseCfWarnings(warnings)) addWarning(w)
      observeRateLimit(headers)
    },
    get rateLimit() {
      return rateLimit
    },
    onRateLimit(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
