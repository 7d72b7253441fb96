/**
 * Retry with back-off (the cf CLI's RetryRequest wrapper): a failure that may be transient
 * (connection cut, timeout, 502/503/504, 500 on a read) is resent when the request is idempotent
 * (retry.ts's policy), up to `maxAttempts` and within the run's budget. A network failure it does
 * not resend is classified here; an error status it does not resend is passed out (decode.ts
 * classifies it). A success refunds the budget.
 */
import {
  AttemptFailure,
  type Call,
  type Connection,
  mayResend,
  type Pause,
  type Wrapper,
} from '../connection.js'
import {classifyNetworkError} from '../errors.js'
import {backoffDelay, isRetryable, type RetryBudget} from '../retry.js'
import type {TransportStats} from '../types.js'

export interface RetryOptions {
  maxAttempts: number
  budget: RetryBudget
  random: () => number
  stats: TransportStats
  pause: Pause
}

export function retryTransientFailures(o: RetryOptions): Wrapper {
  const again = async (call: Call): Promise<void> => {
    await o.pause(backoffDelay(call.failedAttempts, o.random), call.service, 'retry')
    o.stats.retries++
  }
  return (inner: Connection): Connection => ({
    async make(call, answer) {
      const {method, tokenGrant, retry} = call
      for (;;) {
        try {
          await inner.make(call, answer)
        } catch (err) {
          if (!(err instanceof AttemptFailure)) throw err
          const code = err.code
          call.failedAttempts++
          const timeout = code === 'ETIMEDOUT' || code === 'ECONNABORTED'
          if (
            isRetryable({method, errorCode: code, tokenGrant, retry}) &&
            call.failedAttempts < o.maxAttempts &&
            o.budget.take(timeout) &&
            mayResend(call)
          ) {
            await again(call)
            continue
          }
          throw classifyNetworkError({
            method,
            url: call.url,
            service: call.service,
            code,
            message: err.message,
            cause: err.error,
            attempts: call.failedAttempts,
            timeoutMs: err.timeoutMs,
          })
        }
        const status = answer.status
        if (status < 400 || call.req.allowStatus?.includes(status)) {
          o.budget.refund()
          return
        }
        call.failedAttempts++
        if (
          isRetryable({method, status, tokenGrant, retry}) &&
          call.failedAttempts < o.maxAttempts &&
          o.budget.take() &&
          mayResend(call)
        ) {
          await again(call)
          continue
        }
        return
      }
    },
  })
}
