/**
 * What runs around each attempt (attempt.ts), in this fixed order:
 *   request:  guard URL (https, or http on loopback) → authorize (bearer only to trusted origins)
 *             → count + trace
 *   response: trace → observe (X-Cf-Warnings, X-RateLimit-*)
 * Plain headers, no AxiosHeaders round trip.
 */
import {CfguardError} from '../../errors.js'
import {registerSecret} from '../../redact.js'
import type {Call, Answer} from './connection.js'
import {TRACE_HINT} from './errors.js'
import type {Observer} from './observe.js'
import type {AccessTokenProvider} from './tokens.js'
import type {Tracer} from './trace.js'
import type {TransportStats} from './types.js'
import {checkSafeUrl} from './url.js'

export interface Interceptors {
  /**
   * Before an attempt is sent: guard → authorize → count + trace. A promise only while the
   * session's token is fetched (an await per attempt is CPU for nothing).
   */
  request(call: Call, headers: Record<string, string>): Promise<void> | undefined
  /** Each answer: trace → observe. */
  response(call: Call, answer: Answer): void
  /** An attempt that failed without an answer: traced, if it was sent. */
  failure(call: Call, message: string): void
}

export interface InterceptorOptions {
  /** Origin → service name: the foundation's own endpoints. */
  trusted: Map<string, string>
  tokens: () => AccessTokenProvider | null
  stats: TransportStats
  tracer: Tracer | null
  observer: Observer
}

function bearer(call: Call, headers: Record<string, string>, token: string): undefined {
  registerSecret(token)
  call.usedToken = token
  headers.Authorization = `bearer ${token}`
  return undefined
}

export function createInterceptors({
  trusted,
  tokens,
  stats,
  tracer,
  observer,
}: InterceptorOptions): Interceptors {
  /** The Authorization header; a promise only while the session's token is fetched. */
  function authorize(call: Call, headers: Record<string, string>): Promise<void> | undefined {
    const auth = call.auth
    if (auth === 'bearer' || (typeof auth === 'object' && 'bearerToken' in auth)) {
      if (!trusted.has(call.target.origin)) {
        throw new CfguardError(
          'BAD_RESPONSE',
          `refusing to send the access token to ${call.target.host}: not one of the foundation's endpoints (CC, UAA, Log Cache, policy server)`,
          {suggestions: [TRACE_HINT]},
        )
      }
      if (typeof auth === 'object') return bearer(call, headers, auth.bearerToken)
      const provider = tokens()
      if (!provider) {
        throw new CfguardError('NOT_LOGGED_IN', 'not logged in', {suggestions: ['run `cfguard login`']})
      }
      return provider.accessToken().then((token) => bearer(call, headers, token))
    }
    if (typeof auth === 'object' && 'basic' in auth) {
      const {username, password} = auth.basic
      registerSecret(password)
      headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
    }
    return undefined
  }

  /** Count + trace: the attempt is about to be sent. */
  function sent(call: Call, headers: Record<string, string>): void {
    stats.requests++
    stats.byService[call.service] = (stats.byService[call.service] ?? 0) + 1
    if (call.tokenGrant) stats.tokenRequests++
    call.startedAt = Date.now()
    tracer?.request({
      id: call.id,
      attempt: call.attempt,
      method: call.method,
      url: call.target.href,
      headers: {...headers},
      body: call.payload,
      sensitive: call.sensitive,
    })
  }

  return {
    request(call, headers) {
      checkSafeUrl(call.target, 'request URL')
      const token = authorize(call, headers)
      if (token) return token.then(() => sent(call, headers))
      sent(call, headers)
      return undefined
    },
    response(call, answer) {
      tracer?.response({
        id: call.id,
        status: answer.status,
        url: call.url,
        headers: answer.headers,
        body: answer.text,
        elapsedMs: Date.now() - call.startedAt,
        sensitive: call.sensitive,
      })
      observer.observe(answer.headers)
    },
    failure(call, message) {
      if (call.startedAt > 0) tracer?.failure(call.id, call.url, message, Date.now() - call.startedAt)
    },
  }
}
