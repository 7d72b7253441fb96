import {expect} from 'chai'

import {Builder} from '../../src/sim/index.js'
import {Api, ccAs, useSimulator, withSimulator} from '../helpers/sim.js'

interface Envelope {
  timestamp: string
  source_id: string
  instance_id: string
  tags: Record<string, string>
  log?: {payload: string; type: string}
  gauge?: unknown
}

describe('contract: policy server (§9)', () => {
  const ctx = useSimulator({})
  let apps: {a: string; b: string}

  before(() => {
    const s = ctx.sim.state
    const b = new Builder(s)
    const dev = [...s.spaces.all()].find((x) => x.name === 'dev')!
    const a = b.app({space: dev, name: 'frontend'})
    const c = b.app({space: dev, name: 'backend'})
    b.networkPolicy(a, c, 8080)
    apps = {a: a.guid, b: c.guid}
  })

  it('lists v1 policies for network.admin, filtered by id / source_id / dest_id', async () => {
    const api = new Api(`${ctx.sim.apiUrl}/networking/v1/external`, await ctx.sim.tokenFor('admin'))
    const res = await api.get('/policies')
    expect(res.status).to.equal(200)
    expect(res.json).to.deep.equal({
      total_policies: 1,
      policies: [
        {source: {id: apps.a}, destination: {id: apps.b, protocol: 'tcp', ports: {start: 8080, end: 8080}}},
      ],
    })
    expect((await api.get(`/policies?id=${apps.b}`)).json.total_policies).to.equal(1)
    expect((await api.get(`/policies?source_id=${apps.b}`)).json.total_policies).to.equal(0)
    const v0 = new Api(`${ctx.sim.apiUrl}/networking/v0/external`, api.token)
    expect((await v0.get('/policies')).json.policies[0].destination.port).to.equal(8080)
  })

  it('creates and deletes policies', async () => {
    const api = new Api(`${ctx.sim.apiUrl}/networking/v1/external`, await ctx.sim.tokenFor('adminClient'))
    const policy = {
      source: {id: apps.b},
      destination: {id: apps.a, protocol: 'udp', ports: {start: 53, end: 53}},
    }
    expect((await api.post('/policies', {policies: [policy]})).status).to.equal(200)
    expect((await api.get('/policies')).json.total_policies).to.equal(2)
    expect((await api.post('/policies/delete', {policies: [policy]})).status).to.equal(200)
    expect((await api.get('/policies')).json.total_policies).to.equal(1)
    expect(
      (
        await api.post('/policies', {
          policies: [
            {source: {id: 'x'}, destination: {id: 'y', protocol: 'icmp', ports: {start: 1, end: 1}}},
          ],
        })
      ).status,
    ).to.equal(400)
  })

  it('a token without network.admin or network.write gets 403 (space auditor); no token 401', async () => {
    const auditor = new Api(
      `${ctx.sim.apiUrl}/networking/v1/external`,
      await ctx.sim.tokenFor('spaceAuditor'),
    )
    const res = await auditor.get('/policies')
    expect(res.status).to.equal(403)
    expect(res.json.error).to.match(/network\.admin network\.write/)
    expect((await new Api(`${ctx.sim.apiUrl}/networking/v1/external`).get('/policies')).status).to.equal(401)
  })
})

describe('contract: Log Cache and Gorouter access logs (§10)', () => {
  const ctx = useSimulator({})
  let appGuid: string
  let api: Api

  before(async () => {
    const s = ctx.sim.state
    const b = new Builder(s)
    const dev = [...s.spaces.all()].find((x) => x.name === 'dev')!
    const domain = [...s.domains.all()].find((d) => d.name === 'apps.cfguard.test')!
    const app = b.app({space: dev, name: 'shop', instances: 2})
    b.map(b.route(dev, domain, 'shop'), app)
    b.start(app, 3600_000)
    appGuid = app.guid
    ctx.sim.traffic.set('shop', {
      requestsPerInstance: 40,
      instanceWeights: [1, 5],
      olderFormatLines: 3,
      truncatedLines: 1,
    })
    api = new Api(ctx.sim.logCacheUrl, await ctx.sim.tokenFor('spaceAuditor'))
  })

  const readAll = async (query = 'envelope_types=LOG&limit=1000') =>
    (await api.get(`/api/v1/read/${appGuid}?${query}`)).json.envelopes.batch as Envelope[]
  const decode = (e: Envelope) => Buffer.from(e.log!.payload, 'base64').toString('utf8')

  it('/api/v1/info answers with a version', async () => {
    expect((await api.get('/api/v1/info')).json).to.have.property('version')
  })

  it('serves RTR LOG envelopes: instance_id is the router index, the line carries app_index and instance_id', async () => {
    const rtr = (await readAll()).filter((e) => e.tags.source_type === 'RTR')
    expect(rtr.length).to.equal(40 + 200)
    for (const e of rtr) {
      expect(e.source_id).to.equal(appGuid)
      expect(e.timestamp).to.match(/^\d{19}$/)
      expect(['0', '1', '2']).to.include(e.instance_id)
      expect(e.log!.type).to.equal('OUT')
    }
    const stats = (await (await ccAs(ctx.sim, 'admin')).get(`/v3/apps/${appGuid}/processes/web/stats`)).json
      .resources
    const lines = rtr.map(decode)
    const full = lines.find((l) => l.includes('gorouter_time:'))!
    expect(full).to.match(
      /^shop\.apps\.cfguard\.test - \[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z\] "(GET|POST) \S+ HTTP\/1\.1" \d{3} \d+ \d+ "-" "[^"]+" "[^"]+" "[^"]+" x_forwarded_for:"[^"]+" x_forwarded_proto:"https" vcap_request_id:"[0-9a-f-]+" response_time:\d+\.\d+ gorouter_time:\d+\.\d+ app_id:"[0-9a-f-]+" app_index:"\d" instance_id:"[0-9a-f-]+" x_cf_routererror:"[^"]+"$/,
    )
    const index = Number(/app_index:"(\d)"/.exec(full)![1])
    const instanceId = /instance_id:"([^"]+)"/.exec(full)![1]
    const backend = / "([\d.]+:\d+)" x_forwarded_for/.exec(full)![1]
    const stat = stats.find((x: {index: number}) => x.index === index)
    expect(instanceId).to.equal(stat.instance_guid)
    expect(backend).to.equal(`${stat.host}:${stat.instance_ports[0].external}`)
  })

  it('plants an imbalanced instance, older-format lines and a truncated line', async () => {
    const lines = (await readAll()).filter((e) => e.tags.source_type === 'RTR').map(decode)
    const perIndex = [0, 0]
    for (const l of lines) {
      const m = /app_index:"(\d)"/.exec(l)
      if (m) perIndex[Number(m[1])]! += 1
    }
    expect(perIndex[1]).to.be.greaterThan(perIndex[0]! * 3)
    const older = lines.filter(
      (l) => / app_index:"\d"/.test(l) && !l.includes('gorouter_time:') && l.endsWith('"'),
    )
    expect(older).to.have.length(3)
    expect(older.every((l) => !l.includes('instance_id:'))).to.equal(true)
    const truncated = lines.filter((l) => !l.includes('x_cf_routererror:'))
    expect(truncated).to.have.length(1)
  })

  it('honours envelope_types, start_time/end_time (ns), limit ≤ 1000 and descending', async () => {
    const gauges = await readAll('envelope_types=GAUGE')
    expect(gauges).to.have.length(2)
    expect(gauges.every((e) => e.gauge !== undefined && e.tags.process_id)).to.equal(true)
    const asc = await readAll('envelope_types=LOG&limit=10')
    expect(asc).to.have.length(10)
    const ts = asc.map((e) => BigInt(e.timestamp))
    expect(ts.every((t, i) => i === 0 || t >= ts[i - 1]!)).to.equal(true)
    const desc = await readAll('envelope_types=LOG&limit=10&descending=true')
    expect(BigInt(desc[0]!.timestamp) >= BigInt(desc[9]!.timestamp)).to.equal(true)
    const window = await readAll(`envelope_types=LOG&limit=1000&start_time=${ts[2]}&end_time=${ts[5]}`)
    expect(window.every((e) => BigInt(e.timestamp) >= ts[2]! && BigInt(e.timestamp) < ts[5]!)).to.equal(true)
    expect((await api.get(`/api/v1/read/${appGuid}?limit=1001`)).status).to.equal(400)
    const meta = await api.get('/api/v1/meta')
    expect(meta.json.meta[appGuid].count).to.match(/^\d+$/)
  })

  it('needs a token that can see the app', async () => {
    expect((await new Api(ctx.sim.logCacheUrl).get(`/api/v1/read/${appGuid}`)).status).to.equal(401)
    const s = ctx.sim.state
    const b = new Builder(s)
    const other = b.space([...s.orgs.all()][0]!, 'hidden')
    const hidden = b.app({space: other, name: 'hidden'})
    expect((await api.get(`/api/v1/read/${hidden.guid}`)).status).to.equal(404)
    const admin = new Api(ctx.sim.logCacheUrl, await ctx.sim.tokenFor('adminClient'))
    expect((await admin.get(`/api/v1/read/${hidden.guid}`)).status).to.equal(200)
  })
})

describe('contract: Log Cache lines are history fixed at the first read', () => {
  it('a run a minute later still finds every line in its default 15 min window', async () => {
    await withSimulator({}, async (sim) => {
      const s = sim.state
      const b = new Builder(s)
      const dev = [...s.spaces.all()].find((x) => x.name === 'dev')!
      const domain = [...s.domains.all()].find((d) => d.name === 'apps.cfguard.test')!
      const app = b.app({space: dev, name: 'shop', instances: 2})
      b.map(b.route(dev, domain, 'shop'), app)
      b.start(app, 3600_000)
      sim.traffic.set('shop', {requestsPerInstance: 100, truncatedLines: 1})
      const api = new Api(sim.logCacheUrl, await sim.tokenFor('spaceAuditor'))
      const read = async (query = '') =>
        (
          (await api.get(`/api/v1/read/${app.guid}?envelope_types=LOG&limit=1000${query}`)).json.envelopes
            .batch as Envelope[]
        ).filter((e) => e.tags.source_type === 'RTR')
      const first = await read()
      // The next run starts a minute later (simulated) and reads its last 15 minutes.
      sim.clock.advance(60_000)
      const since = (BigInt(sim.clock.now().getTime()) - 900_000n) * 1_000_000n
      const later = await read(`&start_time=${since}`)
      expect(first).to.have.length(200)
      expect(later.length).to.equal(first.length, "lines fell out of the later run's window")
    })
  })
})
