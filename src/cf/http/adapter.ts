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
  {AxiosError, CanceledError, AxiosHeaders}: AxiosErrorClasses,
  {clarifyTimeoutError = true}: {clarifyTimeoutError?: boolean} = {},
): AxiosAdapter {
  return function cfguardNodeAdapter(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    return new Promise<AxiosResponse>((resolve, reject) => {
      const control = config.cfguardAttempt
      const url = control?.url ?? config.cfguardUrl ?? new URL(String(config.url))
      const isHttps = url.protocol === 'https:'
      if (!isHttps && url.protocol !== 'http:') {
        reject(new AxiosError(`Unsupported protocol ${url.protocol}`, 'ERR_BAD_REQUEST', config))
        return
      }
      const method = String(config.method ?? 'get').toUpperCase()
      const headers = control?.headers
        ? withHeaders(control.headers, plainRequestHeaders(config.headers))
        : plainRequestHeaders(config.headers)
      if (!hasHeader(headers, 'accept-encoding')) headers['Accept-Encoding'] = ACCEPT_ENCODING
      const data = config.data as string | Buffer | undefined | null
      if (data !== undefined && data !== null) {
        if (typeof data !== 'string' && !Buffer.isBuffer(data)) {
          reject(
            new AxiosError(
              'Data after transformation must be a string or a Buffer',
              'ERR_BAD_REQUEST',
              config,
            ),
          )
          return
        }
        headers['Content-Length'] = String(Buffer.byteLength(data))
      }

      let settled = false
      let req: http.ClientRequest | undefined
      let body: Readable | undefined
      let timer: NodeJS.Timeout | undefined
      let answered = false
      const signal = config.signal as AbortSignal | undefined

      const finish = () => {
        settled = true
        if (timer !== undefined) clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        if (control) control.onAbort = null
      }
      const fail = (err: Error) => {
        if (settled) return
        finish()
        reject(err)
        body?.destroy()
        req?.destroy()
      }
      function onAbort() {
        fail(new CanceledError(undefined, config, req))
      }
      if (signal?.aborted || control?.aborted) {
        reject(new CanceledError(undefined, config))
        return
      }

      const timeout = Number(config.timeout ?? 0)
      const onTimeout = () => {
        const clarify = config.transitional?.clarifyTimeoutError ?? clarifyTimeoutError
        fail(
          new AxiosError(
            config.timeoutErrorMessage || (timeout ? `timeout of ${timeout}ms exceeded` : 'timeout exceeded'),
            clarify ? 'ETIMEDOUT' : 'ECONNABORTED',
            config,
            req,
          ),
        )
      }

      const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
      const options: http.RequestOptions = {
        protocol: url.protocol,
        hostname,
        port: url.port === '' ? (isHttps ? 443 : 80) : Number(url.port),
        path: url.pathname + url.search,
        method,
        headers,
        agent: control?.agent ?? ((isHttps ? config.httpsAgent : config.httpAgent) as http.Agent | undefined),
        insecureHTTPParser: false,
      }
      try {
        req = (isHttps ? https : http).request(options)
      } catch (err) {
        finish()
        reject(AxiosError.from(err, undefined, config))
        return
      }
      const request = req
      signal?.addEventListener('abort', onAbort, {once: true})
      if (control) control.onAbort = onAbort

      request.on('error', (err) => fail(AxiosError.from(err, undefined, config, request)))
      const deadlineMs = control?.deadlineMs ?? 0
      const onDeadline = () => {
        if (control) control.overDeadline = true
        onTimeout()
      }
      // One timer: like axios, no response headers within `timeout` of the start fails (the
      // socket idle timer may not run while a TCP connect is still pending); once they came, the
      // same timer waits for the attempt's whole deadline.
      const firstWait = timeout > 0 ? timeout : deadlineMs
      if (firstWait > 0) {
        timer = setTimeout(() => {
          timer = undefined
          if (!answered && timeout > 0) onTimeout()
          else if (deadlineMs > firstWait) timer = setTimeout(onDeadline, deadlineMs - firstWait)
          else if (deadlineMs > 0) onDeadline()
        }, firstWait)
      }
      request.setTimeout(timeout > 0 ? timeout : 0, timeout > 0 ? onTimeout : undefined)

      request.on('response', (res) => {
        answered = true
        if (settled) {
          res.destroy()
          return
        }
        const status = res.statusCode ?? 0
        const resHeaders = res.headers
        let stream: Readable = res
        const encoding = resHeaders['content-encoding']
        if (encoding !== undefined) {
          if (method === 'HEAD' || status === 204) delete resHeaders['content-encoding']
          const decoder = decompressor(String(resHeaders['content-encoding'] ?? '').toLowerCase())
          if (decoder) {
            delete resHeaders['content-encoding']
            stream = decoder
            res.on('error', (err) => decoder.destroy(err))
            res.pipe(decoder)
          }
        }
        body = stream
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
            fail(
              new AxiosError(`maxContentLength size of ${max} exceeded`, 'ERR_BAD_RESPONSE', config, request),
            )
            return
          }
          chunks.push(chunk)
        })
        res.on('aborted', () => {
          if (settled) return
          fail(new AxiosError('stream has been aborted', 'ERR_BAD_RESPONSE', config, request, response))
        })
        stream.on('error', (err) => fail(AxiosError.from(err, undefined, config, request, response)))
        stream.on('end', () => {
          if (settled) return
          finish()
          const buffer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total)
          let text = buffer.toString('utf8')
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
          response.data = text
          const validate = config.validateStatus
          if (!validate || validate(status)) resolve(response)
          else {
            reject(
              new AxiosError(
                `Request failed with status code ${status}`,
                status >= 400 && status < 500 ? 'ERR_BAD_REQUEST' : 'ERR_BAD_RESPONSE',
                config,
                request,
                response,
              ),
            )
          }
        })
      })

      if (data !== undefined && data !== null) request.end(data)
      else request.end()
    })
  }
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

/**
 * The response headers as the `AxiosHeaders` axios would make of them (`AxiosHeaders.from`, which
 * axios applies to every response and returns as is when given one), without its per-header
 * case-insensitive search and value sanitising: Node's parser already gives lower-case names, one
 * value per name, trimmed and free of control characters. Anything else (an array value, a
 * `__proto__` name, a value the sanitiser would change) goes through `AxiosHeaders.from`.
 */
const UNSANITARY = /[\u0000-\u0008\u000a-\u001f\u007f]|^[\t ]|[\t ]$/
function responseHeaders(
  AxiosHeaders: AxiosStatic['AxiosHeaders'],
  raw: Record<string, string | string[] | undefined>,
): InstanceType<AxiosStatic['AxiosHeaders']> {
  const out = new AxiosHeaders()
  const slots = out as unknown as Record<string, string>
  for (const name in raw) {
    const value = raw[name]
    if (typeof value !== 'string' || name === '__proto__' || UNSANITARY.test(value))
      return AxiosHeaders.from(raw as Record<string, string>)
    slots[name] = value
  }
  return out
}

/** The request headers as Node takes them: one plain object, no AxiosHeaders round trip. */
function plainRequestHeaders(source: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (source === null || typeof source !== 'object') return out
  const entries =
    typeof (source as {toJSON?: unknown}).toJSON === 'function'
      ? ((source as {toJSON(): Record<string, unknown>}).toJSON() as Record<string, unknown>)
      : (source as Record<string, unknown>)
  for (const key in entries) {
    const value = entries[key]
    if (value === undefined || value === null || value === false) continue
    out[key] = Array.isArray(value) ? value.join(', ') : String(value)
  }
  return out
}

/** `first`'s headers, then those of `then` whose name (any case) `first` does not have. */
function withHeaders(first: Record<string, string>, then: Record<string, string>): Record<string, string> {
  const out = {...first}
  for (const key in then) if (!hasHeader(out, key.toLowerCase())) out[key] = then[key] as string
  return out
}

function hasHeader(headers: Record<string, string>, lowerName: string): boolean {
  for (const key in headers) if (key.toLowerCase() === lowerName) return true
  return false
}
