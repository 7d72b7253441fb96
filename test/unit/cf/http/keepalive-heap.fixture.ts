/**
 * Run by keepalive-heap.test.ts as `node --expose-gc --import tsx <this file>` (its own heap, so
 * nothing else the test runner holds is measured). Opens SOCKETS keep-alive connections with one
 * large response each, sends more large responses over them, then prints how many heap bytes are
 * still reachable after a full GC while every socket is still pooled.
 */
import type {ServerResponse} from 'node:http'

import {createTransport} from '../../../../src/cf/http/transport.js'
import {startLoopback} from '../../../helpers/loopback.js'

const SOCKETS = 16 // the transport's maxSockets per origin
const ROUNDS = 3
const BODY_BYTES = 4 * 1024 * 1024

const gc = (globalThis as {gc?: () => void}).gc
if (!gc) throw new Error('run with --expose-gc')

// One body buffer outside the JS heap; every response the client reads is a new string.
const body = Buffer.from(JSON.stringify({pad: 'x'.repeat(BODY_BYTES)}))
let connections = 0
let closed = 0
let held: ServerResponse[] | null = []
const server = await startLoopback((_req, res) => {
  const send = (r: ServerResponse) => {
    r.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': body.length})
    r.end(body)
  }
  // The first round is answered only once every socket is open, so each request opens its own.
  if (held === null) return send(res)
  held.push(res)
  if (held.length === SOCKETS) {
    const waiting = held
    held = null
    waiting.forEach(send)
  }
})
server.server.on('connection', (socket) => {
  connections++
  socket.on('close', () => closed++)
})
const url = `${server.url}/v3/apps`

const transport = createTransport({signal: new AbortController().signal})
transport.trust({cc: url})

gc()
const before = process.memoryUsage().heapUsed
for (let round = 0; round < ROUNDS; round++) {
  await Promise.all(
    Array.from({length: SOCKETS}, () =>
      transport.request({method: 'GET', url, auth: 'none'}).then(() => undefined),
    ),
  )
}
// Let the sockets go back to the pool (the agent frees them after the response 'end').
await new Promise((resolve) => setImmediate(resolve))
gc()
gc()
const after = process.memoryUsage().heapUsed
const open = connections - closed

transport.close()
await server.close()
process.stdout.write(
  JSON.stringify({bodyBytes: body.length, retainedBytes: after - before, responses: SOCKETS * ROUNDS, open}),
)
