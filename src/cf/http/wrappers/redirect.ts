/**
 * Redirects, followed for reads only (GET/HEAD), at most MAX_REDIRECTS; credentials never follow
 * a redirect to another origin (curl's rule).
 */
import {type Connection, type Wrapper} from '../connection.js'
import {ApiError, TRACE_HINT} from '../errors.js'
import type {HttpMethod} from '../retry.js'
import {describeUrl, parseSafeUrl} from '../url.js'

const MAX_REDIRECTS = 5

export function followRedirects(): Wrapper {
  return (inner: Connection): Connection => ({
    async make(call, answer) {
      for (;;) {
        await inner.make(call, answer)
        const status = answer.status
        if (status < 300 || status >= 400 || status === 304) return
        const next = redirectTarget(
          call.url,
          call.method,
          answer.headers.location,
          status,
          call.service,
          call.redirects,
        )
        call.redirects++
        if (next.origin !== call.target.origin) call.auth = 'none'
        call.target = next
        call.url = next.href
        call.attempt = 0
      }
    },
  })
}

function redirectTarget(
  url: string,
  method: HttpMethod,
  location: string | undefined,
  status: number,
  service: string,
  redirects: number,
): URL {
  const details = {method, url, service, status}
  if (!location) {
    throw new ApiError(
      'BAD_RESPONSE',
      `${service} answered ${status} without a Location for ${method} ${describeUrl(url)}`,
      details,
      [TRACE_HINT],
    )
  }
  if (method !== 'GET' && method !== 'HEAD') {
    throw new ApiError(
      'BAD_RESPONSE',
      `${service} redirected ${method} ${describeUrl(url)}; cfguard follows redirects only for reads`,
      details,
      [TRACE_HINT],
    )
  }
  if (redirects >= MAX_REDIRECTS) {
    throw new ApiError('BAD_RESPONSE', `too many redirects for ${method} ${describeUrl(url)}`, details, [
      TRACE_HINT,
    ])
  }
  return parseSafeUrl(new URL(location, url).toString(), 'redirect URL')
}
