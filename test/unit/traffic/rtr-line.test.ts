import {expect} from 'chai'

import {parseRtrLine} from '../../../src/collect/traffic/rtr-line.js'

/** A current Gorouter line (gorouter_time, instance_id, an extra header). */
const CURRENT =
  'billing.apps.example.com - [2026-11-28T12:00:00.123456789Z] "GET /api/v1/invoices?page=2 HTTP/1.1" 200 0 1532 ' +
  '"-" "Mozilla/5.0 (X11; Linux x86_64)" "10.0.1.5:51234" "10.0.32.7:61002" ' +
  'x_forwarded_for:"203.0.113.9, 10.0.1.5" x_forwarded_proto:"https" ' +
  'vcap_request_id:"5e0f7b9c-1c2d-4e3f-8a9b-0c1d2e3f4a5b" response_time:0.012345 gorouter_time:0.000321 ' +
  'app_id:"6b1f0e52-51d1-4a4e-9e0a-2f4cbd1f7c10" app_index:"1" instance_id:"9d7e3c1a-0b2f-4c5d-6e7f-8091a2b3c4d5" ' +
  'x_cf_routererror:"-" x_b3_traceid:"463ac35c9f6413ad48485a3953bb6124"'

describe('parseRtrLine', () => {
  it('parses a current Gorouter line field by field', () => {
    expect(parseRtrLine(CURRENT)).to.deep.equal({
      host: 'billing.apps.example.com',
      time: '2026-11-28T12:00:00.123456789Z',
      method: 'GET',
      uri: '/api/v1/invoices?page=2',
      protocol: 'HTTP/1.1',
      status: 200,
      bytesReceived: 0,
      bytesSent: 1532,
      referer: null,
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      remoteAddr: '10.0.1.5:51234',
      backendAddr: '10.0.32.7:61002',
      xForwardedFor: '203.0.113.9, 10.0.1.5',
      xForwardedProto: 'https',
      vcapRequestId: '5e0f7b9c-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
      responseTime: 0.012345,
      gorouterTime: 0.000321,
      appId: '6b1f0e52-51d1-4a4e-9e0a-2f4cbd1f7c10',
      appIndex: 1,
      instanceId: '9d7e3c1a-0b2f-4c5d-6e7f-8091a2b3c4d5',
      routerError: null,
      routeServiceUrl: null,
      extra: {x_b3_traceid: '463ac35c9f6413ad48485a3953bb6124'},
    })
  })

  it('parses an older line without gorouter_time and instance_id', () => {
    const line =
      'billing.apps.example.com - [2018-03-01T10:00:00.123+0000] "POST /login HTTP/1.1" 302 54 0 ' +
      '"https://billing.apps.example.com/" "curl/7.58.0" "10.0.1.5:51234" "10.0.32.7:61002" ' +
      'x_forwarded_for:"203.0.113.9" x_forwarded_proto:"https" vcap_request_id:"0b6f1c2a" ' +
      'response_time:0.004512 app_id:"app-1" app_index:"0"'
    const r = parseRtrLine(line)
    expect(r).to.deep.include({
      status: 302,
      referer: 'https://billing.apps.example.com/',
      responseTime: 0.004512,
      gorouterTime: null,
      appIndex: 0,
      instanceId: null,
    })
  })

  it('parses a very old line with bare values, a bare remote and no backend', () => {
    const line =
      'billing.apps.example.com - [28/03/2016:17:21:51.123 +0000] "GET / HTTP/1.1" 200 0 12 "-" "curl/7.43.0" ' +
      '10.0.2.2:58114 x_forwarded_for:"-" x_forwarded_proto:"-" vcap_request_id:8a3bc1de ' +
      'response_time:0.007543 app_id:app-1 app_index:0'
    expect(parseRtrLine(line)).to.deep.include({
      remoteAddr: '10.0.2.2:58114',
      backendAddr: null,
      xForwardedFor: null,
      vcapRequestId: '8a3bc1de',
      appId: 'app-1',
      appIndex: 0,
    })
  })

  it('accepts key:value pairs in any order, extra headers, route_service_url and "-" everywhere', () => {
    const line =
      'api.apps.example.com - [2026-11-28T12:00:01Z] "GET /health HTTP/2.0" "-" 0 0 "-" "-" "-" "-" ' +
      'app_index:"-" x_cf_routererror:"endpoint_failure (dial tcp 10.0.32.7:61002: connect: connection refused)" ' +
      'response_time:"-" app_id:"app-1" route_service_url:"https://auth-proxy.apps.example.com/check" ' +
      'x_request_id:"-" tenant:"acme"'
    expect(parseRtrLine(line)).to.deep.include({
      status: null,
      userAgent: null,
      remoteAddr: null,
      backendAddr: null,
      responseTime: null,
      appIndex: null,
      routerError: 'endpoint_failure (dial tcp 10.0.32.7:61002: connect: connection refused)',
      routeServiceUrl: 'https://auth-proxy.apps.example.com/check',
      extra: {x_request_id: null, tenant: 'acme'},
    })
  })

  it('keeps quotes inside the user agent, escaped (current) or raw (old routers)', () => {
    const escaped = CURRENT.replace(
      '"Mozilla/5.0 (X11; Linux x86_64)"',
      String.raw`"Mozilla/5.0 \"quoted\" \\o/"`,
    )
    expect(parseRtrLine(escaped)?.userAgent).to.equal('Mozilla/5.0 "quoted" \\o/')
    const raw = CURRENT.replace('"Mozilla/5.0 (X11; Linux x86_64)"', '"Weird "Agent" 1.0"')
    const r = parseRtrLine(raw)
    expect(r?.userAgent).to.equal('Weird "Agent" 1.0')
    expect(r?.remoteAddr).to.equal('10.0.1.5:51234')
    expect(r?.appIndex).to.equal(1)
  })

  it('does not end a quoted value at an escaped quote, even one followed by key-like text', () => {
    const r = parseRtrLine(`${CURRENT} x_note:"a \\" tricky:b \\u00e9" tenant:"acme"`)
    expect(r?.extra).to.deep.equal({
      x_b3_traceid: '463ac35c9f6413ad48485a3953bb6124',
      x_note: 'a " tricky:b é',
      tenant: 'acme',
    })
  })

  it('accepts a cf logs prefix for RTR and rejects other sources', () => {
    expect(parseRtrLine(`2026-11-28T12:00:00.12+0000 [RTR/3] OUT ${CURRENT}`)?.appIndex).to.equal(1)
    expect(parseRtrLine('2026-11-28T12:00:00.12+0000 [APP/PROC/WEB/0] OUT listening on 8080')).to.equal(null)
  })

  it('returns null for truncated lines and garbage, never throws', () => {
    const cutInPairs = CURRENT.slice(0, CURRENT.indexOf('app_id:') + 'app_id:"6b1f'.length)
    const cutInHead = CURRENT.slice(0, CURRENT.indexOf('"Mozilla') + 10)
    for (const bad of [cutInPairs, cutInHead, `${CURRENT.slice(0, CURRENT.indexOf('app_index:') + 10)}`]) {
      expect(parseRtrLine(bad), bad.slice(-20)).to.equal(null)
    }
    for (const garbage of [
      '',
      'hello world',
      '{"json":true}',
      '- - [] "" - - -',
      '\u0000\u0001 - [x] "GET',
    ]) {
      expect(parseRtrLine(garbage)).to.equal(null)
    }
  })
})
