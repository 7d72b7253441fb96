import {expect} from 'chai'

import {stateServiceName} from '../../../src/rotate/annotations.js'
import {ANNOTATION} from '../../../src/model/annotations.js'
import {collect, rotate} from '../../../src/rotate/engine.js'
import {baseOptions, CLIENT, upsWorld} from './world.js'

describe('needs-human: states the engine will not act on', () => {
  it('stops when UAA already has two secrets and neither is the pending one, changing nothing', async () => {
    const w = upsWorld()
    const stray = w.fake.secret('stray')
    w.fake.client(CLIENT)!.secrets.push(stray)
    const secretsBefore = [...w.fake.client(CLIENT)!.secrets]
    const credentialsBefore = JSON.stringify(w.fake.instance(w.ups)!.credentials)

    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))

    expect(outcome.status).to.equal('needs-human')
    expect(outcome.exitCode).to.equal(6)
    expect(outcome.message).to.contain('already has two secrets')
    expect(outcome.error!.suggestions.join(' ')).to.contain('DELETE')
    expect(w.fake.client(CLIENT)!.secrets).to.deep.equal(secretsBefore)
    expect(JSON.stringify(w.fake.instance(w.ups)!.credentials)).to.equal(credentialsBefore)
    expect(w.fake.calls.filter((c) => c.op === 'createDeployment')).to.have.length(0)
    expect([...w.fake.instancesById.values()].some((s) => s.name === stateServiceName(w.ups))).to.equal(false)
    expect(w.fake.instance(w.ups)!.annotations[ANNOTATION.lease]).to.equal(undefined)
    expect(w.fake.secretChanges).to.deep.equal([], 'no DELETE from an unknown state')
  })

  it('stops when the credentials were changed behind the rotation, before anything else moves', async () => {
    const w = upsWorld()
    w.fake.faults = [{op: 'updateServiceInstance', nth: 2, mode: 'crash-before'}]
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    w.fake.restart()
    const someoneElses = w.fake.secret('manual')
    w.fake.instance(w.ups)!.credentials!.client_secret = someoneElses
    w.fake.client(CLIENT)!.secrets = [someoneElses]
    const mutations = w.fake.calls.filter((c) => c.mutating).length

    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('needs-human')
    expect(outcome.message).to.contain('changed outside this rotation')
    expect(w.fake.calls.filter((c) => c.mutating).length).to.equal(mutations)
  })

  it('refuses to start when the service holds a secret UAA already rejects', async () => {
    const w = upsWorld()
    w.fake.client(CLIENT)!.secrets = [w.fake.secret('other')]
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('needs-human')
    expect(outcome.message).to.contain('rejects the secret the service holds')
    expect(w.fake.calls.some((c) => c.mutating)).to.equal(false)
  })

  it('refuses without permission to change client secrets, before any change', async () => {
    const w = upsWorld()
    w.fake.callerScopes = ['openid', 'cloud_controller.admin', 'clients.read']
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('refused')
    expect(outcome.exitCode).to.equal(4)
    expect(outcome.message).to.contain('clients.secret')
    expect(w.fake.calls.some((c) => c.mutating)).to.equal(false)
  })

  it('refuses a client unknown to UAA and points to --secret-file', async () => {
    const w = upsWorld()
    w.fake.uaa.get('uaa')!.delete(CLIENT)
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('refused')
    expect(outcome.error!.suggestions.join(' ')).to.contain('--secret-file')
  })

  it('reports a missing service instance as a clear failure', async () => {
    const w = upsWorld()
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: 'no-such-guid'}, baseOptions()))
    expect(outcome.status).to.equal('failed')
    expect(outcome.exitCode).to.equal(2)
    expect(outcome.message).to.contain('not found')
  })

  it('stops at the next step when the token endpoint cannot answer, without acting on doubt', async () => {
    const w = upsWorld()
    w.fake.faults = [{op: 'updateServiceInstance', nth: 2, mode: 'crash-before'}]
    await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    w.fake.restart()
    const realProbe = w.fake.probeClientSecret.bind(w.fake)
    w.fake.probeClientSecret = async () => 'error'
    const mutations = w.fake.calls.filter((c) => c.mutating).length
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status, outcome.message).to.equal('halted')
    expect(outcome.exitCode).to.equal(6)
    expect(outcome.message).to.contain('could not say')
    expect(w.fake.calls.filter((c) => c.mutating).length).to.equal(mutations, 'nothing done on doubt')
    w.fake.probeClientSecret = realProbe
    expect(
      (await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))).outcome.status,
    ).to.equal('completed')
  })
})
