import {expect} from 'chai'

import type {Session} from '../../../src/cf/session.js'
import {createTransport, type Transport} from '../../../src/cf/http/transport.js'
import {createLogCacheClient} from '../../../src/cf/logcache/client.js'
import {createLimiter} from '../../../src/collect/limiter.js'
import {MAX_ENVELOPES_PER_APP, readTraffic} from '../../../src/collect/logs.js'
import {json, startLoopback, type Loopback} from '../../helpers/loopback.js'
import {ccApp} from './fixtures.js'

const NOW = new Date('2026-11-28T20:00:00Z')
const NOW_NS = BigInt(NOW.getTime()) * 1_000_000n

/**
 * The collector's --traffic reads go through the Log Cache client (readBackwards): pages of 1000,
 * no read after a short page, at most MAX_ENVELOPES_PER_APP per app (then the access is partial).
 */
describe('collect/logs readTraffic over the Log Cache client', () => {
  let server: Loopback
  let transport: Transport
  /** Envelopes per source id, one a millisecond back from NOW. */
  let sizes: Record<string, number>

  beforeEach(async () => {
    sizes = {'app-big': 25_000, 'app-mid': 1_500, 'app-quiet': 0}
    server = await startLoopback((r, res) => {
      const url = new URL(r.path, 'http://x')
      const source = decodeURIComponent(url.pathname.split('/').pop() ?? '')
      const q = url.searchParams
      const start = BigInt(q.get('start_time') ?? '0')
      const end = q.get('end_time') ? BigInt(q.get('end_time')!) : NOW_NS + 1n
      const batch = []
      for (let i = 0; i < (sizes[source] ?? 0) && batch.length < Number(q.get('limit')); i++) {
        const ts = NOW_NS - BigInt(i) * 1_000_000n
        if (ts >= end || ts < start) continue
        batch.push({
          timestamp: String(ts),
          source_id: source,
          instance_id: '0',
          tags: {source_type: 'RTR'},
          log: {payload: Buffer.from(`line ${i}`).toString('base64'), type: 'OUT'},
        })
      }
      json(res, 200, {envelopes: {batch}})
    })
    transport = createTransport({sleep: async () => {}})
    transport.trust({cc: server.url, logCache: server.url})
    transport.setTokenProvider({
      accessToken: async () => 'tok-12345678',
      renewAfterRejection: async () => 'tok-12345678',
    })
  })
  afterEach(async () => {
    transport.close()
    await server.close()
  })

  it('reads each app to the end of its logs or the cap, with no empty read after a short page', async () => {
    const session = {logCache: createLogCacheClient(transport, server.url)} as unknown as Session
    const apps = Object.keys(sizes).map((guid) => ccApp({guid, name: guid}))
    const read = await readTraffic(session, apps, 3600, NOW, createLimiter(4))

    const reads = (source: string) =>
      server.requests.filter((r) => r.path.includes(`/read/${source}?`)).length
    expect(reads('app-big')).to.equal(MAX_ENVELOPES_PER_APP / 1000)
    expect(reads('app-mid')).to.equal(2)
    expect(reads('app-quiet')).to.equal(1)
    expect(read.unread).to.deep.equal([])
    expect(read.traffic?.linesRead).to.equal(MAX_ENVELOPES_PER_APP + 1_500)
    expect(read.access.state).to.equal('partial')
    expect(read.access.why).to.contain(`1 apps had more than ${MAX_ENVELOPES_PER_APP} log envelopes`)
  })

  it('an app under the cap leaves the access full', async () => {
    sizes = {'app-big': 2_000}
    const session = {logCache: createLogCacheClient(transport, server.url)} as unknown as Session
    const read = await readTraffic(session, [ccApp({guid: 'app-big'})], 3600, NOW, createLimiter(4))
    // 2 full pages, then one empty read (a full page may have more behind it).
    expect(server.requests).to.have.length(3)
    expect(read.access).to.deep.equal({state: 'full'})
  })
})
