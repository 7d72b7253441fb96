/**
 * Interrupt every step: fail or kill each platform call of a clean rotation in turn (before and
 * after it takes effect), and stop consuming the machine after each event; then a fresh engine
 * against the same platform state must finish the rotation, with no instance ever holding a
 * rejected secret, the old secret retired exactly once and the lease released.
 */

import {expect} from 'chai'

import {stateServiceName} from '../../../src/rotate/annotations.js'
import {ANNOTATION} from '../../../src/model/annotations.js'
import {
  collect,
  retire,
  rotate,
  type EngineOptions,
  type RotationRequest,
} from '../../../src/rotate/engine.js'
import type {RotationOutcome} from '../../../src/rotate/events.js'
import type {FakePlatform, FaultMode} from '../../helpers/fake-platform.js'
import {
  baseOptions,
  CLIENT,
  IDP_TOKEN_ENDPOINT,
  keyWorld,
  managedWorld,
  SPACE,
  upsWorld,
  watchInstances,
} from './world.js'

const MODES: FaultMode[] = ['fail-before', 'fail-after', 'crash-before', 'crash-after']

interface Scenario {
  name: string
  make(): {fake: FakePlatform; request: RotationRequest; options: EngineOptions}
  /** Final platform state of a finished rotation. */
  check(fake: FakePlatform, request: RotationRequest): void
}

function upsFinished(fake: FakePlatform, request: RotationRequest) {
  const si = fake.instance(request.serviceInstanceGuid)!
  const client = fake.client(CLIENT)!
  expect(client.secrets.length).to.equal(1, 'UAA keeps one secret')
  expect(si.credentials!.client_secret === client.secrets[0]).to.equal(
    true,
    'the UPS holds the secret UAA accepts',
  )
  expect(fake.changesOf(CLIENT, 'ADD')).to.equal(1, 'ADD applied once')
  expect(fake.changesOf(CLIENT, 'DELETE')).to.equal(1, 'old secret retired exactly once')
  expect(si.annotations[ANNOTATION.lease]).to.equal(undefined, 'lease released')
  expect(si.annotations[ANNOTATION.rotatedAt]).to.be.a('string')
  expect([...fake.instancesById.values()].some((s) => s.name === stateServiceName(si.guid))).to.equal(false)
}

function bindingFinished(fake: FakePlatform, request: RotationRequest) {
  const si = fake.instance(request.serviceInstanceGuid)!
  const bindings = fake.bindingsOf(si.guid)
  expect(bindings.length).to.equal(2, 'one binding per app remains')
  expect(bindings.every((b) => b.annotations[ANNOTATION.rotationId] !== undefined)).to.equal(true)
  expect(si.annotations[ANNOTATION.lease]).to.equal(undefined, 'lease released')
  expect(si.annotations[ANNOTATION.journal]).to.equal(undefined, 'journal cleared')
}

function keyFinished(fake: FakePlatform, request: RotationRequest) {
  const si = fake.instance(request.serviceInstanceGuid)!
  const family = fake.bindingsOf(si.guid, 'key').filter((k) => k.name !== 'other-consumer')
  expect(family.length).to.equal(1, 'one key of the family remains')
  expect(family[0]!.annotations[ANNOTATION.deliveredAt]).to.be.a('string')
  expect(fake.bindingsOf(si.guid, 'key').some((k) => k.name === 'other-consumer')).to.equal(true)
  expect(si.annotations[ANNOTATION.lease]).to.equal(undefined, 'lease released')
}

function externalFinished(fake: FakePlatform, request: RotationRequest) {
  const si = fake.instance(request.serviceInstanceGuid)!
  const idp = fake.client(CLIENT, IDP_TOKEN_ENDPOINT)!
  expect(si.credentials!.client_secret === idp.secrets[1]).to.equal(true, 'the UPS holds the supplied secret')
  expect(fake.secretChanges).to.deep.equal([], 'another provider is never changed')
  expect(si.annotations[ANNOTATION.lease]).to.equal(undefined, 'lease released')
  expect([...fake.instancesById.values()].some((s) => s.name === stateServiceName(si.guid))).to.equal(false)
}

const delivered: string[] = []
const SCENARIOS: Scenario[] = [
  {
    name: 'user-provided service with a UAA secret',
    make: () => {
      const w = upsWorld()
      return {fake: w.fake, request: {serviceInstanceGuid: w.ups}, options: baseOptions()}
    },
    check: upsFinished,
  },
  {
    name: 'user-provided service with another identity provider',
    make: () => {
      const w = upsWorld({external: true})
      const supplied = w.fake.secret('idp-issued')
      w.fake.client(CLIENT, IDP_TOKEN_ENDPOINT)!.secrets.push(supplied)
      return {
        fake: w.fake,
        request: {serviceInstanceGuid: w.ups},
        options: baseOptions({secretSource: async () => supplied}),
      }
    },
    check: externalFinished,
  },
  {
    name: 'managed bindings (strategy multiple)',
    make: () => {
      const w = managedWorld()
      return {fake: w.fake, request: {serviceInstanceGuid: w.si}, options: baseOptions()}
    },
    check: bindingFinished,
  },
  {
    name: 'service key',
    make: () => {
      const w = keyWorld()
      return {
        fake: w.fake,
        request: {serviceInstanceGuid: w.si, keyName: 'ci-deployer'},
        options: baseOptions({
          keySink: {deliver: async (d) => (delivered.push(d.keyGuid), 'kept in memory')},
        }),
      }
    },
    check: keyFinished,
  },
]

/** Re-runs as an operator would until the rotation reports done (at most three times). */
async function finish(
  fake: FakePlatform,
  request: RotationRequest,
  options: EngineOptions,
): Promise<RotationOutcome> {
  fake.restart()
  let outcome: RotationOutcome | null = null
  for (let attempt = 0; attempt < 3 && !finished(outcome); attempt++) {
    outcome = (await collect(rotate(fake, request, options))).outcome
  }
  return outcome!
}

/**
 * Completed now, or — when the interruption hit the very last write — the re-run sees the
 * rotation complete and refuses to start a second one.
 */
function finished(outcome: RotationOutcome | null): boolean {
  if (outcome === null) return false
  return (
    outcome.status === 'completed' ||
    (outcome.status === 'refused' && outcome.message.includes('that rotation is complete'))
  )
}

for (const scenario of SCENARIOS) {
  describe(`rotation faults: ${scenario.name}`, () => {
    let cleanCalls = 0
    let cleanEvents = 0

    before(async () => {
      const {fake, request, options} = scenario.make()
      const seen = watchInstances(fake)
      const {events, outcome} = await collect(rotate(fake, request, options))
      expect(outcome.status).to.equal('completed')
      expect(seen.violations).to.deep.equal([])
      scenario.check(fake, request)
      cleanCalls = fake.calls.length
      cleanEvents = events.length
    })

    for (const mode of MODES) {
      it(`${mode}: every platform call of the rotation, then a re-run finishes it`, async () => {
        expect(cleanCalls).to.be.greaterThan(20)
        for (let index = 1; index <= cleanCalls; index++) {
          const {fake, request, options} = scenario.make()
          const seen = watchInstances(fake)
          fake.faults = [{index, mode}]
          const first = (await collect(rotate(fake, request, options))).outcome
          const where = `${mode} at call ${index} (${fake.calls[index - 1]?.op ?? 'none'})`
          expect(['completed', 'halted', 'failed', 'lease-held'], where).to.include(first.status)
          const outcome = await finish(fake, request, options)
          expect(finished(outcome), `${where}: ${outcome.status} ${outcome.message}`).to.equal(true)
          expect(seen.violations, where).to.deep.equal([])
          scenario.check(fake, request)
        }
      })
    }

    it('killed at every step boundary (the machine is not resumed), a re-run finishes it', async () => {
      for (let stopAfter = 1; stopAfter < cleanEvents; stopAfter++) {
        const {fake, request, options} = scenario.make()
        const seen = watchInstances(fake)
        const run = rotate(fake, request, options)
        for (let i = 0; i < stopAfter; i++) await run.next()
        // The process dies here: the generator is simply never resumed.
        const outcome = await finish(fake, request, options)
        expect(finished(outcome), `stopped after event ${stopAfter}: ${outcome.message}`).to.equal(true)
        expect(seen.violations).to.deep.equal([])
        scenario.check(fake, request)
      }
    })
  })
}

describe('rotation faults: the space the state lives in', () => {
  it('keeps the pending secret in a companion service of the same space while the rotation is stopped', async () => {
    const w = upsWorld()
    w.fake.faults = [{op: 'changeClientSecret', nth: 1, mode: 'crash-before'}]
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('halted')
    expect(outcome.exitCode).to.equal(6)
    const companion = [...w.fake.instancesById.values()].find((s) => s.name === stateServiceName(w.ups))!
    expect(companion.spaceGuid).to.equal(SPACE)
    expect(companion.labels['cfguard.io/role']).to.equal('rotation-state')
    expect(Object.keys(companion.credentials!)).to.not.include('client_secret')
    expect(w.fake.bindingsOf(companion.guid)).to.deep.equal([])
  })
})

describe('retire faults: every call of a retirement after a grace period', () => {
  it('a re-run finishes it with exactly one DELETE and no instance ever rejected', async () => {
    const prepare = async () => {
      const w = upsWorld()
      await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({graceMs: 86_400_000})))
      w.fake.advance(86_400_001)
      return w
    }
    const probe = await prepare()
    const start = probe.fake.calls.length
    expect(
      (await collect(retire(probe.fake, {serviceInstanceGuid: probe.ups}, baseOptions()))).outcome.status,
    ).to.equal('retired')
    const calls = probe.fake.calls.length - start
    for (let i = 1; i <= calls; i++) {
      for (const mode of MODES) {
        const w = await prepare()
        const seen = watchInstances(w.fake)
        w.fake.faults = [{index: w.fake.calls.length + i, mode}]
        await collect(retire(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
        w.fake.restart()
        const again = (await collect(retire(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))).outcome
        const where = `${mode} at retire call ${i}`
        const done = again.status === 'retired' || again.message.includes('nothing to retire')
        expect(done, `${where}: ${again.message}`).to.equal(true)
        expect(w.fake.changesOf(CLIENT, 'DELETE'), where).to.equal(1)
        expect(w.fake.client(CLIENT)!.secrets, where).to.have.length(1)
        expect(w.fake.instance(w.ups)!.annotations[ANNOTATION.retireAfter], where).to.equal(undefined)
        expect(seen.violations, where).to.deep.equal([])
      }
    }
  })
})
