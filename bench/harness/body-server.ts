/**
 * The client-CPU micro-benchmark's server, in its own process so its CPU never counts against the
 * client under test: answers every GET on 127.0.0.1 with a JSON body of the size in the path
 * (`/2048`, `/51200`), keep-alive, no latency. Reports its port over IPC.
 */
import http from 'node:http'

const bodies = new Map<number, Buffer>()

function bodyOf(bytes: number): Buffer {
  let body = bodies.get(bytes)
  if (!body) {
    const items: {guid: string; name: string; state: string}[] = []
    let text = ''
    for (let i = 0; ; i++) {
      items.push({
        guid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        name: `app-${i}`,
        state: 'STARTED',
      })
      const next = JSON.stringify({resources: items})
      if (next.length > bytes) break
      text = next
    }
    body = Buffer.from(text.padEnd(bytes, ' '))
    bodies.set(bytes, body)
  }
  return body
}

const server = http.createServer((req, res) => {
  const bytes = Number((req.url ?? '/2048').slice(1)) || 2048
  const body = bodyOf(bytes)
  res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': body.length})
  res.end(body)
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.send?.({port: typeof address === 'object' && address ? address.port : 0})
})
process.on('disconnect', () => process.exit(0))
