import {expect} from 'chai'

import {createTransport, type Transport} from '../../../src/cf/http/transport.js'
import {createLogCacheClient} from '../../../src/cf/logcache/client.js'
import {createNetworkClient} from '../../../src/cf/network/client.js'
import type {CfguardError} from '../../../src/errors.js'
import {json, startLoopback, type Loopback} from '../../helpers/loopback.js'

describe('cf/network and cf/logcache', () => {
  let server: Loopback
  let transport: Transport

  beforeEach(async () => {
    server = await startLoopback()
    transport = createTransport({sleep: async () => {}})
    transport.trust({
      cc: server.url,
      networkPolicy: `${server.url}/networking/v1/external`,
      logCache: server.url,
    })
    transport.setTokenProvider({
      accessToken: async () => 'tok-12345678',
      renewAfterRejection: async () => 'tok-12345678',
    })
  })
  afterEach(async () => {
    transport.close()
    await server.close()
  })

  it('lists c2c policies (v1 ports and v0 port), ids batched by 200, duplicates dropped', async () => {
    server.handle((_r, res) =>
      json(res, 200, {
        total_policies: 2,
        policies: [
          {source: {id: 'a'}, destination: {id: 'b', protocol: 'tcp', ports: {start: 8080, end: 8081}}},
          {source: {id: 'c'}, destination: {id: 'd', protocol: 'udp', port: 53}},
        ],
      }),
    )
    const network = createNetworkClient(transport, `${server.url}/networking/v1/external`)
    const ids = Array.from({length: 250}, (_, i) => `app${i}`)
    const policies = await network.listPolicies({ids})
    expect(
      server.requests.map((r) => new URL(r.path, server.url).searchParams.get('id')?.split(',').length),
    ).to.deep.equal([200, 50])
    expect(server.requests[0]?.path.startsWith('/networking/v1/external/policies?id=')).to.equal(true)
    expect(policies).to.deep.equal([
      {sourceAppGuid: 'a', destinationAppGuid: 'b', protocol: 'tcp', portStart: 8080, portEnd: 8081},
      {sourceAppGuid: 'c', destinationAppGuid: 'd', protocol: 'udp', portStart: 53, portEnd: 53},
    ])
    await network.deletePolicies(policies.slice(0, 1))
    expect(server.requests.at(-1)?.path).to.equal('/networking/v1/external/policies/delete')
    expect(JSON.parse(server.requests.at(-1)?.body ?? '')).to.deep.equal({
      policies: [
        {source: {id: 'a'}, destination: {id: 'b', protocol: 'tcp', ports: {start: 8080, end: 8081}}},
      ],
    })
  })

  it('a 403 from the policy server is FORBIDDEN naming the policy server', async () => {
    server.handle((_r, res) =>
      json(res, 403, {error: 'token missing allowed scopes: [network.admin network.write]'}),
    )
    try {
      await createNetworkClient(transport, `${server.url}/networking/v1/external`).listPolicies()
      expect.fail('should fail')
    } catch (err) {
      expect((err as CfguardError).code).to.equal('FORBIDDEN')
      expect((err as CfguardError).message).to.contain('not authorized: GET /networking/v1/external/policies')
    }
  })

  /** A Log Cache over `count` envelopes 10 ns apart from 1_000_000_000_000 (start inclusive, end exclusive). */
  function logCacheOf(count: number) {
    const all = Array.from({length: count}, (_, i) => ({
      timestamp: String(1_000_000_000_000n + BigInt(i) * 10n),
      source_id: 'app',
      instance_id: '0',
      tags: {source_type: 'RTR'},
      log: {payload: Buffer.from(`line ${i}`).toString('base64'), type: 'OUT'},
    }))
    server.handle((r, res) => {
      const q = new URL(r.path, server.url).searchParams
      const end = q.get('end_time') ? BigInt(q.get('end_time')!) : 10n ** 30n
      const start = BigInt(q.get('start_time') ?? '0')
      const limit = Number(q.get('limit'))
      const batch = all
        .filter((e) => BigInt(e.timestamp) < end && BigInt(e.timestamp) >= start)
        .sort((a, b) => (BigInt(b.timestamp) > BigInt(a.timestamp) ? 1 : -1))
        .slice(0, limit)
      json(res, 200, {envelopes: {batch}})
    })
  }

  describe('readBackwards: no read after the last page', () => {
    // reads: what Log Cache is asked; a page as long as asked for may have more behind it.
    const cases: {
      envelopes: number
      pageSize: number
      max?: number
      since?: bigint
      yields: number
      limits: string[]
    }[] = [
      {envelopes: 0, pageSize: 2, yields: 0, limits: ['2']},
      {envelopes: 5, pageSize: 2, yields: 5, limits: ['2', '2', '2']},
      {envelopes: 4, pageSize: 2, yields: 4, limits: ['2', '2', '2']},
      {envelopes: 3, pageSize: 1000, yields: 3, limits: ['1000']},
      {envelopes: 5, pageSize: 2, max: 3, yields: 3, limits: ['2', '1']},
      {envelopes: 5, pageSize: 2, max: 4, yields: 4, limits: ['2', '2']},
      // The window starts at the 4th newest: its page ends the read.
      {envelopes: 5, pageSize: 2, since: 1_000_000_000_010n, yields: 4, limits: ['2', '2']},
      {envelopes: 5, pageSize: 5000, yields: 5, limits: ['1000']},
    ]
    for (const c of cases) {
      it(`${c.envelopes} envelopes, pages of ${c.pageSize}${c.max ? `, at most ${c.max}` : ''}${c.since ? ', a window' : ''}: ${c.limits.length} read(s)`, async () => {
        logCacheOf(c.envelopes)
        const logCache = createLogCacheClient(transport, server.url)
        let yielded = 0
        for await (const e of logCache.readBackwards('app', {
          since: c.since ?? 0n,
          pageSize: c.pageSize,
          ...(c.max ? {maxEnvelopes: c.max} : {}),
        })) {
          expect(e.sourceId).to.equal('app')
          yielded++
        }
        expect(yielded).to.equal(c.yields)
        expect(
          server.requests.map((r) => new URL(r.path, server.url).searchParams.get('limit')),
        ).to.deep.equal(c.limits)
      })
    }
  })

  it('reads Log Cache backwards: descending pages, end_time = oldest − 1, bounded', async () => {
    logCacheOf(5)
    const logCache = createLogCacheClient(transport, server.url)
    const out: string[] = []
    for await (const e of logCache.readBackwards('app', {
      since: 1_000_000_000_010n,
      envelopeTypes: ['LOG'],
      pageSize: 2,
    })) {
      out.push(e.log?.text ?? '')
    }
    expect(out).to.deep.equal(['line 4', 'line 3', 'line 2', 'line 1'])
    const q = (i: number) => new URL(server.requests[i]!.path, server.url).searchParams
    expect(q(0).get('descending')).to.equal('true')
    expect(q(0).getAll('envelope_types')).to.deep.equal(['LOG'])
    expect(q(1).get('end_time')).to.equal('1000000000029')
    expect(server.requests[0]?.path.startsWith('/api/v1/read/app?')).to.equal(true)
  })
})
