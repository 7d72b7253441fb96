import {expect} from 'chai'

import {ANNOTATION} from '../../../src/model/annotations.js'
import {collect, planOnly, retire, rollback, rotate} from '../../../src/rotate/engine.js'
import {baseOptions, managedWorld, watchInstances} from './world.js'

const DAY = 86_400_000

describe('rotate: managed bindings with strategy multiple', () => {
  it('creates a same-name binding per app, rolls, then deletes the older ones; no instance ever rejected', async () => {
    const w = managedWorld()
    const oldBindings = w.fake.bindingsOf(w.si).map((b) => b.guid)
    const oldClients = w.fake.bindingsOf(w.si).map((b) => b.credentials.client_id as string)
    const seen = watchInstances(w.fake)
    const plan = await planOnly(w.fake, 'rotate', {serviceInstanceGuid: w.si}, baseOptions())
    expect(plan.versionGates).to.deep.equal([
      {
        feature: 'credential bindings with strategy multiple',
        required: '3.205.0',
        actual: '3.228.0',
        ok: true,
      },
    ])
    const auditFrom = w.fake.audit.length

    const {outcome, events} = await collect(rotate(w.fake, {serviceInstanceGuid: w.si}, baseOptions()))

    expect(outcome.status).to.equal('completed')
    expect(seen.violations).to.deep.equal([])
    const now = w.fake.bindingsOf(w.si)
    expect(now).to.have.length(2)
    expect(now.every((b) => b.name === 'sso')).to.equal(true, 'same binding name')
    expect(now.some((b) => oldBindings.includes(b.guid))).to.equal(false, 'older bindings deleted')
    expect(oldClients.every((c) => w.fake.client(c) === undefined)).to.equal(
      true,
      'their credentials revoked',
    )
    for (const app of [w.apps.api, w.apps.web]) {
      const mine = now.find((b) => b.appGuid === app)!
      for (const inst of w.fake.runningInstances(app)) {
        expect(inst.vcap.get(w.si)!.client_id).to.equal(mine.credentials.client_id)
      }
    }
    expect(w.fake.instance(w.si)!.annotations[ANNOTATION.journal]).to.equal(undefined)
    expect(events.filter((e) => e.type === 'step-done').map((e) => e.step)).to.deep.equal([
      'lease',
      'record-journal',
      'create-bindings',
      'roll-apps',
      'verify-instances',
      'delete-old-bindings',
      'finalize',
    ])
    const created = w.fake.calls.filter((c) => c.op === 'createAppBinding')
    expect(created.every((c) => c.args.endsWith('multiple'))).to.equal(true)
    const counts = new Map<string, number>()
    for (const a of w.fake.audit.slice(auditFrom)) counts.set(a.type, (counts.get(a.type) ?? 0) + 1)
    for (const e of plan.auditEvents) {
      if (e.count !== null) expect(counts.get(e.type), e.type).to.equal(e.count)
      else expect(counts.has(e.type), e.type).to.equal(true)
    }
    for (const t of counts.keys())
      expect(
        plan.auditEvents.some((e) => e.type === t),
        `unannounced ${t}`,
      ).to.equal(true)
  })

  it('refuses with a clear message when only one binding per app is allowed, leaving things as they were', async () => {
    const w = managedWorld()
    w.fake.bindingLimit = 1
    const before = w.fake.bindingsOf(w.si).map((b) => b.guid)
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.si}, baseOptions()))
    expect(outcome.status).to.equal('refused')
    expect(outcome.message).to.contain('a second binding per app is not allowed')
    expect(outcome.error!.suggestions.join(' ')).to.contain('--allow-downtime')
    expect(outcome.error!.suggestions.join(' ')).to.contain(
      'max_service_credential_bindings_per_app_service_instance',
    )
    expect(w.fake.bindingsOf(w.si).map((b) => b.guid)).to.deep.equal(before)
    const annotations = w.fake.instance(w.si)!.annotations
    expect(annotations[ANNOTATION.journal]).to.equal(undefined)
    expect(annotations[ANNOTATION.lease]).to.equal(undefined)
  })

  it('refuses when the broker fails a second binding, and removes the failed one', async () => {
    const w = managedWorld()
    w.fake.brokerRejectsSecondBinding = true
    const before = w.fake.bindingsOf(w.si).map((b) => b.guid)
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.si}, baseOptions()))
    expect(outcome.status).to.equal('refused')
    expect(outcome.message).to.contain('broker failed the second binding')
    expect(w.fake.bindingsOf(w.si).map((b) => b.guid)).to.deep.equal(before)
  })

  it('with --allow-downtime deletes then creates where a second binding is refused', async () => {
    const w = managedWorld()
    w.fake.bindingLimit = 1
    const old = w.fake.bindingsOf(w.si).map((b) => b.guid)
    const plan = await planOnly(
      w.fake,
      'rotate',
      {serviceInstanceGuid: w.si},
      baseOptions({allowDowntime: true}),
    )
    expect(plan.warnings.join(' ')).to.contain('allow-downtime')
    const {outcome, events} = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.si}, baseOptions({allowDowntime: true})),
    )
    expect(outcome.status).to.equal('completed')
    expect(events.some((e) => e.type === 'warning' && e.detail.includes('downtime'))).to.equal(true)
    const now = w.fake.bindingsOf(w.si)
    expect(now).to.have.length(2)
    expect(now.some((b) => old.includes(b.guid))).to.equal(false)
    expect(w.fake.rejectedInstances()).to.deep.equal([], 'after the roll every instance runs the new binding')
  })

  it('gates on CC 3.205.0: refuses on an older CC, or deletes then creates with --allow-downtime', async () => {
    const w = managedWorld()
    w.fake.version = '3.200.0'
    const refused = await collect(rotate(w.fake, {serviceInstanceGuid: w.si}, baseOptions()))
    expect(refused.outcome.status).to.equal('refused')
    expect(refused.outcome.message).to.contain('3.205.0')
    expect(w.fake.calls.some((c) => c.mutating)).to.equal(false)

    const {outcome} = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.si}, baseOptions({allowDowntime: true})),
    )
    expect(outcome.status).to.equal('completed')
    const created = w.fake.calls.filter((c) => c.op === 'createAppBinding')
    expect(created.every((c) => c.args.endsWith('single'))).to.equal(true)
  })

  it('keeps the older bindings through a grace period; retire deletes them', async () => {
    const w = managedWorld()
    const seen = watchInstances(w.fake)
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.si}, baseOptions({graceMs: DAY})))
    expect(outcome.status).to.equal('grace')
    expect(w.fake.bindingsOf(w.si)).to.have.length(4)
    const early = await collect(retire(w.fake, {serviceInstanceGuid: w.si}, baseOptions()))
    expect(early.outcome.status).to.equal('refused')
    w.fake.advance(DAY + 1)
    const done = await collect(retire(w.fake, {serviceInstanceGuid: w.si}, baseOptions()))
    expect(done.outcome.status).to.equal('retired')
    expect(w.fake.bindingsOf(w.si)).to.have.length(2)
    expect(w.fake.instance(w.si)!.annotations[ANNOTATION.retireAfter]).to.equal(undefined)
    expect(seen.violations).to.deep.equal([])
  })

  it('refuses rollback: the older bindings remain until retirement', async () => {
    const w = managedWorld()
    await collect(rotate(w.fake, {serviceInstanceGuid: w.si}, baseOptions({graceMs: DAY})))
    const {outcome} = await collect(rollback(w.fake, {serviceInstanceGuid: w.si}, baseOptions()))
    expect(outcome.status).to.equal('refused')
    expect(outcome.message).to.contain('rollback covers secrets in user-provided services')
  })

  it('refuses when no app is bound', async () => {
    const w = managedWorld()
    const empty = w.fake.addManaged('space-0000-prod', 'unused-sso')
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: empty}, baseOptions()))
    expect(outcome.status).to.equal('refused')
    expect(outcome.error!.suggestions.join(' ')).to.contain('--key')
  })
})
