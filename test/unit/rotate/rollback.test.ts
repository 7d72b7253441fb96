import {expect} from 'chai'

import {stateServiceName} from '../../../src/rotate/annotations.js'
import {ANNOTATION} from '../../../src/model/annotations.js'
import {collect, retire, rollback, rotate} from '../../../src/rotate/engine.js'
import {baseOptions, CLIENT, upsWorld, watchInstances} from './world.js'

const DAY = 86_400_000

describe('rollback of a user-provided service rotation', () => {
  it('goes back to the previous secret during the grace period, no instance ever holding a rejected one', async () => {
    const w = upsWorld()
    const seen = watchInstances(w.fake)
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({graceMs: DAY})))
    const {events, outcome} = await collect(rollback(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))

    expect(outcome.status).to.equal('rolled-back')
    expect(seen.violations).to.deep.equal([])
    const secrets = w.fake.client(CLIENT)!.secrets
    expect(secrets.length).to.equal(1)
    expect(secrets[0] === w.initialSecret).to.equal(true, 'UAA accepts only the previous secret')
    expect(w.fake.instance(w.ups)!.credentials!.client_secret === w.initialSecret).to.equal(true)
    for (const app of [w.apps.api, w.apps.web]) {
      for (const inst of w.fake.runningInstances(app)) {
        expect(inst.vcap.get(w.ups)!.client_secret === w.initialSecret).to.equal(true)
      }
    }
    expect(w.fake.changesOf(CLIENT, 'UPDATE')).to.equal(1)
    expect(w.fake.changesOf(CLIENT, 'DELETE')).to.equal(0, 'DELETE would remove the older (restored) secret')
    const annotations = w.fake.instance(w.ups)!.annotations
    expect(annotations[ANNOTATION.rolledBackAt]).to.be.a('string')
    expect(annotations[ANNOTATION.retireAfter]).to.equal(undefined)
    expect(annotations[ANNOTATION.lease]).to.equal(undefined)
    expect([...w.fake.instancesById.values()].some((s) => s.name === stateServiceName(w.ups))).to.equal(false)
    expect(events.filter((e) => e.type === 'step-done').map((e) => e.step)).to.deep.equal([
      'lease',
      'restore-credentials',
      'roll-apps',
      'verify-instances',
      'revert-client',
      'finalize',
    ])
  })

  it('updates UAA only after every instance runs the restored secret', async () => {
    const w = upsWorld()
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({graceMs: DAY})))
    let instancesAtUpdate: string[] | null = null
    w.fake.afterCall = (op) => {
      if (
        op === 'changeClientSecret' &&
        w.fake.changesOf(CLIENT, 'UPDATE') === 1 &&
        instancesAtUpdate === null
      ) {
        instancesAtUpdate = [w.apps.api, w.apps.web].flatMap((a) =>
          w.fake.runningInstances(a).map((i) => String(i.vcap.get(w.ups)!.client_secret === w.initialSecret)),
        )
      }
    }
    await collect(rollback(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(instancesAtUpdate).to.deep.equal(['true', 'true', 'true', 'true', 'true'])
  })

  it('rolls back a rotation stopped before the credentials changed: UAA only, no roll', async () => {
    const w = upsWorld()
    w.fake.faults = [{op: 'updateServiceInstance', nth: 2, mode: 'crash-before'}]
    const first = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(first.outcome.status).to.equal('halted')
    expect(w.fake.client(CLIENT)!.secrets.length).to.equal(2)
    w.fake.restart()
    const {events, outcome} = await collect(rollback(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('rolled-back')
    expect(events.filter((e) => e.type === 'step-done').map((e) => e.step)).to.deep.equal([
      'lease',
      'revert-client',
      'finalize',
    ])
    expect(w.fake.calls.filter((c) => c.op === 'createDeployment')).to.have.length(0)
    expect(w.fake.client(CLIENT)!.secrets[0] === w.initialSecret).to.equal(true)
    expect(w.fake.client(CLIENT)!.secrets.length).to.equal(1)
  })

  it('rolls back a rotation stopped in the middle of its roll', async () => {
    const w = upsWorld()
    const seen = watchInstances(w.fake)
    w.fake.faults = [{op: 'getDeployment', nth: 1, mode: 'crash-before'}]
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    w.fake.restart()
    const {outcome} = await collect(rollback(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('rolled-back')
    expect(seen.violations).to.deep.equal([])
    expect(w.fake.client(CLIENT)!.secrets).to.have.length(1)
  })

  it('is refused once the previous secret is retired, or with nothing to roll back', async () => {
    const w = upsWorld()
    const none = await collect(rollback(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(none.outcome.status).to.equal('refused')
    expect(none.outcome.message).to.contain('nothing to roll back')

    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({graceMs: DAY})))
    await collect(retire(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({force: true})))
    const late = await collect(rollback(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(late.outcome.status).to.equal('refused')
    expect(w.fake.changesOf(CLIENT, 'UPDATE')).to.equal(0)
  })

  it('a rollback interrupted at any call finishes on re-run', async () => {
    const probe = upsWorld()
    await collect(rotate(probe.fake, {serviceInstanceGuid: probe.ups}, baseOptions({graceMs: DAY})))
    const start = probe.fake.calls.length
    await collect(rollback(probe.fake, {serviceInstanceGuid: probe.ups}, baseOptions()))
    const rollbackCalls = probe.fake.calls.length - start
    for (let i = 1; i <= rollbackCalls; i++) {
      for (const mode of ['fail-after', 'crash-after', 'crash-before'] as const) {
        const w = upsWorld()
        const seen = watchInstances(w.fake)
        await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({graceMs: DAY})))
        w.fake.faults = [{index: w.fake.calls.length + i, mode}]
        await collect(rollback(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
        w.fake.restart()
        const again = await collect(rollback(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
        const where = `${mode} at rollback call ${i}`
        const done =
          again.outcome.status === 'rolled-back' || again.outcome.message.includes('nothing to roll back')
        expect(done, `${where}: ${again.outcome.message}`).to.equal(true)
        expect(w.fake.client(CLIENT)!.secrets, where).to.have.length(1)
        expect(w.fake.client(CLIENT)!.secrets[0] === w.initialSecret, where).to.equal(true)
        expect(seen.violations, where).to.deep.equal([])
      }
    }
  })
})

describe('retire after apps changed during the grace period', () => {
  it('rolls an app bound during the grace period before retiring the old secret', async () => {
    const w = upsWorld()
    const seen = watchInstances(w.fake)
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({graceMs: DAY})))
    // A new app is bound and started later; nothing proves which secret its containers hold.
    const late = w.fake.addApp('space-0000-prod', 'billing-late', {instances: 1})
    w.fake.bindAtSetup(late, w.ups)
    w.fake.app(late)!.instances = []
    w.fake.startApps(0)
    w.fake.advance(DAY + 1)
    const {outcome, events} = await collect(retire(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('retired')
    const roll = events.find((e) => e.type === 'step-done' && e.step === 'roll-apps')!
    expect(roll.data!.apps).to.deep.equal([late])
    expect(seen.violations).to.deep.equal([])
    expect(w.fake.client(CLIENT)!.secrets).to.have.length(1)
  })
})
