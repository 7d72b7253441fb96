/**
 * The innermost Connection: one attempt, sent with axios on cfguard's own adapter (adapter.ts),
 * with the interceptors around it (interceptors.ts). It fills in the answer, whatever its status
 * (the wrappers around it decide what a status means), and fails an attempt that got no answer
 * with an `AttemptFailure` (the retry wrapper's to resend or classify), or with a typed error
 * when resending cannot help (interrupted, body too large, refused before sending).
 */
import {createRequire} from 'node:module'

import type {Axios, AxiosRequestConfig, AxiosResponse, AxiosStatic} from 'axios'

import {CfguardError, isCfguardError} from '../../errors.js'
import {AttemptControl, createNodeAdapter} from './adapter.js'
import type {AgentPool} from './agents.js'
import type {Cancellation} from './cancellation.js'
import {type Answer, AttemptFailure, type Call, type Connection} from './connection.js'
import {ApiError, TRACE_HINT} from './errors.js'
import type {Interceptors} from './interceptors.js'
import type {HttpMethod} from './retry.js'
import {isSensitivePath} from './trace.js'
import {describeUrl} from './url.js'

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

export interface AttemptOptions {
  timeoutMs: number
  agents: AgentPool
  cancellation: Cancellation
  interceptors: Interceptors
  /** The run's signal: a failure after it fired is an interruption. */
  signal?: AbortSignal
}

export function attemptConnection({
  timeoutMs,
  agents,
  cancellation,
  interceptors,
  signal,
}: AttemptOptions): Connection {
  const client = lazyClient(timeoutMs)
  const deadlineMs = timeoutMs * DEADLINE_TIMEOUTS

  function failure(call: Call, control: AttemptControl, err: unknown): unknown {
    if (isCfguardError(err)) return err
    interceptors.failure(call, networkMessage(err))
    if (signal?.aborted) return new CfguardError('INTERRUPTED', 'interrupted')
    if (isBodyTooLarge(err)) return bodyTooLarge(call.method, call.url, call.service)
    const code = control.overDeadline ? 'ETIMEDOUT' : networkCode(err)
    return new AttemptFailure(err, code, control.overDeadline ? deadlineMs : timeoutMs)
  }

  return {
    async make(call, answer) {
      call.attempt++
      call.sensitive ||= isSensitivePath(call.target.pathname)
      call.startedAt = 0
      call.usedToken = undefined
      const http = client()
      let res: AxiosResponse<string>
      // Aborted by the run's signal (fanned out) or by the deadline (the adapter's timer).
      const control = cancellation.open(new AttemptControl(deadlineMs))
      try {
        // The parsed URL, not its text: a URL parse per attempt was ~1 % of a 2 KB request's CPU.
        const agent = agents.agentFor(call.target)
        const headers = requestHeaders(call)
        const authorizing = interceptors.request(call, headers)
        if (authorizing) await authorizing
        // Headers, parsed URL and agent travel with the attempt (adapter.ts, AttemptControl), not
        // through axios's config merging; axios gets what it acts on.
        control.headers = headers
        control.url = call.target
        control.agent = agent
        const {url, method, payload} = call
        res = await http.request<string>(
          payload === undefined
            ? {url, method, cfguardAttempt: control}
            : {url, method, data: payload, cfguardAttempt: control},
        )
      } catch (err) {
        throw failure(call, control, err)
      } finally {
        cancellation.close(control)
      }
      fill(answer, res)
      interceptors.response(call, answer)
      answer.parsed = answer.status >= 400 ? parseLenient(answer.text) : undefined
    },
  }
}

function fill(answer: Answer, res: AxiosResponse<string>): void {
  answer.status = res.status
  answer.headers = plainHeaders(res.cfguardHeaders ?? res.headers)
  answer.text = typeof res.data === 'string' ? res.data : ''
}

/** The attempt's headers: the defaults, then the caller's; never a caller's Authorization. */
function requestHeaders(call: Call): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: call.req.accept === 'text' ? '*/*' : 'application/json',
    'User-Agent': USER_AGENT,
  }
  if (call.contentType) headers['Content-Type'] = call.contentType
  const given = call.req.headers
  if (given !== undefined) {
    for (const name in given) {
      if (name.toLowerCase() !== 'authorization') headers[name] = given[name] as string
    }
  }
  return headers
}

/**
 * axios is loaded on the first request, not when a command imports the transport: commands that
 * never go to the network (rules, help, local reports) do not pay for it.
 */
function lazyClient(timeoutMs: number): () => Axios {
  let instance: Axios | null = null
  return () => {
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

function parseLenient(text: string): unknown {
  try {
    return text.trim() === '' ? undefined : JSON.parse(text)
  } catch {
    return undefined
  }
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

export function networkMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
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
