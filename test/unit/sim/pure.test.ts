import {expect} from 'chai'

import {cgiEscape} from '../../../src/sim/cc/index.js'
import {matchesSelector, parseLabelSelector} from '../../../src/sim/cc/label-selector.js'
import {applyMetadata, emptyMetadata} from '../../../src/sim/cc/metadata.js'
import {Random} from '../../../src/sim/core/random.js'
import {Table} from '../../../src/sim/core/table.js'
import {accessLogLine, rfc3339Nano} from '../../../src/sim/logcache/rtr.js'
import {toOlderFormat} from '../../../src/sim/logcache/traffic.js'

describe('sim: label selectors', () => {
  const labels = {env: 'prod', tier: 'web', 'example.com/team': 'pay'}
  const match = (s: string) => matchesSelector(labels, parseLabelSelector(s))

  it('matches every form', () => {
    expect(match('env')).to.equal(true)
    expect(match('!env')).to.equal(false)
    expect(match('!missing')).to.equal(true)
    expect(match('env=prod')).to.equal(true)
    expect(match('env==prod')).to.equal(true)
    expect(match('env!=prod')).to.equal(false)
    expect(match('missing!=x')).to.equal(true)
    expect(match('env in (dev,prod)')).to.equal(true)
    expect(match('env notin (dev,prod)')).to.equal(false)
    expect(match('example.com/team=pay,tier=web')).to.equal(true)
    expect(match('example.com/team=pay,tier=api')).to.equal(false)
  })

  it('rejects malformed selectors', () => {
    for (const bad of ['env in (a', 'env=pr od', '=x', 'a,,b', 'env in a,b)']) {
      expect(() => parseLabelSelector(bad), bad).to.throw(/label_selector/)
    }
    expect(() => parseLabelSelector(Array.from({length: 51}, (_, i) => `k${i}`).join(','))).to.throw()
  })
})

describe('sim: metadata updates', () => {
  it('merges, deletes on null, keeps omitted keys', () => {
    const m = emptyMetadata()
    applyMetadata(m, {labels: {a: '1', b: '2'}, annotations: {note: 'x'}})
    applyMetadata(m, {labels: {a: null, c: '3'}})
    expect(m).to.deep.equal({labels: {b: '2', c: '3'}, annotations: {note: 'x'}})
  })

  it('enforces key rules and the reserved prefix', () => {
    for (const bad of [
      {labels: {'cloudfoundry.org/x': 'y'}},
      {labels: {'a/b/c': 'y'}},
      {labels: {_x: 'y'}},
      {annotations: {'': 'y'}},
    ]) {
      expect(() => applyMetadata(emptyMetadata(), bad), JSON.stringify(bad)).to.throw()
    }
    const tooMany = Object.fromEntries(Array.from({length: 51}, (_, i) => [`k${i}`, 'v']))
    expect(() => applyMetadata(emptyMetadata(), {labels: tooMany})).to.throw(/maximum of 50/)
  })
})

describe('sim: seeded randomness', () => {
  it('is reproducible and makes v4-shaped uuids', () => {
    const a = new Random(42)
    const b = new Random(42)
    const xs = Array.from({length: 50}, () => a.uuid())
    expect(xs).to.deep.equal(Array.from({length: 50}, () => b.uuid()))
    expect(
      xs.every((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u)),
    ).to.equal(true)
    expect(new Set(xs).size).to.equal(50)
    expect(new Random(43).uuid()).to.not.equal(new Random(42).uuid())
  })
})

describe('sim: tables', () => {
  it('index lookups follow updates and deletes, in insertion order', () => {
    const t = new Table<{guid: string; seq: number; tags: string[]}>().index('tag', (r) => r.tags)
    const a = t.add({guid: 'a', seq: 1, tags: ['x']})
    t.add({guid: 'b', seq: 2, tags: ['x', 'y']})
    expect(t.lookup('tag', 'x').map((r) => r.guid)).to.deep.equal(['a', 'b'])
    a.tags = ['y']
    t.reindex(a)
    expect(t.lookup('tag', 'x').map((r) => r.guid)).to.deep.equal(['b'])
    expect(t.lookupMany('tag', ['y', 'x']).map((r) => r.guid)).to.deep.equal(['a', 'b'])
    t.delete('b')
    expect(t.lookup('tag', 'y').map((r) => r.guid)).to.deep.equal(['a'])
    expect(() => t.add({guid: 'a', seq: 3, tags: []})).to.throw(/duplicate/)
  })
})

describe('sim: Gorouter access-log lines', () => {
  const fields = {
    host: 'shop.apps.example.test',
    startNs: 1_780_000_000_123_456_789n,
    method: 'GET',
    uri: '/cart',
    status: 200,
    bytesReceived: 0,
    bytesSent: 512,
    userAgent: 'curl/8',
    remoteAddr: '203.0.113.9:5555',
    backendAddr: '10.0.16.4:61001',
    requestId: 'req-1',
    responseTime: 0.0123,
    gorouterTime: 0.0004,
    appGuid: 'app-1',
    appIndex: 1,
    instanceGuid: 'inst-1',
    routeServiceUrl: null,
    routerError: null,
  }

  it('formats the current line', () => {
    expect(rfc3339Nano(fields.startNs)).to.equal('2026-05-28T20:26:40.123456789Z')
    expect(accessLogLine(fields)).to.equal(
      'shop.apps.example.test - [2026-05-28T20:26:40.123456789Z] "GET /cart HTTP/1.1" 200 0 512 "-" "curl/8" "203.0.113.9:5555" "10.0.16.4:61001" x_forwarded_for:"203.0.113.9" x_forwarded_proto:"https" vcap_request_id:"req-1" response_time:0.012300 gorouter_time:0.000400 app_id:"app-1" app_index:"1" instance_id:"inst-1" x_cf_routererror:"-"',
    )
  })

  it('older format drops gorouter_time and instance_id; route_service_url when bound', () => {
    const older = accessLogLine(fields, 'older')
    expect(older).to.not.contain('gorouter_time')
    expect(older).to.not.contain('instance_id')
    expect(toOlderFormat(accessLogLine(fields))).to.equal(older)
    expect(accessLogLine({...fields, routeServiceUrl: 'https://rs.test'})).to.contain(
      'route_service_url:"https://rs.test"',
    )
  })
})

describe('sim: X-Cf-Warnings escaping', () => {
  it('escapes like Ruby CGI.escape', () => {
    expect(cgiEscape('Stats server temporarily unavailable.')).to.equal(
      'Stats+server+temporarily+unavailable.',
    )
    expect(cgiEscape("a,b (c)!'*")).to.equal('a%2Cb+%28c%29%21%27%2A')
  })
})
