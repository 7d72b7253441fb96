import {expect} from 'chai'

import type {Api} from '../helpers/sim.js'
import {ccAs, useSimulator} from '../helpers/sim.js'

describe('contract: metadata (§6)', () => {
  const ctx = useSimulator({}, {each: true})
  let admin: Api
  let resources: Record<string, string>

  beforeEach(async () => {
    admin = await ccAs(ctx.sim, 'admin')
    const space = (await admin.get('/v3/spaces?names=dev')).json.resources[0].guid
    const domain = (await admin.get('/v3/domains?names=apps.cfguard.test')).json.resources[0].guid
    const app = (await admin.post('/v3/apps', {name: 'meta', relationships: {space: {data: {guid: space}}}}))
      .json.guid
    const route = (
      await admin.post('/v3/routes', {
        host: 'meta',
        relationships: {space: {data: {guid: space}}, domain: {data: {guid: domain}}},
      })
    ).json.guid
    const si = (
      await admin.post('/v3/service_instances', {
        type: 'user-provided',
        name: 'meta',
        relationships: {space: {data: {guid: space}}},
      })
    ).json.guid
    const binding = (
      await admin.post('/v3/service_credential_bindings', {
        type: 'app',
        relationships: {service_instance: {data: {guid: si}}, app: {data: {guid: app}}},
      })
    ).json.guid
    await admin.post(`/v3/apps/${app}/actions/start`)
    const deployment = (await admin.post('/v3/deployments', {relationships: {app: {data: {guid: app}}}})).json
      .guid
    resources = {
      apps: app,
      routes: route,
      service_instances: si,
      service_credential_bindings: binding,
      deployments: deployment,
    }
  })

  it('PATCH deep-merges labels and annotations, null deletes, omitted stays — on every resource', async () => {
    for (const [kind, guid] of Object.entries(resources)) {
      const first = await admin.patch(`/v3/${kind}/${guid}`, {
        metadata: {
          labels: {env: 'prod', team: 'pay'},
          annotations: {'cfguard.io/rotated-at': '2026-01-01T00:00:00Z'},
        },
      })
      expect(first.status, kind).to.equal(200)
      const second = await admin.patch(`/v3/${kind}/${guid}`, {metadata: {labels: {team: null, tier: 'web'}}})
      expect(second.json.metadata, kind).to.deep.equal({
        labels: {env: 'prod', tier: 'web'},
        annotations: {'cfguard.io/rotated-at': '2026-01-01T00:00:00Z'},
      })
      const found = await admin.get(
        `/v3/${kind}?label_selector=${encodeURIComponent('env=prod,tier in (web)')}`,
      )
      expect(
        found.json.resources.map((r: {guid: string}) => r.guid),
        kind,
      ).to.include(guid)
    }
  })

  it('rejects the cloudfoundry.org prefix, bad keys and bad label values with 422', async () => {
    const app = resources.apps
    const cases = [
      {labels: {'cloudfoundry.org/x': 'y'}},
      {annotations: {'sub.cloudfoundry.org/x': 'y'}},
      {labels: {'-bad': 'y'}},
      {labels: {[`${'k'.repeat(64)}`]: 'y'}},
      {labels: {ok: 'no spaces'}},
      {labels: {ok: 'v'.repeat(64)}},
      {annotations: {ok: 'x'.repeat(5001)}},
    ]
    for (const metadata of cases) {
      const res = await admin.patch(`/v3/apps/${app}`, {metadata})
      expect(res.status, JSON.stringify(metadata).slice(0, 60)).to.equal(422)
      expect(res.json.errors[0]).to.deep.include({title: 'CF-UnprocessableEntity', code: 10008})
    }
    const fine = await admin.patch(`/v3/apps/${app}`, {
      metadata: {labels: {'example.com/ok': ''}, annotations: {note: 'x'.repeat(5000)}},
    })
    expect(fine.status).to.equal(200)
  })
})

describe('contract: audit events (§7)', () => {
  const ctx = useSimulator({scenario: 'generated', apps: 80})

  it('have the §7 shape, actor from the token, and filter by type, target (incl. [not]), space and time', async () => {
    const admin = await ccAs(ctx.sim, 'admin')
    const app = (await admin.get('/v3/apps?per_page=1')).json.resources[0]
    await admin.get(`/v3/apps/${app.guid}/env`)
    const client = await ccAs(ctx.sim, 'adminClient')
    await client.get(`/v3/apps/${app.guid}/env`)
    const res = await admin.get(
      `/v3/audit_events?types=audit.app.environment.show&target_guids=${app.guid}&order_by=-created_at`,
    )
    expect(res.json.resources).to.have.length(2)
    const [byClient, byUser] = res.json.resources
    expect(byUser.actor).to.deep.include({type: 'user', name: 'admin'})
    expect(byClient.actor).to.deep.equal({
      guid: ctx.sim.admin.clientId,
      type: 'user',
      name: ctx.sim.admin.clientId,
    })
    expect(byUser.target).to.deep.equal({guid: app.guid, type: 'app', name: app.name})
    expect(byUser.space).to.deep.equal({guid: app.relationships.space.data.guid})
    expect(byUser.organization.guid).to.be.a('string')
    expect(byUser.links.self.href).to.equal(`${ctx.sim.apiUrl}/v3/audit_events/${byUser.guid}`)
    expect((await admin.get(`/v3/audit_events/${byUser.guid}`)).json.guid).to.equal(byUser.guid)

    const not = await admin.get(
      `/v3/audit_events?per_page=5000&types=audit.app.environment.show&target_guids[not]=${app.guid}`,
    )
    expect(not.json.resources).to.have.length(0)
    const all = await admin.get('/v3/audit_events?per_page=5000')
    const sorted = all.json.resources.map((e: {created_at: string}) => e.created_at).sort()
    const pivot = sorted[Math.floor(sorted.length / 2)]
    const newer = await admin.get(`/v3/audit_events?per_page=5000&created_ats[gte]=${pivot}`)
    const older = await admin.get(`/v3/audit_events?per_page=5000&created_ats[lt]=${pivot}`)
    expect(newer.json.pagination.total_results + older.json.pagination.total_results).to.equal(
      all.json.pagination.total_results,
    )
    expect(older.json.resources.every((e: {created_at: string}) => e.created_at < pivot)).to.equal(true)
    const space = app.relationships.space.data.guid
    const inSpace = await admin.get(`/v3/audit_events?per_page=5000&space_guids=${space}`)
    expect(inSpace.json.resources.every((e: {space: {guid: string}}) => e.space?.guid === space)).to.equal(
      true,
    )
  })

  it('visibility: admin/admin RO/global auditor see all; space roles see their spaces only', async () => {
    const total = (await (await ccAs(ctx.sim, 'admin')).get('/v3/audit_events?per_page=1')).json.pagination
      .total_results
    for (const who of ['adminReadOnly', 'globalAuditor'] as const) {
      expect(
        (await (await ccAs(ctx.sim, who)).get('/v3/audit_events?per_page=1')).json.pagination.total_results,
        who,
      ).to.equal(total)
    }
    const dev = await ccAs(ctx.sim, 'spaceAuditor')
    const devSpace = (await dev.get('/v3/spaces')).json.resources.map((s: {guid: string}) => s.guid)
    expect(devSpace).to.have.length(1)
    const mine = (await dev.get('/v3/audit_events?per_page=5000')).json.resources
    expect(mine.length).to.be.greaterThan(0)
    expect(mine.length).to.be.lessThan(total)
    expect(mine.every((e: {space: {guid: string} | null}) => e.space?.guid === devSpace[0])).to.equal(true)
  })
})
