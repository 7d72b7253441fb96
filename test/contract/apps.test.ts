import {expect} from 'chai'

import type {Api} from '../helpers/sim.js'
import {ccAs, http, useSimulator} from '../helpers/sim.js'

describe('contract: apps, env and processes (§3.1–3.5)', () => {
  const ctx = useSimulator({instanceStartupMs: 1000}, {each: true})
  let admin: Api
  let appGuid: string

  beforeEach(async () => {
    admin = await ccAs(ctx.sim, 'admin')
    const space = (await admin.get('/v3/spaces?names=dev')).json.resources[0].guid
    const app = await admin.post('/v3/apps', {
      name: 'billing-api',
      environment_variables: {CLIENT_SECRET: 'hunter2', MODE: 'prod'},
      relationships: {space: {data: {guid: space}}},
    })
    appGuid = app.json.guid
    const ups = await admin.post('/v3/service_instances', {
      type: 'user-provided',
      name: 'billing-oidc',
      credentials: {client_secret: 'ups-secret'},
      relationships: {space: {data: {guid: space}}},
    })
    await admin.post('/v3/service_credential_bindings', {
      type: 'app',
      relationships: {service_instance: {data: {guid: ups.json.guid}}, app: {data: {guid: appGuid}}},
    })
  })

  it('the app object has the §3.1 fields and links', async () => {
    const app = (await admin.get(`/v3/apps/${appGuid}`)).json
    expect(app).to.include({name: 'billing-api', state: 'STOPPED'})
    expect(app.lifecycle).to.deep.equal({
      type: 'buildpack',
      data: {buildpacks: ['java_buildpack'], stack: 'cflinuxfs4'},
    })
    expect(app.relationships.space.data.guid).to.be.a('string')
    expect(app.links.start).to.deep.equal({
      href: `${ctx.sim.apiUrl}/v3/apps/${appGuid}/actions/start`,
      method: 'POST',
    })
    expect(app.links).to.include.keys(
      'self',
      'environment_variables',
      'space',
      'processes',
      'packages',
      'current_droplet',
      'droplets',
      'tasks',
      'stop',
      'revisions',
      'deployed_revisions',
      'features',
    )
    expect(app.metadata).to.deep.equal({labels: {}, annotations: {}})
  })

  it('/env: full for admin, admin RO and developers; redacted for supporters; 403 for auditors; audited each time', async () => {
    for (const who of ['admin', 'adminReadOnly', 'spaceDeveloper'] as const) {
      const res = await (await ccAs(ctx.sim, who)).get(`/v3/apps/${appGuid}/env`)
      expect(res.status, who).to.equal(200)
      expect(res.json.environment_variables).to.deep.equal({CLIENT_SECRET: 'hunter2', MODE: 'prod'})
      expect(res.json.system_env_json.VCAP_SERVICES['user-provided'][0].credentials).to.deep.equal({
        client_secret: 'ups-secret',
      })
      expect(res.json).to.include.keys('staging_env_json', 'running_env_json', 'application_env_json')
      expect(res.json.application_env_json.VCAP_APPLICATION.application_name).to.equal('billing-api')
    }
    const supporter = await (await ccAs(ctx.sim, 'spaceSupporter')).get(`/v3/apps/${appGuid}/env`)
    expect(supporter.status).to.equal(200)
    expect(supporter.json.system_env_json).to.deep.equal({redacted_message: '[PRIVATE DATA HIDDEN]'})
    for (const who of ['globalAuditor', 'spaceAuditor'] as const) {
      const res = await (await ccAs(ctx.sim, who)).get(`/v3/apps/${appGuid}/env`)
      expect(res.status, who).to.equal(403)
      expect(res.json.errors[0]).to.deep.include({title: 'CF-NotAuthorized', code: 10003})
    }
    expect(ctx.sim.auditEvents({type: 'audit.app.environment.show', targetGuid: appGuid})).to.have.length(4)
  })

  it('/env is 403 CF-FeatureDisabled when env_var_visibility is off (admins too), and developers only for the developer flag', async () => {
    const dev = await ccAs(ctx.sim, 'spaceDeveloper')
    expect(
      (await admin.patch('/v3/feature_flags/space_developer_env_var_visibility', {enabled: false})).status,
    ).to.equal(200)
    const devRes = await dev.get(`/v3/apps/${appGuid}/env`)
    expect(devRes.status).to.equal(403)
    expect(devRes.json.errors[0]).to.deep.include({title: 'CF-FeatureDisabled', code: 330002})
    expect((await admin.get(`/v3/apps/${appGuid}/env`)).status).to.equal(200)
    await admin.patch('/v3/feature_flags/env_var_visibility', {
      enabled: false,
      custom_error_message: 'env is off here',
    })
    const adminRes = await admin.get(`/v3/apps/${appGuid}/env`)
    expect(adminRes.status).to.equal(403)
    expect(adminRes.json.errors[0].detail).to.contain('env is off here')
  })

  it('system_env_json moves to a file path when file-based VCAP services are on', async () => {
    await admin.patch(`/v3/apps/${appGuid}/features/file-based-vcap-services`, {enabled: true})
    const res = await admin.get(`/v3/apps/${appGuid}/env`)
    expect(res.json.system_env_json).to.deep.equal({
      VCAP_SERVICES_FILE_PATH: '/etc/cf-service-bindings/vcap_services',
    })
    const clash = await admin.patch(`/v3/apps/${appGuid}/features/service-binding-k8s`, {enabled: true})
    expect(clash.status).to.equal(422)
  })

  it('environment_variables: GET for supporters (audited), 403 for auditors; PATCH merges, null deletes, audits without values', async () => {
    const supporter = await ccAs(ctx.sim, 'spaceSupporter')
    const got = await supporter.get(`/v3/apps/${appGuid}/environment_variables`)
    expect(got.status).to.equal(200)
    expect(got.json.var).to.deep.equal({CLIENT_SECRET: 'hunter2', MODE: 'prod'})
    expect(got.json.links.app.href).to.equal(`${ctx.sim.apiUrl}/v3/apps/${appGuid}`)
    expect(
      (await (await ccAs(ctx.sim, 'spaceAuditor')).get(`/v3/apps/${appGuid}/environment_variables`)).status,
    ).to.equal(403)
    expect(
      (
        await (
          await ccAs(ctx.sim, 'adminReadOnly')
        ).patch(`/v3/apps/${appGuid}/environment_variables`, {var: {A: 'b'}})
      ).status,
    ).to.equal(403)

    const patched = await supporter.patch(`/v3/apps/${appGuid}/environment_variables`, {
      var: {CLIENT_SECRET: null, DEBUG: 'false'},
    })
    expect(patched.status).to.equal(200)
    expect(patched.json.var).to.deep.equal({MODE: 'prod', DEBUG: 'false'})
    for (const bad of [{VCAP_THING: 'x'}, {PORT: '8080'}, {N: 1}]) {
      expect((await admin.patch(`/v3/apps/${appGuid}/environment_variables`, {var: bad})).status).to.equal(
        422,
      )
    }
    const [update] = ctx.sim.auditEvents({type: 'audit.app.update', targetGuid: appGuid})
    expect(update!.data).to.deep.equal({request: {environment_variables: '[PRIVATE DATA HIDDEN]'}})
    expect(
      ctx.sim.auditEvents({type: 'audit.app.environment_variables.show', targetGuid: appGuid}),
    ).to.have.length(1)
  })

  it('/permissions tells basic from sensitive read access', async () => {
    expect((await admin.get(`/v3/apps/${appGuid}/permissions`)).json).to.deep.equal({
      read_basic_data: true,
      read_sensitive_data: true,
    })
    const auditor = await ccAs(ctx.sim, 'globalAuditor')
    expect((await auditor.get(`/v3/apps/${appGuid}/permissions`)).json).to.deep.equal({
      read_basic_data: true,
      read_sensitive_data: false,
    })
  })

  it('processes: command hidden from non-readers of secrets, health checks, PATCH audited', async () => {
    const web = (await admin.get(`/v3/apps/${appGuid}/processes/web`)).json
    expect(web).to.include({type: 'web', command: 'java -jar app.jar', user: 'vcap', instances: 1})
    expect(web.health_check).to.deep.equal({
      type: 'port',
      data: {timeout: null, invocation_timeout: null, interval: null},
    })
    expect(web.readiness_health_check).to.deep.equal({
      type: 'process',
      data: {invocation_timeout: null, interval: null},
    })
    expect(web.links.stats.href).to.equal(`${ctx.sim.apiUrl}/v3/processes/${web.guid}/stats`)
    expect(web.version).to.be.a('string')
    const auditorView = (await (await ccAs(ctx.sim, 'spaceAuditor')).get(`/v3/processes/${web.guid}`)).json
    expect(auditorView.command).to.equal('[PRIVATE DATA HIDDEN]')
    const patched = await admin.patch(`/v3/processes/${web.guid}`, {
      health_check: {type: 'http', data: {endpoint: '/health', timeout: 30}},
    })
    expect(patched.json.health_check).to.deep.equal({
      type: 'http',
      data: {timeout: 30, invocation_timeout: null, interval: null, endpoint: '/health'},
    })
    expect(ctx.sim.auditEvents({type: 'audit.app.process.update', targetGuid: appGuid})).to.have.length(1)
  })

  it('stats: DOWN while stopped; RUNNING with instance guid, ports, routable, uptime after start', async () => {
    const web = (await admin.get(`/v3/apps/${appGuid}/processes/web`)).json
    const down = (await admin.get(`/v3/processes/${web.guid}/stats`)).json.resources
    expect(down).to.deep.equal([
      {
        type: 'web',
        index: 0,
        state: 'DOWN',
        routable: null,
        uptime: 0,
        isolation_segment: null,
        details: null,
      },
    ])
    await admin.post(`/v3/apps/${appGuid}/actions/start`)
    const starting = (await admin.get(`/v3/apps/${appGuid}/processes/web/stats`)).json.resources[0]
    expect(starting.state).to.equal('STARTING')
    expect(starting.routable).to.equal(false)
    ctx.sim.clock.advance(1000 + 42_000)
    const [s] = (await admin.get(`/v3/processes/${web.guid}/stats`)).json.resources
    expect(s).to.include({
      type: 'web',
      index: 0,
      state: 'RUNNING',
      routable: true,
      isolation_segment: null,
      details: null,
      fds_quota: 16384,
    })
    expect(s.instance_guid).to.match(/^[0-9a-f-]{36}$/)
    expect(s.uptime).to.be.within(42, 43)
    expect(s.mem_quota).to.equal(1024 * 1024 * 1024)
    expect(s.instance_ports[0]).to.have.keys(
      'external',
      'internal',
      'external_tls_proxy_port',
      'internal_tls_proxy_port',
    )
    expect(s.instance_ports[0].internal).to.equal(8080)
    expect(s.usage).to.have.keys('time', 'cpu', 'cpu_entitlement', 'mem', 'disk', 'log_rate')
    expect(s.host).to.match(/^10\.0\./)
    expect(s.instance_internal_ip).to.match(/^10\.255\./)
  })

  it('stats still answer, with empty usage and an X-Cf-Warnings header, when Log Cache has no metrics', async () => {
    await admin.post(`/v3/apps/${appGuid}/actions/start`)
    ctx.sim.clock.advance(1000)
    const web = (await admin.get(`/v3/apps/${appGuid}/processes/web`)).json
    ctx.sim.state.processes.get(web.guid)!.metricsUnavailable = true
    const res = await http('GET', `${ctx.sim.apiUrl}/v3/processes/${web.guid}/stats`, {token: admin.token})
    expect(res.status).to.equal(200)
    expect(res.json.resources[0].usage).to.deep.equal({})
    const warnings = res.rawHeaders.filter(
      (_, i) => i % 2 === 0 && res.rawHeaders[i]!.toLowerCase() === 'x-cf-warnings',
    ).length
    expect(warnings).to.equal(1)
    expect(res.headers.get('x-cf-warnings')).to.equal('Stats+server+temporarily+unavailable.')
  })

  it('with Diego unavailable, /stats and /process_instances answer 503 CF-InstancesUnavailable (§2.5)', async () => {
    await admin.post(`/v3/apps/${appGuid}/actions/start`)
    const web = (await admin.get(`/v3/apps/${appGuid}/processes/web`)).json
    ctx.sim.state.diegoUnavailable = true
    for (const path of [
      `/v3/processes/${web.guid}/stats`,
      `/v3/apps/${appGuid}/processes/web/stats`,
      `/v3/processes/${web.guid}/process_instances`,
    ]) {
      const res = await http('GET', `${ctx.sim.apiUrl}${path}`, {token: admin.token})
      expect(res.status, path).to.equal(503)
      expect(res.json.errors[0]).to.deep.include({title: 'CF-InstancesUnavailable', code: 220002})
    }
    const missing = await http('GET', `${ctx.sim.apiUrl}/v3/processes/no-such-guid/stats`, {
      token: admin.token,
    })
    expect(missing.status).to.equal(404)
  })

  it('embed=process_instances and /process_instances exist from CC 3.211 (since = seconds in state)', async () => {
    await admin.post(`/v3/apps/${appGuid}/actions/start`)
    ctx.sim.clock.advance(1000 + 10_000)
    const listed = (await admin.get(`/v3/apps/${appGuid}/processes?embed=process_instances`)).json
      .resources[0]
    expect(listed.process_instances).to.deep.equal([{index: 0, state: 'RUNNING', since: 10}])
    const direct = (await admin.get(`/v3/processes/${listed.guid}/process_instances`)).json
    expect(direct.resources).to.deep.equal([{index: 0, state: 'RUNNING', since: 10}])
    expect(direct.links.process.href).to.equal(`${ctx.sim.apiUrl}/v3/processes/${listed.guid}`)
  })

  it('kills an instance: Diego replaces it with a new instance guid at the same index', async () => {
    await admin.post(`/v3/apps/${appGuid}/actions/start`)
    ctx.sim.clock.advance(1000)
    const before = ctx.sim.instances(appGuid)[0]!
    const web = (await admin.get(`/v3/apps/${appGuid}/processes/web`)).json
    expect((await admin.delete(`/v3/processes/${web.guid}/instances/0`)).status).to.equal(204)
    const after = ctx.sim.instances(appGuid)[0]!
    expect(after.index).to.equal(0)
    expect(after.instanceGuid).to.not.equal(before.instanceGuid)
    expect(after.state).to.equal('STARTING')
  })
})

describe('contract: version gates for processes', () => {
  const ctx = useSimulator({ccVersion: '3.200.0'})
  it('below CC 3.211 embed is an unknown parameter and /process_instances is unknown', async () => {
    const admin = await ccAs(ctx.sim, 'admin')
    const space = (await admin.get('/v3/spaces?names=dev')).json.resources[0].guid
    const app = (await admin.post('/v3/apps', {name: 'a', relationships: {space: {data: {guid: space}}}}))
      .json.guid
    const res = await admin.get(`/v3/apps/${app}/processes?embed=process_instances`)
    expect(res.status).to.equal(400)
    const web = (await admin.get(`/v3/apps/${app}/processes/web`)).json
    expect(web.links).to.not.have.property('process_instances')
    expect((await admin.get(`/v3/processes/${web.guid}/process_instances`)).status).to.equal(404)
  })
})
