import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

/**
 * A pooled keep-alive socket must not keep a response body reachable. With axios on a stock
 * http.Agent each socket kept the response of the request that opened it (cf/http/agents.ts):
 * 16 sockets × a 4 MiB page = 64 MiB that no GC could free. Measured in bytes after a full GC in
 * a child process, nothing is timed.
 */
describe('cf/http keep-alive sockets and response bodies', function () {
  this.timeout(60_000)

  it('after 48 responses of 4 MiB over 16 pooled sockets, less than 2 bodies stay on the heap', () => {
    const fixture = fileURLToPath(new URL('keepalive-heap.fixture.ts', import.meta.url))
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fixture], {
      encoding: 'utf8',
    })
    const result = JSON.parse(out) as {
      bodyBytes: number
      retainedBytes: number
      responses: number
      open: number
    }
    // The sockets are still pooled when the heap is measured (else nothing could be retained).
    expect(result.open).to.equal(16)
    expect(result.responses).to.equal(48)
    expect(result.retainedBytes).to.be.below(
      2 * result.bodyBytes,
      `${Math.round(result.retainedBytes / 1024 / 1024)} MiB still reachable after GC`,
    )
  })
})
