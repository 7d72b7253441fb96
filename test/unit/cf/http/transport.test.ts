import {expect} from 'chai'
import {getEventListeners} from 'node:events'

import {ApiError} from '../../../../src/cf/http/errors.js'
import type {HttpMethod} from '../../../../src/cf/http/retry.js'
import type {AccessTokenProvider} from '../../../../src/cf/http/tokens.js'
import {createTransport, type Transport, type TransportOptions} from '../../../../src/cf/http/transport.js'
import {CfguardError} from '../../../../src/errors.js'
import {ccError, fakeSleep, json, raw, startLoopback, type Loopback} from '../../../helpers/loopback.js'
import {failure} from '../../../helpers/failure.js'

class StaticTokens implements AccessTokenProvider {
  renewals = 0
  rejected: string[] = []
  constructor(public token = 'token-one-aaaaaaaaaaaa') {}
  async accessToken() {
    return this.token
  }
  async renewAfterRejection(rejected: string) {
    this.rejected.push(rejected)
    this.renewals++
    this.token = `token-renewed-${this.renewals}-bbbbbbbb`
    return this.token
  }
}

describe('cf/http transport', () => {
  let server: Loopback
  let other: Loopback
  let transport: Transport
  let sleeper: ReturnType<typeof fakeSleep>
  let warnings: string[]
  let tokens: StaticTokens

  function make(extra: TransportOptions = {}): Transport {
    const t = createTransport({
      sleep: sleeper.sleep,
      random: () => 0.5,
      warn: (w) => warnings.push(w),
      now: () => new Date('2026-11-28T20:00:00Z'),
      ...extra,
    })
    t.trust({cc: server.url})
    t.setTokenProvider(tokens)
    return t
  }

  beforeEach(async () => {
    server = await startLoopback()
    other = await startLoopback()
    sleeper = fakeSleep()
    warnings = []
    tokens = new StaticTokens()
    transport = make()
  })

  afterEach(async () => {
    transport.close()
    await server.close()
    await other.close()
  })

  describe('retries (table, like the cf CLI retry_request_test)', () => {
    /** A status, or `cut`: the server reads the request, then drops the connection unanswered. */
    type Answer = number | 'cut'
    interface Case {
      method: HttpMethod
      answer: Answer
      calls: number
      retry?: false
      tokenGrant?: true
    }
    const cases: Case[] = []
    for (const answer of [500, 502, 503, 504]) {
      cases.push({method: 'GET', answer, calls: 3})
      cases.push({method: 'POST', answer, calls: 1})
      cases.push({method: 'PATCH', answer, calls: 1})
    }
    for (const answer of [502, 503, 504, 'cut'] as const) {
      cases.push({method: 'PUT', answer, calls: 3}, {method: 'DELETE', answer, calls: 3})
      // retry: false (UAA secret changes): one attempt, whatever happened to it.
      cases.push({method: 'PUT', answer, calls: 1, retry: false})
      cases.push({method: 'DELETE', answer, calls: 1, retry: false})
      cases.push({method: 'GET', answer, calls: 1, retry: false})
    }
    cases.push({method: 'PUT', answer: 500, calls: 1}, {method: 'DELETE', answer: 500, calls: 1})
    cases.push({method: 'GET', answer: 404, calls: 1}, {method: 'GET', answer: 200, calls: 1})
    cases.push({method: 'GET', answer: 'cut', calls: 3}, {method: 'HEAD', answer: 'cut', calls: 3})
    cases.push({method: 'POST', answer: 'cut', calls: 1}, {method: 'PATCH', answer: 'cut', calls: 1})
    cases.push({method: 'POST', answer: 'cut', calls: 3, tokenGrant: true})

    for (const c of cases) {
      const how = c.answer === 'cut' ? 'whose connection is cut' : `answered ${c.answer}`
      const flags = [c.retry === false ? 'retry: false' : '', c.tokenGrant ? 'token grant' : '']
        .filter(Boolean)
        .join(', ')
      it(`${c.method}${flags ? ` (${flags})` : ''} ${how} is sent ${c.calls} time(s)`, async () => {
        server.handle((r, res) => {
          if (c.answer === 'cut') res.socket?.destroy()
          else if (c.answer === 200) json(res, 200, {ok: true})
          else ccError(c.answer, 'UnknownError', 10001, 'boom')(r, res)
        })
        const p = transport.request({
          method: c.method,
          url: `${server.url}/v3/x`,
          json: c.method === 'GET' || c.method === 'HEAD' ? undefined : {},
          ...(c.retry === false ? {retry: false} : {}),
          ...(c.tokenGrant ? {tokenGrant: true} : {}),
        })
        if (c.answer === 200) await p
        else expect((await failure(p)).code).to.equal(c.answer === 404 ? 'NOT_FOUND' : 'API_UNAVAILABLE')
        expect(server.requests).to.have.length(c.calls)
        expect(sleeper.waits).to.have.length(c.calls - 1)
        expect(transport.stats.retries).to.equal(c.calls - 1)
      })
    }

    it('retry: false still replays once after a 401 and waits out a 429 (the server refused those unprocessed)', async () => {
      server.handle((r, res) => {
        const n = server.requests.length
        if (n === 1) ccError(401, 'CF-InvalidAuthToken', 1000, 'Invalid Auth Token')(r, res)
        else if (n === 2) raw(res, 429, '{}', {'Retry-After': '2'})
        else json(res, 200, {status: 'ok'})
      })
      const res = await transport.request({method: 'PUT', url: `${server.url}/v3/x`, json: {}, retry: false})
      expect(res.status).to.equal(200)
      expect(server.requests).to.have.length(3)
      expect(tokens.renewals).to.equal(1)
      expect(sleeper.waits).to.deep.equal([2000])
      expect(transport.stats.retries).to.equal(0)
    })

    it('a 5xx after the last attempt is API_UNAVAILABLE, exit 5, one line naming the request', async () => {
      server.handle(ccError(503, 'CF-ServiceUnavailable', 10015, 'down'))
      const err = await failure(transport.request({method: 'GET', url: `${server.url}/v3/apps`}))
      expect(err.code).to.equal('API_UNAVAILABLE')
      expect(err.exitCode).to.equal(5)
      expect(err.message).to.contain('GET /v3/apps returned 503 after 3 attempts')
      expect(err.message).not.to.contain('\n')
    })

    it('the UAA token POST is retried on 503, a plain POST is not', async () => {
      server.handle((r, res) =>
        server.requests.length < 3 ? raw(res, 503, 'busy') : json(res, 200, {access_token: 'x'}),
      )
      const res = await transport.request({
        method: 'POST',
        url: `${server.url}/oauth/token`,
        form: {grant_type: 'x'},
        auth: 'none',
        tokenGrant: true,
      })
      expect(res.status).to.equal(200)
      expect(server.requests).to.have.length(3)
      expect(transport.stats.tokenRequests).to.equal(3)
    })

    it('backs off exponentially with full jitter', async () => {
      server.handle(ccError(502, 'x', 1, 'x'))
      await failure(transport.request({method: 'GET', url: `${server.url}/v3/x`}))
      // random() = 0.5: half of 500 ms, then half of 1000 ms
      expect(sleeper.waits).to.deep.equal([250, 500])
    })

    it('retries a GET whose connection was reset, never a POST', async () => {
      server.handle((r, res) => {
        if (server.requests.length === 1) res.socket?.destroy()
        else json(res, 200, {ok: 1})
      })
      const ok = await transport.request<{ok: number}>({method: 'GET', url: `${server.url}/v3/x`})
      expect(ok.data.ok).to.equal(1)
      expect(server.requests).to.have.length(2)

      server.requests.length = 0
      const err = await failure(transport.request({method: 'POST', url: `${server.url}/v3/x`, json: {}}))
      expect(err.code).to.equal('API_UNAVAILABLE')
      expect(server.requests).to.have.length(1)
    })

    it('stops retrying when the per-run budget is spent', async () => {
      transport.close()
      const {RetryBudget} = await import('../../../../src/cf/http/retry.js')
      transport = make({retryBudget: new RetryBudget(10, 5, 10)})
      server.handle(ccError(503, 'x', 1, 'x'))
      await failure(transport.request({method: 'GET', url: `${server.url}/a`}))
      await failure(transport.request({method: 'GET', url: `${server.url}/b`}))
      // 2 retries paid for by the first request; the second request gets none
      expect(server.requests).to.have.length(4)
    })
  })

  describe('429', () => {
    it('waits as long as Retry-After says (seconds), for a POST too', async () => {
      server.handle((r, res) =>
        server.requests.length === 1
          ? raw(
              res,
              429,
              JSON.stringify({errors: [{code: 10013, title: 'CF-RateLimitExceeded', detail: 'x'}]}),
              {
                'Content-Type': 'text/plain; charset=utf-8',
                'Retry-After': '7',
              },
            )
          : json(res, 201, {guid: 'g'}),
      )
      const res = await transport.request<{guid: string}>({
        method: 'POST',
        url: `${server.url}/v3/x`,
        json: {},
      })
      expect(res.data.guid).to.equal('g')
      expect(sleeper.waits).to.deep.equal([7000])
      expect(transport.stats.rateLimitWaits).to.equal(1)
    })

    it('understands Retry-After as an HTTP date and X-RateLimit-Reset as epoch seconds', async () => {
      const now = Date.parse('2026-11-28T20:00:00Z')
      server.handle((r, res) => {
        const n = server.requests.length
        if (n === 1) raw(res, 429, '{}', {'Retry-After': new Date(now + 12_000).toUTCString()})
        else if (n === 2) raw(res, 429, '{}', {'X-RateLimit-Reset': String(now / 1000 + 3)})
        else json(res, 200, {})
      })
      await transport.request({method: 'GET', url: `${server.url}/v3/x`})
      expect(sleeper.waits).to.deep.equal([12_000, 3000])
    })

    it('fails with exit 5 instead of sleeping past CFGUARD_MAX_RETRY_WAIT', async () => {
      server.handle((_r, res) =>
        raw(res, 429, JSON.stringify({errors: [{code: 10013, title: 'CF-RateLimitExceeded', detail: 'x'}]}), {
          'Content-Type': 'text/plain',
          'Retry-After': '3600',
        }),
      )
      const err = await failure(transport.request({method: 'GET', url: `${server.url}/v3/apps`}))
      expect(err.code).to.equal('RATE_LIMITED')
      expect(err.exitCode).to.equal(5)
      expect(err.message).to.contain('CF-RateLimitExceeded').and.contain('3600 s')
      expect(err.suggestions.join(' ')).to.contain('2026-11-28T21:00:00.000Z')
      expect(sleeper.waits).to.deep.equal([])
    })
  })

  describe('authentication', () => {
    it('sends the bearer token to trusted origins', async () => {
      await transport.request({method: 'GET', url: `${server.url}/v3/x`})
      expect(server.requests[0]?.headers.authorization).to.equal(`bearer ${tokens.token}`)
    })

    it('replays once with a renewed token after 401 CF-InvalidAuthToken', async () => {
      server.handle((r, res) =>
        r.headers.authorization === 'bearer token-one-aaaaaaaaaaaa'
          ? ccError(401, 'CF-InvalidAuthToken', 1000, 'Invalid Auth Token')(r, res)
          : json(res, 200, {ok: true}),
      )
      await transport.request({method: 'GET', url: `${server.url}/v3/x`})
      expect(tokens.renewals).to.equal(1)
      expect(tokens.rejected).to.deep.equal(['token-one-aaaaaaaaaaaa'])
      expect(server.requests.map((r) => r.headers.authorization)).to.deep.equal([
        'bearer token-one-aaaaaaaaaaaa',
        'bearer token-renewed-1-bbbbbbbb',
      ])
    })

    it('a second 401 is TOKEN_EXPIRED, exit 4, with the command to run', async () => {
      server.handle(ccError(401, 'CF-InvalidAuthToken', 1000, 'Invalid Auth Token'))
      const err = await failure(transport.request({method: 'POST', url: `${server.url}/v3/x`, json: {}}))
      expect(err.code).to.equal('TOKEN_EXPIRED')
      expect(err.exitCode).to.equal(4)
      expect(err.suggestions.join(' ')).to.contain('cfguard login')
      expect(server.requests).to.have.length(2)
      expect(tokens.renewals).to.equal(1)
    })

    it('never sends the token to a host that is not one of the foundation endpoints', async () => {
      const err = await failure(transport.request({method: 'GET', url: `${other.url}/v3/x`}))
      expect(err.code).to.equal('BAD_RESPONSE')
      expect(other.requests).to.have.length(0)
    })

    it('follows a redirect to another host without the Authorization header', async () => {
      server.handle((_r, res) => raw(res, 302, '', {Location: `${other.url}/blob?sig=1`}))
      other.handle((_r, res) => json(res, 200, {blob: true}))
      const res = await transport.request<{blob: boolean}>({
        method: 'GET',
        url: `${server.url}/v3/droplets/d/download`,
      })
      expect(res.data.blob).to.equal(true)
      expect(other.requests).to.have.length(1)
      expect(other.requests[0]?.headers.authorization).to.equal(undefined)
      expect(other.requests[0]?.headers.cookie).to.equal(undefined)
    })

    it('keeps the token on a same-origin redirect, refuses to redirect a write', async () => {
      server.handle((r, res) =>
        r.path === '/old' ? raw(res, 301, '', {Location: '/new'}) : json(res, 200, {}),
      )
      await transport.request({method: 'GET', url: `${server.url}/old`})
      expect(server.requests[1]?.headers.authorization).to.match(/^bearer /)
      const err = await failure(transport.request({method: 'POST', url: `${server.url}/old`, json: {}}))
      expect(err.code).to.equal('BAD_RESPONSE')
    })

    it('sends Basic auth when asked, to any host (token endpoints of other IdPs)', async () => {
      await transport.request({
        method: 'POST',
        url: `${other.url}/oauth/token`,
        form: {grant_type: 'client_credentials'},
        auth: {basic: {username: 'cf', password: ''}},
      })
      expect(other.requests[0]?.headers.authorization).to.equal(
        `Basic ${Buffer.from('cf:').toString('base64')}`,
      )
    })
  })

  describe('errors', () => {
    it('maps 403 CF-NotAuthorized to FORBIDDEN (exit 4) and keeps the CC title', async () => {
      server.handle(
        ccError(403, 'CF-NotAuthorized', 10003, 'You are not authorized to perform the requested action'),
      )
      const err = await failure(transport.request({method: 'GET', url: `${server.url}/v3/apps/g/env`}))
      expect(err.code).to.equal('FORBIDDEN')
      expect(err.exitCode).to.equal(4)
      expect(err).to.be.instanceOf(ApiError)
      expect((err as ApiError).hasTitle('CF-NotAuthorized')).to.equal(true)
      expect(err.message).to.equal(
        'not authorized: GET /v3/apps/g/env (CF-NotAuthorized: You are not authorized to perform the requested action)',
      )
    })

    it('maps 404 to NOT_FOUND and 422 to UNPROCESSABLE with the CC detail', async () => {
      server.handle(ccError(404, 'CF-ResourceNotFound', 10010, 'App not found'))
      expect(
        (await failure(transport.request({method: 'GET', url: `${server.url}/v3/apps/x`}))).code,
      ).to.equal('NOT_FOUND')
      server.handle(
        ccError(422, 'CF-UnprocessableEntity', 10008, 'The app is already bound to the service instance'),
      )
      const err = await failure(
        transport.request({method: 'POST', url: `${server.url}/v3/service_credential_bindings`, json: {}}),
      )
      expect(err.code).to.equal('UNPROCESSABLE')
      expect(err.message).to.contain('The app is already bound to the service instance')
    })

    it('an HTML page instead of JSON is BAD_RESPONSE, exit 5, one line', async () => {
      server.handle((_r, res) =>
        raw(res, 200, '<!DOCTYPE html><html><body>login</body></html>', {'Content-Type': 'text/html'}),
      )
      const err = await failure(transport.request({method: 'GET', url: `${server.url}/`}))
      expect(err.code).to.equal('BAD_RESPONSE')
      expect(err.exitCode).to.equal(5)
      expect(err.message).to.contain('an HTML page instead of JSON')
    })

    it('truncated JSON is BAD_RESPONSE', async () => {
      server.handle((_r, res) =>
        raw(res, 200, '{"resources": [{"guid": "a"', {'Content-Type': 'application/json'}),
      )
      const err = await failure(transport.request({method: 'GET', url: `${server.url}/v3/apps`}))
      expect(err.code).to.equal('BAD_RESPONSE')
      expect(err.message).to.contain('truncated or malformed JSON')
    })

    it('refuses plain http to a host that is not loopback (INSECURE_URL, exit 2) before any I/O', async () => {
      const err = await failure(
        transport.request({method: 'GET', url: 'http://api.example.com/', auth: 'none'}),
      )
      expect(err.code).to.equal('INSECURE_URL')
      expect(err.exitCode).to.equal(2)
    })

    it('a refused connection is API_UNAVAILABLE with a next step', async () => {
      const port = new URL(other.url).port
      await other.close()
      const err = await failure(
        transport.request({method: 'POST', url: `http://127.0.0.1:${port}/`, auth: 'none', json: {}}),
      )
      expect(err.code).to.equal('API_UNAVAILABLE')
      expect(err.message).to.contain('connection refused')
      other = await startLoopback()
    })
  })

  describe('cancellation (the run signal)', () => {
    /** Like the CLI's sleep: listens on the signal it is given. Resolves once `count` are waiting. */
    function barrierSleep(count: number, run: AbortSignal, onWaiting: (n: number) => void = () => {}) {
      const waiting: (() => void)[] = []
      let mostRunListeners = 0
      const sleep = (_ms: number, signal?: AbortSignal) =>
        new Promise<void>((resolve, reject) => {
          const onAbort = () => reject(new CfguardError('INTERRUPTED', 'interrupted'))
          signal?.addEventListener('abort', onAbort, {once: true})
          mostRunListeners = Math.max(mostRunListeners, getEventListeners(run, 'abort').length)
          waiting.push(() => {
            signal?.removeEventListener('abort', onAbort)
            resolve()
          })
          onWaiting(waiting.length)
          if (waiting.length === count) for (const go of waiting.splice(0)) go()
        })
      return {sleep, mostRunListeners: () => mostRunListeners}
    }

    it('200 requests waiting at once on one signal: one listener on it, no MaxListenersExceededWarning', async () => {
      const run = new AbortController()
      const warned: string[] = []
      const onWarning = (w: Error) => warned.push(w.name)
      process.on('warning', onWarning)
      const answered = new Set<string>()
      server.handle((r, res) => {
        const n = String(r.headers['x-n'])
        if (answered.has(n)) return json(res, 200, {n})
        answered.add(n)
        raw(res, 429, '{}', {'Retry-After': '1'})
      })
      const barrier = barrierSleep(200, run.signal)
      const t = createTransport({signal: run.signal, sleep: barrier.sleep})
      t.trust({cc: server.url})
      try {
        const results = await Promise.all(
          Array.from({length: 200}, (_, i) =>
            t.request<{n: string}>({
              method: 'GET',
              url: `${server.url}/v3/x`,
              headers: {'x-n': String(i)},
              auth: 'none',
            }),
          ),
        )
        await new Promise((resolve) => setImmediate(resolve)) // warnings are emitted on the next tick
        expect(warned).to.deep.equal([])
        expect(results.map((r) => r.data.n)).to.deep.equal(Array.from({length: 200}, (_, i) => String(i)))
        expect(t.stats.rateLimitWaits).to.equal(200)
        expect(barrier.mostRunListeners()).to.equal(1)
        expect(getEventListeners(run.signal, 'abort')).to.have.length(0)
      } finally {
        process.off('warning', onWarning)
        t.close()
      }
    })

    it('aborting the run interrupts every wait (429 Retry-After) and leaves no listener', async () => {
      const run = new AbortController()
      server.handle((_r, res) => raw(res, 429, '{}', {'Retry-After': '30'}))
      let release: () => void = () => {}
      const allWaiting = new Promise<void>((resolve) => (release = resolve))
      const barrier = barrierSleep(Infinity, run.signal, (n) => n === 30 && release())
      const t = createTransport({signal: run.signal, sleep: barrier.sleep})
      t.trust({cc: server.url})
      try {
        const pending = Array.from({length: 30}, () =>
          failure(t.request({method: 'POST', url: `${server.url}/v3/x`, json: {}, auth: 'none'})),
        )
        await allWaiting
        expect(getEventListeners(run.signal, 'abort')).to.have.length(1)
        run.abort()
        const errors = await Promise.all(pending)
        expect(errors.map((e) => e.code)).to.deep.equal(Array(30).fill('INTERRUPTED'))
        expect(getEventListeners(run.signal, 'abort')).to.have.length(0)
        expect(server.requests).to.have.length(30)
      } finally {
        t.close()
      }
    })

    it('aborting the run interrupts every request in flight (sent or waiting for a socket), and leaves no listener', async () => {
      const run = new AbortController()
      let arrived = 0
      let release: () => void = () => {}
      const allArrived = new Promise<void>((resolve) => (release = resolve))
      // 16 requests reach the server (the agent's sockets) and get no answer; 4 wait for a socket.
      server.handle(() => {
        if (++arrived === 16) release()
      })
      const t = createTransport({signal: run.signal})
      t.trust({cc: server.url})
      try {
        const pending = Array.from({length: 20}, () =>
          failure(t.request({method: 'GET', url: `${server.url}/v3/x`, auth: 'none'})),
        )
        await allArrived
        expect(getEventListeners(run.signal, 'abort')).to.have.length(1)
        run.abort()
        const errors = await Promise.all(pending)
        expect(errors.map((e) => e.code)).to.deep.equal(Array(20).fill('INTERRUPTED'))
        expect(getEventListeners(run.signal, 'abort')).to.have.length(0)
        // A request after the abort is not sent at all.
        expect(
          (await failure(t.request({method: 'GET', url: `${server.url}/v3/x`, auth: 'none'}))).code,
        ).to.equal('INTERRUPTED')
        expect(arrived).to.equal(16)
      } finally {
        t.close()
      }
    })
  })

  describe('observations', () => {
    it('decodes X-Cf-Warnings (repeated, form-encoded) into the warnings sink, once each', async () => {
      server.handle((_r, res) => {
        res.setHeader('X-Cf-Warnings', ['Space+quota+is+almost+full', 'Key%2C+with+comma'])
        json(res, 200, {})
      })
      await transport.request({method: 'GET', url: `${server.url}/v3/x`})
      await transport.request({method: 'GET', url: `${server.url}/v3/x`})
      expect(warnings).to.deep.equal(['Space quota is almost full', 'Key, with comma'])
      expect(transport.stats.warnings).to.deep.equal(warnings)
    })

    it('counts requests and exposes X-RateLimit-Remaining to listeners', async () => {
      const seen: (number | null)[] = []
      transport.onRateLimit((s) => seen.push(s.remaining))
      server.handle((_r, res) =>
        json(
          res,
          200,
          {},
          {
            'X-RateLimit-Limit': '2000',
            'X-RateLimit-Remaining': String(2000 - server.requests.length * 200),
            'X-RateLimit-Reset': '1800000000',
          },
        ),
      )
      await transport.request({method: 'GET', url: `${server.url}/v3/x`})
      await transport.request({method: 'GET', url: `${server.url}/v3/x`})
      expect(transport.stats.requests).to.equal(2)
      expect(seen).to.deep.equal([1800, 1600])
      expect(transport.rateLimit?.limit).to.equal(2000)
      expect(transport.rateLimit?.resetAt?.toISOString()).to.equal('2027-01-15T08:00:00.000Z')
    })
  })
})
