import {expect} from 'chai'

import {Api, ccAs, http, useSimulator} from '../helpers/sim.js'

/** Checks, through the API, that every plant of src/sim/scenarios/README.md is where it says. */
describe('demo scenario plants (src/sim/scenarios/README.md)', () => {
  const ctx = useSimulator({scenario: 'demo'})
  let cc: Api
  let uaa: Api
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Json = any
  const byName = new Map<string, Json>()

  before(async () => {
    cc = await ccAs(ctx.sim, 'admin')
    uaa = new Api(ctx.sim.uaaUrl, await ctx.sim.tokenFor('adminClient'))
    const spaces = (await cc.get('/v3/spaces?names=prod')).json.resources[0].guid
    for (const a of (await cc.get(`/v3/apps?per_page=5000&space_guids=${spaces}`)).json.resources)
      byName.set(a.name, a)
  })

  const app = (name: string) => {
    const a = byName.get(name)
    expect(a, `app ${name}`).to.not.equal(undefined)
    return a as Json
  }
  const ups = async (name: string) =>
    (await cc.get(`/v3/service_instances?names=${name}`)).json.resources as Json[]
  const creds = async (name: string) =>
    (await cc.get(`/v3/service_instances/${(await ups(name))[0].guid}/credentials`)).json
  const route = async (host: string, domain = 'apps.cfguard.test', path = '') => {
    const d = (await cc.get(`/v3/domains?names=${domain}`)).json.resources[0].guid
    const rs = (await cc.get(`/v3/routes?hosts=${host}&domain_guids=${d}`)).json.resources.filter(
      (r: Json) => r.path === path,
    )
    expect(rs, `route ${host}.${domain}${path}`).to.have.length(1)
    return rs[0] as Json
  }
  const grant = (id: string, secret: string) =>
    http('POST', `${ctx.sim.uaaUrl}/oauth/token`, {
      form: {grant_type: 'client_credentials', client_id: id, client_secret: secret},
    })
  const bindings = async (appName: string) =>
    (await cc.get(`/v3/service_credential_bindings?app_guids=${app(appName).guid}`)).json.resources as Json[]

  it('healthy credentials name the simulator UAA and a client that accepts the secret', async () => {
    const c = await creds('orders-oidc')
    expect(c.issuer).to.equal(`${ctx.sim.uaaUrl}/oauth/token`)
    expect((await grant(c.client_id, c.client_secret)).status).to.equal(200)
  })

  it('identity plants', async () => {
    expect(
      (await cc.get(`/v3/apps/${app('billing-api').guid}/environment_variables`)).json.var,
    ).to.have.property('CLIENT_SECRET')
    expect(app('payments-ui').metadata.labels).to.deep.equal({identity: 'required'})
    expect(await bindings('payments-ui')).to.have.length(0)
    expect(await bindings('orders-ui')).to.have.length(1)
    expect(await creds('inventory-oidc')).to.not.have.property('client_secret')
    const reporting = await ups('reporting-oidc')
    expect(new Set(reporting.map((s: Json) => s.relationships.space.data.guid)).size).to.equal(2)

    const crm = (await ups('legacy-crm-oidc'))[0]
    const crmEvents = (
      await cc.get(
        `/v3/audit_events?target_guids=${crm.guid}&types=audit.user_provided_service_instance.create,audit.user_provided_service_instance.update`,
      )
    ).json.resources
    const credentialChanges = crmEvents.filter((e: Json) => 'credentials' in (e.data.request ?? {}))
    expect(credentialChanges).to.have.length(1)
    expect(Date.now() - Date.parse(credentialChanges[0].created_at)).to.be.greaterThan(180 * 86_400_000)
    expect(Date.now() - Date.parse(crm.updated_at)).to.be.lessThan(4 * 86_400_000)

    const ledger = (await ups('ledger-oidc'))[0]
    const lastChange = (
      await cc.get(
        `/v3/audit_events?target_guids=${ledger.guid}&types=audit.user_provided_service_instance.update&order_by=-created_at`,
      )
    ).json.resources[0]
    const stats = (await cc.get(`/v3/apps/${app('ledger').guid}/processes/web/stats`)).json.resources
    for (const s of stats)
      expect(Date.now() - s.uptime * 1000).to.be.lessThan(Date.parse(lastChange.created_at))

    expect((await creds('legacy-sso')).issuer).to.equal('http://idp.legacy.invalid/oauth/token')
    const partner = await creds('partner-oidc')
    const discovery = await http('GET', `${partner.issuer}/.well-known/openid-configuration`)
    expect(discovery.status).to.equal(200)
    expect(discovery.json.issuer).to.not.equal(partner.issuer)

    const analytics = await creds('analytics-oidc')
    expect((await grant(analytics.client_id, analytics.client_secret)).json).to.deep.equal({
      error: 'unauthorized',
      error_description: 'Bad credentials',
    })
    const portal = await creds('portal-oidc')
    expect((await grant(portal.client_id, portal.client_secret)).json.error_description).to.equal(
      'Unauthorized grant type: client_credentials',
    )

    const old = (await ups('old-batch-oidc'))[0]
    expect(
      (await cc.get(`/v3/service_credential_bindings?service_instance_guids=${old.guid}`)).json.resources,
    ).to.have.length(0)
    const ops = (await uaa.get('/oauth/clients/ops-automation')).json
    expect(ops.authorities).to.include.members(['clients.admin', 'cloud_controller.admin'])
    const portalClient = (await uaa.get('/oauth/clients/portal')).json
    expect(portalClient.redirect_uri).to.deep.equal(['https://portal-login.apps.cfguard.test/callback'])
    expect((await cc.get('/v3/routes?hosts=portal-login')).json.resources).to.have.length(0)
  })

  it('route plants', async () => {
    expect((await route('old-landing')).destinations).to.have.length(0)
    expect(app('auth-proxy').state).to.equal('STOPPED')
    const portalRs = (
      await cc.get(`/v3/service_route_bindings?route_guids=${(await route('partner-portal')).guid}`)
    ).json.resources[0]
    expect(portalRs.route_service_url).to.equal('https://auth-proxy.apps.cfguard.test')
    const loopA = (await cc.get(`/v3/service_route_bindings?route_guids=${(await route('loop-a')).guid}`))
      .json.resources[0]
    expect(loopA.route_service_url).to.equal('https://loop-b.apps.cfguard.test')
    const checkout = (await cc.get(`/v3/apps/${app('checkout').guid}/processes/web/stats`)).json.resources
    expect(checkout.map((s: Json) => s.state)).to.deep.equal(['CRASHED', 'CRASHED'])
    expect((await route('grpc')).destinations.map((d: Json) => d.protocol).sort()).to.deep.equal([
      'http1',
      'http2',
    ])
    expect(
      (await cc.get(`/v3/apps/${app('legacy-monolith').guid}/processes/web`)).json.health_check.type,
    ).to.equal('process')
    await route('payments-core', 'apps.internal')
    await route('payments-core')
    await route('pricing', 'apps.internal')
    const policies = await new Api(`${ctx.sim.apiUrl}/networking/v1/external`, cc.token).get(
      `/policies?id=${app('pricing').guid}`,
    )
    expect(policies.json.total_policies).to.equal(0)
    await route('orders-api', 'apps.cfguard.test', '/actuator')
    expect((await route('sessions')).options).to.deep.equal({loadbalancing: 'hash'})
    expect((await route('search')).options.loadbalancing).to.not.equal(
      (await route('search-v2')).options.loadbalancing,
    )
    expect((await route('catalog')).options.loadbalancing).to.equal('least-connections')
    expect((await route('profile')).options.loadbalancing).to.equal('least-connection')
    expect((await route('canary')).destinations[0].weight).to.equal(10)
    const payroll = await route('payroll', 'secure.cfguard.test')
    expect((await cc.get(`/v3/route_policies?route_guids=${payroll.guid}`)).json.resources).to.have.length(0)
    const publicApi = await route('public-api', 'secure.cfguard.test')
    expect(
      (await cc.get(`/v3/route_policies?route_guids=${publicApi.guid}`)).json.resources[0].source,
    ).to.equal('cf:any')
    const sharedRoute = await route('shared-gateway')
    expect(
      (await cc.get(`/v3/routes/${sharedRoute.guid}/relationships/shared_spaces`)).json.data,
    ).to.have.length(1)
    expect((await route('www')).destinations).to.have.length(2)
    expect((await cc.get(`/v3/apps/${app('queue-worker').guid}/routes`)).json.resources).to.have.length(0)
    expect(app('queue-worker').state).to.equal('STARTED')
  })

  it('traffic plant: search index 1 serves about six times index 0 and index 2', async () => {
    const logs = new Api(ctx.sim.logCacheUrl, cc.token)
    const batch = (await logs.get(`/api/v1/read/${app('search').guid}?envelope_types=LOG&limit=1000`)).json
      .envelopes.batch
    const counts = [0, 0, 0]
    for (const e of batch) {
      if (e.tags.source_type !== 'RTR') continue
      const m = /app_index:"(\d)"/.exec(Buffer.from(e.log.payload, 'base64').toString())
      if (m) counts[Number(m[1])]! += 1
    }
    expect(counts[1]! / counts[0]!).to.be.greaterThan(4)
    expect(counts[1]! / counts[2]!).to.be.greaterThan(4)
    // More than twice the fair share of three instances (routes/traffic-imbalance): over 2/3 of the requests.
    expect(counts[1]! / (counts[0]! + counts[1]! + counts[2]!)).to.be.greaterThan(2 / 3)
  })
})
