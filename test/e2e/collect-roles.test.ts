/**
 * Roles and platform switches (docs/platform-facts.md §8) against the demo foundation: the
 * collector asks once per space, stops when the role is denied, records why, and falls back to
 * per-item reads only where the env could not show the credentials.
 */
import {expect} from 'chai'

import type {Simulator} from '../../src/sim/index.js'
import {ccAs, useSimulator} from '../helpers/sim.js'
import {collect} from './collect-support.js'

function reads(sim: Simulator, kind: 'env' | 'credentials' | 'details'): {path: string; status: number}[] {
  const suffix = kind === 'env' ? '/env' : kind === 'credentials' ? '/credentials' : '/details'
  return sim.requests.filter((r) => r.path.endsWith(suffix)).map((r) => ({path: r.path, status: r.status}))
}

const shows = (sim: Simulator) => sim.auditEvents().filter((e) => e.type.endsWith('.show')).length

describe('collection by role', function () {
  this.timeout(60_000)
  const ctx = useSimulator({scenario: 'demo'}, {each: true})

  it('space auditor: one env probe per space, then no more asking; structural data complete', async () => {
    const {sim} = ctx
    const before = shows(sim)
    sim.resetRequests()
    const run = await collect(sim, {user: 'spaceAuditor', cache: false})
    const spacesWithApps = new Set(run.snapshot.apps.map((a) => a.spaceGuid))
    const env = reads(sim, 'env')
    expect(env).to.have.length(spacesWithApps.size)
    expect(env.every((r) => r.status === 403)).to.equal(true)
    expect(reads(sim, 'credentials').length).to.be.at.most(run.snapshot.spaces.length)
    expect(reads(sim, 'details').length).to.be.at.most(run.snapshot.spaces.length)
    expect(shows(sim)).to.equal(before)
    expect(run.stats.auditEventsCreated).to.equal(0)
    expect(run.snapshot.access.env.state).to.equal('none')
    expect(run.snapshot.access.env.why).to.match(/^403 CF-NotAuthorized \(.*space auditor.*\) in acme\//)
    expect(run.snapshot.access.upsCredentials.state).to.equal('none')
    expect(run.snapshot.access.bindingDetails.state).to.equal('none')
    expect(run.snapshot.access.networkPolicies.state).to.equal('none')
    expect(run.snapshot.access.uaaClients).to.deep.equal({
      state: 'none',
      why: 'the token has no clients.read scope',
    })
    expect(run.snapshot.access.auditEvents.state).to.equal('full')
    expect(run.snapshot.serviceInstances.every((si) => si.credentials === null)).to.equal(true)
    expect(run.snapshot.routes.length).to.be.greaterThan(30)
    expect(run.stats.gaps.map((g) => g.what)).to.include.members([
      'UAA clients',
      'container-to-container network policies',
    ])
    expect(
      run.stats.gaps.some((g) => /^environment of \d+ apps \(acme\/prod, acme\/staging\)$/.test(g.what)),
    ).to.equal(true)
  })

  it('space supporter: env variables readable (VCAP redacted); credentials and details asked once per space', async () => {
    const {sim} = ctx
    sim.resetRequests()
    const run = await collect(sim, {user: 'spaceSupporter', cache: false})
    expect(reads(sim, 'env').every((r) => r.status === 200)).to.equal(true)
    expect(run.snapshot.access.env.state).to.equal('full')
    const billing = run.snapshot.apps.find((a) => a.name === 'billing-api')!
    const vars = run.snapshot.env.find((e) => e.appGuid === billing.guid)!.variables
    expect(vars.find((v) => v.name === 'CLIENT_SECRET')?.class).to.equal('secret-literal')
    const denied = [...reads(sim, 'credentials'), ...reads(sim, 'details')]
    expect(denied.every((r) => r.status === 403 || r.status === 404)).to.equal(true)
    const spaces = new Set(run.snapshot.serviceInstances.map((si) => si.spaceGuid))
    expect(reads(sim, 'credentials').length).to.be.at.most(spaces.size)
    expect(run.snapshot.access.upsCredentials.state).to.equal('none')
    expect(run.snapshot.access.upsCredentials.why).to.contain('space supporter')
  })

  it('env_var_visibility off: env closed everywhere, credentials read per service instead', async () => {
    const {sim} = ctx
    const admin = await ccAs(sim, 'adminClient')
    expect((await admin.patch('/v3/feature_flags/env_var_visibility', {enabled: false})).status).to.equal(200)
    sim.resetRequests()
    const run = await collect(sim, {cache: false})
    // Probes of different spaces may already be in flight; no space is asked twice.
    const spacesWithApps = new Set(run.snapshot.apps.map((a) => a.spaceGuid))
    expect(reads(sim, 'env').length).to.be.at.most(spacesWithApps.size)
    expect(reads(sim, 'env').every((r) => r.status === 403)).to.equal(true)
    expect(run.snapshot.access.env.state).to.equal('none')
    expect(run.snapshot.access.env.why).to.match(/^403 CF-FeatureDisabled \(env_var_visibility\) in /)
    const ups = run.snapshot.serviceInstances.filter((si) => si.type === 'user-provided')
    expect(reads(sim, 'credentials')).to.have.length(ups.length)
    expect(run.snapshot.access.upsCredentials).to.deep.equal({state: 'full'})
    expect(run.snapshot.access.bindingDetails).to.deep.equal({state: 'full'})
    const sso = run.snapshot.bindings.find((b) => b.credentials?.clientId?.startsWith('sso-'))
    expect(sso?.credentialsRead).to.equal('read')
  })
})
