import {expect} from 'chai'

import type {Api} from '../helpers/sim.js'
import {ccAs, useSimulator, waitForJob} from '../helpers/sim.js'

describe('contract: service instances and credential bindings (§5)', () => {
  const ctx = useSimulator({}, {each: true})
  let admin: Api
  let space: string

  beforeEach(async () => {
    admin = await ccAs(ctx.sim, 'admin')
    space = (await admin.get('/v3/spaces?names=dev')).json.resources[0].guid
  })

  const createApp = async (name: string) => {
    const res = await admin.post('/v3/apps', {name, relationships: {space: {data: {guid: space}}}})
    expect(res.status).to.equal(201)
    return res.json.guid as string
  }
  const createUps = async (name: string, credentials: Record<string, unknown>) => {
    const res = await admin.post('/v3/service_instances', {
      type: 'user-provided',
      name,
      credentials,
      tags: ['oidc'],
      relationships: {space: {data: {guid: space}}},
    })
    expect(res.status).to.equal(201)
    return res.json
  }

  it('creates a UPS (201) with the §5.1 user-provided fields and a credentials link', async () => {
    const si = await createUps('billing-oidc', {client_id: 'billing', client_secret: 's1'})
    expect(si).to.include({
      name: 'billing-oidc',
      type: 'user-provided',
      syslog_drain_url: null,
      route_service_url: null,
    })
    expect(si.tags).to.deep.equal(['oidc'])
    expect(si.last_operation).to.include({type: 'create', state: 'succeeded'})
    expect(si.links.credentials.href).to.equal(
      `${ctx.sim.apiUrl}/v3/service_instances/${si.guid}/credentials`,
    )
    expect(si.links.service_credential_bindings.href).to.contain(`service_instance_guids=${si.guid}`)
    expect(si).to.not.have.property('credentials')
    const again = await admin.post('/v3/service_instances', {
      type: 'user-provided',
      name: 'billing-oidc',
      relationships: {space: {data: {guid: space}}},
    })
    expect(again.status).to.equal(422)
    expect(again.json.errors[0].title).to.equal('CF-UnprocessableEntity')
  })

  it('GET credentials: admin/admin RO/developer read them (and write the show event); others get 403', async () => {
    const si = await createUps('billing-oidc', {client_id: 'billing', client_secret: 's1'})
    for (const who of ['admin', 'adminReadOnly', 'spaceDeveloper'] as const) {
      const res = await (await ccAs(ctx.sim, who)).get(`/v3/service_instances/${si.guid}/credentials`)
      expect(res.status, who).to.equal(200)
      expect(res.json).to.deep.equal({client_id: 'billing', client_secret: 's1'})
    }
    for (const who of ['globalAuditor', 'spaceSupporter', 'spaceAuditor'] as const) {
      const res = await (await ccAs(ctx.sim, who)).get(`/v3/service_instances/${si.guid}/credentials`)
      expect(res.status, who).to.equal(403)
      expect(res.json.errors[0].title).to.equal('CF-NotAuthorized')
    }
    const shows = ctx.sim.auditEvents({
      type: 'audit.user_provided_service_instance.show',
      targetGuid: si.guid,
    })
    expect(shows).to.have.length(3)
  })

  it('UPS PATCH replaces the whole credentials object, copies it into every binding, and records credentials only when sent', async () => {
    const appGuid = await createApp('billing-api')
    const si = await createUps('billing-oidc', {
      client_id: 'billing',
      client_secret: 's1',
      issuer: 'https://uaa.example',
    })
    const binding = await admin.post('/v3/service_credential_bindings', {
      type: 'app',
      relationships: {service_instance: {data: {guid: si.guid}}, app: {data: {guid: appGuid}}},
    })
    expect(binding.status).to.equal(201)
    const patched = await admin.patch(`/v3/service_instances/${si.guid}`, {
      credentials: {client_id: 'billing', client_secret: 's2'},
    })
    expect(patched.status).to.equal(200)
    expect(patched.json.last_operation).to.include({
      type: 'update',
      state: 'succeeded',
      description: 'Operation succeeded',
    })
    const creds = await admin.get(`/v3/service_instances/${si.guid}/credentials`)
    expect(creds.json).to.deep.equal({client_id: 'billing', client_secret: 's2'})
    const details = await admin.get(`/v3/service_credential_bindings/${binding.json.guid}/details`)
    expect(details.json.credentials).to.deep.equal({client_id: 'billing', client_secret: 's2'})

    const before = patched.json.last_operation.updated_at
    ctx.sim.clock.advance(5000)
    const meta = await admin.patch(`/v3/service_instances/${si.guid}`, {
      metadata: {labels: {team: 'payments'}},
    })
    expect(meta.json.last_operation.updated_at > before).to.equal(true)

    const updates = ctx.sim.auditEvents({
      type: 'audit.user_provided_service_instance.update',
      targetGuid: si.guid,
    })
    expect(updates).to.have.length(2)
    const [withCreds, withoutCreds] = updates
    expect((withCreds!.data.request as Record<string, unknown>).credentials).to.equal('[PRIVATE DATA HIDDEN]')
    expect(withoutCreds!.data.request as Record<string, unknown>).to.not.have.property('credentials')
    const events = await admin.get(
      `/v3/audit_events?types=audit.user_provided_service_instance.update&target_guids=${si.guid}`,
    )
    expect(JSON.stringify(events.json).includes('s2')).to.equal(false, 'secret value in an audit event')
  })

  it('UPS bindings are 201 at once; details are 404 for auditors, supporters and global auditors, and audited', async () => {
    const appGuid = await createApp('billing-api')
    const si = await createUps('billing-oidc', {client_id: 'billing', client_secret: 's1'})
    const binding = await admin.post('/v3/service_credential_bindings', {
      type: 'app',
      name: 'oidc',
      relationships: {service_instance: {data: {guid: si.guid}}, app: {data: {guid: appGuid}}},
    })
    expect(binding.status).to.equal(201)
    expect(binding.json).to.include({name: 'oidc', type: 'app'})
    expect(binding.json.last_operation).to.include({type: 'create', state: 'succeeded'})
    expect(binding.json.relationships.app.data.guid).to.equal(appGuid)
    expect(binding.json.links.details.href).to.contain(
      `/v3/service_credential_bindings/${binding.json.guid}/details`,
    )
    for (const who of ['globalAuditor', 'spaceSupporter', 'spaceAuditor'] as const) {
      const api = await ccAs(ctx.sim, who)
      expect((await api.get(`/v3/service_credential_bindings/${binding.json.guid}`)).status, who).to.equal(
        200,
      )
      expect(
        (await api.get(`/v3/service_credential_bindings/${binding.json.guid}/details`)).status,
        who,
      ).to.equal(404)
    }
    const dev = await ccAs(ctx.sim, 'spaceDeveloper')
    const details = await dev.get(`/v3/service_credential_bindings/${binding.json.guid}/details`)
    expect(details.status).to.equal(200)
    expect(details.json).to.have.keys('credentials', 'syslog_drain_url', 'volume_mounts')
    expect(
      ctx.sim.auditEvents({type: 'audit.service_binding.show', targetGuid: binding.json.guid}),
    ).to.have.length(1)
    expect(
      ctx.sim.auditEvents({type: 'audit.service_binding.create', targetGuid: binding.json.guid}),
    ).to.have.length(1)
  })

  it('managed bindings: 202 + job PROCESSING/POLLING → COMPLETE; start_create then create events', async () => {
    const appGuid = await createApp('portal')
    const plan = (await admin.get('/v3/service_plans?service_offering_names=p-identity')).json.resources[0]
    const create = await admin.post('/v3/service_instances', {
      type: 'managed',
      name: 'sso',
      relationships: {space: {data: {guid: space}}, service_plan: {data: {guid: plan.guid}}},
    })
    expect(create.status).to.equal(202)
    const siJob = await waitForJob(ctx.sim, admin, create.headers.get('location')!)
    expect(siJob.state).to.equal('COMPLETE')
    const si = (await admin.get('/v3/service_instances?names=sso')).json.resources[0]
    expect(si).to.include({type: 'managed', upgrade_available: false})
    expect(si.relationships.service_plan.data.guid).to.equal(plan.guid)

    const res = await admin.post('/v3/service_credential_bindings', {
      type: 'app',
      relationships: {service_instance: {data: {guid: si.guid}}, app: {data: {guid: appGuid}}},
    })
    expect(res.status).to.equal(202)
    const location = res.headers.get('location')!
    expect(location).to.match(new RegExp(`^${ctx.sim.apiUrl}/v3/jobs/`))
    const early = await admin.get(location.replace(ctx.sim.apiUrl, ''))
    expect(early.json.state).to.equal('PROCESSING')
    expect(early.json.operation).to.equal('service_bindings.create')
    const listed = (await admin.get(`/v3/service_credential_bindings?app_guids=${appGuid}`)).json.resources[0]
    expect(listed.last_operation.state).to.be.oneOf(['initial', 'in progress'])
    ctx.sim.clock.advance(100)
    expect((await admin.get(location.replace(ctx.sim.apiUrl, ''))).json.state).to.equal('POLLING')
    const done = await waitForJob(ctx.sim, admin, location)
    expect(done.state).to.equal('COMPLETE')
    const binding = (await admin.get(`/v3/service_credential_bindings?app_guids=${appGuid}`)).json
      .resources[0]
    expect(binding.last_operation.state).to.equal('succeeded')
    const details = (await admin.get(`/v3/service_credential_bindings/${binding.guid}/details`)).json
    expect(ctx.sim.uaaAccepts(details.credentials.client_id, details.credentials.client_secret)).to.equal(
      true,
    )
    const types = ctx.sim.auditEvents({targetGuid: binding.guid}).map((e) => e.type)
    expect(types.slice(0, 2)).to.deep.equal([
      'audit.service_binding.start_create',
      'audit.service_binding.create',
    ])
  })

  it('strategy multiple: same name required, limit enforced, newest succeeded binding reaches VCAP_SERVICES', async () => {
    const appGuid = await createApp('billing-api')
    const si = await createUps('billing-oidc', {client_id: 'billing', client_secret: 's1'})
    const bind = (body: Record<string, unknown>) =>
      admin.post('/v3/service_credential_bindings', {
        type: 'app',
        relationships: {service_instance: {data: {guid: si.guid}}, app: {data: {guid: appGuid}}},
        ...body,
      })
    expect((await bind({name: 'oidc'})).status).to.equal(201)
    const single = await bind({name: 'oidc'})
    expect(single.status).to.equal(422)
    expect(single.json.errors[0].detail).to.equal('The app is already bound to the service instance.')
    const renamed = await bind({name: 'other', strategy: 'multiple'})
    expect(renamed.json.errors[0].detail).to.equal(
      'The binding name cannot be changed for the same app and service instance.',
    )
    ctx.sim.clock.advance(2000)
    const second = await bind({name: 'oidc', strategy: 'multiple'})
    expect(second.status).to.equal(201)
    const env = await admin.get(`/v3/apps/${appGuid}/env`)
    const vcap = env.json.system_env_json.VCAP_SERVICES['user-provided']
    expect(vcap).to.have.length(1)
    expect(vcap[0].binding_guid).to.equal(second.json.guid)
    expect(vcap[0]).to.include({
      name: 'oidc',
      binding_name: 'oidc',
      instance_name: 'billing-oidc',
      label: 'user-provided',
    })
    expect(vcap[0]).to.not.have.property('plan')
    for (let i = 0; i < 3; i++)
      expect((await bind({name: 'oidc', strategy: 'multiple'})).status).to.equal(201)
    const sixth = await bind({name: 'oidc', strategy: 'multiple'})
    expect(sixth.status).to.equal(422)
    expect(sixth.json.errors[0].detail).to.equal(
      'The app has too many bindings to this service instance (limit: 5). Consider deleting existing/orphaned bindings.',
    )
  })

  it('strategy is an unknown field below CC 3.205; limit 1 turns multiple off', async () => {
    for (const options of [{ccVersion: '3.200.0'}, {maxBindingsPerAppServiceInstance: 1}]) {
      const {startSimulator} = await import('../../src/sim/index.js')
      const sim = await startSimulator(options)
      try {
        const api = await ccAs(sim, 'admin')
        const spaceGuid = (await api.get('/v3/spaces?names=dev')).json.resources[0].guid
        const app = (
          await api.post('/v3/apps', {name: 'a', relationships: {space: {data: {guid: spaceGuid}}}})
        ).json.guid
        const si = (
          await api.post('/v3/service_instances', {
            type: 'user-provided',
            name: 'u',
            relationships: {space: {data: {guid: spaceGuid}}},
          })
        ).json.guid
        const body = {
          type: 'app',
          strategy: 'multiple',
          relationships: {service_instance: {data: {guid: si}}, app: {data: {guid: app}}},
        }
        const first = await api.post('/v3/service_credential_bindings', body)
        if (options.ccVersion) {
          expect(first.status).to.equal(422)
          expect(first.json.errors[0].detail).to.contain("'strategy'")
        } else {
          expect(first.status).to.equal(201)
          const second = await api.post('/v3/service_credential_bindings', body)
          expect(second.json.errors[0].detail).to.equal('The app is already bound to the service instance.')
        }
      } finally {
        await sim.stop()
      }
    }
  })

  it('a space supporter may create app bindings but not UPSs; an auditor may do neither', async () => {
    const appGuid = await createApp('billing-api')
    const si = await createUps('billing-oidc', {client_id: 'billing'})
    const supporter = await ccAs(ctx.sim, 'spaceSupporter')
    const body = {
      type: 'app',
      relationships: {service_instance: {data: {guid: si.guid}}, app: {data: {guid: appGuid}}},
    }
    expect((await supporter.post('/v3/service_credential_bindings', body)).status).to.equal(201)
    expect(
      (
        await supporter.post('/v3/service_instances', {
          type: 'user-provided',
          name: 'x',
          relationships: {space: {data: {guid: space}}},
        })
      ).status,
    ).to.equal(403)
    const auditor = await ccAs(ctx.sim, 'spaceAuditor')
    expect((await auditor.patch(`/v3/service_instances/${si.guid}`, {credentials: {}})).status).to.equal(403)
  })

  it('deleting a UPS binding is 204 and audited with app and instance guids', async () => {
    const appGuid = await createApp('billing-api')
    const si = await createUps('billing-oidc', {client_id: 'billing'})
    const b = await admin.post('/v3/service_credential_bindings', {
      type: 'app',
      relationships: {service_instance: {data: {guid: si.guid}}, app: {data: {guid: appGuid}}},
    })
    const del = await admin.delete(`/v3/service_credential_bindings/${b.json.guid}`)
    expect(del.status).to.equal(204)
    const [event] = ctx.sim.auditEvents({type: 'audit.service_binding.delete', targetGuid: b.json.guid})
    expect(event!.data.request).to.deep.equal({app_guid: appGuid, service_instance_guid: si.guid})
  })

  it('offerings and plans list with their relationships; route bindings need a route service URL', async () => {
    const offerings = await admin.get('/v3/service_offerings?fields[service_broker]=name')
    expect(offerings.json.resources.map((o: {name: string}) => o.name)).to.include.members([
      'p-identity',
      'p.redis',
    ])
    expect(offerings.json.included.service_brokers[0]).to.have.keys('name')
    const plans = await admin.get('/v3/service_plans?include=service_offering')
    expect(plans.json.included.service_offerings.length).to.be.greaterThan(0)

    const domain = (await admin.get('/v3/domains?names=apps.cfguard.test')).json.resources[0].guid
    const route = (
      await admin.post('/v3/routes', {
        host: 'shop',
        relationships: {space: {data: {guid: space}}, domain: {data: {guid: domain}}},
      })
    ).json
    const plain = await createUps('plain', {})
    const refused = await admin.post('/v3/service_route_bindings', {
      relationships: {route: {data: {guid: route.guid}}, service_instance: {data: {guid: plain.guid}}},
    })
    expect(refused.status).to.equal(422)
    const rs = (
      await admin.post('/v3/service_instances', {
        type: 'user-provided',
        name: 'rs',
        route_service_url: 'https://rs.example.test',
        relationships: {space: {data: {guid: space}}},
      })
    ).json
    const bound = await admin.post('/v3/service_route_bindings', {
      relationships: {route: {data: {guid: route.guid}}, service_instance: {data: {guid: rs.guid}}},
    })
    expect(bound.status).to.equal(201)
    expect(bound.json.route_service_url).to.equal('https://rs.example.test')
    const listed = await admin.get(
      `/v3/service_route_bindings?route_guids=${route.guid}&include=route,service_instance`,
    )
    expect(listed.json.resources).to.have.length(1)
    expect(listed.json.included.routes[0].guid).to.equal(route.guid)
    const httpOnly = await admin.post('/v3/service_instances', {
      type: 'user-provided',
      name: 'rs2',
      route_service_url: 'http://rs.example.test',
      relationships: {space: {data: {guid: space}}},
    })
    expect(httpOnly.status).to.equal(422)
  })
})

describe('contract: broker failures', () => {
  const ctx = useSimulator({})

  it('a failing broker ends the binding job FAILED with errors; the failed binding does not block a retry', async () => {
    const admin = await ccAs(ctx.sim, 'admin')
    const space = (await admin.get('/v3/spaces?names=dev')).json.resources[0].guid
    const app = (await admin.post('/v3/apps', {name: 'a', relationships: {space: {data: {guid: space}}}}))
      .json.guid
    const plan = (await admin.get('/v3/service_plans?service_offering_names=legacy-db')).json.resources[0]
      .guid
    const si = await admin.post('/v3/service_instances', {
      type: 'managed',
      name: 'db',
      relationships: {space: {data: {guid: space}}, service_plan: {data: {guid: plan}}},
    })
    await waitForJob(ctx.sim, admin, si.headers.get('location')!)
    const siGuid = (await admin.get('/v3/service_instances?names=db')).json.resources[0].guid
    const offering = [...ctx.sim.state.offerings.all()].find((o) => o.name === 'legacy-db')!
    offering.brokerFails = true
    const body = {
      type: 'app',
      relationships: {service_instance: {data: {guid: siGuid}}, app: {data: {guid: app}}},
    }
    const first = await admin.post('/v3/service_credential_bindings', body)
    const job = await waitForJob(ctx.sim, admin, first.headers.get('location')!)
    expect(job.state).to.equal('FAILED')
    expect(job.errors).to.have.length(1)
    const failed = (await admin.get(`/v3/service_credential_bindings?app_guids=${app}`)).json.resources[0]
    expect(failed.last_operation).to.include({type: 'create', state: 'failed'})
    offering.brokerFails = false
    const retry = await admin.post('/v3/service_credential_bindings', body)
    expect(retry.status).to.equal(202)
    expect((await waitForJob(ctx.sim, admin, retry.headers.get('location')!)).state).to.equal('COMPLETE')
    expect(
      (await admin.get(`/v3/service_credential_bindings?app_guids=${app}`)).json.resources,
    ).to.have.length(1)
  })
})
