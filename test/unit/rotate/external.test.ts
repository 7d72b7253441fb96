import {expect} from 'chai'

import {stateServiceName} from '../../../src/rotate/annotations.js'
import {collect, rollback, rotate} from '../../../src/rotate/engine.js'
import {baseOptions, CLIENT, IDP_TOKEN_ENDPOINT, upsWorld, watchInstances} from './world.js'

const DAY = 86_400_000

describe('rotate: user-provided service holding a secret of another identity provider', () => {
  it('rolls out a secret the operator added at the provider; retirement there is left to the operator', async () => {
    const w = upsWorld({external: true})
    const seen = watchInstances(w.fake)
    const fresh = w.fake.secret('idp-issued')
    w.fake.client(CLIENT, IDP_TOKEN_ENDPOINT)!.secrets.push(fresh)
    const {outcome, events} = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({secretSource: async () => `${fresh}\n`})),
    )
    expect(outcome.status).to.equal('completed')
    expect(outcome.kind).to.equal('ups-external')
    expect(seen.violations).to.deep.equal([])
    expect(w.fake.instance(w.ups)!.credentials!.client_secret === fresh).to.equal(true)
    expect(w.fake.secretChanges).to.deep.equal([], 'cfguard never changes another provider')
    expect(
      events.some((e) => e.type === 'warning' && e.detail.includes('at its identity provider')),
    ).to.equal(true)
    expect([...w.fake.instancesById.values()].some((s) => s.name === stateServiceName(w.ups))).to.equal(false)
  })

  it('stops before rolling out a secret the provider rejects; the re-run after adding it there finishes', async () => {
    const w = upsWorld({external: true})
    const fresh = w.fake.secret('idp-issued')
    const source = async () => fresh
    const first = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({secretSource: source})),
    )
    expect(first.outcome.status).to.equal('halted')
    expect(first.outcome.failedStep).to.equal('verify-secret')
    expect(first.outcome.error!.suggestions.join(' ')).to.contain('add it at the identity provider')
    expect(w.fake.instance(w.ups)!.credentials!.client_secret === w.initialSecret).to.equal(
      true,
      'nothing rolled out',
    )

    w.fake.client(CLIENT, IDP_TOKEN_ENDPOINT)!.secrets.push(fresh)
    // The re-run needs no secret: the pending one is on the platform.
    const second = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(second.outcome.status).to.equal('completed')
    expect(w.fake.rejectedInstances()).to.deep.equal([])
  })

  it('refuses a different new secret while another one is pending', async () => {
    const w = upsWorld({external: true})
    const first = w.fake.secret('idp-a')
    await collect(
      rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({secretSource: async () => first})),
    )
    const other = w.fake.secret('idp-b')
    const {outcome} = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({secretSource: async () => other})),
    )
    expect(outcome.status).to.equal('refused')
    expect(outcome.message).to.contain('another new secret')
  })

  it('refuses a supplied secret while a UAA rotation (which makes its own secret) is in progress', async () => {
    const w = upsWorld()
    w.fake.faults = [{op: 'changeClientSecret', nth: 1, mode: 'crash-before'}]
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    w.fake.restart()
    const mine = w.fake.secret('mine')
    const {outcome} = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({secretSource: async () => mine})),
    )
    expect(outcome.status).to.equal('refused')
    expect(outcome.message).to.contain('generates its own secret')
    expect(w.fake.instance(w.ups)!.credentials!.client_secret === w.initialSecret).to.equal(true)
  })

  it('rolls back by restoring and rolling; removal at the provider is left to the operator', async () => {
    const w = upsWorld({external: true})
    const seen = watchInstances(w.fake)
    const fresh = w.fake.secret('idp-issued')
    w.fake.client(CLIENT, IDP_TOKEN_ENDPOINT)!.secrets.push(fresh)
    await collect(
      rotate(
        w.fake,
        {serviceInstanceGuid: w.ups},
        baseOptions({secretSource: async () => fresh, graceMs: DAY}),
      ),
    )
    const {outcome, events} = await collect(rollback(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('rolled-back')
    expect(w.fake.instance(w.ups)!.credentials!.client_secret === w.initialSecret).to.equal(true)
    expect(events.some((e) => e.type === 'warning' && e.detail.includes('remove the new secret'))).to.equal(
      true,
    )
    expect(seen.violations).to.deep.equal([])
  })
})
