/**
 * No secret value in any event, audit record, plain line, outcome or error: every scenario runs
 * with unique canary secrets, and everything the engine emits is searched for each of them.
 */

import {expect} from 'chai'

import {rotateAllDue} from '../../../src/rotate/cron.js'
import {collect, retire, rollback, rotate} from '../../../src/rotate/engine.js'
import {auditLine, eventToLine, type RotationEvent, type RotationOutcome} from '../../../src/rotate/events.js'
import type {KeyDelivery} from '../../../src/rotate/sink.js'
import type {FakePlatform} from '../../helpers/fake-platform.js'
import {baseOptions, CLIENT, IDP_TOKEN_ENDPOINT, keyWorld, managedWorld, upsWorld} from './world.js'

const DAY = 86_400_000

function emitted(events: RotationEvent[], outcomes: RotationOutcome[]): string {
  return [
    ...events.map((e) => JSON.stringify(e)),
    ...events.map(eventToLine),
    ...events.map(auditLine),
    ...outcomes.map((o) => JSON.stringify(o)),
  ].join('\n')
}

function assertNoLeak(fake: FakePlatform, text: string, extra: string[] = []) {
  const canaries = [...fake.knownSecrets, ...extra]
  expect(canaries.length).to.be.greaterThan(0)
  const leaked = canaries.filter((c) => text.includes(c)).length
  expect(leaked === 0).to.equal(true, `${leaked} secret value(s) appeared in engine output`)
}

describe('canary: secrets never appear in events, audit records, lines or errors', () => {
  it('user-provided service: rotate, fault, resume, grace, rollback, retire', async () => {
    const w = upsWorld()
    const events: RotationEvent[] = []
    const outcomes: RotationOutcome[] = []
    const run = async (r: AsyncGenerator<RotationEvent, RotationOutcome>) => {
      const c = await collect(r)
      events.push(...c.events)
      outcomes.push(c.outcome)
    }
    w.fake.faults = [{op: 'createDeployment', nth: 1, mode: 'fail-after'}]
    await run(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({graceMs: DAY})))
    await run(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({graceMs: DAY})))
    await run(rollback(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    await run(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({force: true, graceMs: DAY})))
    await run(retire(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({force: true})))
    // needs-human path (two foreign secrets) and its error message
    w.fake.client(CLIENT)!.secrets.push(w.fake.secret('stray'))
    await run(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({force: true})))
    expect(outcomes.map((o) => o.status)).to.deep.equal([
      'halted',
      'grace',
      'rolled-back',
      'grace',
      'retired',
      'needs-human',
    ])
    assertNoLeak(w.fake, emitted(events, outcomes))
  })

  it('external provider, managed bindings, service keys and the cron summary', async () => {
    const ext = upsWorld({external: true})
    const supplied = ext.fake.secret('supplied')
    ext.fake.client(CLIENT, IDP_TOKEN_ENDPOINT)!.secrets.push(supplied)
    const a = await collect(
      rotate(ext.fake, {serviceInstanceGuid: ext.ups}, baseOptions({secretSource: async () => supplied})),
    )
    expect(a.outcome.status).to.equal('completed')
    assertNoLeak(ext.fake, emitted(a.events, [a.outcome]), [supplied])

    const mb = managedWorld()
    const b = await collect(rotate(mb.fake, {serviceInstanceGuid: mb.si}, baseOptions()))
    expect(b.outcome.status).to.equal('completed')
    assertNoLeak(mb.fake, emitted(b.events, [b.outcome]))

    const k = keyWorld()
    const handed: KeyDelivery[] = []
    const c = await collect(
      rotate(
        k.fake,
        {serviceInstanceGuid: k.si, keyName: 'ci-deployer'},
        baseOptions({keySink: {deliver: async (d) => (handed.push(d), 'in memory')}}),
      ),
    )
    expect(c.outcome.status).to.equal('completed')
    assertNoLeak(k.fake, emitted(c.events, [c.outcome]), [String(handed[0]!.credentials.client_secret)])

    const cron = upsWorld()
    const events: RotationEvent[] = []
    const gen = rotateAllDue(cron.fake, [{serviceInstanceGuid: cron.ups, due: true}], baseOptions())
    let summary
    for (;;) {
      const n = await gen.next()
      if (n.done) {
        summary = n.value
        break
      }
      events.push(n.value)
    }
    assertNoLeak(cron.fake, emitted(events, []) + JSON.stringify(summary))
  })

  it('an error carrying a registered secret is masked before it reaches an event', async () => {
    const w = upsWorld()
    const real = w.fake.changeClientSecret.bind(w.fake)
    w.fake.changeClientSecret = async (req) => {
      // A careless lower layer echoing the secret in its message.
      if (req.secret) throw new Error(`UAA said no to ${req.secret}`)
      return real(req)
    }
    const {events, outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('halted')
    expect(outcome.message).to.contain('[REDACTED]')
    assertNoLeak(w.fake, emitted(events, [outcome]))
  })
})
