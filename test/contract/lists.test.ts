import {expect} from 'chai'

import type {Api} from '../helpers/sim.js'
import {ccAs, useSimulator} from '../helpers/sim.js'

describe('contract: lists — pagination, include, filters, label selectors (§2.2–2.4)', () => {
  const ctx = useSimulator({scenario: 'generated', apps: 120, seed: 7})
  let api: Api
  before(async () => {
    api = await ccAs(ctx.sim, 'admin')
  })

  it('pages with per_page, follows next links to the end, and counts every app once', async () => {
    const seen = new Set<string>()
    let path: string | null = '/v3/apps?per_page=50'
    let pages = 0
    while (path) {
      const res = await api.get(path)
      expect(res.status).to.equal(200)
      pages++
      expect(res.json.pagination.total_results).to.equal(120)
      expect(res.json.pagination.total_pages).to.equal(3)
      for (const a of res.json.resources) seen.add(a.guid)
      const next: {href: string} | null = res.json.pagination.next
      path = next ? next.href.replace(ctx.sim.apiUrl, '') : null
    }
    expect(pages).to.equal(3)
    expect(seen.size).to.equal(120)
  })

  it('has first/last/previous links and keeps the filters in them', async () => {
    const res = await api.get('/v3/apps?order_by=name&per_page=25&page=2')
    const p = res.json.pagination
    expect(p.first.href).to.equal(`${ctx.sim.apiUrl}/v3/apps?order_by=name&page=1&per_page=25`)
    expect(p.last.href).to.equal(`${ctx.sim.apiUrl}/v3/apps?order_by=name&page=5&per_page=25`)
    expect(p.previous.href).to.contain('page=1')
    expect(p.next.href).to.contain('page=3')
  })

  it('defaults per_page to 50 and rejects values outside 1..5000 with 400 CF-BadQueryParameter', async () => {
    expect((await api.get('/v3/apps')).json.resources).to.have.length(50)
    expect((await api.get('/v3/apps?per_page=5000')).json.resources).to.have.length(120)
    for (const bad of ['0', '5001', 'x']) {
      const res = await api.get(`/v3/apps?per_page=${bad}`)
      expect(res.status).to.equal(400)
      expect(res.json.errors[0]).to.deep.include({title: 'CF-BadQueryParameter', code: 10005})
    }
    expect((await api.get('/v3/apps?page=0')).status).to.equal(400)
    expect((await api.get('/v3/apps?nonsense=1')).status).to.equal(400)
  })

  it('orders by name ascending and -created_at descending', async () => {
    const byName = (await api.get('/v3/apps?order_by=name&per_page=5000')).json.resources.map(
      (a: {name: string}) => a.name,
    )
    expect(byName).to.deep.equal([...byName].sort())
    const created = (await api.get('/v3/apps?order_by=-created_at&per_page=5000')).json.resources.map(
      (a: {created_at: string}) => a.created_at,
    )
    expect(created).to.deep.equal([...created].sort().reverse())
    expect((await api.get('/v3/apps?order_by=color')).status).to.equal(400)
  })

  it('filters by guids (comma list, across pages), names and space_guids', async () => {
    const all = (await api.get('/v3/apps?per_page=5000')).json.resources
    const pick = [all[3].guid, all[77].guid, all[119].guid]
    const res = await api.get(`/v3/apps?guids=${pick.join(',')}&per_page=2`)
    expect(res.json.pagination.total_results).to.equal(3)
    expect(res.json.resources).to.have.length(2)
    const names = await api.get(`/v3/apps?names=${all[5].name.toUpperCase()}`)
    expect(names.json.resources.map((a: {guid: string}) => a.guid)).to.deep.equal([all[5].guid])
    const space = all[0].relationships.space.data.guid
    const inSpace = await api.get(`/v3/apps?space_guids=${space}&per_page=5000`)
    expect(
      inSpace.json.resources.every(
        (a: {relationships: {space: {data: {guid: string}}}}) => a.relationships.space.data.guid === space,
      ),
    ).to.equal(true)
    expect(inSpace.json.pagination.total_results).to.be.greaterThan(0)
  })

  it('a %2C inside a value is part of the value, not a separator', async () => {
    const res = await api.get('/v3/apps?names=app-001%2Capp-002')
    expect(res.json.pagination.total_results).to.equal(0)
    const split = await api.get('/v3/apps?names=app-001,app-002')
    expect(split.json.pagination.total_results).to.equal(2)
  })

  it('supports every label_selector form, ANDed', async () => {
    const count = async (selector: string) => {
      const res = await api.get(`/v3/apps?per_page=5000&label_selector=${encodeURIComponent(selector)}`)
      expect(res.status, selector).to.equal(200)
      return res.json.resources as {metadata: {labels: Record<string, string>}}[]
    }
    const all = await count('team')
    expect(all).to.have.length(120)
    expect(await count('!team')).to.have.length(0)
    const eq = await count('team=team-1')
    expect(eq.length).to.be.greaterThan(0)
    expect(eq.every((a) => a.metadata.labels.team === 'team-1')).to.equal(true)
    expect(await count('team==team-1')).to.have.length(eq.length)
    const ne = await count('team!=team-1')
    expect(ne.length + eq.length).to.equal(120)
    const inSet = await count('team in (team-1,team-2)')
    expect(inSet.every((a) => ['team-1', 'team-2'].includes(a.metadata.labels.team!))).to.equal(true)
    const notIn = await count('team notin (team-1,team-2)')
    expect(inSet.length + notIn.length).to.equal(120)
    const anded = await count('team=team-1,tier=frontend')
    expect(
      anded.every((a) => a.metadata.labels.team === 'team-1' && a.metadata.labels.tier === 'frontend'),
    ).to.equal(true)
    const bad = await api.get(`/v3/apps?label_selector=${encodeURIComponent('team in (a')}`)
    expect(bad.status).to.equal(400)
  })

  it('filters created_ats with [gt|gte|lt|lte] and equality', async () => {
    const all = (await api.get('/v3/apps?per_page=5000&order_by=created_at')).json.resources
    const mid = all[60].created_at as string
    const gt = (await api.get(`/v3/apps?per_page=5000&created_ats[gt]=${mid}`)).json.resources
    const lte = (await api.get(`/v3/apps?per_page=5000&created_ats%5Blte%5D=${mid}`)).json.resources
    expect(gt.length + lte.length).to.equal(120)
    expect(gt.every((a: {created_at: string}) => a.created_at > mid)).to.equal(true)
    const eq = (await api.get(`/v3/apps?per_page=5000&created_ats=${mid}`)).json.resources
    expect(eq.every((a: {created_at: string}) => a.created_at === mid)).to.equal(true)
    expect((await api.get('/v3/apps?created_ats[gt]=yesterday')).status).to.equal(400)
  })

  it('include=space,space.organization adds included.spaces and included.organizations; bad include is 400', async () => {
    const res = await api.get('/v3/apps?per_page=10&include=space.organization')
    const spaceGuids = new Set(
      res.json.resources.map(
        (a: {relationships: {space: {data: {guid: string}}}}) => a.relationships.space.data.guid,
      ),
    )
    expect(res.json.included.spaces.map((s: {guid: string}) => s.guid).sort()).to.deep.equal(
      [...spaceGuids].sort(),
    )
    expect(res.json.included.organizations.length).to.be.greaterThan(0)
    const one = await api.get(`/v3/apps/${res.json.resources[0].guid}?include=space`)
    expect(one.json.included.spaces).to.have.length(1)
    expect((await api.get('/v3/apps?include=droplet')).status).to.equal(400)
  })

  it('routes include domain, space, space.organization and route_policies', async () => {
    const res = await api.get('/v3/routes?per_page=60&include=domain,space.organization,route_policies')
    expect(res.status).to.equal(200)
    expect(res.json.pagination.total_results).to.be.greaterThan(120)
    expect(res.json.included).to.include.keys('domains', 'spaces', 'organizations', 'route_policies')
    const domainGuids = new Set(
      res.json.resources.map(
        (r: {relationships: {domain: {data: {guid: string}}}}) => r.relationships.domain.data.guid,
      ),
    )
    expect(res.json.included.domains.map((d: {guid: string}) => d.guid).sort()).to.deep.equal(
      [...domainGuids].sort(),
    )
  })

  it('service instances accept fields[space] and fields[space.organization] with the allowed keys only', async () => {
    const res = await api.get(
      '/v3/service_instances?per_page=20&fields[space]=name,guid&fields[space.organization]=name',
    )
    expect(res.status).to.equal(200)
    expect(Object.keys(res.json.included.spaces[0]).sort()).to.deep.equal(['guid', 'name'])
    expect(Object.keys(res.json.included.organizations[0])).to.deep.equal(['name'])
    const rel = await api.get(
      '/v3/service_instances?per_page=5&fields[space]=guid,relationships.organization',
    )
    expect(rel.json.included.spaces[0].relationships.organization.data.guid).to.be.a('string')
    expect((await api.get('/v3/service_instances?fields[space]=quota')).status).to.equal(400)
    expect((await api.get('/v3/service_instances?fields[app]=name')).status).to.equal(400)
  })

  it('credential bindings filter by app_guids and type and include app,service_instance', async () => {
    const bindings = (await api.get('/v3/service_credential_bindings?per_page=5000')).json.resources
    expect(bindings.length).to.be.greaterThan(100)
    const appGuid = bindings[0].relationships.app.data.guid
    const res = await api.get(
      `/v3/service_credential_bindings?app_guids=${appGuid}&type=app&include=app,service_instance`,
    )
    expect(
      res.json.resources.every(
        (b: {relationships: {app: {data: {guid: string}}}}) => b.relationships.app.data.guid === appGuid,
      ),
    ).to.equal(true)
    expect(res.json.included.apps.map((a: {guid: string}) => a.guid)).to.deep.equal([appGuid])
    expect(res.json.included.service_instances.length).to.equal(res.json.resources.length)
  })
})
