import {expect} from 'chai'

import {backoffDelay, isRetryable, rateLimitWaitMs, RetryBudget} from '../../../../src/cf/http/retry.js'
import {parseCfWarnings} from '../../../../src/cf/http/warnings.js'
import {isLoopbackHost, parseSafeUrl} from '../../../../src/cf/http/url.js'

describe('cf/http retry policy and helpers', () => {
  it('retries connection failures only for idempotent requests', () => {
    expect(isRetryable({method: 'GET', errorCode: 'ECONNRESET'})).to.equal(true)
    expect(isRetryable({method: 'DELETE', errorCode: 'ETIMEDOUT'})).to.equal(true)
    expect(isRetryable({method: 'HEAD', errorCode: 'EPIPE'})).to.equal(true)
    expect(isRetryable({method: 'POST', errorCode: 'ECONNRESET'})).to.equal(false)
    expect(isRetryable({method: 'POST', errorCode: 'ECONNRESET', tokenGrant: true})).to.equal(true)
    expect(isRetryable({method: 'GET', errorCode: 'ECONNREFUSED'})).to.equal(false)
    expect(isRetryable({method: 'GET', errorCode: 'ENOTFOUND'})).to.equal(false)
  })

  it('never retries a request marked retry: false, whatever its method and failure', () => {
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      expect(isRetryable({method, errorCode: 'ECONNRESET'}), method).to.equal(true)
      expect(isRetryable({method, errorCode: 'ECONNRESET', retry: false}), method).to.equal(false)
      expect(isRetryable({method, status: 503, retry: false}), method).to.equal(false)
    }
    expect(isRetryable({method: 'POST', errorCode: 'ETIMEDOUT', tokenGrant: true, retry: false})).to.equal(
      false,
    )
  })

  it('never retries 4xx (429 is handled separately)', () => {
    for (const status of [400, 401, 403, 404, 409, 422, 429])
      expect(isRetryable({method: 'GET', status})).to.equal(false)
  })

  it('caps the backoff', () => {
    expect(backoffDelay(20, () => 0.999)).to.be.below(20_000)
    expect(backoffDelay(1, () => 0)).to.equal(0)
  })

  it('parses Retry-After (seconds, date) and X-RateLimit-Reset, preferring Retry-After', () => {
    const now = new Date('2026-11-28T20:00:00Z')
    expect(rateLimitWaitMs({'retry-after': '5'}, now)).to.equal(5000)
    expect(rateLimitWaitMs({'retry-after': 'Sat, 28 Nov 2026 20:00:30 GMT'}, now)).to.equal(30_000)
    expect(rateLimitWaitMs({'retry-after': 'Sat, 28 Nov 2026 19:00:00 GMT'}, now)).to.equal(0)
    expect(rateLimitWaitMs({'x-ratelimit-reset': String(now.getTime() / 1000 + 9)}, now)).to.equal(9000)
    expect(rateLimitWaitMs({'retry-after': '2', 'x-ratelimit-reset': '9999999999'}, now)).to.equal(2000)
    expect(rateLimitWaitMs({}, now)).to.equal(null)
  })

  it('spends and refunds the per-run retry budget', () => {
    const b = new RetryBudget(12, 5, 10)
    expect(b.take()).to.equal(true)
    expect(b.take()).to.equal(true)
    expect(b.take()).to.equal(false)
    b.refund()
    b.refund()
    b.refund()
    expect(b.take()).to.equal(true)
    expect(b.take(true)).to.equal(false)
  })

  it('splits and form-decodes X-Cf-Warnings', () => {
    expect(parseCfWarnings('a+b, c%2C+d,,  e%20f ')).to.deep.equal(['a b', 'c, d', 'e f'])
    expect(parseCfWarnings(['x', 'y%'])).to.deep.equal(['x', 'y%'])
    expect(parseCfWarnings(undefined)).to.deep.equal([])
  })

  it('knows loopback hosts and refuses plain http elsewhere', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', 'localhost', '[::1]', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(h), h).to.equal(true)
    }
    for (const h of ['10.0.0.1', '128.0.0.1', 'example.com', 'localhost.example.com', '[::2]']) {
      expect(isLoopbackHost(h), h).to.equal(false)
    }
    expect(parseSafeUrl('http://[::1]:8080/x').port).to.equal('8080')
    expect(() => parseSafeUrl('http://10.0.0.1')).to.throw(/plain http/)
    expect(() => parseSafeUrl('ftp://x')).to.throw(/only https/)
    expect(() => parseSafeUrl('not a url')).to.throw(/invalid URL/)
  })
})
