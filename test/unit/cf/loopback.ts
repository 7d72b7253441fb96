/** A scriptable HTTP server on 127.0.0.1 that records what it received (for transport tests). */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

export interface Recorded {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: string
}

export type Handler = (req: Recorded, res: ServerResponse, index: number) => void | Promise<void>

export interface Loopback {
  url: string
  requests: Recorded[]
  /** Replace the handler (tests script a sequence of answers). */
  handle(handler: Handler): void
  close(): Promise<void>
}

export async function startLoopback(handler: Handler = (_r, res) => json(res, 200, {})): Promise<Loopback> {
  let current = handler
  const requests: Recorded[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const rec: Recorded = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(rec)
      Promise.resolve(current(rec, res, requests.length - 1)).catch((err) => {
        res.statusCode = 599
        res.end(String(err))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(h) {
      current = h
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
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
