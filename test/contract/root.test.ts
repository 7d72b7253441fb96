import {expect} from 'chai'

import {Api, http, useSimulator} from '../helpers/sim.js'

describe('contract: root discovery (§1)', () => {
  const ctx = useSimulator({ccVersion: '3.228.0'})

  it('GET / links CC v3 with its version, the login/uaa origin, the policy server and Log Cache', async () => {
    const res = await http('GET', `${ctx.sim.apiUrl}/`)
    expect(res.status).to.equal(200)
    const links = res.json.links
    expect(links.self.href).to.equal(ctx.sim.apiUrl)
    expect(links.cloud_controller_v3).to.deep.equal({
      href: `${ctx.sim.apiUrl}/v3`,
      meta: {version: '3.228.0'},
    })
    expect(links.login.href).to.equal(ctx.sim.uaaUrl)
    expect(links.uaa.href).to.equal(ctx.sim.uaaUrl)
    expect(links.network_policy_v1.href).to.equal(`${ctx.sim.apiUrl}/networking/v1/external`)
    expect(links.log_cache.href).to.equal(ctx.sim.logCacheUrl)
    expect(links.credhub).to.equal(null)
    expect(links).to.have.property('routing')
    expect(new URL(ctx.sim.apiUrl).hostname).to.equal('127.0.0.1')
  })

  it('GET /v3 lists the resource links (route_policies is not among them)', async () => {
    const res = await http('GET', `${ctx.sim.apiUrl}/v3`)
    expect(res.status).to.equal(200)
    for (const key of [
      'apps',
      'audit_events',
      'deployments',
      'routes',
      'service_instances',
      'service_credential_bindings',
      'service_route_bindings',
      'spaces',
    ]) {
      expect(res.json.links[key].href).to.equal(`${ctx.sim.apiUrl}/v3/${key}`)
    }
    expect(res.json.links).to.not.have.property('route_policies')
  })

  it('GET /v3/info carries rate_limits and needs no token', async () => {
    const res = await http('GET', `${ctx.sim.apiUrl}/v3/info`)
    expect(res.status).to.equal(200)
    expect(res.json.rate_limits).to.deep.equal({
      enabled: false,
      general_limit: 2000,
      reset_interval_in_minutes: 60,
    })
    expect(res.json.links.self.href).to.equal(`${ctx.sim.apiUrl}/v3/info`)
    expect(res.json).to.include.keys('build', 'cli_version', 'osbapi_version')
  })

  it('a /v3 resource without a token is 401 CF-NotAuthenticated; a bad token is CF-InvalidAuthToken', async () => {
    const none = await http('GET', `${ctx.sim.apiUrl}/v3/apps`)
    expect(none.status).to.equal(401)
    expect(none.json.errors[0]).to.deep.include({title: 'CF-NotAuthenticated', code: 10002})
    const bad = await new Api(ctx.sim.apiUrl, 'not-a-jwt').get('/v3/apps')
    expect(bad.status).to.equal(401)
    expect(bad.json.errors[0]).to.deep.include({title: 'CF-InvalidAuthToken', code: 1000})
  })

  it('an expired token is rejected by CC once the simulated clock passes exp', async () => {
    const api = new Api(ctx.sim.apiUrl, await ctx.sim.tokenFor('admin'))
    expect((await api.get('/v3/apps')).status).to.equal(200)
    ctx.sim.clock.advance(1201 * 1000)
    const res = await api.get('/v3/apps')
    expect(res.status).to.equal(401)
    expect(res.json.errors[0].title).to.equal('CF-InvalidAuthToken')
  })

  it('an unknown path is 404 CF-NotFound', async () => {
    const api = new Api(ctx.sim.apiUrl, await ctx.sim.tokenFor('admin'))
    const res = await api.get('/v3/no_such_things')
    expect(res.status).to.equal(404)
    expect(res.json.errors[0]).to.deep.include({title: 'CF-NotFound', code: 10000})
  })
})

describe('contract: loopback only', () => {
  it('refuses a non-loopback host', async () => {
    const {startSimulator} = await import('../../src/sim/index.js')
    let message = ''
    try {
      await startSimulator({host: '0.0.0.0'})
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).to.match(/loopback only/)
  })

  it('serves on ::1 with bracketed URLs', async function () {
    const {startSimulator} = await import('../../src/sim/index.js')
    let sim
    try {
      sim = await startSimulator({host: '::1'})
    } catch {
      this.skip() // no IPv6 loopback on this machine
    }
    try {
      expect(sim!.apiUrl).to.match(/^http:\/\/\[::1\]:\d+$/)
      const res = await http('GET', `${sim!.apiUrl}/v3/info`)
      expect(res.status).to.equal(200)
    } finally {
      await sim?.stop()
    }
  })
})
