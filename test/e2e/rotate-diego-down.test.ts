/**
 * End to end: a Cloud Controller older than 3.211 (no embedded process instances, so instance
 * state comes only from `/stats`) whose Diego does not answer: `/stats` is 503
 * CF-InstancesUnavailable. A dry run still prints the plan, with instance counts unknown and the
 * target named by name; a real run refuses before changing anything (it could not verify that
 * every instance runs the new secret).
 */
import {expect} from 'chai'

import {parseJson, runCli} from '../helpers/cli.js'
import {withSimulator, type Simulator} from '../helpers/sim.js'
import {cliEnv, secretChanges, upsWorld} from './rotate-world.js'

const SIM = {ccVersion: '3.200.0', instanceStartupMs: 100, jobDurationMs: 150}

function diegoDown(sim: Simulator): ReturnType<typeof upsWorld> {
  const w = upsWorld(sim)
  sim.state.diegoUnavailable = true
  return w
}

describe('rotation on CC < 3.211 with Diego unavailable (/stats 503), end to end', function () {
  this.timeout(120_000)

  it('--dry-run prints the plan with instance counts unknown and names the target by name', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = diegoDown(sim)
      // Wide enough for every plan line unwrapped (fitting the terminal: test/e2e/terminal.test.ts).
      const r = await runCli(['credentials', 'rotate', w.ups.name, '--dry-run'], {
        env: cliEnv(sim, {COLUMNS: '400'}),
      })
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).to.match(/^Plan: rotate billing-oidc /m)
      expect(r.stdout).to.match(/apps: 2 of 3 roll, web instances replaced: unknown/)
      expect(r.stdout).to.match(/billing-oidc-api\s+STARTED\s+roll every web instance \(count unknown/)
      expect(r.stdout).to.match(/warning: .*cannot be read.*CF-InstancesUnavailable/)
      expect(r.stdout).to.match(/warning: a rotate started now would refuse/)
      expect(r.stdout).to.match(/next: re-run when Cloud Controller reports instances again/)
      expect(r.stdout).to.not.match(/next: run it/, 'a dry run must not suggest a run that would refuse')
      expect(r.stdout + r.stderr).to.not.contain(w.ups.guid)
      expect(sim.requests.some((q) => q.path.endsWith('/stats') && q.status === 503)).to.equal(true)
    })
  })

  it('--dry-run --json: unknown counts are null, not 0', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = diegoDown(sim)
      const r = await runCli(['credentials', 'rotate', w.ups.name, '--dry-run', '--json'], {env: cliEnv(sim)})
      expect(r.code, r.stderr).to.equal(0)
      const doc = parseJson<{
        plan: {
          apps: {name: string; webInstances: number | null; toReplace: number | null}[]
          expectedRestarts: {webInstances: number | null}
        }
      }>(r)
      const api = doc.result.plan.apps.find((a) => a.name === 'billing-oidc-api')!
      expect([api.webInstances, api.toReplace]).to.deep.equal([null, null])
      expect(doc.result.plan.expectedRestarts.webInstances).to.equal(null)
    })
  })

  it('a real rotation refuses by name before changing anything, and says why', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = diegoDown(sim)
      const events = sim.auditEvents().filter((e) => !e.type.endsWith('.show')).length
      const r = await runCli(['credentials', 'rotate', w.ups.name, '--yes'], {env: cliEnv(sim)})
      expect(r.code).to.equal(5)
      expect(r.stderr).to.match(/^cfguard: billing-oidc: failed: cannot verify the instances of 2 app\(s\)/m)
      expect(r.stderr).to.match(/billing-oidc-api, billing-oidc-web/)
      expect(r.stderr).to.match(/next: .*--dry-run/)
      expect(r.stderr).to.not.match(/\n\s+at /, 'no stack trace')
      expect(r.stderr).to.not.contain(w.ups.guid)
      expect(secretChanges(sim, w.clientId, 'ADD')).to.have.length(0)
      expect(sim.auditEvents().filter((e) => !e.type.endsWith('.show')).length).to.equal(events)
    })
  })

  it('any failure while observing names the target by name, not by guid', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = upsWorld(sim)
      sim.faults.failNth({
        method: 'GET',
        path: '/v3/service_credential_bindings',
        nth: 1,
        mode: 'status',
        status: 403,
      })
      const r = await runCli(['credentials', 'rotate', w.ups.name, '--dry-run'], {env: cliEnv(sim)})
      expect(r.code).to.equal(4)
      // The API error quotes the request it failed on; the outcome names the service.
      expect(r.stderr).to.match(/^cfguard: billing-oidc: failed: not authorized/m)
    })
  })

  it('once Diego answers again the same rotation runs', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = diegoDown(sim)
      sim.state.diegoUnavailable = false
      const r = await runCli(['credentials', 'rotate', w.ups.name, '--yes'], {env: cliEnv(sim)})
      expect(r.code, r.stderr).to.equal(0)
    })
  })
})
