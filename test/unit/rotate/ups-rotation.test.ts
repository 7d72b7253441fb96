import {expect} from 'chai'

import {stateServiceName} from '../../../src/rotate/annotations.js'
import {ANNOTATION} from '../../../src/model/annotations.js'
import {collect, planOnly, retire, rotate} from '../../../src/rotate/engine.js'
import type {RotationEvent} from '../../../src/rotate/events.js'
import type {FakePlatform} from '../../helpers/fake-platform.js'
import {baseOptions, CLIENT, upsWorld, watchInstances} from './world.js'

const DAY = 86_400_000

function auditCounts(fake: FakePlatform, from = 0): Map<string, number> {
  const counts = new Map<string, number>()
  for (const a of fake.audit.slice(from)) counts.set(a.type, (counts.get(a.type) ?? 0) + 1)
  return counts
}

function companionExists(fake: FakePlatform, ups: string): boolean {
  return [...fake.instancesById.values()].some((s) => s.name === stateServiceName(ups))
}

describe('rotate: user-provided service holding a UAA client secret', () => {
  it('rotates with every running instance holding an accepted secret before, during and after', async () => {
    const w = upsWorld()
    const before = structuredClone(w.fake.instance(w.ups)!.credentials!)
    const seen = watchInstances(w.fake)
    expect(w.fake.rejectedInstances()).to.deep.equal([])

    const {events, outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))

    expect(outcome.status).to.equal('completed')
    expect(outcome.exitCode).to.equal(0)
    expect(seen.violations).to.deep.equal([])
    expect(w.fake.rejectedInstances()).to.deep.equal([])
    const after = w.fake.instance(w.ups)!.credentials!
    const secrets = w.fake.client(CLIENT)!.secrets
    expect(secrets.length).to.equal(1)
    expect(after.client_secret === secrets[0]).to.equal(true, 'the UPS holds the only secret UAA accepts')
    expect(after.client_secret === before.client_secret).to.equal(false, 'the secret changed')
    expect({...after, client_secret: 'x'}).to.deep.equal(
      {...before, client_secret: 'x'},
      'only the secret changed',
    )
    for (const app of [w.apps.api, w.apps.web]) {
      for (const inst of w.fake.runningInstances(app)) {
        expect(inst.vcap.get(w.ups)!.client_secret === secrets[0]).to.equal(
          true,
          'instance runs the new secret',
        )
      }
    }
    expect(w.fake.app(w.apps.batch)!.state).to.equal('STOPPED', 'a stopped app is not started')
    expect(w.fake.app(w.apps.api)!.restarts).to.equal(1, 'non-web processes restart once at finalisation')
    expect(w.fake.changesOf(CLIENT, 'ADD')).to.equal(1)
    expect(w.fake.changesOf(CLIENT, 'DELETE')).to.equal(1)
    expect(companionExists(w.fake, w.ups)).to.equal(false, 'pending state removed')

    const annotations = w.fake.instance(w.ups)!.annotations
    expect(annotations[ANNOTATION.rotatedBy]).to.equal('ops@host-a')
    expect(annotations[ANNOTATION.rotationId]).to.equal(outcome.rotationId)
    expect(annotations[ANNOTATION.rotatedAt]).to.be.a('string')
    expect(annotations[ANNOTATION.credentialsUpdatedAt]).to.be.a('string')
    expect(annotations[ANNOTATION.lease]).to.equal(undefined)
    expect(annotations[ANNOTATION.retireAfter]).to.equal(undefined)

    const steps = events.filter((e) => e.type === 'step-done').map((e) => e.step)
    expect(steps).to.deep.equal([
      'lease',
      'persist-secret',
      'add-secret',
      'verify-secret',
      'update-credentials',
      'roll-apps',
      'verify-instances',
      'retire-secret',
      'finalize',
    ])
    expect(events[0]!.type).to.equal('plan')
    expect(events.at(-1)!.type).to.equal('done')
  })

  it('persists the new secret on the platform before UAA is asked to accept it', async () => {
    const w = upsWorld()
    const order: string[] = []
    w.fake.afterCall = (op) => {
      if (op === 'createUserProvidedService') order.push('stored')
      if (op === 'changeClientSecret' && w.fake.client(CLIENT)!.secrets.length === 2) order.push('added')
    }
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(order.slice(0, 2)).to.deep.equal(['stored', 'added'])
  })

  it('causes exactly the audit events its plan announces', async () => {
    const w = upsWorld()
    const plan = await planOnly(w.fake, 'rotate', {serviceInstanceGuid: w.ups}, baseOptions())
    const from = w.fake.audit.length
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    const actual = auditCounts(w.fake, from)
    const planned = new Map(plan.auditEvents.map((e) => [e.type, e.count]))
    for (const [type, count] of actual) {
      expect(planned.has(type), `unannounced audit event ${type}`).to.equal(true)
      const expected = planned.get(type)
      if (expected !== null) expect(count, type).to.equal(expected)
    }
    for (const type of planned.keys())
      expect(actual.has(type), `announced but not caused: ${type}`).to.equal(true)
    expect(planned.get('audit.app.deployment.create')).to.equal(2)
  })

  it('rolls with the requested max_in_flight and reports the blast radius in its plan', async () => {
    const w = upsWorld()
    const plan = await planOnly(w.fake, 'rotate', {serviceInstanceGuid: w.ups}, baseOptions({maxInFlight: 2}))
    const byName = new Map(plan.apps.map((a) => [a.name, [a.roll, a.toReplace]]))
    expect(Object.fromEntries(byName)).to.deep.equal({
      'billing-api': [true, 3],
      'billing-web': [true, 2],
      'billing-batch': [false, 0],
    })
    expect(plan.expectedRestarts).to.deep.equal({
      webInstances: 5,
      processes: [{app: 'billing-api', types: ['worker']}],
    })
    expect(plan.warnings.some((x) => x.includes('billing-batch') && x.includes('stopped'))).to.equal(true)
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({maxInFlight: 2})))
    const deploys = w.fake.calls.filter((c) => c.op === 'createDeployment')
    expect(deploys.length).to.equal(2)
    expect(deploys.every((c) => c.args.endsWith('max_in_flight=2'))).to.equal(true)
  })

  it('refuses to start while a bound app has an active deployment, and changes nothing', async () => {
    const w = upsWorld()
    await w.fake.createDeployment({appGuid: w.apps.web, maxInFlight: 1, metadata: {}})
    const mutations = w.fake.calls.filter((c) => c.mutating).length
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('refused')
    expect(outcome.message).to.contain('billing-web has an active deployment')
    expect(w.fake.calls.filter((c) => c.mutating).length).to.equal(mutations)
  })

  it('halts (exit 6) when a deployment is canceled, and a re-run after the cause is fixed finishes', async () => {
    const w = upsWorld()
    const seen = watchInstances(w.fake)
    w.fake.deploymentOutcome.set(w.apps.web, 'CANCELED')
    const first = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(first.outcome.status).to.equal('halted')
    expect(first.outcome.exitCode).to.equal(6)
    expect(first.outcome.failedStep).to.equal('roll-apps')
    expect(first.outcome.message).to.contain('CANCELED')
    expect(w.fake.instance(w.ups)!.annotations[ANNOTATION.lease]).to.equal(
      undefined,
      'the lease is given back',
    )
    expect(w.fake.client(CLIENT)!.secrets.length).to.equal(2, 'the old secret stays valid')
    w.fake.deploymentOutcome.delete(w.apps.web)
    const second = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(second.outcome.status).to.equal('completed')
    expect(second.outcome.rotationId).to.equal(first.outcome.rotationId)
    expect(second.events.filter((e) => e.type === 'step-skip').map((e) => e.step)).to.include.members([
      'persist-secret',
      'add-secret',
      'update-credentials',
    ])
    expect(w.fake.changesOf(CLIENT, 'ADD')).to.equal(1)
    expect(seen.violations).to.deep.equal([])
  })

  it('halts when a deployment outlasts the timeout; the old secret stays valid meanwhile', async () => {
    const w = upsWorld()
    w.fake.deploymentBatchMs = 10 * 60_000
    const {outcome} = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({timeoutMs: 60_000})),
    )
    expect(outcome.status).to.equal('halted')
    expect(outcome.message).to.contain('after the timeout')
    expect(w.fake.rejectedInstances()).to.deep.equal([])
    expect(w.fake.changesOf(CLIENT, 'DELETE')).to.equal(0)
  })

  it('refuses a second rotation right after one finished unless forced', async () => {
    const w = upsWorld()
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    const again = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(again.outcome.status).to.equal('refused')
    expect(again.outcome.message).to.contain('that rotation is complete')
    const forced = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({force: true})))
    expect(forced.outcome.status).to.equal('completed')
    expect(w.fake.changesOf(CLIENT, 'DELETE')).to.equal(2)
  })
})

describe('rotate with a grace period, then retire', () => {
  it('leaves the old secret valid until retire-after, and retire removes it exactly once', async () => {
    const w = upsWorld()
    const seen = watchInstances(w.fake)
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({graceMs: DAY})))
    expect(outcome.status).to.equal('grace')
    const rotatedAt = w.fake.instance(w.ups)!.annotations[ANNOTATION.rotatedAt]!
    expect(Date.parse(outcome.retireAfter!) - Date.parse(rotatedAt)).to.equal(DAY)
    expect(w.fake.client(CLIENT)!.secrets.length).to.equal(2)
    expect(w.fake.instance(w.ups)!.annotations[ANNOTATION.retireAfter]).to.equal(outcome.retireAfter)
    expect(w.fake.instance(w.ups)!.annotations[ANNOTATION.lease]).to.equal(undefined)
    expect(companionExists(w.fake, w.ups)).to.equal(true, 'the previous secret is kept for rollback')

    const rotateAgain = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({force: true})),
    )
    expect(rotateAgain.outcome.status).to.equal('refused')
    expect(rotateAgain.outcome.message).to.contain('grace period')

    const early = await collect(retire(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(early.outcome.status).to.equal('refused')
    expect(early.outcome.message).to.contain('grace period runs until')
    expect(w.fake.changesOf(CLIENT, 'DELETE')).to.equal(0)

    w.fake.advance(DAY + 1000)
    const retired = await collect(retire(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(retired.outcome.status).to.equal('retired')
    expect(w.fake.changesOf(CLIENT, 'DELETE')).to.equal(1)
    expect(w.fake.client(CLIENT)!.secrets.length).to.equal(1)
    expect(w.fake.instance(w.ups)!.annotations[ANNOTATION.retireAfter]).to.equal(undefined)
    expect(companionExists(w.fake, w.ups)).to.equal(false)
    expect(seen.violations).to.deep.equal([])

    const twice = await collect(retire(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(twice.outcome.status).to.equal('refused')
    expect(w.fake.changesOf(CLIENT, 'DELETE')).to.equal(1, 'never a second DELETE')
  })

  it('retires before retire-after with force', async () => {
    const w = upsWorld()
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({graceMs: DAY})))
    const {outcome} = await collect(retire(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({force: true})))
    expect(outcome.status).to.equal('retired')
    expect(w.fake.client(CLIENT)!.secrets.length).to.equal(1)
  })

  it('a retire interrupted after DELETE finishes on re-run without a second DELETE', async () => {
    const w = upsWorld()
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({graceMs: DAY})))
    w.fake.advance(DAY + 1000)
    const deletes = w.fake.calls.filter((c) => c.op === 'changeClientSecret').length
    w.fake.faults = [{op: 'changeClientSecret', nth: deletes + 1, mode: 'crash-after'}]
    const first = await collect(retire(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(first.outcome.status).to.equal('halted')
    w.fake.restart()
    const second = await collect(retire(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(second.outcome.status).to.equal('retired')
    expect(w.fake.changesOf(CLIENT, 'DELETE')).to.equal(1)
  })
})

describe('dry run', () => {
  it('returns the plan and changes nothing on the platform', async () => {
    const w = upsWorld()
    const before = w.fake.snapshot()
    const auditBefore = w.fake.audit.length
    const {events, outcome} = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({dryRun: true})),
    )
    expect(outcome.status).to.equal('dry-run')
    const plan = events.find((e): e is Extract<RotationEvent, {type: 'plan'}> => e.type === 'plan')!.plan
    expect(plan.steps.filter((s) => s.run).map((s) => s.id)).to.have.length(9)
    expect(plan.refusals).to.deep.equal([])
    expect(w.fake.calls.some((c) => c.mutating)).to.equal(false, 'no mutating call')
    // A dry run reads no secret, so it leaves no audit event at all; the plan announces the
    // credential reads of the real run.
    expect(w.fake.audit.slice(auditBefore)).to.deep.equal([])
    expect(w.fake.calls.some((c) => c.op === 'readUpsCredentials')).to.equal(false, 'no credentials read')
    expect(plan.auditEvents.some((e) => e.type === 'audit.user_provided_service_instance.show')).to.equal(
      true,
    )
    expect(w.fake.snapshot()).to.equal(before)
  })

  it('planOnly describes a resumed rotation: done steps are skipped with the reason', async () => {
    const w = upsWorld()
    w.fake.faults = [{op: 'createDeployment', nth: 1, mode: 'crash-before'}]
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    w.fake.restart()
    const plan = await planOnly(w.fake, 'rotate', {serviceInstanceGuid: w.ups}, baseOptions())
    expect(plan.resume).to.equal(true)
    expect(plan.phase).to.equal('updated')
    expect(plan.steps.filter((s) => s.run).map((s) => s.id)).to.deep.equal([
      'lease',
      'roll-apps',
      'verify-instances',
      'retire-secret',
      'finalize',
    ])
    expect(plan.steps.find((s) => s.id === 'add-secret')!.skipReason).to.equal('already done (phase updated)')
  })
})
