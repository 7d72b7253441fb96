/**
 * Client CPU per request: cfguard's transport (the built lib/, its axios adapter on node:http)
 * against raw `node:http` with a keep-alive agent, same loopback server (another process), same
 * body sizes, concurrency 16. Both clients read the whole body as text and parse the JSON (what
 * any client of these APIs must do). The rounds alternate raw, transport, raw, transport… and the
 * figure is the median over rounds of each round's ratio; CPU is `process.cpuUsage()` (user +
 * system) of this process over the round, divided by the requests.
 */
import {fork} from 'node:child_process'
import http from 'node:http'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {median} from './stats.js'

export interface ClientCpuResult {
  bodyBytes: number
  requestsPerRound: number
  rounds: number
  concurrency: number
  /** µs of client CPU per request, one per round. */
  rawUs: number[]
  transportUs: number[]
  medianRawUs: number
  medianTransportUs: number
  /** Median over rounds of transport / raw. */
  medianRatio: number
}

export interface ClientCpuOptions {
  root: string
  sizes?: number[]
  rounds?: number
  requests?: (bodyBytes: number) => number
  concurrency?: number
  /** The transport module (default: the built `lib/cf/http/transport.js`). */
  transportModule?: string
}

type Get = (path: string) => Promise<unknown>

async function cpuPerRequest(get: Get, path: string, requests: number, concurrency: number): Promise<number> {
  let next = 0
  const worker = async () => {
    while (next < requests) {
      next++
      await get(path)
    }
  }
  const before = process.cpuUsage()
  await Promise.all(Array.from({length: concurrency}, worker))
  const used = process.cpuUsage(before)
  return (used.user + used.system) / requests
}

export async function benchClientCpu(options: ClientCpuOptions): Promise<ClientCpuResult[]> {
  const sizes = options.sizes ?? [2048, 51_200]
  const rounds = options.rounds ?? 7
  const concurrency = options.concurrency ?? 16
  const requestsFor = options.requests ?? ((bytes: number) => (bytes > 10_000 ? 1500 : 3000))
  const server = fork(join(options.root, 'bench/harness/body-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  try {
    const port = await new Promise<number>((resolve, reject) => {
      server.once('message', (m: {port: number}) => resolve(m.port))
      server.once('exit', (code) => reject(new Error(`body server exited ${code}`)))
    })
    const base = `http://127.0.0.1:${port}`

    const agent = new http.Agent({keepAlive: true, maxSockets: concurrency})
    const raw: Get = (path) =>
      new Promise((resolve, reject) => {
        http
          .get(`${base}${path}`, {agent}, (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
            res.on('error', reject)
          })
          .on('error', reject)
      })

    const lib = (await import(
      pathToFileURL(options.transportModule ?? join(options.root, 'lib/cf/http/transport.js')).href
    )) as {
      createTransport: (o: object) => {
        request(r: object): Promise<{data: unknown}>
        close(): void
      }
    }
    const transport = lib.createTransport({})
    const viaTransport: Get = async (path) =>
      (await transport.request({method: 'GET', url: `${base}${path}`, auth: 'none'})).data

    const results: ClientCpuResult[] = []
    try {
      for (const bytes of sizes) {
        const path = `/${bytes}`
        const requests = requestsFor(bytes)
        // Warm-up: JIT, sockets, axios loaded.
        await cpuPerRequest(raw, path, Math.min(500, requests), concurrency)
        await cpuPerRequest(viaTransport, path, Math.min(500, requests), concurrency)
        const rawUs: number[] = []
        const transportUs: number[] = []
        for (let round = 0; round < rounds; round++) {
          rawUs.push(await cpuPerRequest(raw, path, requests, concurrency))
          transportUs.push(await cpuPerRequest(viaTransport, path, requests, concurrency))
        }
        results.push({
          bodyBytes: bytes,
          requestsPerRound: requests,
          rounds,
          concurrency,
          rawUs: rawUs.map(round1),
          transportUs: transportUs.map(round1),
          medianRawUs: round1(median(rawUs)),
          medianTransportUs: round1(median(transportUs)),
          medianRatio: Math.round(median(transportUs.map((t, i) => t / rawUs[i]!)) * 100) / 100,
        })
      }
    } finally {
      transport.close()
      agent.destroy()
    }
    return results
  } finally {
    server.kill()
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10
}
