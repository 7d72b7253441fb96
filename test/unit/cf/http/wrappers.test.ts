/**
 * The transport's wrappers (src/cf/http/wrappers/) one at a time, around a scripted inner
 * Connection: no network, each policy's own decisions and what it leaves to the others.
 */
import {expect} from 'chai'

import {
  type Answer,
  AttemptFailure,
  type Call,
  type Connection,
  wrap,
  type Wrapper,
} from '../../../../src/cf/http/connection.js'
import {RetryBudget} from '../../../../src/cf/http/retry.js'
import {emptyStats, newCall as newTransportCall} from '../../../../src/cf/http/transport.js'
import type {HttpRequest} from '../../../../src/cf/http/types.js'
import {waitOnRateLimit} from '../../../../src/cf/http/wrappers/rate-limit.js'
import {followRedirects} from '../../../../src/cf/http/wrappers/redirect.js'
import {retryTransientFailures} from '../../../../src/cf/http/wrappers/retry.js'
import {replayRejectedToken} from '../../../../src/cf/http/wrappers/token-replay.js'
import type {CfguardError} from '../../../../src/errors.js'

const NOW = new Date('2026-01-01T00:00:00Z')

/** The transport's own request state, for a Cloud Controller request. */
function newCall(req: Partial<HttpRequest> & {url: string}): Call {
  return newTransportCall({method: 'GET', service: 'Cloud Controller', ...req}, 1, new Map(), '')
}

function newAnswer(): Answer {
  return {status: 0, headers: {}, text: '', parsed: undefined}
}

type Step = {status: number; headers?: Record<string, string>; parsed?: unknown} | {fail: string}

/** An inner Connection that plays `steps` in order and records the URL and auth of each attempt. */
function scripted(steps: Step[]): Connection & {seen: {url: string; auth: unknown; attempt: number}[]} {
  const seen: {url: string; auth: unknown; attempt: number}[] = []
  return {
    seen,
    make(call, answer) {
      call.attempt++
      call.usedToken = call.auth === 'bearer' ? `token-${seen.length}` : undefined
      seen.push({url: call.url, auth: call.auth, attempt: call.attempt})
      const step = steps.shift()
      if (!step) return Promise.reject(new Error('no more steps'))
      if ('fail' in step) return Promise.reject(new AttemptFailure(new Error(step.fail), step.fail, 1000))
      answer.status = step.status
      answer.headers = step.headers ?? {}
      answer.parsed = step.parsed
      return Promise.resolve()
    },
  }
}

function recordingPause() {
  const waits: {ms: number; reason: string}[] = []
  return {
    waits,
    pause: (ms: number, _service: string, reason: 'rate-limit' | 'retry') => {
      waits.push({ms, reason})
      return Promise.resolve()
    },
  }
}

describe('transport wrappers', () => {
  it('wrap: the first wrapper sees each answer first', async () => {
    const order: string[] = []
    const tag =
      (name: string): Wrapper =>
      (inner) => ({
        async make(call, answer) {
          await inner.make(call, answer)
          order.push(name)
        },
      })
    await wrap(scripted([{status: 200}]), tag('a'), tag('b'), tag('c')).make(
      newCall({url: 'https://api.example.com/v3'}),
      newAnswer(),
    )
    expect(order).to.deep.equal(['a', 'b', 'c'])
  })

  describe('redirect', () => {
    it('follows a GET to another origin without credentials, counting attempts again', async () => {
      const inner = scripted([
        {status: 200},
        {status: 302, headers: {location: 'https://blobs.example.org/x'}},
        {status: 200},
      ])
      const call = newCall({url: 'https://api.example.com/v3/a'})
      const answer = newAnswer()
      const connection = followRedirects()(inner)
      await connection.make(call, answer)
      expect(inner.seen).to.have.length(1)
      await connection.make(call, answer)
      expect(answer.status).to.equal(200)
      expect(call.redirects).to.equal(1)
      expect(inner.seen.slice(1)).to.deep.equal([
        {url: 'https://api.example.com/v3/a', auth: 'bearer', attempt: 2},
        {url: 'https://blobs.example.org/x', auth: 'none', attempt: 1},
      ])
    })

    it('keeps the credentials on the same origin and passes a 304 out', async () => {
      const inner = scripted([{status: 301, headers: {location: '/v3/a/'}}, {status: 304}])
      const call = newCall({url: 'https://api.example.com/v3/a'})
      const answer = newAnswer()
      await followRedirects()(inner).make(call, answer)
      expect(answer.status).to.equal(304)
      expect(inner.seen.map((s) => [s.url, s.auth])).to.deep.equal([
        ['https://api.example.com/v3/a', 'bearer'],
        ['https://api.example.com/v3/a/', 'bearer'],
      ])
    })

    it('refuses to follow a POST', async () => {
      const inner = scripted([{status: 307, headers: {location: 'https://api.example.com/v3/b'}}])
      const err = (await followRedirects()(inner)
        .make(newCall({url: 'https://api.example.com/v3/a', method: 'POST'}), newAnswer())
        .catch((e: unknown) => e)) as CfguardError
      expect(err.code).to.equal('BAD_RESPONSE')
      expect(err.message).to.include('follows redirects only for reads')
      expect(inner.seen).to.have.length(1)
    })
  })

  describe('token replay', () => {
    it('renews a rejected token once, with the token that was rejected', async () => {
      const rejected: string[] = []
      const provider = {
        accessToken: () => Promise.resolve('t'),
        renewAfterRejection: (token: string) => {
          rejected.push(token)
          return Promise.resolve('t2')
        },
      }
      const stats = emptyStats()
      const invalid = {error: 'invalid_token'}
      const inner = scripted([
        {status: 401, parsed: invalid},
        {status: 401, parsed: invalid},
      ])
      const answer = newAnswer()
      await replayRejectedToken(
        () => provider,
        stats,
      )(inner).make(newCall({url: 'https://api.example.com/v3'}), answer)
      expect(answer.status).to.equal(401)
      expect(rejected).to.deep.equal(['token-0'])
      expect(stats.authReplays).to.equal(1)
      expect(inner.seen).to.have.length(2)
    })

    it("does not replay CC's 'no token was sent' or a request without the session token", async () => {
      const provider = {
        accessToken: () => Promise.resolve('t'),
        renewAfterRejection: () => Promise.reject(new Error('must not renew')),
      }
      const notAuthenticated = {errors: [{code: 10002, title: 'CF-NotAuthenticated', detail: 'x'}]}
      for (const [auth, parsed] of [
        ['bearer', notAuthenticated],
        ['none', {error: 'invalid_token'}],
      ] as const) {
        const inner = scripted([{status: 401, parsed}])
        await replayRejectedToken(
          () => provider,
          emptyStats(),
        )(inner).make(newCall({url: 'https://api.example.com/v3', auth}), newAnswer())
        expect(inner.seen).to.have.length(1)
      }
    })
  })

  describe('429 wait', () => {
    const options = (pause: ReturnType<typeof recordingPause>['pause'], stats = emptyStats()) => ({
      maxRetryWaitMs: 60_000,
      now: () => NOW,
      random: () => 0.5,
      stats,
      pause,
    })

    it('waits as Retry-After asks, then sends again', async () => {
      const {waits, pause} = recordingPause()
      const stats = emptyStats()
      const inner = scripted([{status: 429, headers: {'retry-after': '2'}}, {status: 200}])
      const answer = newAnswer()
      await waitOnRateLimit(options(pause, stats))(inner).make(
        newCall({url: 'https://api.example.com/v3'}),
        answer,
      )
      expect(answer.status).to.equal(200)
      expect(waits).to.deep.equal([{ms: 2000, reason: 'rate-limit'}])
      expect(stats).to.include({rateLimitWaits: 1, waitedMs: 2000})
    })

    it('fails without waiting when asked to wait longer than the cap', async () => {
      const {waits, pause} = recordingPause()
      const inner = scripted([{status: 429, headers: {'retry-after': '120'}}])
      const err = (await waitOnRateLimit(options(pause))(inner)
        .make(newCall({url: 'https://api.example.com/v3'}), newAnswer())
        .catch((e: unknown) => e)) as CfguardError
      expect(err.code).to.equal('RATE_LIMITED')
      expect(err.message).to.include('it asks to wait 120 s')
      expect(waits).to.deep.equal([])
    })
  })

  describe('retry', () => {
    const options = (pause: ReturnType<typeof recordingPause>['pause'], budget = new RetryBudget()) => ({
      maxAttempts: 3,
      budget,
      random: () => 0.5,
      stats: emptyStats(),
      pause,
    })

    it('resends an idempotent request after a cut connection and a 503, then refunds the budget', async () => {
      const {waits, pause} = recordingPause()
      const budget = new RetryBudget()
      const inner = scripted([{fail: 'ECONNRESET'}, {status: 503}, {status: 200}])
      const call = newCall({url: 'https://api.example.com/v3'})
      const answer = newAnswer()
      await retryTransientFailures(options(pause, budget))(inner).make(call, answer)
      expect(answer.status).to.equal(200)
      expect(call.failedAttempts).to.equal(2)
      expect(waits.map((w) => w.reason)).to.deep.equal(['retry', 'retry'])
      expect(budget.remaining).to.equal(100 - 5 - 5 + 1)
    })

    it('classifies a network failure it does not resend (a POST)', async () => {
      const {waits, pause} = recordingPause()
      const inner = scripted([{fail: 'ECONNREFUSED'}])
      const err = (await retryTransientFailures(options(pause))(inner)
        .make(newCall({url: 'https://api.example.com/v3', method: 'POST'}), newAnswer())
        .catch((e: unknown) => e)) as CfguardError
      expect(err).to.not.be.instanceOf(AttemptFailure)
      expect(err.code).to.equal('API_UNAVAILABLE')
      expect(waits).to.deep.equal([])
    })

    it('passes out an error status it does not resend, counted as a failed attempt', async () => {
      const {pause} = recordingPause()
      const inner = scripted([{status: 404}])
      const call = newCall({url: 'https://api.example.com/v3'})
      const answer = newAnswer()
      await retryTransientFailures(options(pause))(inner).make(call, answer)
      expect(answer.status).to.equal(404)
      expect(call.failedAttempts).to.equal(1)
      expect(inner.seen).to.have.length(1)
    })

    it('stops at maxAttempts and passes the last error status out', async () => {
      const {waits, pause} = recordingPause()
      const inner = scripted([{status: 502}, {status: 502}, {status: 502}, {status: 200}])
      const call = newCall({url: 'https://api.example.com/v3'})
      const answer = newAnswer()
      await retryTransientFailures(options(pause))(inner).make(call, answer)
      expect(answer.status).to.equal(502)
      expect(call.failedAttempts).to.equal(3)
      expect(waits).to.have.length(2)
    })
  })
})
