/**
 * The one recording loopback HTTP server of the tests: it listens on 127.0.0.1 (or ::1), records
 * every request it receives (method, path, headers, body), and answers with a scriptable handler
 * that a test can replace between calls. Transport and client unit tests use it as it is; the
 * hostile server (`hostile-server.ts`), the mini foundation (`mini-foundation.ts`), the e2e
 * tests' stand-ins (another identity provider, a listener that answers 404) and the keep-alive
 * heap fixture build on it. With `tls` it serves https (the TLS tests' self-signed server).
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import type {AddressInfo, Socket} from 'node:net'

export interface Recorded {
  /** As sent (upper case). */
  method: string
  /** The path with its query string, as sent. */
  path: string
  /** The path without its query string. */
  pathname: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: string
}

export type Handler = (req: Recorded, res: ServerResponse, index: number) => void | Promise<void>

export interface LoopbackOptions {
  /** The loopback address to listen on (default 127.0.0.1). */
  host?: '127.0.0.1' | '::1'
  /** Serve https with this key and certificate. */
  tls?: {key: Buffer | string; cert: Buffer | string}
  /** When the handler throws or rejects (default: status 599 with the error's text). */
  onError?: (err: unknown, res: ServerResponse) => void
}

export interface Loopback {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string
  /** Every request received, in order. */
  requests: Recorded[]
  /** Replace the handler (tests script a sequence of answers). */
  handle(handler: Handler): void
  /** The node server itself (to watch its connections). */
  server: Server
  /** Closes every connection, then the server. */
  close(): Promise<void>
}

function record(req: IncomingMessage, body: Buffer): Recorded {
  const path = req.url ?? '/'
  let url: URL
  try {
    url = new URL(path, 'http://127.0.0.1')
  } catch {
    url = new URL('http://127.0.0.1/')
    url.pathname = path
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    pathname: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: body.toString('utf8'),
  }
}

function answerError(err: unknown, res: ServerResponse): void {
  res.statusCode = 599
  res.end(String(err))
}

export async function startLoopback(
  handler: Handler = (_r, res) => json(res, 200, {}),
  options: LoopbackOptions = {},
): Promise<Loopback> {
  let current = handler
  const requests: Recorded[] = []
  const sockets = new Set<Socket>()
  const onError = options.onError ?? answerError
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const rec = record(req, Buffer.concat(chunks))
      requests.push(rec)
      let answered: void | Promise<void>
      try {
        answered = current(rec, res, requests.length - 1)
      } catch (err) {
        return onError(err, res)
      }
      Promise.resolve(answered).catch((err: unknown) => onError(err, res))
    })
  }
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener)
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `${options.tls ? 'https' : 'http'}://${host === '::1' ? '[::1]' : host}:${port}`,
    requests,
    server,
    handle(h) {
      current = h
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

export function raw(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {'Content-Length': Buffer.byteLength(text), ...headers})
  res.end(text)
}

export function ccError(status: number, title: string, code: number, detail: string) {
  return (_r: Recorded, res: ServerResponse) => json(res, status, {errors: [{code, title, detail}]})
}

/** Sleeps recorded instead of waited. */
export function fakeSleep(): {sleep: (ms: number) => Promise<void>; waits: number[]} {
  const waits: number[] = []
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms)
    },
  }
}
