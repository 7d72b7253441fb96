import {expect} from 'chai'

import {encodeLease} from '../../../src/rotate/annotations.js'
import {ANNOTATION} from '../../../src/model/annotations.js'
import {collect, rotate} from '../../../src/rotate/engine.js'
import {baseOptions, CLIENT, upsWorld, watchInstances} from './world.js'

describe('the rotation lease', () => {
  it('lets one of two concurrent rotations proceed; the other gets LEASE_HELD and changes nothing', async () => {
    const w = upsWorld()
    const seen = watchInstances(w.fake)
    const [a, b] = await Promise.all([
      collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({owner: 'alice@host-a'}))),
      collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({owner: 'bob@host-b'}))),
    ])
    const statuses = [a.outcome.status, b.outcome.status].sort()
    expect(statuses).to.deep.equal(['completed', 'lease-held'])
    const loser = a.outcome.status === 'lease-held' ? a : b
    expect(loser.outcome.exitCode).to.equal(6)
    expect(loser.events.filter((e) => e.type === 'step-done')).to.deep.equal([], 'the loser did no step')
    // One rotation's worth of changes, nothing more.
    expect(w.fake.changesOf(CLIENT, 'ADD')).to.equal(1)
    expect(w.fake.changesOf(CLIENT, 'DELETE')).to.equal(1)
    expect(w.fake.calls.filter((c) => c.op === 'createUserProvidedService')).to.have.length(1)
    expect(w.fake.calls.filter((c) => c.op === 'createDeployment')).to.have.length(2)
    expect(seen.violations).to.deep.equal([])
  })

  it('refuses while another owner holds an unexpired lease, without any change', async () => {
    const w = upsWorld()
    const now = w.fake.clock
    const lease = encodeLease({
      owner: 'carol@host-c',
      rotationId: 'r-carol',
      token: 't',
      acquiredAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 5 * 60_000).toISOString(),
    })
    w.fake.instance(w.ups)!.annotations[ANNOTATION.lease] = lease
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('lease-held')
    expect(outcome.exitCode).to.equal(6)
    expect(outcome.message).to.contain('carol@host-c')
    expect(w.fake.calls.some((c) => c.mutating)).to.equal(false)
    expect(w.fake.instance(w.ups)!.annotations[ANNOTATION.lease]).to.equal(lease)

    w.fake.advance(5 * 60_000 + 1)
    const later = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(later.outcome.status).to.equal('completed', 'an expired lease is taken over')
  })

  it('stops a run whose lease was taken over at its next step', async () => {
    const w = upsWorld()
    const run = rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions())
    let next = await run.next()
    while (!next.done && !(next.value.type === 'step-done' && next.value.step === 'add-secret'))
      next = await run.next()
    // Another owner takes over (its lease expired from its point of view, or someone forced it).
    w.fake.instance(w.ups)!.annotations[ANNOTATION.lease] = encodeLease({
      owner: 'dave@host-d',
      rotationId: 'r-dave',
      token: 'other',
      acquiredAt: new Date(w.fake.clock).toISOString(),
      expiresAt: new Date(w.fake.clock + 60_000).toISOString(),
    })
    const mutations = w.fake.calls.filter((c) => c.mutating).length
    let outcome
    for (;;) {
      const r = await run.next()
      if (r.done) {
        outcome = r.value
        break
      }
    }
    expect(outcome.status).to.equal('lease-held')
    expect(w.fake.calls.filter((c) => c.mutating).length).to.equal(mutations)
    expect(w.fake.instance(w.ups)!.annotations[ANNOTATION.lease]).to.contain('dave@host-d')
  })

  it('renews the lease while a long roll is waited for', async () => {
    const w = upsWorld()
    w.fake.deploymentBatchMs = 4 * 60_000
    const {outcome} = await collect(
      rotate(
        w.fake,
        {serviceInstanceGuid: w.ups},
        baseOptions({leaseTtlMs: 5 * 60_000, timeoutMs: 60 * 60_000}),
      ),
    )
    expect(outcome.status).to.equal('completed')
    const leaseWrites = w.fake.calls.filter(
      (c) => c.op === 'updateServiceInstance' && c.args.endsWith('metadata'),
    ).length
    expect(leaseWrites).to.be.greaterThan(2)
  })
})
