import {expect} from 'chai'

import {type LogEnvelope, aggregateTraffic, p95} from '../../../src/collect/traffic/aggregate.js'

const line = (o: {
  host?: string
  status?: number
  index?: string
  instance?: string
  time?: string
  err?: string
}) =>
  `${o.host ?? 'billing.apps.example.com'} - [2026-11-28T12:00:00Z] "GET / HTTP/1.1" ${o.status ?? 200} 0 10 "-" "k6/0.50" ` +
  `"10.0.1.5:5000" "10.0.32.7:61002" x_forwarded_for:"-" x_forwarded_proto:"https" vcap_request_id:"r" ` +
  `response_time:${o.time ?? '0.010000'} gorouter_time:0.000100 app_id:"app-1" app_index:"${o.index ?? '0'}" ` +
  `instance_id:"${o.instance ?? 'inst-0'}" x_cf_routererror:"${o.err ?? '-'}"`

const envelope = (payload: string, o: Partial<LogEnvelope> = {}): LogEnvelope => ({
  timestamp: '1764331200000000000',
  source_id: 'app-1',
  instance_id: '7',
  tags: {source_type: 'RTR'},
  log: {payload: Buffer.from(payload).toString('base64'), type: 'OUT'},
  ...o,
})

describe('aggregateTraffic', () => {
  it('counts requests, 5xx, router errors and p95 per host and app instance', () => {
    const lines = [
      line({index: '0', time: '0.010000'}),
      line({index: '0', time: '0.030000', status: 503}),
      line({index: '1', instance: 'inst-1', status: 502, err: 'endpoint_failure'}),
      line({host: 'BILLING.apps.example.com:443', index: '1', instance: 'inst-1'}),
      line({host: 'www.example.com', index: '0'}),
    ]
    expect(aggregateTraffic(lines, 900)).to.deep.equal({
      windowSeconds: 900,
      linesRead: 5,
      linesSkipped: 0,
      stats: [
        {
          routeHost: 'billing.apps.example.com',
          appGuid: 'app-1',
          instanceIndex: 0,
          instanceGuid: 'inst-0',
          requests: 2,
          status5xx: 1,
          p95ResponseSeconds: 0.03,
          routerErrors: {},
        },
        {
          routeHost: 'billing.apps.example.com',
          appGuid: 'app-1',
          instanceIndex: 1,
          instanceGuid: 'inst-1',
          requests: 2,
          status5xx: 1,
          p95ResponseSeconds: 0.01,
          routerErrors: {endpoint_failure: 1},
        },
        {
          routeHost: 'www.example.com',
          appGuid: 'app-1',
          instanceIndex: 0,
          instanceGuid: 'inst-0',
          requests: 1,
          status5xx: 0,
          p95ResponseSeconds: 0.01,
          routerErrors: {},
        },
      ],
    })
  })

  it('decodes Log Cache envelopes, keeps only RTR, and uses the line instance, not the router index', () => {
    const traffic = aggregateTraffic(
      [
        envelope(line({index: '2', instance: 'inst-2'})),
        envelope('listening on :8080', {tags: {source_type: 'APP/PROC/WEB'}}),
        envelope('garbage that is not an access log'),
        {timestamp: '1', source_id: 'app-1', tags: {source_type: 'RTR'}},
      ],
      300,
    )
    expect(traffic.linesRead).to.equal(2)
    expect(traffic.linesSkipped).to.equal(1)
    expect(traffic.stats.map((s) => [s.instanceIndex, s.instanceGuid])).to.deep.equal([[2, 'inst-2']])
  })

  it('tells old and new instances with the same index apart during a deployment', () => {
    const traffic = aggregateTraffic(
      [line({index: '0', instance: 'old-0'}), line({index: '0', instance: 'new-0'})],
      60,
    )
    expect(traffic.stats.map((s) => s.instanceGuid)).to.deep.equal(['new-0', 'old-0'])
  })

  it('counts an older line without instance_id with the one instance of its index, not as another instance', () => {
    const older = line({index: '1', instance: 'x', status: 500}).replace(/ instance_id:"x"/, '')
    const traffic = aggregateTraffic([line({index: '1', instance: 'inst-1'}), older, line({index: '0'})], 60)
    expect(
      traffic.stats.map((s) => [s.instanceIndex, s.instanceGuid, s.requests, s.status5xx]),
    ).to.deep.equal([
      [0, 'inst-0', 1, 0],
      [1, 'inst-1', 2, 1],
    ])
    // Two instances with that index (a deployment): the line cannot be placed and stays apart.
    const rolling = aggregateTraffic(
      [line({index: '1', instance: 'old-1'}), line({index: '1', instance: 'new-1'}), older],
      60,
    )
    expect(rolling.stats.map((s) => s.instanceGuid)).to.deep.equal([null, 'new-1', 'old-1'])
  })

  it('keeps requests no instance served under index -1 and skips truncated lines', () => {
    const noInstance = line({index: '-', instance: '-', status: 502, err: 'no_endpoints'})
    const traffic = aggregateTraffic([noInstance, line({}).slice(0, 120), '', 'x'], 60)
    expect(traffic.linesRead).to.equal(3)
    expect(traffic.linesSkipped).to.equal(2)
    expect(traffic.stats.map((s) => [s.instanceIndex, s.instanceGuid, s.routerErrors])).to.deep.equal([
      [-1, null, {no_endpoints: 1}],
    ])
  })

  it('p95 is the nearest-rank 95th percentile', () => {
    expect(p95([])).to.equal(null)
    expect(p95([5])).to.equal(5)
    expect(p95(Array.from({length: 20}, (_, i) => (i + 1) / 100))).to.equal(0.19)
  })
})
