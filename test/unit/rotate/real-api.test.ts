/**
 * Engine behaviour added when the rotation first ran against the real API (the simulator): a
 * superseded deployment of the same change, a run taken over while it paused before deploying,
 * the whole-second gap before deployments, `--app`, and dry runs that read no secret.
 */
import {expect} from 'chai'

import {decodeLease, encodeLease} from '../../../src/rotate/annotations.js'
import {ANNOTATION} from '../../../src/model/annotations.js'
import {collect, planOnly, rotate} from '../../../src/rotate/engine.js'
import {baseOptions, CLIENT, managedWorld, upsWorld, watchInstances} from './world.js'

describe('engine on the real API', () => {
  it('a deployment superseded by one of the same credential change is waited for, not a failure', async () => {
    const w = upsWorld()
    const seen = watchInstances(w.fake)
    const check = w.fake.afterCall!
    let superseded = false
    w.fake.afterCall = (op) => {
      check(op)
      if (op !== 'createDeployment' || superseded) return
      superseded = true
      const mine = [...w.fake.deployments.values()].at(-1)!
      // Another run of this rotation deploys the same change to the same app.
      setImmediate(() => {
        void w.fake.createDeployment({
          appGuid: mine.appGuid,
          maxInFlight: 1,
          metadata: {labels: {...mine.labels}, annotations: {...mine.annotations}},
        })
      })
    }
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(superseded).to.equal(true)
    expect([...w.fake.deployments.values()].some((d) => d.statusReason === 'SUPERSEDED')).to.equal(true)
    expect(outcome.status).to.equal('completed')
    expect(seen.violations).to.deep.equal([])
  })

  it('a run whose lease was taken over while it paused before deploying stops without deploying', async () => {
    const w = upsWorld()
    w.fake.afterCall = (op) => {
      const si = w.fake.instance(w.ups)!
      const lease = decodeLease(si.annotations[ANNOTATION.lease])
      // The pause before the first deployment: another host takes the lease over.
      if (op === 'sleep' && lease && si.annotations[ANNOTATION.credentialsUpdatedAt]) {
        si.annotations[ANNOTATION.lease] = encodeLease({...lease, owner: 'ops@host-b', token: 'other'})
        w.fake.afterCall = null
      }
    }
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('lease-held')
    expect(outcome.failedStep).to.equal('roll-apps')
    expect(w.fake.calls.some((c) => c.op === 'createDeployment')).to.equal(false)
  })

  it('deployments start at least a second after the credential change (instance ages are whole seconds)', async () => {
    const w = upsWorld()
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    const changed = Date.parse(w.fake.instance(w.ups)!.annotations[ANNOTATION.credentialsUpdatedAt]!)
    const first = Math.min(...[...w.fake.deployments.values()].map((d) => d.createdAt))
    expect(first - changed).to.be.at.least(1000)
  })

  it('--app: only that app gets a new binding and rolls; the other keeps its binding', async () => {
    const w = managedWorld()
    const before = w.fake.bindingsOf(w.si).map((b) => b.guid)
    const {outcome} = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.si, appGuids: [w.apps.api]}, baseOptions()),
    )
    expect(outcome.status).to.equal('completed')
    const now = w.fake.bindingsOf(w.si)
    expect(now.find((b) => b.appGuid === w.apps.web)!.guid).to.be.oneOf(before)
    expect(now.find((b) => b.appGuid === w.apps.api)!.guid).to.not.be.oneOf(before)
    expect([...w.fake.deployments.values()].map((d) => d.appGuid)).to.deep.equal([w.apps.api])
  })

  it('a dry run reads no secret; after a rotation it names the client from cfguard’s annotation', async () => {
    const w = upsWorld()
    const first = await planOnly(w.fake, 'rotate', {serviceInstanceGuid: w.ups}, baseOptions())
    expect(first.credential.clientId).to.equal(null)
    expect(
      first.warnings.some((x) => /without reading the service's own secret \(no audit event\)/.test(x)),
    ).to.equal(true)
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    const reads = w.fake.calls.filter((c) => c.op === 'readUpsCredentials').length
    const audit = w.fake.audit.length
    const next = await planOnly(w.fake, 'rotate', {serviceInstanceGuid: w.ups}, baseOptions({force: true}))
    expect(next.credential.clientId).to.equal(CLIENT)
    expect(w.fake.calls.filter((c) => c.op === 'readUpsCredentials').length).to.equal(reads)
    expect(w.fake.audit.length).to.equal(audit)
    expect(next.refusals).to.deep.equal([])
  })

  it('a dry run of a rotation stopped part-way estimates the phase from the marks', async () => {
    const w = upsWorld()
    w.fake.faults = [{op: 'createDeployment', nth: 1, mode: 'crash-before'}]
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    w.fake.restart()
    const plan = await planOnly(w.fake, 'rotate', {serviceInstanceGuid: w.ups}, baseOptions())
    expect(plan.phase).to.equal('updated')
    expect(plan.phaseReason).to.match(/estimated without reading secrets/)
    expect(plan.credential.clientId).to.equal(CLIENT)
  })

  it('a key family and the app bindings of one instance rotate apart (no "just rotated" between them)', async () => {
    const w = managedWorld()
    w.fake.keyAtSetup(w.si, 'ci', 100 * 86_400_000)
    const bindings = await collect(rotate(w.fake, {serviceInstanceGuid: w.si}, baseOptions()))
    expect(bindings.outcome.status).to.equal('completed')
    const again = await collect(rotate(w.fake, {serviceInstanceGuid: w.si}, baseOptions()))
    expect(again.outcome.status).to.equal('refused')
    expect(again.outcome.message).to.match(/that rotation is complete/)
    const sink = {deliver: async () => 'kept in memory'}
    const key = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.si, keyName: 'ci'}, baseOptions({keySink: sink})),
    )
    expect(key.outcome.status).to.equal('completed')
    expect(w.fake.instance(w.si)!.annotations[ANNOTATION.rotatedKind]).to.equal('service-key/ci')
  })
})
