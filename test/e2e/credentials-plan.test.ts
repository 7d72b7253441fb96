/**
 * `planCredentialRotation`, the read-only action the demo calls in-process: a plan from the
 * simulator, nothing changed, no secret read (no audit event), and the text rendering of it.
 */
import {expect} from 'chai'

import {createContext} from '../../src/context.js'
import {planCredentialRotation} from '../../src/actions/credentials/change.js'
import {renderRotationPlan} from '../../src/cli/views/credentials.js'
import {tempDir} from '../helpers/cli.js'
import {withSimulator} from '../helpers/sim.js'
import {cliEnv, managedWorld, upsWorld} from './rotate-world.js'

describe('planCredentialRotation (in-process, read-only)', function () {
  this.timeout(30_000)

  it('plans a UPS and a managed rotation without changing anything (only the holder search reads)', async () => {
    await withSimulator({}, async (sim) => {
      upsWorld(sim)
      managedWorld(sim)
      const ctx = createContext({env: cliEnv(sim), home: tempDir('cfguard-home-')})
      const events = sim.auditEvents().length
      const ups = await planCredentialRotation(ctx, {}, 'billing-oidc')
      expect(ups.kind).to.equal('ups-uaa')
      expect(ups.steps.filter((s) => s.run)).to.have.length(9)
      expect(ups.expectedRestarts.webInstances).to.equal(4)
      expect(ups.refusals).to.deep.equal([])
      const managed = await planCredentialRotation(ctx, {}, 'billing-sso')
      expect(managed.kind).to.equal('managed-binding')
      expect(managed.versionGates.every((g) => g.ok)).to.equal(true)
      // The search for other holders of billing-oidc's client reads credentials; nothing else is written.
      const caused = sim.auditEvents().slice(events)
      expect(caused.filter((e) => !e.type.endsWith('.show')).map((e) => e.type)).to.deep.equal([])
      expect(caused.length).to.be.greaterThan(0)
      expect(sim.requests.some((r) => r.method !== 'GET' && r.path !== '/oauth/token')).to.equal(false)
      expect(renderRotationPlan(managed)).to.match(/^Plan: rotate billing-sso \(managed service bindings\)/)
    })
  })
})
