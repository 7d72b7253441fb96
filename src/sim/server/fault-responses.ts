/** What each origin answers when a fault fires: CC error bodies, UAA OAuth errors, Gorouter pages. */
import type {OriginHooks} from './http.js'
import {json} from './types.js'

export const ccFaults: OriginHooks = {
  faultResponse(status, retryAfter) {
    if (status === 429) {
      return {
        status: 429,
        headers: {'Retry-After': String(retryAfter ?? 1), 'Content-Type': 'text/plain; charset=utf-8'},
        body: JSON.stringify({
          errors: [{detail: 'Rate Limit Exceeded', title: 'CF-RateLimitExceeded', code: 10013}],
        }),
      }
    }
    return (
      gatewayFault(status) ??
      json(status, {errors: [{detail: 'An unknown error occurred.', title: 'UnknownError', code: 10001}]})
    )
  },
}

export const uaaFaults: OriginHooks = {
  faultResponse(status, retryAfter) {
    if (status === 429) {
      return json(
        429,
        {error: 'too_many_requests', error_description: 'Too many requests'},
        {'Retry-After': String(retryAfter ?? 1)},
      )
    }
    return (
      gatewayFault(status) ??
      json(status, {error: 'server_error', error_description: 'Internal Server Error'})
    )
  },
}

export const plainFaults: OriginHooks = {
  faultResponse(status, retryAfter) {
    const headers: Record<string, string> = status === 429 ? {'Retry-After': String(retryAfter ?? 1)} : {}
    return gatewayFault(status) ?? json(status, {error: `status ${status}`}, headers)
  },
}

/** Gorouter's own answers when the backend fails or is missing. */
function gatewayFault(status: number) {
  if (status === 502) {
    return {
      status,
      headers: {'Content-Type': 'text/plain; charset=utf-8', 'X-Cf-Routererror': 'endpoint_failure'},
      body: '502 Bad Gateway: Registered endpoint failed to handle the request.\n',
    }
  }
  if (status === 503) {
    return {
      status,
      headers: {'Content-Type': 'text/plain; charset=utf-8', 'X-Cf-Routererror': 'no_endpoints'},
      body: '503 Service Unavailable: Requested route has no available endpoints.\n',
    }
  }
  return null
}
