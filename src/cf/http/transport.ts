/**
 * The one HTTP transport every API call goes through (CC, UAA, policy server, Log Cache).
 *
 * Small pieces composed in one place (below), like the cf CLI's `api/cloudcontroller/wrapper`
 * (connection.ts). Per attempt (attempt.ts), interceptors run in this fixed order (interceptors.ts):
 *   request:  guard URL (https, or http on loopback) → authorize (bearer only to trusted origins)
 *             → count + trace
 *   response: trace → observe (X-Cf-Warnings, X-RateLimit-*)
 * Around the attempts, wrappers (wrappers/) apply the policies to each answer, in this order:
 *   redirect (GET/HEAD; cross-origin without credentials) → one token replay on 401 → 429 wait
 *   (Retry-After, capped) → retry with backoff (idempotent only, bounded, per-run budget)
 *   → decode JSON or classify the error (decode.ts).
 */
import {abortableSleep} from '../../context.js'
import {CfguardError} from '../../errors.js'
import {describeRequest, pageOf, type ActivityListener} from './activity.js'
import {createAgentPool} from './agents.js'
import {attemptConnection} from './attempt.js'
import {createCancellation, createPause} from './cancellation.js'
import {type Answer, type Call, wrap} from './connection.js'
import {decodeAnswer} from './decode.js'
import {createInterceptors} from './interceptors.js'
import {createObserver} from './observe.js'
import {RetryBudget} from './retry.js'
import type {AccessTokenProvider} from './tokens.js'
import type {
  HttpRequest,
  HttpResponse,
  Transport,
  TransportOptions,
  TransportStats,
  TrustedEndpoints,
} from './types.js'
import {originOf, parseSafeUrl} from './url.js'
import {waitOnRateLimit} from './wrappers/rate-limit.js'
import {followRedirects} from './wrappers/redirect.js'
import {retryTransientFailures} from './wrappers/retry.js'
import {replayRejectedToken} from './wrappers/token-replay.js'

export {MAX_RESPONSE_BYTES} from './attempt.js'
export type {HttpMethod} from './retry.js'
export type {ActivityEvent, ActivityListener} from './activity.js'
export type {
  HttpRequest,
  HttpResponse,
  RateLimitState,
  RequestAuth,
  Transport,
  TransportOptions,
  TransportStats,
  TrustedEndpoints,
} from './types.js'

const NO_HEADERS: Record<string, string> = {}

export function createTransport(options: TransportOptions = {}): Transport {
  const now = options.now ?? (() => new Date())
  const random = options.random ?? Math.random
  const tracer = options.tracer ?? null
  const trusted = new Map<string, string>()
  let tokens: AccessTokenProvider | null = null
  const currentTokens = () => tokens
  let sequence = 0
  const onActivity = options.onActivity
  let activitySeq = 0
  const tell: ActivityListener = (e) => {
    // A display's fault never fails a request.
    try {
      onActivity?.(e)
    } catch {
      /* ignored */
    }
  }
  const stats = emptyStats()
  const observer = createObserver(stats, now, options.warn)
  const cancellation = createCancellation(options.signal)
  const pause = createPause(options.sleep ?? defaultSleep, cancellation, tell)
  // Per origin: direct or through the environment's proxy, lean sockets, --ca-cert (agents.ts).
  const agents = createAgentPool({
    env: options.env,
    caPem: options.caPem,
    skipSslValidation: options.skipSslValidation,
  })

  // The header comment's order: each wrapper sees the answers of the ones before it.
  const connection = wrap(
    attemptConnection({
      timeoutMs: options.timeoutMs ?? 30_000,
      agents,
      cancellation,
      signal: options.signal,
      interceptors: createInterceptors({trusted, tokens: currentTokens, stats, tracer, observer}),
    }),
    followRedirects(),
    replayRejectedToken(currentTokens, stats),
    waitOnRateLimit({maxRetryWaitMs: options.maxRetryWaitMs ?? 60_000, now, random, stats, pause}),
    retryTransientFailures({
      maxAttempts: options.maxAttempts ?? 3,
      budget: options.retryBudget ?? new RetryBudget(),
      random,
      stats,
      pause,
    }),
  )

  /** Every request; told to the activity listener (if any) when it starts and ends. */
  function request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    // Not an async function: without a listener, its promise is send's (no extra hop per request).
    return onActivity ? told<T>(req) : send<T>(req, '')
  }

  async function told<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const label = describeRequest(req.url)
    const id = ++activitySeq
    tell({type: 'request', id, label, service: serviceFor(trusted, req.url, req.service)})
    try {
      return await send<T>(req, label)
    } finally {
      tell({type: 'finished', id})
    }
  }

  async function send<T>(req: HttpRequest, label: string): Promise<HttpResponse<T>> {
    const call = newCall(req, ++sequence, trusted, label)
    const answer: Answer = {status: 0, headers: NO_HEADERS, text: '', parsed: undefined}
    await connection.make(call, answer)
    const response = decodeAnswer(call, answer) as HttpResponse<T>
    if (onActivity && response.status < 300) {
      const page = pageOf(response.url, response.data)
      if (page) tell({type: 'page', label, ...page})
    }
    return response
  }

  return {
    request,
    trust: (endpoints) => trustEndpoints(trusted, endpoints),
    isTrusted(url) {
      try {
        return trusted.has(originOf(url))
      } catch {
        return false
      }
    },
    setTokenProvider(provider) {
      tokens = provider
    },
    addWarning: observer.addWarning,
    stats,
    get rateLimit() {
      return observer.rateLimit
    },
    onRateLimit: observer.onRateLimit,
    close() {
      agents.destroy()
      tracer?.close()
    },
  }
}

/** One request's state (connection.ts), before its first attempt. */
export function newCall(req: HttpRequest, id: number, trusted: Map<string, string>, label: string): Call {
  const target = buildUrl(req.url, req.query)
  const service = req.service || (trusted.get(target.origin) ?? target.host)
  const body = serializeBody(req)
  const method = req.method
  req.tokenLimiter?.take()
  return {
    req,
    id,
    method,
    service,
    payload: method === 'GET' || method === 'HEAD' ? undefined : body.data,
    contentType: body.contentType,
    tokenGrant: req.tokenGrant === true,
    retry: req.retry !== false,
    label,
    target,
    url: target.href,
    auth: req.auth ?? 'bearer',
    sensitive: req.sensitive === true,
    attempt: 0,
    failedAttempts: 0,
    rateLimitWaits: 0,
    redirects: 0,
    authReplayed: false,
    usedToken: undefined,
    startedAt: 0,
  }
}

/** Origin → name of the foundation's endpoints (the bearer token goes only there). */
function trustEndpoints(trusted: Map<string, string>, endpoints: TrustedEndpoints): void {
  const add = (url: string | null | undefined, name: string) => {
    if (!url) return
    const origin = originOf(parseSafeUrl(url, `${name} URL`))
    if (!trusted.has(origin)) trusted.set(origin, name)
  }
  add(endpoints.cc, 'Cloud Controller')
  add(endpoints.login, 'UAA')
  add(endpoints.uaa, 'UAA')
  add(endpoints.logCache, 'Log Cache')
  add(endpoints.networkPolicy, 'policy server')
}

function serviceFor(trusted: Map<string, string>, url: string, explicit?: string): string {
  if (explicit) return explicit
  try {
    return trusted.get(originOf(url)) ?? new URL(url).host
  } catch {
    return 'server'
  }
}

/** Counters of a transport that has sent nothing yet (also the wrappers' tests' starting point). */
export function emptyStats(): TransportStats {
  return {
    requests: 0,
    retries: 0,
    tokenRequests: 0,
    authReplays: 0,
    rateLimitWaits: 0,
    waitedMs: 0,
    warnings: [],
    byService: {},
  }
}

function buildUrl(base: string, query: HttpRequest['query']): URL {
  const url = new URL(base)
  if (query === undefined) return url
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, v)
    else url.searchParams.append(key, String(value))
  }
  return url
}

const NO_BODY: {data?: string; contentType?: string} = Object.freeze({})

function serializeBody(req: HttpRequest): {data?: string; contentType?: string} {
  if (req.form !== undefined) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(req.form)) if (v !== undefined) params.append(k, v)
    return {data: params.toString(), contentType: 'application/x-www-form-urlencoded'}
  }
  if (req.json !== undefined) return {data: JSON.stringify(req.json), contentType: 'application/json'}
  return NO_BODY
}

/** Without a context's sleep: the one abortable sleep, interrupted as a typed error. */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return abortableSleep(ms, signal, () => new CfguardError('INTERRUPTED', 'interrupted'))
}
