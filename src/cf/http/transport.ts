/**
 * The one HTTP transport every API call goes through (CC, UAA, policy server, Log Cache).
 *
 * Per attempt, axios interceptors run in this fixed order:
 *   request:  guard URL (https, or http on loopback) → authorize (bearer only to trusted origins)
 *             → count + trace
 *   response: trace → observe (X-Cf-Warnings, X-RateLimit-*)
 * Around the attempts, `request()` applies the policies, in this order:
 *   redirect (GET/HEAD; cross-origin without credentials) → one token replay on 401 → 429 wait
 *   (Retry-After, capped) → retry with backoff (idempotent only, bounded, per-run budget)
 *   → decode JSON or classify the error.
 */
import {createRequire} from 'node:module'

import type {Axios, AxiosRequestConfig, AxiosResponse, AxiosStatic} from 'axios'

import {abortableSleep} from '../../context.js'
import {CfguardError, isCfguardError} from '../../errors.js'
import {boundText, redactText, registerSecret} from '../../redact.js'
import {
  ApiError,
  classifyHttpError,
  classifyNetworkError,
  parseCcErrors,
  parseOAuthError,
  TRACE_HINT,
} from './errors.js'
import {describeRequest, pageOf, type ActivityListener} from './activity.js'
import {AttemptControl, createNodeAdapter} from './adapter.js'
import {createAgentPool} from './agents.js'
import {backoffDelay, type HttpMethod, isRetryable, rateLimitWaitMs, RetryBudget} from './retry.js'
import type {AccessTokenProvider} from './tokens.js'
import {isSensitivePath, type Tracer} from './trace.js'
import {checkSafeUrl, describeUrl, originOf, parseSafeUrl} from './url.js'
import {parseCfWarnings} from './warnings.js'

export type {HttpMethod} from './retry.js'
export type {ActivityEvent, ActivityListener} from './activity.js'

/**
 * `bearer`: the session token (trusted origins only); `{bearerToken}`: a given token, same rule
 * (e.g. revoking it); `{basic}`: client authentication at a token endpoint, any host.
 */
export type RequestAuth =
  'bearer' | 'none' | {bearerToken: string} | {basic: {username: string; password: string}}

export interface HttpRequest {
  method: HttpMethod
  /** Absolute URL. */
  url: string
  /** Added to the URL; arrays become repeated parameters. */
  query?: Record<string, string | number | boolean | string[] | undefined>
  json?: unknown
  form?: Record<string, string | undefined>
  /** Default `bearer`: the session token, sent only to the foundation's own origins. */
  auth?: RequestAuth
  /** How to read the body: parsed JSON (default), raw text, or not at all. */
  accept?: 'json' | 'text' | 'none'
  /** The UAA token POST: may be retried like an idempotent request, counted as a token request. */
  tokenGrant?: boolean
  /**
   * false: never resent after a failure that may have reached the server (connection cut, timeout,
   * 5xx), even for PUT/DELETE: for requests that are not truly idempotent (UAA secret changes).
   * A 401 token replay and a 429 wait still happen: the server refused those unprocessed.
   */
  retry?: boolean
  headers?: Record<string, string>
  /** Name for messages ("Cloud Controller", "UAA", …); default from the origin. */
  service?: string
  /** Hide every value of both bodies in the trace (automatic for known secret endpoints). */
  sensitive?: boolean
  /** Statuses returned to the caller instead of thrown (e.g. 404 for an existence probe). */
  allowStatus?: number[]
  /**
   * The session's own token requests: every attempt counts, retries included. The first attempt
   * throws when the limit is spent; a retry is simply not made.
   */
  tokenLimiter?: {take(): void; tryTake(): boolean}
}

export interface HttpResponse<T = unknown> {
  status: number
  headers: Record<string, string>
  data: T
  /** Final URL (after redirects). */
  url: string
  /** Characters of the body as received (a list's pages add up to a bounded total). */
  size?: number
}

export interface RateLimitState {
  limit: number | null
  remaining: number | null
  resetAt: Date | null
  observedAt: Date
}

export interface TransportStats {
  /** HTTP requests sent, every attempt and token request included. */
  requests: number
  retries: number
  tokenRequests: number
  authReplays: number
  rateLimitWaits: number
  waitedMs: number
  /** Distinct warnings (X-Cf-Warnings and job warnings), in arrival order. */
  warnings: string[]
  byService: Record<string, number>
}

export interface TransportOptions {
  /**
   * Per-request timeout (default 30 s, CFGUARD_TIMEOUT): nothing received for this long, or the
   * whole answer not complete within twice this long.
   */
  timeoutMs?: number
  /** Turns TLS verification off (--skip-ssl-validation); the caller warns the person. */
  skipSslValidation?: boolean
  /** PEM of extra CAs to trust (--ca-cert), added to Node's roots. */
  caPem?: string | null
  /** Where HTTPS_PROXY / NO_PROXY are read (default process.env); see agents.ts. */
  env?: NodeJS.ProcessEnv
  /** Longest 429 wait before failing instead (default 60 s, CFGUARD_MAX_RETRY_WAIT). */
  maxRetryWaitMs?: number
  /** Attempts per request for retryable failures (default 3). */
  maxAttempts?: number
  retryBudget?: RetryBudget
  /** Where warnings go (RunContext.warn). */
  warn?: (message: string) => void
  tracer?: Tracer | null
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  random?: () => number
  now?: () => Date
  signal?: AbortSignal
  /** Told of every request, list page and wait (a progress display; never a secret or a query). */
  onActivity?: ActivityListener
}

/** Named origins of a foundation, from `GET /` (cf/ccv3/root.ts). */
export interface TrustedEndpoints {
  cc: string
  uaa?: string | null
  login?: string | null
  logCache?: string | null
  networkPolicy?: string | null
}

export interface Transport {
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>
  /** Allow the bearer token for these endpoints' origins (and name them in messages). */
  trust(endpoints: TrustedEndpoints): void
  isTrusted(url: string): boolean
  setTokenProvider(provider: AccessTokenProvider | null): void
  /** Record a warning that did not come in a header (job warnings). */
  addWarning(message: string): void
  readonly stats: TransportStats
  /** Last X-RateLimit-* seen; null until a response carried them. */
  readonly rateLimit: RateLimitState | null
  onRateLimit(listener: (state: RateLimitState) => void): () => void
  close(): void
}

interface AttemptMeta {
  id: number
  attempt: number
  auth: RequestAuth
  service: string
  sensitive: boolean
  tokenGrant: boolean
  startedAt: number
  usedToken?: string
}

const MAX_REDIRECTS = 5
const MAX_RATE_LIMIT_WAITS = 5
/**
 * Largest body read (after decompression). A CC page of 5000 apps is about 3 MiB; anything near
 * this is a broken or hostile server, and reading on would exhaust memory (a 3 GB body crashes V8).
 */
export const MAX_RESPONSE_BYTES = 100 * 1024 * 1024
/**
 * The socket timeout only fires when nothing arrives for `timeoutMs`; a server dripping a byte
 * at a time never trips it. A whole attempt is also abandoned after this many timeouts.
 */
const DEADLINE_TIMEOUTS = 2
const USER_AGENT = `cfguard/${packageVersion()} (node ${process.version})`

export function createTransport(options: TransportOptions = {}): Transport {
  const now = options.now ?? (() => new Date())
  const sleep = options.sleep ?? defaultSleep
  const random = options.random ?? Math.random
  const timeoutMs = options.timeoutMs ?? 30_000
  const maxAttempts = options.maxAttempts ?? 3
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 60_000
  const budget = options.retryBudget ?? new RetryBudget()
  const tracer = options.tracer ?? null
  const trusted = new Map<string, string>()
  const listeners = new Set<(state: RateLimitState) => void>()
  const seenWarnings = new Set<string>()
  let tokens: AccessTokenProvider | null = null
  let rateLimit: RateLimitState | null = null
  let sequence = 0
  const cancellation = createCancellation(options.signal)
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

  const stats: TransportStats = {
    requests: 0,
    retries: 0,
    tokenRequests: 0,
    authReplays: 0,
    rateLimitWaits: 0,
    waitedMs: 0,
    warnings: [],
    byService: {},
  }

  // Per origin: direct or through the environment's proxy, lean sockets, --ca-cert (agents.ts).
  const agents = createAgentPool({
    env: options.env,
    caPem: options.caPem,
    skipSslValidation: options.skipSslValidation,
  })

  // axios is loaded on the first request, not when a command imports the transport: commands
  // that never go to the network (rules, help, local reports) do not pay for it.
  let instance: Axios | null = null
  const client = (): Axios => {
    if (instance) return instance
    const axios = loadAxios()
    // Only what cfguard sets: axios merges its instance defaults into every request's config, and
    // the stock ones (header buckets per method, transforms, env classes…) cost CPU per request
    // for nothing. No transforms: the body stays the text the adapter decoded.
    const defaults: AxiosRequestConfig = {
      // cfguard's own adapter on node:http (adapter.ts): same behaviour, a fraction of the CPU.
      adapter: createNodeAdapter(axios, {clarifyTimeoutError: true}),
      timeout: timeoutMs,
      // axios sends https requests through an http proxy in the clear (the proxy sees the token):
      // its proxy support stays off; the agent of each request tunnels instead (agents.ts).
      proxy: false,
      validateStatus: () => true,
      maxContentLength: MAX_RESPONSE_BYTES,
      // Not set, because the adapter does each of them whatever the config says and every key here
      // costs axios a merge and a property check per request: `maxRedirects: 0` (it returns
      // redirects; the transport's policy follows them), `responseType: 'text'` (it always
      // decodes UTF-8 text), `maxBodyLength: -1` (it sends the body it is given).
      // No `transitional`: axios validates it on every request; the adapter reports timeouts as
      // ETIMEDOUT (clarifyTimeoutError) itself.
    }
    // An `Axios` whose defaults are exactly these: `axios.create()` starts from the stock ones,
    // and emptying those with `delete` left a slow dictionary-mode object that axios spreads
    // into every request's config.
    instance = new axios.Axios(defaults)
    return instance
  }

  const addWarning = (message: string) => {
    const clean = boundText(redactText(message.trim()))
    if (clean === '' || seenWarnings.has(clean)) return
    seenWarnings.add(clean)
    stats.warnings.push(clean)
    options.warn?.(clean)
  }

  /**
   * Per attempt, before it is sent: guard the URL (https, or http on loopback) → authorize (bearer
   * only to trusted origins) → count + trace. Plain headers, no AxiosHeaders round trip.
   */
  async function prepare(
    url: URL,
    headers: Record<string, string>,
    meta: AttemptMeta,
    method: HttpMethod,
    data: string | undefined,
  ) {
    checkSafeUrl(url, 'request URL')
    if (meta.auth === 'bearer' || (typeof meta.auth === 'object' && 'bearerToken' in meta.auth)) {
      if (!trusted.has(url.origin)) {
        throw new CfguardError(
          'BAD_RESPONSE',
          `refusing to send the access token to ${url.host}: not one of the foundation's endpoints (CC, UAA, Log Cache, policy server)`,
          {suggestions: [TRACE_HINT]},
        )
      }
      const given = typeof meta.auth === 'object' && 'bearerToken' in meta.auth ? meta.auth.bearerToken : null
      if (given === null && !tokens) {
        throw new CfguardError('NOT_LOGGED_IN', 'not logged in', {suggestions: ['run `cfguard login`']})
      }
      const token = given ?? (await (tokens as AccessTokenProvider).accessToken())
      registerSecret(token)
      meta.usedToken = token
      headers.Authorization = `bearer ${token}`
    } else if (typeof meta.auth === 'object' && 'basic' in meta.auth) {
      const {username, password} = meta.auth.basic
      registerSecret(password)
      headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
    }
    stats.requests++
    stats.byService[meta.service] = (stats.byService[meta.service] ?? 0) + 1
    if (meta.tokenGrant) stats.tokenRequests++
    meta.startedAt = Date.now()
    tracer?.request({
      id: meta.id,
      attempt: meta.attempt,
      method,
      url: url.href,
      headers: {...headers},
      body: data,
      sensitive: meta.sensitive,
    })
  }

  /** Per answer: trace → observe (X-Cf-Warnings, X-RateLimit-*). */
  function received(
    url: string,
    meta: AttemptMeta,
    status: number,
    headers: Record<string, string>,
    text: string,
  ) {
    tracer?.response({
      id: meta.id,
      status,
      url,
      headers,
      body: text,
      elapsedMs: Date.now() - meta.startedAt,
      sensitive: meta.sensitive,
    })
    const warnings = headers['x-cf-warnings']
    if (warnings !== undefined) for (const w of parseCfWarnings(warnings)) addWarning(w)
    observeRateLimit(headers)
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

  function isTrusted(url: string): boolean {
    try {
      return trusted.has(originOf(url))
    } catch {
      return false
    }
  }

  function serviceFor(url: string, explicit?: string): string {
    if (explicit) return explicit
    try {
      return trusted.get(originOf(url)) ?? new URL(url).host
    } catch {
      return 'server'
    }
  }

  /** Every request, told to the activity listener (if any) when it starts and ends. */
  async function request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    if (!onActivity) return send<T>(req, '')
    const label = describeRequest(req.url)
    const id = ++activitySeq
    tell({type: 'request', id, label, service: serviceFor(req.url, req.service)})
    try {
      return await send<T>(req, label)
    } finally {
      tell({type: 'finished', id})
    }
  }

  async function send<T>(req: HttpRequest, label: string): Promise<HttpResponse<T>> {
    const id = ++sequence
    let target = buildUrl(req.url, req.query)
    let url = target.href
    const method: HttpMethod = req.method
    let auth: RequestAuth = req.auth ?? 'bearer'
    const service = req.service || (trusted.get(target.origin) ?? target.host)
    const body = serializeBody(req)
    const payload = method === 'GET' || method === 'HEAD' ? undefined : body.data
    const tokenGrant = req.tokenGrant === true
    const retry = req.retry !== false
    let attempt = 0
    let failedAttempts = 0
    let authReplayed = false
    let rateLimitWaits = 0
    let redirects = 0
    req.tokenLimiter?.take()
    const mayResend = () => req.tokenLimiter?.tryTake() ?? true
    const http = client()

    // Once a request is for a secret endpoint it stays one: a redirect (301 adding a slash) must
    // not turn its bodies back into plain trace text.
    let sensitive = req.sensitive === true
    for (;;) {
      attempt++
      sensitive ||= isSensitivePath(target.pathname)
      const meta: AttemptMeta = {id, attempt, auth, service, sensitive, tokenGrant, startedAt: 0}
      let res: AxiosResponse<string>
      // Aborted by the run's signal (fanned out) or by the deadline (the adapter's timer).
      const deadlineMs = timeoutMs * DEADLINE_TIMEOUTS
      const control = cancellation.open(new AttemptControl(deadlineMs))
      try {
        const agent = agents.agentFor(url)
        const headers: Record<string, string> = {
          Accept: req.accept === 'text' ? '*/*' : 'application/json',
          'User-Agent': USER_AGENT,
          ...(body.contentType ? {'Content-Type': body.contentType} : {}),
          ...req.headers,
        }
        for (const name of Object.keys(headers))
          if (name.toLowerCase() === 'authorization') delete headers[name]
        await prepare(target, headers, meta, method, payload)
        // Headers, parsed URL and agent travel with the attempt (adapter.ts, AttemptControl), not
        // through axios's config merging; axios gets what it acts on.
        control.headers = headers
        control.url = target
        control.agent = agent
        res = await http.request<string>(
          payload === undefined
            ? {url, method, cfguardAttempt: control}
            : {url, method, data: payload, cfguardAttempt: control},
        )
      } catch (err) {
        if (isCfguardError(err)) throw err
        if (meta.startedAt > 0)
          tracer?.failure(meta.id, url, networkMessage(err), Date.now() - meta.startedAt)
        if (options.signal?.aborted) throw new CfguardError('INTERRUPTED', 'interrupted')
        if (isBodyTooLarge(err)) throw bodyTooLarge(method, url, service)
        const code = control.overDeadline ? 'ETIMEDOUT' : networkCode(err)
        failedAttempts++
        const timeout = code === 'ETIMEDOUT' || code === 'ECONNABORTED'
        if (
          isRetryable({method, errorCode: code, tokenGrant, retry}) &&
          failedAttempts < maxAttempts &&
          budget.take(timeout) &&
          mayResend()
        ) {
          await pause(backoffDelay(failedAttempts, random), service, 'retry')
          stats.retries++
          continue
        }
        throw classifyNetworkError({
          method,
          url,
          service,
          code,
          message: networkMessage(err),
          cause: err,
          attempts: failedAttempts,
          timeoutMs: control.overDeadline ? deadlineMs : timeoutMs,
        })
      } finally {
        cancellation.close(control)
      }

      const status = res.status
      const headers = plainHeaders(res.cfguardHeaders ?? res.headers)
      const text = typeof res.data === 'string' ? res.data : ''
      received(url, meta, status, headers, text)

      if (status >= 300 && status < 400 && status !== 304) {
        const next = followRedirect(url, method, headers.location, status, service, redirects)
        redirects++
        // Credentials never follow a redirect to another origin (curl's rule).
        if (next.origin !== target.origin) auth = 'none'
        target = next
        url = next.href
        attempt = 0
        continue
      }

      const parsed = status >= 400 ? parseLenient(text) : undefined

      if (status === 401 && auth === 'bearer' && !authReplayed && tokens && isTokenRejection(parsed)) {
        authReplayed = true
        stats.authReplays++
        await tokens.renewAfterRejection(meta.usedToken ?? '')
        continue
      }

      if (status === 429) {
        rateLimitWaits++
        const asked = rateLimitWaitMs(headers, now())
        const wait = asked ?? backoffDelay(rateLimitWaits, random, {baseMs: 1000, capMs: maxRetryWaitMs})
        if (wait > maxRetryWaitMs || rateLimitWaits > MAX_RATE_LIMIT_WAITS || !mayResend()) {
          throw rateLimitError(method, url, service, parsed, wait, rateLimitWaits > MAX_RATE_LIMIT_WAITS)
        }
        stats.rateLimitWaits++
        stats.waitedMs += wait
        await pause(wait, service, 'rate-limit')
        continue
      }

      if (status >= 400 && !req.allowStatus?.includes(status)) {
        failedAttempts++
        if (
          isRetryable({method, status, tokenGrant, retry}) &&
          failedAttempts < maxAttempts &&
          budget.take() &&
          mayResend()
        ) {
          await pause(backoffDelay(failedAttempts, random), service, 'retry')
          stats.retries++
          continue
        }
        throw classifyHttpError({method, url, service, status, body: parsed, attempts: failedAttempts})
      }

      budget.refund()
      const data =
        req.accept === 'none'
          ? undefined
          : req.accept === 'text'
            ? text
            : status >= 400
              ? parsed
              : decodeJson(text, status, headers, method, url, service)
      if (onActivity && status < 300) {
        const page = pageOf(url, data)
        if (page) tell({type: 'page', label, ...page})
      }
      return {status, headers, data: data as T, url, size: text.length}
    }
  }

  async function pause(ms: number, service?: string, reason?: 'rate-limit' | 'retry'): Promise<void> {
    if (ms <= 0) return
    if (service && reason) tell({type: 'wait', ms, service, reason})
    const waiting = cancellation.open(new AbortController())
    try {
      await sleep(ms, waiting.signal)
    } finally {
      cancellation.close(waiting)
    }
  }

  function rateLimitError(
    method: HttpMethod,
    url: string,
    service: string,
    body: unknown,
    waitMs: number,
    tooMany: boolean,
  ): CfguardError {
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

  return {
    request,
    trust(endpoints: TrustedEndpoints) {
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
    },
    isTrusted,
    setTokenProvider(provider) {
      tokens = provider
    },
    addWarning,
    stats,
    get rateLimit() {
      return rateLimit
    },
    onRateLimit(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      agents.destroy()
      tracer?.close()
    },
  }
}

/**
 * The run's signal fanned out to the attempts and waits in flight: one listener on it while any
 * is open, none otherwise. Each request attempt or wait listening on the run's signal itself
 * passed Node's limit of 10 listeners (MaxListenersExceededWarning) as soon as more than ten were
 * in flight; `AbortSignal.any` per attempt also grew the run signal's dependants.
 */
function createCancellation(run: AbortSignal | undefined) {
  const open = new Set<{abort(reason?: unknown): void}>()
  const fanOut = () => {
    for (const c of open) c.abort(run?.reason)
    open.clear()
  }
  return {
    open<C extends {abort(reason?: unknown): void}>(c: C): C {
      if (!run) return c
      if (run.aborted) {
        c.abort(run.reason)
        return c
      }
      if (open.size === 0) run.addEventListener('abort', fanOut, {once: true})
      open.add(c)
      return c
    },
    close(c: {abort(reason?: unknown): void}): void {
      if (open.delete(c) && open.size === 0) run?.removeEventListener('abort', fanOut)
    },
  }
}

function followRedirect(
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

function isBodyTooLarge(err: unknown): boolean {
  const message = (err as {message?: unknown} | null)?.message
  return typeof message === 'string' && message.startsWith('maxContentLength size of')
}

function bodyTooLarge(method: HttpMethod, url: string, service: string): ApiError {
  return new ApiError(
    'BAD_RESPONSE',
    `${service} sent more than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB for ${method} ${describeUrl(url)}; refusing to read further`,
    {method, url, service},
    ['check that the API URL points at a Cloud Foundry foundation', TRACE_HINT],
  )
}

/** A 401 worth one token renewal: anything but CC's "no token was sent". */
function isTokenRejection(body: unknown): boolean {
  const cc = parseCcErrors(body)[0]
  if (cc) return cc.title !== 'CF-NotAuthenticated'
  const oauth = parseOAuthError(body)
  return oauth === undefined || oauth.error === 'invalid_token' || oauth.error === 'unauthorized'
}

function decodeJson(
  text: string,
  status: number,
  headers: Record<string, string>,
  method: HttpMethod,
  url: string,
  service: string,
): unknown {
  // blank: `/\S/` stops at the first non-blank character instead of trimming the whole body
  if (status === 204 || !/\S/.test(text)) return undefined
  try {
    return JSON.parse(text)
  } catch {
    const head = text.trimStart()
    const kind = head.startsWith('<')
      ? 'an HTML page instead of JSON'
      : head.startsWith('{') || head.startsWith('[')
        ? `truncated or malformed JSON (${text.length} bytes)`
        : `a body that is not JSON (${headers['content-type'] || 'no content type'})`
    throw new ApiError(
      'BAD_RESPONSE',
      `${service} sent ${kind} for ${method} ${describeUrl(url)} (status ${status})`,
      {method, url, service, status},
      ['check that the API URL points at a Cloud Foundry foundation', TRACE_HINT],
    )
  }
}

function parseLenient(text: string): unknown {
  try {
    return text.trim() === '' ? undefined : JSON.parse(text)
  } catch {
    return undefined
  }
}

function buildUrl(base: string, query: HttpRequest['query']): URL {
  const url = new URL(base)
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, v)
    else url.searchParams.append(key, String(value))
  }
  return url
}

function serializeBody(req: HttpRequest): {data?: string; contentType?: string} {
  if (req.form !== undefined) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(req.form)) if (v !== undefined) params.append(k, v)
    return {data: params.toString(), contentType: 'application/x-www-form-urlencoded'}
  }
  if (req.json !== undefined) return {data: JSON.stringify(req.json), contentType: 'application/json'}
  return {}
}

function plainHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  const h = headers as {toJSON?: () => Record<string, unknown>} | null | undefined
  const source = typeof h?.toJSON === 'function' ? h.toJSON() : ((h ?? {}) as Record<string, unknown>)
  for (const k in source) {
    const v = source[k]
    if (v === undefined || v === null) continue
    out[k.toLowerCase()] = typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : String(v)
  }
  return out
}

function networkCode(err: unknown): string | undefined {
  const e = err as {code?: unknown; cause?: {code?: unknown}; message?: unknown}
  if (typeof e.code === 'string' && e.code !== 'ERR_NETWORK' && e.code !== 'ERR_BAD_RESPONSE') return e.code
  if (typeof e.cause?.code === 'string') return e.cause.code
  if (typeof e.message === 'string' && /socket hang up|aborted/i.test(e.message)) return 'ECONNRESET'
  return typeof e.code === 'string' ? e.code : undefined
}

function networkMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Without a context's sleep: the one abortable sleep, interrupted as a typed error. */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return abortableSleep(ms, signal, () => new CfguardError('INTERRUPTED', 'interrupted'))
}

function packageVersion(): string {
  try {
    return (createRequire(import.meta.url)('../../../package.json') as {version: string}).version
  } catch {
    return 'dev'
  }
}

/**
 * axios, loaded on the first request. The CommonJS build: one file (the ESM entry is some 80
 * modules), and nothing else in cfguard imports axios, so there is one copy of its classes.
 */
function loadAxios(): AxiosStatic {
  return createRequire(import.meta.url)('axios') as AxiosStatic
}
