/**
 * The one concurrency limit of a collection (`--concurrency`, default 16): every request the
 * collector starts — list pages and per-item reads alike — runs through it, so no more than the
 * limit are ever in flight. It also slows down while Cloud Controller's rate-limit budget runs
 * low: below 20 % of `X-RateLimit-Limit` left, the limit shrinks in proportion (down to 1), and it
 * grows back when the budget recovers (CC's `X-RateLimit-Remaining` is an estimate in 10 % steps).
 */
import pLimit, {type LimitFunction} from 'p-limit'

import type {RateLimitState} from '../cf/http/transport.js'

export const DEFAULT_CONCURRENCY = 16
/** Below this share of the rate-limit budget the limiter slows down. */
export const SLOW_DOWN_BELOW = 0.2

export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>
  /** The limit in force now (after any rate-limit slow-down). */
  readonly concurrency: number
  /** Most tasks seen running at once. */
  readonly peak: number
  /** Feed every X-RateLimit-* observation here (`transport.onRateLimit`). */
  observe(state: RateLimitState): void
}

/** The limit for a given rate-limit state: the base while ≥ 20 % is left, then proportionally less. */
export function limitFor(base: number, state: Pick<RateLimitState, 'limit' | 'remaining'>): number {
  if (state.limit === null || state.remaining === null || state.limit <= 0) return base
  const share = state.remaining / state.limit
  if (share >= SLOW_DOWN_BELOW) return base
  return Math.max(1, Math.floor((base * share) / SLOW_DOWN_BELOW))
}

export function createLimiter(concurrency = DEFAULT_CONCURRENCY): Limiter {
  const base = Math.max(1, Math.floor(concurrency))
  const limit: LimitFunction = pLimit(base)
  let running = 0
  let peak = 0
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      return limit(async () => {
        running++
        peak = Math.max(peak, running)
        try {
          return await task()
        } finally {
          running--
        }
      })
    },
    get concurrency() {
      return limit.concurrency
    },
    get peak() {
      return peak
    },
    observe(state: RateLimitState) {
      const next = limitFor(base, state)
      if (next !== limit.concurrency) limit.concurrency = next
    },
  }
}
