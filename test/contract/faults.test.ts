import {expect} from 'chai'

import {Api, ccAs, http, useSimulator} from '../helpers/sim.js'

describe('contract: fault injection', () => {
  const ctx = useSimulator({seed: 3}, {each: true})

  it('failNth status: the Nth matching call fails without changing state', async () => {
    const admin = await ccAs(ctx.sim, 'admin')
    const space = (await admin.get('/v3/spaces?names=dev')).json.resources[0].guid
    ctx.sim.faults.failNth({method: 'POST', path: '/v3/apps', nth: 2, mode: 'status', status: 503})
    expect(
      (await admin.post('/v3/apps', {name: 'one', relationships: {space: {data: {guid: space}}}})).status,
    ).to.equal(201)
    const failed = await admin.post('/v3/apps', {name: 'two', relationships: {space: {data: {guid: space}}}})
    expect(failed.status).to.equal(503)
    expect(failed.headers.get('x-cf-routererror')).to.equal('no_endpoints')
    expect((await admin.get('/v3/apps?names=two')).json.resources).to.have.length(0)
    expect(
      (await admin.post('/v3/apps', {name: 'three', relationships: {space: {data: {guid: space}}}})).status,
    ).to.equal(201)
    expect(ctx.sim.faults.pending()).to.equal(0)
  })

  it('failNth cut: the request is served (state changes) but the connection dies mid-response', async () => {
    const uaa = new Api(ctx.sim.uaaUrl, await ctx.sim.tokenFor('adminClient'))
    await uaa.post('/oauth/clients', {
      client_id: 'rot',
      client_secret: 'a',
      authorized_grant_types: ['client_credentials'],
    })
    ctx.sim.faults.failNth({method: 'PUT', path: /^\/oauth\/clients\/[^/]+\/secret$/, nth: 1, mode: 'cut'})
    let error: unknown = null
    try {
      await uaa.put('/oauth/clients/rot/secret', {secret: 'b', changeMode: 'ADD'})
    } catch (err) {
      error = err
    }
    expect(error).to.be.instanceOf(Error)
    expect(ctx.sim.uaaAccepts('rot', 'b')).to.equal(true, 'the secret was added before the cut')
    const cut = ctx.sim.requests.find((r) => r.method === 'PUT')!
    expect(cut).to.deep.include({origin: 'uaa', status: 0, path: '/oauth/clients/rot/secret'})
  })

  it('burst429 answers 429 with Retry-After and a CC body, then serves again', async () => {
    const admin = await ccAs(ctx.sim, 'admin')
    ctx.sim.faults.set({burst429: {count: 2, retryAfterSeconds: 7}, origins: ['cc']})
    for (let i = 0; i < 2; i++) {
      const res = await admin.get('/v3/apps')
      expect(res.status).to.equal(429)
      expect(res.headers.get('retry-after')).to.equal('7')
      expect(JSON.parse(res.text).errors[0].title).to.equal('CF-RateLimitExceeded')
    }
    expect((await admin.get('/v3/apps')).status).to.equal(200)
  })

  it('dropRate destroys connections; errorRate answers 500/502/503; both reproducible per seed', async () => {
    const outcomes = async () => {
      const out: string[] = []
      for (let i = 0; i < 12; i++) {
        try {
          out.push(String((await http('GET', `${ctx.sim.apiUrl}/v3/info`)).status))
        } catch {
          out.push('dropped')
        }
      }
      return out
    }
    ctx.sim.faults.set({dropRate: 0.3, errorRate: 0.3})
    const first = await outcomes()
    expect(first).to.include('dropped')
    expect(first.some((s) => ['500', '502', '503'].includes(s))).to.equal(true)
    ctx.sim.faults.clear()
    expect(await outcomes()).to.deep.equal(Array(12).fill('200'))

    const {startSimulator} = await import('../../src/sim/index.js')
    const twin = await startSimulator({seed: 3})
    try {
      twin.faults.set({dropRate: 0.3, errorRate: 0.3})
      const again: string[] = []
      for (let i = 0; i < 12; i++) {
        try {
          again.push(String((await http('GET', `${twin.apiUrl}/v3/info`)).status))
        } catch {
          again.push('dropped')
        }
      }
      expect(again).to.deep.equal(first)
    } finally {
      await twin.stop()
    }
  })

  it('latency and stalls delay answers; requests are recorded and resettable', async () => {
    ctx.sim.resetRequests()
    ctx.sim.faults.set({latencyMs: 5, stallRate: 1, stallMs: 5})
    const res = await http('GET', `${ctx.sim.apiUrl}/v3/info`)
    expect(res.status).to.equal(200)
    expect(ctx.sim.requests).to.have.length(1)
    expect(ctx.sim.requests[0]).to.deep.include({
      origin: 'cc',
      method: 'GET',
      path: '/v3/info',
      query: '',
      status: 200,
    })
    ctx.sim.resetRequests()
    expect(ctx.sim.requests).to.have.length(0)
  })
})

describe('contract: CC rate limiting (§2.6)', () => {
  const ctx = useSimulator({rateLimit: {limit: 10, resetSeconds: 60}}, {each: true})

  it('sends X-RateLimit headers rounded to 10% steps, then 429 with Retry-After and a JSON body labelled text/plain', async () => {
    const api = await ccAs(ctx.sim, 'spaceDeveloper')
    const info = await http('GET', `${ctx.sim.apiUrl}/v3/info`)
    expect(info.json.rate_limits).to.deep.equal({
      enabled: true,
      general_limit: 10,
      reset_interval_in_minutes: 1,
    })
    expect(info.headers.get('x-ratelimit-limit')).to.equal('10')
    const root = await http('GET', `${ctx.sim.apiUrl}/`)
    expect(root.headers.has('x-ratelimit-limit')).to.equal(false)
    const remaining: string[] = []
    for (let i = 0; i < 9; i++) {
      const res = await api.get('/v3/apps')
      expect(res.status).to.equal(200)
      remaining.push(res.headers.get('x-ratelimit-remaining')!)
      expect(Number(res.headers.get('x-ratelimit-reset'))).to.be.greaterThan(Date.now() / 1000)
    }
    expect(remaining).to.deep.equal(['9', '8', '7', '6', '5', '4', '3', '2', '1'])
    expect((await api.get('/v3/apps')).status).to.equal(200)
    const limited = await api.get('/v3/apps')
    expect(limited.status).to.equal(429)
    expect(limited.headers.get('content-type')).to.equal('text/plain; charset=utf-8')
    expect(JSON.parse(limited.text).errors[0]).to.deep.include({title: 'CF-RateLimitExceeded', code: 10013})
    expect(Number(limited.headers.get('retry-after'))).to.be.within(1, 60)
    expect(limited.headers.get('x-ratelimit-remaining')).to.equal('0')
    ctx.sim.clock.advance(61_000)
    expect((await api.get('/v3/apps')).status).to.equal(200)
  })

  it('counts unauthenticated callers by IP (CF-IPBasedRateLimitExceeded)', async () => {
    let last = await http('GET', `${ctx.sim.apiUrl}/v3/apps`)
    for (let i = 0; i < 10; i++) last = await http('GET', `${ctx.sim.apiUrl}/v3/apps`)
    expect(last.status).to.equal(429)
    expect(JSON.parse(last.text).errors[0].title).to.equal('CF-IPBasedRateLimitExceeded')
  })
})
