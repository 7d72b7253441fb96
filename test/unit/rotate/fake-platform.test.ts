/** The fake's model of CC and UAA, pinned to docs/platform-facts.md, so engine tests rest on the right rules. */

import {expect} from 'chai'

import {FakeCrash, FakePlatform} from '../../helpers/fake-platform.js'

describe('fake platform (the model the engine is tested against)', () => {
  it('UAA: ADD up to two secrets, DELETE drops the older, UPDATE replaces all (§8.6)', async () => {
    const f = new FakePlatform()
    f.addClient('c', ['s1'])
    expect(await f.changeClientSecret({clientId: 'c', changeMode: 'DELETE'})).to.equal('one-secret')
    expect(await f.changeClientSecret({clientId: 'c', changeMode: 'ADD', secret: 's2'})).to.equal('ok')
    expect(await f.changeClientSecret({clientId: 'c', changeMode: 'ADD', secret: 's3'})).to.equal(
      'two-secrets',
    )
    expect(
      await f.probeClientSecret({clientId: 'c', secret: 's1', tokenEndpoint: null, issuer: null}),
    ).to.equal('accepted')
    expect(await f.changeClientSecret({clientId: 'c', changeMode: 'DELETE'})).to.equal('ok')
    expect(f.client('c')!.secrets).to.deep.equal(['s2'])
    expect(
      await f.probeClientSecret({clientId: 'c', secret: 's1', tokenEndpoint: null, issuer: null}),
    ).to.equal('rejected')
    await f.changeClientSecret({clientId: 'c', changeMode: 'UPDATE', secret: 's9'})
    expect(f.client('c')!.secrets).to.deep.equal(['s9'])
    expect(
      await f.probeClientSecret({
        clientId: 'c',
        secret: 's9',
        tokenEndpoint: 'https://unknown/token',
        issuer: null,
      }),
    ).to.equal('error')
  })

  it('UPS PATCH replaces the whole object and copies it into bindings; running instances keep theirs (§5.3)', async () => {
    const f = new FakePlatform()
    const ups = f.addUps('s', 'u', {client_id: 'c', client_secret: 'old', extra: 'x'})
    const app = f.addApp('s', 'a', {instances: 1})
    f.bindAtSetup(app, ups)
    f.startApps()
    await f.updateServiceInstance(ups, {credentials: {client_id: 'c', client_secret: 'new'}})
    expect(f.instance(ups)!.credentials).to.deep.equal({client_id: 'c', client_secret: 'new'})
    expect(f.bindingsOf(ups)[0]!.credentials).to.deep.equal({client_id: 'c', client_secret: 'new'})
    expect(f.runningInstances(app)[0]!.vcap.get(ups)!.client_secret).to.equal('old')
    expect(f.audit.map((a) => a.type)).to.deep.equal(['audit.user_provided_service_instance.update'])
  })

  it('a rolling deployment snapshots the env when created and replaces max_in_flight instances per batch (§3.7)', async () => {
    const f = new FakePlatform()
    const ups = f.addUps('s', 'u', {client_id: 'c', client_secret: 'old'})
    const app = f.addApp('s', 'a', {instances: 3})
    f.bindAtSetup(app, ups)
    f.startApps()
    await f.updateServiceInstance(ups, {credentials: {client_id: 'c', client_secret: 'new'}})
    const d = await f.createDeployment({appGuid: app, maxInFlight: 2, metadata: {}})
    await f.updateServiceInstance(ups, {credentials: {client_id: 'c', client_secret: 'newer'}})
    await f.sleep(f.deploymentBatchMs)
    expect(f.runningInstances(app).map((i) => i.vcap.get(ups)!.client_secret)).to.deep.equal([
      'new',
      'new',
      'old',
    ])
    expect((await f.getDeployment(d.guid)).statusValue).to.equal('ACTIVE')
    await f.sleep(f.deploymentBatchMs)
    expect(f.runningInstances(app).map((i) => i.vcap.get(ups)!.client_secret)).to.deep.equal([
      'new',
      'new',
      'new',
    ])
    expect(await f.getDeployment(d.guid)).to.include({statusValue: 'FINALIZED', statusReason: 'DEPLOYED'})
    const second = await f.createDeployment({appGuid: app, maxInFlight: 1, metadata: {}})
    await f.createDeployment({appGuid: app, maxInFlight: 1, metadata: {}})
    expect((await f.getDeployment(second.guid)).statusReason).to.equal('SUPERSEDED')
  })

  it('strategy multiple: same name, limit, and the newest succeeded binding in VCAP (§5.6)', async () => {
    const f = new FakePlatform()
    const si = f.addManaged('s', 'sso')
    const app = f.addApp('s', 'a', {instances: 1})
    f.bindAtSetup(app, si, 'sso')
    const create = (name: string | null, strategy: 'single' | 'multiple' = 'multiple') =>
      f.createAppBinding({serviceInstanceGuid: si, appGuid: app, name, strategy, metadata: {}})
    expect(await create('sso', 'single')).to.include({status: 'refused', reason: 'already-bound'})
    expect(await create('other')).to.include({status: 'refused', reason: 'name-mismatch'})
    const made = await create('sso')
    expect(made.status).to.equal('created')
    expect(await create('sso')).to.include({status: 'refused', reason: 'in-progress'})
    await f.sleep(f.brokerJobMs)
    f.startApps(0)
    const newest = f.bindingsOf(si).find((b) => made.status === 'created' && b.guid === made.binding.guid)!
    expect(f.runningInstances(app)[0]!.vcap.get(si)!.client_id).to.equal(newest.credentials.client_id)
    f.bindingLimit = 2
    expect(await create('sso')).to.include({status: 'refused', reason: 'limit'})
  })

  it('faults: fail the Nth call of an operation; a crash kills every later call until restart', async () => {
    const f = new FakePlatform()
    f.faults = [
      {op: 'ccVersion', nth: 2, mode: 'fail-before'},
      {op: 'ccVersion', nth: 3, mode: 'crash-after'},
    ]
    expect(await f.ccVersion()).to.equal('3.228.0')
    let failed = false
    await f.ccVersion().catch(() => (failed = true))
    expect(failed).to.equal(true)
    let crashed: unknown
    await f.ccVersion().catch((e) => (crashed = e))
    expect(crashed).to.be.instanceOf(FakeCrash)
    let dead: unknown
    await f.getServiceInstance('x').catch((e) => (dead = e))
    expect(dead).to.be.instanceOf(FakeCrash)
    f.restart()
    expect(await f.getServiceInstance('x')).to.equal(null)
  })
})
