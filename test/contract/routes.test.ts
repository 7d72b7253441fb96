import {expect} from 'chai'

import {Builder, startSimulator} from '../../src/sim/index.js'
import type {Api} from '../helpers/sim.js'
import {ccAs, useSimulator, waitForJob} from '../helpers/sim.js'

async function setup(sim: Awaited<ReturnType<typeof startSimulator>>) {
  const admin = await ccAs(sim, 'admin')
  const space = (await admin.get('/v3/spaces?names=dev')).json.resources[0].guid
  const domains = Object.fromEntries(
    (await admin.get('/v3/domains')).json.resources.map((d: {name: string; guid: string}) => [d.name, d]),
  )
  const app = (await admin.post('/v3/apps', {name: 'shop', relationships: {space: {data: {guid: space}}}}))
    .json.guid
  return {admin, space, domains, app}
}

describe('contract: routes, destinations, domains (§4)', () => {
  const ctx = useSimulator({}, {each: true})
  let admin: Api
  let space: string
  let domains: Record<string, {guid: string; [k: string]: unknown}>
  let app: string

  beforeEach(async () => {
    ;({admin, space, domains, app} = await setup(ctx.sim))
  })
  const newRoute = (host: string, extra: Record<string, unknown> = {}, domain = 'apps.cfguard.test') =>
    admin.post('/v3/routes', {
      host,
      relationships: {space: {data: {guid: space}}, domain: {data: {guid: domains[domain]!.guid}}},
      ...extra,
    })

  it('creates a route with the §4.1 shape; options are omitted when empty', async () => {
    const res = await newRoute('shop', {path: '/cart'})
    expect(res.status).to.equal(201)
    const r = res.json
    expect(r).to.include({
      protocol: 'http',
      host: 'shop',
      path: '/cart',
      port: null,
      url: 'shop.apps.cfguard.test/cart',
    })
    expect(r).to.not.have.property('options')
    expect(r.destinations).to.deep.equal([])
    expect(r.links.destinations.href).to.equal(`${ctx.sim.apiUrl}/v3/routes/${r.guid}/destinations`)
    expect(ctx.sim.auditEvents({type: 'audit.route.create', targetGuid: r.guid})[0]!.target.name).to.equal(
      'shop',
    )
    const clash = await newRoute('shop', {path: '/cart'})
    expect(clash.status).to.equal(422)
  })

  it('options: least-connection, hash needs hash_header and the feature flag, PATCH merges and null removes', async () => {
    const r = (await newRoute('shop', {options: {loadbalancing: 'least-connection'}})).json
    expect(r.options).to.deep.equal({loadbalancing: 'least-connection'})
    expect((await newRoute('old', {options: {loadbalancing: 'least-connections'}})).status).to.equal(422)
    const noFlag = await admin.patch(`/v3/routes/${r.guid}`, {
      options: {loadbalancing: 'hash', hash_header: 'X-User'},
    })
    expect(noFlag.status).to.equal(422)
    await admin.patch('/v3/feature_flags/hash_based_routing', {enabled: true})
    expect((await admin.patch(`/v3/routes/${r.guid}`, {options: {loadbalancing: 'hash'}})).status).to.equal(
      422,
    )
    const hashed = await admin.patch(`/v3/routes/${r.guid}`, {
      options: {loadbalancing: 'hash', hash_header: 'X-User', hash_balance: 1.25},
    })
    expect(hashed.json.options).to.deep.equal({
      loadbalancing: 'hash',
      hash_header: 'X-User',
      hash_balance: '1.3',
    })
    const back = await admin.patch(`/v3/routes/${r.guid}`, {options: {loadbalancing: 'round-robin'}})
    expect(back.json.options).to.deep.equal({loadbalancing: 'round-robin'})
    const cleared = await admin.patch(`/v3/routes/${r.guid}`, {options: {loadbalancing: null}})
    expect(cleared.json).to.not.have.property('options')
    expect(ctx.sim.auditEvents({type: 'audit.route.update', targetGuid: r.guid})).to.have.length(3)
  })

  it('destinations: add keeps existing (map-route audit on the app), replace removes, delete is 204 (unmap-route)', async () => {
    const r = (await newRoute('shop')).json
    const add = await admin.post(`/v3/routes/${r.guid}/destinations`, {destinations: [{app: {guid: app}}]})
    expect(add.status).to.equal(200)
    expect(add.json.destinations[0]).to.deep.include({
      app: {guid: app, process: {type: 'web'}},
      port: 8080,
      protocol: 'http1',
      weight: null,
    })
    expect(add.json.links.route.href).to.equal(`${ctx.sim.apiUrl}/v3/routes/${r.guid}`)
    const add2 = await admin.post(`/v3/routes/${r.guid}/destinations`, {
      destinations: [{app: {guid: app, process: {type: 'api'}}, port: 9000, protocol: 'http2'}],
    })
    expect(add2.json.destinations).to.have.length(2)
    const weighted = await admin.post(`/v3/routes/${r.guid}/destinations`, {
      destinations: [{app: {guid: app}, weight: 10}],
    })
    expect(weighted.status).to.equal(422)
    const [map] = ctx.sim.auditEvents({type: 'audit.app.map-route', targetGuid: app})
    expect(map!.data).to.include({route_guid: r.guid, app_port: 8080, process_type: 'web', protocol: 'http1'})
    const filtered = await admin.get(`/v3/routes/${r.guid}/destinations?app_guids=${app}`)
    expect(filtered.json.destinations).to.have.length(2)
    const replaced = await admin.patch(`/v3/routes/${r.guid}/destinations`, {
      destinations: [{app: {guid: app}}],
    })
    expect(replaced.json.destinations).to.have.length(1)
    expect(ctx.sim.auditEvents({type: 'audit.app.unmap-route', targetGuid: app})).to.have.length(1)
    const dest = replaced.json.destinations[0].guid
    const proto = await admin.patch(`/v3/routes/${r.guid}/destinations/${dest}`, {protocol: 'http2'})
    expect(proto.json.protocol).to.equal('http2')
    expect((await admin.delete(`/v3/routes/${r.guid}/destinations/${dest}`)).status).to.equal(204)
    expect((await admin.get(`/v3/routes?app_guids=${app}`)).json.resources).to.have.length(0)
  })

  it('lists routes by app, domain and host, and via /v3/apps/:guid/routes', async () => {
    const r = (await newRoute('shop')).json
    await newRoute('other')
    await admin.post(`/v3/routes/${r.guid}/destinations`, {destinations: [{app: {guid: app}}]})
    expect(
      (await admin.get(`/v3/routes?app_guids=${app}`)).json.resources.map((x: {guid: string}) => x.guid),
    ).to.deep.equal([r.guid])
    expect(
      (await admin.get(`/v3/apps/${app}/routes`)).json.resources.map((x: {guid: string}) => x.guid),
    ).to.deep.equal([r.guid])
    expect((await admin.get('/v3/routes?hosts=other')).json.resources).to.have.length(1)
    const reservation = await admin.get(
      `/v3/domains/${domains['apps.cfguard.test']!.guid}/route_reservations?host=shop`,
    )
    expect(reservation.json).to.deep.equal({matching_route: true})
  })

  it('domains: internal flag, TCP router group, identity-aware fields only when enforced', async () => {
    expect(domains['apps.internal']).to.include({internal: true})
    expect(domains['tcp.cfguard.test']!.router_group).to.have.property('guid')
    expect(domains['tcp.cfguard.test']!.supported_protocols).to.deep.equal(['tcp'])
    expect(domains['secure.cfguard.test']).to.include({
      enforce_route_policies: true,
      route_policies_scope: 'space',
    })
    expect(domains['apps.cfguard.test']).to.not.have.property('enforce_route_policies')
    expect(
      (domains['apps.cfguard.test']!.relationships as {organization: {data: unknown}}).organization.data,
    ).to.equal(null)
    const tcp = await newRoute('', {port: 1050}, 'tcp.cfguard.test')
    expect(tcp.json).to.include({protocol: 'tcp', port: 1050, url: 'tcp.cfguard.test:1050'})
  })

  it('route policies: only on enforcing domains, unique sources, cf:any alone; include=route_policies; audited', async () => {
    const open = (await newRoute('shop')).json
    const secure = (await newRoute('pay', {}, 'secure.cfguard.test')).json
    const onOpen = await admin.post('/v3/route_policies', {
      source: `cf:app:${app}`,
      relationships: {route: {data: {guid: open.guid}}},
    })
    expect(onOpen.status).to.equal(422)
    const p = await admin.post('/v3/route_policies', {
      source: `cf:app:${app}`,
      relationships: {route: {data: {guid: secure.guid}}},
    })
    expect(p.status).to.equal(201)
    expect(p.json.relationships.app.data.guid).to.equal(app)
    expect(p.json.relationships.space.data).to.equal(null)
    expect(
      (
        await admin.post('/v3/route_policies', {
          source: `cf:app:${app}`,
          relationships: {route: {data: {guid: secure.guid}}},
        })
      ).status,
    ).to.equal(422)
    expect(
      (
        await admin.post('/v3/route_policies', {
          source: 'cf:any',
          relationships: {route: {data: {guid: secure.guid}}},
        })
      ).status,
    ).to.equal(422)
    const listed = await admin.get(`/v3/route_policies?route_guids=${secure.guid}&include=source`)
    expect(listed.json.resources).to.have.length(1)
    expect(listed.json.included.apps[0].guid).to.equal(app)
    const withPolicies = await admin.get(`/v3/routes/${secure.guid}?include=route_policies`)
    expect(withPolicies.json.included.route_policies[0].guid).to.equal(p.json.guid)
    expect((await admin.delete(`/v3/route_policies/${p.json.guid}`)).status).to.equal(204)
    expect(ctx.sim.auditEvents({type: 'audit.route_policy.create'})).to.have.length(1)
    expect(ctx.sim.auditEvents({type: 'audit.route_policy.delete'})).to.have.length(1)
  })

  it('sharing needs the route_sharing flag; a shared route accepts destinations from the other space', async () => {
    const r = (await newRoute('shared')).json
    const orgGuid = (await admin.get('/v3/organizations?names=acme')).json.resources[0].guid
    const otherSpace = new Builder(ctx.sim.state).space(ctx.sim.state.orgs.get(orgGuid)!, 'prod')
    const denied = await admin.post(`/v3/routes/${r.guid}/relationships/shared_spaces`, {
      data: [{guid: otherSpace.guid}],
    })
    expect(denied.status).to.equal(403)
    expect(denied.json.errors[0].title).to.equal('CF-FeatureDisabled')
    await admin.patch('/v3/feature_flags/route_sharing', {enabled: true})
    const shared = await admin.post(`/v3/routes/${r.guid}/relationships/shared_spaces`, {
      data: [{guid: otherSpace.guid}],
    })
    expect(shared.json.data).to.deep.equal([{guid: otherSpace.guid}])
    const foreign = (
      await admin.post('/v3/apps', {
        name: 'prod-app',
        relationships: {space: {data: {guid: otherSpace.guid}}},
      })
    ).json.guid
    const mapped = await admin.post(`/v3/routes/${r.guid}/destinations`, {
      destinations: [{app: {guid: foreign}}],
    })
    expect(mapped.status).to.equal(200)
    expect(ctx.sim.auditEvents({type: 'audit.route.share', targetGuid: r.guid})).to.have.length(1)
  })

  it('route delete is 202 + job, audited as delete-request', async () => {
    const r = (await newRoute('gone')).json
    const res = await admin.delete(`/v3/routes/${r.guid}`)
    expect(res.status).to.equal(202)
    expect((await waitForJob(ctx.sim, admin, res.headers.get('location')!)).state).to.equal('COMPLETE')
    expect((await admin.get(`/v3/routes/${r.guid}`)).status).to.equal(404)
    expect(ctx.sim.auditEvents({type: 'audit.route.delete-request', targetGuid: r.guid})).to.have.length(1)
  })
})

describe('contract: route version gates (§4.2, §4.6, §4.7)', () => {
  it('CC 3.185 accepts least-connections, not least-connection; no route policies', async () => {
    const sim = await startSimulator({ccVersion: '3.185.0'})
    try {
      const {admin, space, domains} = await setup(sim)
      const rel = (d: string) => ({space: {data: {guid: space}}, domain: {data: {guid: domains[d]!.guid}}})
      expect(
        (
          await admin.post('/v3/routes', {
            host: 'a',
            options: {loadbalancing: 'least-connections'},
            relationships: rel('apps.cfguard.test'),
          })
        ).status,
      ).to.equal(201)
      expect(
        (
          await admin.post('/v3/routes', {
            host: 'b',
            options: {loadbalancing: 'least-connection'},
            relationships: rel('apps.cfguard.test'),
          })
        ).status,
      ).to.equal(422)
      expect(domains['secure.cfguard.test']).to.not.have.property('enforce_route_policies')
      expect((await admin.get('/v3/route_policies')).status).to.equal(404)
      expect((await admin.get('/v3/routes?include=route_policies')).status).to.equal(400)
    } finally {
      await sim.stop()
    }
  })

  it('CC 3.180 has no per-route options', async () => {
    const sim = await startSimulator({ccVersion: '3.180.0'})
    try {
      const {admin, space, domains} = await setup(sim)
      const res = await admin.post('/v3/routes', {
        host: 'a',
        options: {loadbalancing: 'round-robin'},
        relationships: {
          space: {data: {guid: space}},
          domain: {data: {guid: domains['apps.cfguard.test']!.guid}},
        },
      })
      expect(res.status).to.equal(422)
    } finally {
      await sim.stop()
    }
  })
})
