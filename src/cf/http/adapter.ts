/**
 * cfguard's own axios adapter on `node:http` / `node:https`.
 *
 * axios stays the client (its config, interceptors and error types), but the stock Node adapter
 * does a lot per request that cfguard never uses: follow-redirects wrapping (cfguard follows
 * redirects itself, `maxRedirects: 0`), proxy resolution from the environment (cfguard sends no
 * request through a proxy it did not choose), progress streams, data: URIs, form-data, HTTP/2
 * sessions, a `setKeepAlive` call per request (the keep-alive agent already sets it on each new
 * socket), an EventEmitter per request for aborts. This adapter keeps only what cfguard relies on,
 * with the same observable behaviour and the same error shapes (src/cf/http/errors.ts and
 * transport.ts classify them):
 *
 * - the agent is the request config's (`httpsAgent` for https:, `httpAgent` for http:), never one
 *   of its own, and never a proxy of its own; the agents are the Lean* ones (agents.ts), so pooled
 *   sockets keep no request state;
 * - `timeout`: no response headers within `timeout` ms of the start, or the socket idle that long,
 *   rejects `AxiosError` `ETIMEDOUT` (`ECONNABORTED` without `transitional.clarifyTimeoutError`),
 *   message `timeout of N ms exceeded`, like axios;
 * - `maxContentLength` counts decompressed bytes and rejects `ERR_BAD_RESPONSE`
 *   `maxContentLength size of N exceeded`, like axios;
 * - `signal` aborts with `CanceledError` (`ERR_CANCELED`);
 * - a network error rejects `AxiosError.from(err)` (its `code`: `ECONNREFUSED`, `ECONNRESET`, …);
 *   a body cut short rejects `stream has been aborted` (`ERR_BAD_RESPONSE`), like axios;
 * - gzip/deflate/br bodies are decompressed (the same `Accept-Encoding` axios sends) and the
 *   `content-encoding` header removed; the body is decoded as UTF-8 text without a BOM
 *   (`responseType: 'text'` is the only one cfguard uses);
 * - redirects are returned, not followed (`maxRedirects: 0`: the transport's redirect policy).
 *
 * axios itself is passed in (`errors`), so this module loads nothing of axios: the transport
 * imports axios lazily, on the first request.
 */
import http from 'node:http'
import https from 'node:https'
import type {Readable} from 'node:stream'
import zlib from 'node:zlib'

import type {AxiosAdapter, AxiosResponse, AxiosStatic, InternalAxiosRequestConfig} from 'axios'

import {hasHeader, plainRequestHeaders, responseHeaders, withHeaders} from './adapter-headers.js'

/** The axios classes the adapter rejects with (from the lazily loaded axios module). */
export type AxiosErrorClasses = Pick<AxiosStatic, 'AxiosError' | 'CanceledError'> &
  Partial<Pick<AxiosStatic, 'AxiosHeaders'>>

declare module 'axios' {
  interface AxiosRequestConfig {
    /** The request URL, already parsed by the transport (saves a parse per attempt). */
    cfguardUrl?: URL
    /** The transport's handle on this attempt: cancellation and the whole-attempt deadline. */
    cfguardAttempt?: AttemptControl
  }
  interface AxiosResponse {
    /** The response headers as Node parsed them (lower-case names), before axios wraps them. */
    cfguardHeaders?: Record<string, string | string[] | undefined>
  }
}

/**
 * One attempt's cancellation and deadline, without an AbortController and a timer of its own:
 * `abort()` (the run's signal, fanned out by the transport) cancels it (`CanceledError`); past
 * `deadlineMs` from its start it fails `ETIMEDOUT` and `overDeadline` says so (a server dripping
 * a byte at a time never trips the idle timeout). The deadline shares the adapter's one timer.
 * A class, not a plain object: axios merges plain objects of a config into copies.
 */
export class AttemptControl {
  aborted = false
  overDeadline = false
  onAbort: (() => void) | null = null
  /**
   * The attempt's request headers, final and plain (the transport's), sent before any header in
   * the axios config (which then holds only what axios itself adds, e.g. its default
   * `Content-Type` of a POST without one). Carried here rather than in `config.headers`, which axios
   * deep-merges into a copy, turns into `AxiosHeaders` (a case-insensitive search and a sanitising
   * regex per header) and the adapter turns back into a plain object: ~8 % of a 2 KB request's
   * client CPU, for headers the transport already built and checked.
   */
  headers: Record<string, string> | null = null
  /**
   * The request URL, already parsed by the transport, and the agent for its origin: here rather
   * than in the config, where each key costs axios a merge and a property check per request.
   */
  url: URL | null = null
  agent: http.Agent | null = null
  constructor(readonly deadlineMs: number) {}

  abort(): void {
    if (this.aborted) return
    this.aborted = true
    this.onAbort?.()
  }
}

const ACCEPT_ENCODING = 'gzip, compress, deflate, br'

export function createNodeAdapter(
  classes: AxiosErrorClasses,
  {clarifyTimeoutError = true}: {clarifyTimeoutError?: boolean} = {},
): AxiosAdapter {
  return function cfguardNodeAdapter(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    return new Promise<AxiosResponse>((resolve, reject) => {
      const options = requestOptions(config, classes.AxiosError)
      if (options instanceof Error) reject(options)
      else new Exchange(config, classes, clarifyTimeoutError, resolve, reject).start(options)
    })
  }
}

/**
 * The request as `http.request` takes it, or the error to reject with (an unsupported protocol,
 * a body that is not text). Headers: the attempt's own (AttemptControl), then axios's.
 */
function requestOptions(
  config: InternalAxiosRequestConfig,
  AxiosError: AxiosStatic['AxiosError'],
): http.RequestOptions | Error {
  const control = config.cfguardAttempt
  const url = control?.url ?? config.cfguardUrl ?? new URL(String(config.url))
  const isHttps = url.protocol === 'https:'
  if (!isHttps && url.protocol !== 'http:') {
    return new AxiosError(`Unsupported protocol ${url.protocol}`, 'ERR_BAD_REQUEST', config)
  }
  const headers = control?.headers
    ? withHeaders(control.headers, plainRequestHeaders(config.headers))
    : plainRequestHeaders(config.headers)
  if (!hasHeader(headers, 'accept-encoding')) headers['Accept-Encoding'] = ACCEPT_ENCODING
  const data = config.data as string | Buffer | undefined | null
  if (data !== undefined && data !== null) {
    if (typeof data !== 'string' && !Buffer.isBuffer(data)) {
      return new AxiosError(
        'Data after transformation must be a string or a Buffer',
        'ERR_BAD_REQUEST',
        config,
      )
    }
    headers['Content-Length'] = String(Buffer.byteLength(data))
  }
  return {
    protocol: url.protocol,
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? (isHttps ? 443 : 80) : Number(url.port),
    path: url.pathname + url.search,
    method: String(config.method ?? 'get').toUpperCase(),
    headers,
    agent: control?.agent ?? ((isHttps ? config.httpsAgent : config.httpAgent) as http.Agent | undefined),
    insecureHTTPParser: false,
  }
}

/** One request/response exchange: settles its promise once, whatever comes first. */
class Exchange {
  private settled = false
  private req: http.ClientRequest | undefined
  private body: Readable | undefined
  private timer: NodeJS.Timeout | undefined
  private answered = false
  private readonly control: AttemptControl | undefined
  private readonly signal: AbortSignal | undefined
  private readonly timeout: number

  constructor(
    private readonly config: InternalAxiosRequestConfig,
    private readonly classes: AxiosErrorClasses,
    private readonly clarifyTimeoutError: boolean,
    private readonly resolve: (response: AxiosResponse) => void,
    private readonly reject: (err: Error) => void,
  ) {
    this.control = config.cfguardAttempt
    this.signal = config.signal as AbortSignal | undefined
    this.timeout = Number(config.timeout ?? 0)
  }

  start(options: http.RequestOptions): void {
    const {config, control, signal} = this
    const {AxiosError, CanceledError} = this.classes
    if (signal?.aborted || control?.aborted) {
      this.reject(new CanceledError(undefined, config))
      return
    }
    let request: http.ClientRequest
    try {
      request = (options.protocol === 'https:' ? https : http).request(options)
    } catch (err) {
      this.finish()
      this.reject(AxiosError.from(err, undefined, config))
      return
    }
    this.req = request
    signal?.addEventListener('abort', this.onAbort, {once: true})
    if (control) control.onAbort = this.onAbort
    request.on('error', (err) => this.fail(AxiosError.from(err, undefined, config, request)))
    this.armTimers(request)
    request.on('response', (res) => this.receive(res, options.method as string, request))
    const data = config.data as string | Buffer | undefined | null
    if (data !== undefined && data !== null) request.end(data)
    else request.end()
  }

  private finish(): void {
    this.settled = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.signal?.removeEventListener('abort', this.onAbort)
    if (this.control) this.control.onAbort = null
  }

  private fail(err: Error): void {
    if (this.settled) return
    this.finish()
    this.reject(err)
    this.body?.destroy()
    this.req?.destroy()
  }

  private readonly onAbort = (): void => {
    this.fail(new this.classes.CanceledError(undefined, this.config, this.req))
  }

  private readonly onTimeout = (): void => {
    const {config, timeout} = this
    const clarify = config.transitional?.clarifyTimeoutError ?? this.clarifyTimeoutError
    this.fail(
      new this.classes.AxiosError(
        config.timeoutErrorMessage || (timeout ? `timeout of ${timeout}ms exceeded` : 'timeout exceeded'),
        clarify ? 'ETIMEDOUT' : 'ECONNABORTED',
        config,
        this.req,
      ),
    )
  }

  private onDeadline(): void {
    if (this.control) this.control.overDeadline = true
    this.onTimeout()
  }

  /**
   * One timer: like axios, no response headers within `timeout` of the start fails (the socket
   * idle timer may not run while a TCP connect is still pending); once they came, the same timer
   * waits for the attempt's whole deadline.
   */
  private armTimers(request: http.ClientRequest): void {
    const timeout = this.timeout
    const deadlineMs = this.control?.deadlineMs ?? 0
    const firstWait = timeout > 0 ? timeout : deadlineMs
    if (firstWait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined
        if (!this.answered && timeout > 0) this.onTimeout()
        else if (deadlineMs > firstWait)
          this.timer = setTimeout(() => this.onDeadline(), deadlineMs - firstWait)
        else if (deadlineMs > 0) this.onDeadline()
      }, firstWait)
    }
    request.setTimeout(timeout > 0 ? timeout : 0, timeout > 0 ? this.onTimeout : undefined)
  }

  private receive(res: http.IncomingMessage, method: string, request: http.ClientRequest): void {
    this.answered = true
    if (this.settled) {
      res.destroy()
      return
    }
    const {config} = this
    const {AxiosError, AxiosHeaders} = this.classes
    const status = res.statusCode ?? 0
    const resHeaders = res.headers
    const stream = decoded(res, method, status)
    this.body = stream
    const response: AxiosResponse = {
      status,
      statusText: res.statusMessage ?? '',
      headers: (AxiosHeaders
        ? responseHeaders(AxiosHeaders, resHeaders)
        : resHeaders) as AxiosResponse['headers'],
      config,
      request,
      data: undefined,
      cfguardHeaders: resHeaders,
    }
    const max = config.maxContentLength ?? -1
    const chunks: Buffer[] = []
    let total = 0
    stream.on('data', (chunk: Buffer) => {
      total += chunk.length
      if (max > -1 && total > max) {
        this.fail(
          new AxiosError(`maxContentLength size of ${max} exceeded`, 'ERR_BAD_RESPONSE', config, request),
        )
        return
      }
      chunks.push(chunk)
    })
    res.on('aborted', () => {
      if (this.settled) return
      this.fail(new AxiosError('stream has been aborted', 'ERR_BAD_RESPONSE', config, request, response))
    })
    stream.on('error', (err) => this.fail(AxiosError.from(err, undefined, config, request, response)))
    stream.on('end', () => {
      if (this.settled) return
      this.finish()
      const buffer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total)
      let text = buffer.toString('utf8')
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      response.data = text
      this.settle(response, status)
    })
  }

  private settle(response: AxiosResponse, status: number): void {
    const validate = this.config.validateStatus
    if (!validate || validate(status)) {
      this.resolve(response)
      return
    }
    this.reject(
      new this.classes.AxiosError(
        `Request failed with status code ${status}`,
        status >= 400 && status < 500 ? 'ERR_BAD_REQUEST' : 'ERR_BAD_RESPONSE',
        this.config,
        response.request,
        response,
      ),
    )
  }
}

/** The body as sent, or decompressed (gzip/deflate/br; `content-encoding` then removed). */
function decoded(res: http.IncomingMessage, method: string, status: number): Readable {
  const resHeaders = res.headers
  if (resHeaders['content-encoding'] === undefined) return res
  if (method === 'HEAD' || status === 204) delete resHeaders['content-encoding']
  const decoder = decompressor(String(resHeaders['content-encoding'] ?? '').toLowerCase())
  if (!decoder) return res
  delete resHeaders['content-encoding']
  res.on('error', (err) => decoder.destroy(err))
  res.pipe(decoder)
  return decoder
}

function decompressor(encoding: string): zlib.Gunzip | zlib.Unzip | zlib.BrotliDecompress | undefined {
  const flush = {flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH}
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
    case 'compress':
    case 'x-compress':
    case 'deflate':
      // createUnzip detects gzip and zlib-wrapped deflate; raw deflate is what axios's header
      // sniffing adds on top, and no Cloud Foundry component sends it.
      return zlib.createUnzip(flush)
    case 'br':
      return zlib.createBrotliDecompress({
        flush: zlib.constants.BROTLI_OPERATION_FLUSH,
        finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
      })
    default:
      return undefined
  }
}
