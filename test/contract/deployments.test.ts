import {expect} from 'chai'

import {newProcess} from '../../src/sim/cc/apps.js'
import type {Api} from '../helpers/sim.js'
import {ccAs, useSimulator} from '../helpers/sim.js'

const STARTUP = 60_000

describe('contract: apps lifecycle and rolling deployments (§3.6, §3.7)', () => {
  const ctx = useSimulator({instanceStartupMs: STARTUP}, {each: true})
  let admin: Api
  let appGuid: string
  let upsGuid: string

  beforeEach(async () => {
    admin = await ccAs(ctx.sim, 'admin')
    const space = (await admin.get('/v3/spaces?names=dev')).json.resources[0].guid
    appGuid = (
      await admin.post('/v3/apps', {name: 'billing-api', relationships: {space: {data: {guid: space}}}})
    ).json.guid
    const web = (await admin.get(`/v3/apps/${appGuid}/processes/web`)).json
    await admin.post(`/v3/processes/${web.guid}/actions/scale`, {instances: 3})
    // A worker process, as a push with a Procfile would create.
    const state = ctx.sim.state
    state.processes.add(newProcess(state, state.apps.get(appGuid)!, 'worker', 1, state.now()))
    upsGuid = (
      await admin.post('/v3/service_instances', {
        type: 'user-provided',
        name: 'billing-oidc',
        credentials: {client_id: 'billing', client_secret: 'v1'},
        relationships: {space: {data: {guid: space}}},
      })
    ).json.guid
    await admin.post('/v3/service_credential_bindings', {
      type: 'app',
      relationships: {service_instance: {data: {guid: upsGuid}}, app: {data: {guid: appGuid}}},
    })
    expect((await admin.post(`/v3/apps/${appGuid}/actions/start`)).status).to.equal(200)
    ctx.sim.clock.advance(STARTUP)
  })

  const secretOf = (view: {vcapServices: Record<string, unknown[]>}) =>
    ((view.vcapServices['user-provided']?.[0] as {credentials: {client_secret: string}}) ?? {credentials: {}})
      .credentials.client_secret
  const web = () => ctx.sim.instances(appGuid).filter((i) => i.type === 'web')

  it('start makes instances STARTING then RUNNING with the credentials of the start time', () => {
    const instances = web()
    expect(instances).to.have.length(3)
    expect(instances.every((i) => i.state === 'RUNNING' && secretOf(i) === 'v1')).to.equal(true)
    expect(ctx.sim.auditEvents({type: 'audit.app.start', targetGuid: appGuid})).to.have.length(1)
  })

  it('rolls: old and new side by side, then only new; new instances see the credentials current at deployment time', async () => {
    const oldGuids = web().map((i) => i.instanceGuid)
    await admin.patch(`/v3/service_instances/${upsGuid}`, {
      credentials: {client_id: 'billing', client_secret: 'v2'},
    })
    const workerBefore = ctx.sim.instances(appGuid).find((i) => i.type === 'worker')!

    const res = await admin.post('/v3/deployments', {
      relationships: {app: {data: {guid: appGuid}}},
      strategy: 'rolling',
      options: {max_in_flight: 1},
    })
    expect(res.status).to.equal(201)
    const d = res.json
    expect(d.status).to.deep.include({value: 'ACTIVE', reason: 'DEPLOYING'})
    expect(d.strategy).to.equal('rolling')
    expect(d.options.max_in_flight).to.equal(1)
    expect(d.new_processes).to.have.length(1)
    expect(d.new_processes[0].type).to.equal('web')
    expect(d.links.cancel).to.deep.equal({
      href: `${ctx.sim.apiUrl}/v3/deployments/${d.guid}/actions/cancel`,
      method: 'POST',
    })
    expect(d.relationships.app.data.guid).to.equal(appGuid)
    expect(d.revision).to.have.keys('guid', 'version')

    // The deployment's environment was fixed when it was created: a later change is not seen.
    await admin.patch(`/v3/service_instances/${upsGuid}`, {
      credentials: {client_id: 'billing', client_secret: 'v3'},
    })

    let now = web()
    expect(now.filter((i) => oldGuids.includes(i.instanceGuid))).to.have.length(3)
    const fresh = now.filter((i) => !oldGuids.includes(i.instanceGuid))
    expect(fresh.map((i) => [i.index, i.state])).to.deep.equal([[0, 'STARTING']])

    ctx.sim.clock.advance(STARTUP)
    now = web()
    const olds = now.filter((i) => oldGuids.includes(i.instanceGuid))
    const news = now.filter((i) => !oldGuids.includes(i.instanceGuid))
    expect(olds.map((i) => i.index).sort()).to.deep.equal([0, 1])
    expect(news.map((i) => [i.index, i.state])).to.deep.equal([
      [0, 'RUNNING'],
      [1, 'STARTING'],
    ])
    expect(olds.every((i) => secretOf(i) === 'v1')).to.equal(true, 'old instances keep the old credentials')
    expect(news.every((i) => secretOf(i) === 'v2')).to.equal(true, 'new instances get the new credentials')

    // Both web processes are visible through the API while rolling, with distinct instance guids.
    const processes = (await admin.get(`/v3/apps/${appGuid}/processes?types=web`)).json.resources
    expect(processes).to.have.length(2)
    const stats = await Promise.all(
      processes.map((p: {guid: string}) => admin.get(`/v3/processes/${p.guid}/stats`)),
    )
    const statGuids = stats
      .flatMap((s) => s.json.resources.map((r: {instance_guid?: string}) => r.instance_guid))
      .filter(Boolean)
    expect(new Set(statGuids).size).to.equal(statGuids.length)
    expect(statGuids).to.have.length(4)

    ctx.sim.clock.advance(STARTUP * 2)
    now = web()
    expect(now.every((i) => !oldGuids.includes(i.instanceGuid))).to.equal(true)
    expect(now.map((i) => i.index).sort()).to.deep.equal([0, 1, 2])
    expect(now.every((i) => i.state === 'RUNNING' && secretOf(i) === 'v2')).to.equal(true)
    const done = await admin.get(`/v3/deployments/${d.guid}`)
    expect(done.json.status).to.deep.include({value: 'FINALIZED', reason: 'DEPLOYED'})
    expect(done.json.state).to.equal('DEPLOYED')
    expect((await admin.get(`/v3/apps/${appGuid}/processes?types=web`)).json.resources).to.have.length(1)

    const workerAfter = ctx.sim.instances(appGuid).find((i) => i.type === 'worker')!
    expect(workerAfter.instanceGuid).to.not.equal(
      workerBefore.instanceGuid,
      'non-web processes restart at finalisation',
    )
    expect(ctx.sim.auditEvents({type: 'audit.app.deployment.create', targetGuid: appGuid})).to.have.length(1)
    expect(ctx.sim.auditEvents({type: 'audit.app.restart', targetGuid: appGuid})).to.have.length(0)
  })

  it('max_in_flight starts several new instances at once', async () => {
    await admin.post('/v3/deployments', {
      relationships: {app: {data: {guid: appGuid}}},
      options: {max_in_flight: 2},
    })
    expect(web().filter((i) => i.state === 'STARTING')).to.have.length(2)
    const bad = await admin.post('/v3/deployments', {
      relationships: {app: {data: {guid: appGuid}}},
      options: {max_in_flight: 0},
    })
    expect(bad.status).to.equal(422)
  })

  it('a new deployment supersedes the active one; list filters by status', async () => {
    const first = (await admin.post('/v3/deployments', {relationships: {app: {data: {guid: appGuid}}}})).json
    const second = (await admin.post('/v3/deployments', {relationships: {app: {data: {guid: appGuid}}}})).json
    const superseded = await admin.get(`/v3/deployments/${first.guid}`)
    expect(superseded.json.status).to.deep.include({value: 'FINALIZED', reason: 'SUPERSEDED'})
    const active = await admin.get(`/v3/deployments?app_guids=${appGuid}&status_values=ACTIVE`)
    expect(active.json.resources.map((x: {guid: string}) => x.guid)).to.deep.equal([second.guid])
    ctx.sim.clock.advance(STARTUP * 4)
    expect((await admin.get(`/v3/deployments/${second.guid}`)).json.status.reason).to.equal('DEPLOYED')
    expect(web()).to.have.length(3)
    expect((await admin.get(`/v3/apps/${appGuid}/processes?types=web`)).json.resources).to.have.length(1)
    const reasons = await admin.get(`/v3/deployments?status_reasons=SUPERSEDED,DEPLOYED&order_by=-created_at`)
    expect(reasons.json.resources.map((x: {guid: string}) => x.guid)).to.deep.equal([second.guid, first.guid])
  })

  it('cancel rolls back to the old process and its environment', async () => {
    const oldGuids = new Set(web().map((i) => i.instanceGuid))
    await admin.patch(`/v3/service_instances/${upsGuid}`, {credentials: {client_secret: 'v2'}})
    const d = (await admin.post('/v3/deployments', {relationships: {app: {data: {guid: appGuid}}}})).json
    ctx.sim.clock.advance(STARTUP)
    const cancel = await admin.post(`/v3/deployments/${d.guid}/actions/cancel`)
    expect(cancel.status).to.equal(200)
    expect((await admin.get(`/v3/deployments/${d.guid}`)).json.status).to.deep.include({
      value: 'FINALIZED',
      reason: 'CANCELED',
    })
    ctx.sim.clock.advance(STARTUP)
    const after = web()
    expect(after).to.have.length(3)
    expect(after.every((i) => secretOf(i) === 'v1')).to.equal(true)
    expect(after.filter((i) => oldGuids.has(i.instanceGuid))).to.have.length(2)
    const again = await admin.post(`/v3/deployments/${d.guid}/actions/cancel`)
    expect(again.status).to.equal(422)
    expect(ctx.sim.auditEvents({type: 'audit.app.deployment.cancel', targetGuid: appGuid})).to.have.length(1)
  })

  it('a deployment of a STOPPED app starts it and is FINALIZED/DEPLOYED at once', async () => {
    await admin.post(`/v3/apps/${appGuid}/actions/stop`)
    expect(web()).to.have.length(0)
    const d = (await admin.post('/v3/deployments', {relationships: {app: {data: {guid: appGuid}}}})).json
    expect(d.status).to.deep.include({value: 'FINALIZED', reason: 'DEPLOYED'})
    expect((await admin.get(`/v3/apps/${appGuid}`)).json.state).to.equal('STARTED')
  })

  it('restart replaces every instance at once (downtime) and records audit.app.restart', async () => {
    const before = web().map((i) => i.instanceGuid)
    const res = await admin.post(`/v3/apps/${appGuid}/actions/restart`)
    expect(res.status).to.equal(200)
    expect(res.json.state).to.equal('STARTED')
    const now = web()
    expect(now.every((i) => i.state === 'STARTING' && !before.includes(i.instanceGuid))).to.equal(true)
    expect(ctx.sim.auditEvents({type: 'audit.app.restart', targetGuid: appGuid})).to.have.length(1)
  })

  it('canary pauses after the canary instance until continued', async () => {
    const d = (
      await admin.post('/v3/deployments', {relationships: {app: {data: {guid: appGuid}}}, strategy: 'canary'})
    ).json
    ctx.sim.clock.advance(STARTUP)
    const paused = (await admin.get(`/v3/deployments/${d.guid}`)).json
    expect(paused.status).to.deep.include({value: 'ACTIVE', reason: 'PAUSED'})
    expect((await admin.post(`/v3/deployments/${d.guid}/actions/continue`)).status).to.equal(200)
    ctx.sim.clock.advance(STARTUP * 4)
    expect((await admin.get(`/v3/deployments/${d.guid}`)).json.status.reason).to.equal('DEPLOYED')
  })

  it('auditors may read deployments but not create them', async () => {
    const auditor = await ccAs(ctx.sim, 'spaceAuditor')
    const res = await auditor.post('/v3/deployments', {relationships: {app: {data: {guid: appGuid}}}})
    expect(res.status).to.equal(403)
    const supporter = await ccAs(ctx.sim, 'spaceSupporter')
    expect(
      (await supporter.post('/v3/deployments', {relationships: {app: {data: {guid: appGuid}}}})).status,
    ).to.equal(201)
    expect((await auditor.get('/v3/deployments')).json.resources).to.have.length(1)
  })
})
