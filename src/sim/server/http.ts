/**
 * One loopback HTTP origin (CC, UAA or Log Cache): reads the request, applies latency and
 * faults, runs the origin's app, records the request, writes (or cuts) the response.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import type {AddressInfo} from 'node:net'

import type {SimClock} from '../core/clock.js'
import type {Origin, RequestRecord} from '../types.js'
import type {Faults} from './faults.js'
import type {OriginApp, SimRequest, SimResponse} from './types.js'

const MAX_BODY = 1024 * 1024

export interface OriginHooks {
  /** Response for a fault (`status`) or a 429 burst (`throttle`), shaped like the origin's errors. */
  faultResponse(status: number, retryAfterSeconds?: number): SimResponse
}

export interface OriginServerOptions {
  origin: Origin
  app: OriginApp
  host: string
  port: number
  faults: Faults
  latencyMs: number
  clock: SimClock
  record: (r: RequestRecord) => void
  hooks: OriginHooks
  /** Serve HTTPS with this certificate chain and key (PEM). */
  tls?: {cert: string; key: string}
  /** The host name in this origin's URL (default: the listening address). */
  publicHost?: string
}

export interface OriginServer {
  url: string
  port: number
  close(): Promise<void>
}

export async function startOriginServer(options: OriginServerOptions): Promise<OriginServer> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void serve(options, req, res).catch(() => {
      if (!res.headersSent) {
        res.statusCode = 500
        res.end()
      } else res.destroy()
    })
  }
  const server: Server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler)
  server.keepAliveTimeout = 5000
  await listen(server, options.port, options.host)
  const port = (server.address() as AddressInfo).port
  const host = options.publicHost ?? options.host
  const hostPart = host.includes(':') ? `[${host}]` : host
  return {
    url: `${options.tls ? 'https' : 'http'}://${hostPart}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

async function serve(o: OriginServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  const path = q < 0 ? url : url.slice(0, q)
  const rawQuery = q < 0 ? '' : url.slice(q + 1)
  const method = (req.method ?? 'GET').toUpperCase()
  const record = (status: number) =>
    o.record({origin: o.origin, method, path, query: rawQuery, status, at: o.clock.now().toISOString()})

  const body = await readBody(req)
  if (body === null) {
    record(413)
    res.writeHead(413).end()
    return
  }

  const delay = o.latencyMs + o.faults.delayMs(o.origin)
  if (delay > 0) await sleep(delay)

  const decision = o.faults.decide(o.origin, method, path)
  if (decision.kind === 'drop') {
    record(0)
    req.socket.destroy()
    return
  }
  if (decision.kind === 'status' || decision.kind === 'throttle') {
    const response =
      decision.kind === 'status'
        ? o.hooks.faultResponse(decision.status)
        : o.hooks.faultResponse(429, decision.retryAfterSeconds)
    record(response.status)
    write(res, response, false)
    return
  }

  const simReq: SimRequest = {
    origin: o.origin,
    method,
    path,
    rawQuery,
    headers: req.headers,
    params: {},
    body,
    remoteAddress: req.socket.remoteAddress ?? '127.0.0.1',
  }
  const response = await o.app.handle(simReq)
  record(decision.cut ? 0 : response.status)
  write(res, response, decision.cut)
}

function write(res: ServerResponse, response: SimResponse, cut: boolean): void {
  const body = response.body === undefined ? Buffer.alloc(0) : Buffer.from(response.body)
  if (cut && body.length < 2) {
    // Nothing to cut in half: the connection goes away before any answer.
    res.socket?.destroy()
    return
  }
  for (const [k, v] of Object.entries(response.headers ?? {})) res.setHeader(k, v)
  if (response.status !== 204 && response.status !== 304) res.setHeader('Content-Length', body.length)
  res.statusCode = response.status
  if (cut) {
    // Headers and part of the body, then the connection goes away.
    res.flushHeaders()
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy())
    return
  }
  res.end(response.status === 204 || response.status === 304 ? undefined : body)
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooBig = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) tooBig = true
      else chunks.push(chunk)
    })
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
