/**
 * 429: wait as the server asks (Retry-After, X-RateLimit-Reset) or back off, at most
 * MAX_RATE_LIMIT_WAITS times and never longer than `maxRetryWaitMs` at once; then fail with the
 * time to run again. Any request may wait: the server refused it unprocessed.
 */
import {type Connection, mayResend, type Pause, type Wrapper} from '../connection.js'
import {ApiError, parseCcErrors} from '../errors.js'
import {backoffDelay, type HttpMethod, rateLimitWaitMs} from '../retry.js'
import type {TransportStats} from '../types.js'
import {describeUrl} from '../url.js'

const MAX_RATE_LIMIT_WAITS = 5

export interface RateLimitOptions {
  maxRetryWaitMs: number
  now: () => Date
  random: () => number
  stats: TransportStats
  pause: Pause
}

export function waitOnRateLimit(o: RateLimitOptions): Wrapper {
  return (inner: Connection): Connection => ({
    async make(call, answer) {
      for (;;) {
        await inner.make(call, answer)
        if (answer.status !== 429) return
        const waits = ++call.rateLimitWaits
        const asked = rateLimitWaitMs(answer.headers, o.now())
        const wait = asked ?? backoffDelay(waits, o.random, {baseMs: 1000, capMs: o.maxRetryWaitMs})
        if (wait > o.maxRetryWaitMs || waits > MAX_RATE_LIMIT_WAITS || !mayResend(call)) {
          const tooMany = waits > MAX_RATE_LIMIT_WAITS
          throw rateLimitError(call.method, call.url, call.service, answer.parsed, wait, tooMany, o)
        }
        o.stats.rateLimitWaits++
        o.stats.waitedMs += wait
        await o.pause(wait, call.service, 'rate-limit')
      }
    },
  })
}

function rateLimitError(
  method: HttpMethod,
  url: string,
  service: string,
  body: unknown,
  waitMs: number,
  tooMany: boolean,
  {now, maxRetryWaitMs}: RateLimitOptions,
): ApiError {
  const title = parseCcErrors(body)[0]?.title ?? 'rate limited'
  const seconds = Math.ceil(waitMs / 1000)
  const until = new Date(now().getTime() + waitMs).toISOString()
  const reason = tooMany
    ? `still rate limited after ${MAX_RATE_LIMIT_WAITS} waits`
    : `it asks to wait ${seconds} s, more than CFGUARD_MAX_RETRY_WAIT (${Math.round(maxRetryWaitMs / 1000)} s)`
  return new ApiError(
    'RATE_LIMITED',
    `${service} rate limit reached (${title}) for ${method} ${describeUrl(url)}: ${reason}`,
    {method, url, service, status: 429, ccErrors: parseCcErrors(body)},
    [`run again after ${until}`, 'or raise CFGUARD_MAX_RETRY_WAIT (seconds)'],
  )
}
