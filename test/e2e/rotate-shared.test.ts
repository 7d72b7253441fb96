/**
 * End to end: the blast radius of a UAA client rotation. A user-provided service in `dev` and a
 * copy in `staging` hold the same client and secret; rotating the one in `dev` must refuse while
 * the copy exists (naming it), or with --include-shared update and roll both, so that no running
 * instance of either ever holds a secret UAA rejects and the old secret is retired only once both
 * hold the new one. Holders cfguard cannot update (an env var) stop the run; `--all-due` scoped to
 * one space never breaks the other.
 */
import {expect} from 'chai'

import {parseJson, runCli} from '../helpers/cli.js'
import {withSimulator, type Simulator} from '../helpers/sim.js'
import {Builder} from '../../src/sim/index.js'
import {cliEnv, secretChanges, sample, sharedCopy, upsWorld, watch, type UpsWorld} from './rotate-world.js'

const SIM = {instanceStartupMs: 100, jobDurationMs: 150}

interface PlanDoc {
  plan: {shared: {holders: {kind: string; space: string}[]}}
}

/** The credentials a UPS holds in the simulator (test-side inspection, never printed). */
function credentialsOf(sim: Simulator, guid: string): Record<string, unknown> {
  const si = [...sim.state.serviceInstances.all()].find((x) => x.guid === guid)!
  return si.credentials as Record<string, unknown>
}

function watchBoth(sim: Simulator, w: UpsWorld, copyApps: string[]) {
  return watch(sim, () => sample(sim, [...w.apps, ...copyApps], w.ups.name, (i, s) => sim.uaaAccepts(i, s)))
}

describe('rotation blast radius: other holders of the client, end to end', function () {
  this.timeout(120_000)

  it('refuses while a copy in another space holds the client, names it, and changes nothing', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = upsWorld(sim)
      const copy = sharedCopy(sim, w)
      const r = await runCli(['credentials', 'rotate', w.ups.name, '--yes'], {env: cliEnv(sim)})
      expect(r.code, r.stderr).to.equal(2)
      expect(r.stderr).to.contain('client billing-client of billing-oidc is also held by 1 other place')
      expect(r.stderr).to.contain(
        'user-provided service billing-oidc in acme/staging (apps billing-oidc-staging)',
      )
      expect(r.stderr).to.contain('cfguard credentials rotate billing-oidc --include-shared')
      expect(secretChanges(sim, w.clientId, 'ADD')).to.have.length(0)
      expect(credentialsOf(sim, copy.ups.guid).client_secret === w.initialSecret).to.equal(true)
      expect(credentialsOf(sim, w.ups.guid).client_secret === w.initialSecret).to.equal(true)
    })
  })

  it('--dry-run lists every holder, and what --include-shared would do with each', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = upsWorld(sim)
      sharedCopy(sim, w)
      // Wide enough for every plan line unwrapped (fitting the terminal: test/e2e/terminal.test.ts).
      const wide = cliEnv(sim, {COLUMNS: '200'})
      const plain = await runCli(['credentials', 'rotate', w.ups.name, '--dry-run'], {env: wide})
      // The plan is printed; the exit code says the real run would be refused.
      expect(plain.code, plain.stderr).to.equal(2)
      expect(plain.stdout).to.contain('other holders of client billing-client: 1')
      expect(plain.stdout).to.contain(
        'user-provided service billing-oidc in acme/staging (apps billing-oidc-staging): not included (--include-shared)',
      )
      expect(plain.stdout).to.match(/refused: client billing-client of billing-oidc is also held/)
      const shared = await runCli(['credentials', 'rotate', w.ups.name, '--dry-run', '--include-shared'], {
        env: wide,
      })
      expect(shared.code, shared.stderr).to.equal(0)
      expect(shared.stdout).to.contain(
        'user-provided service billing-oidc in acme/staging (apps billing-oidc-staging): updated and rolled with it',
      )
      // The copy's app rolls with the others: 2 + 2 + 2 web instances; apps of two spaces say where.
      expect(shared.stdout).to.match(/apps: 3 of 4 roll, 6 web instance\(s\) replaced/)
      expect(shared.stdout).to.match(/billing-oidc-staging \(acme\/staging\)\s+STARTED\s+roll 2 instance/)
      expect(shared.stdout).to.match(/billing-oidc-api \(acme\/dev\)\s+STARTED/)
      expect(shared.stdout).to.not.match(/refused:/)
      const json = parseJson<PlanDoc>(
        await runCli(['credentials', 'rotate', w.ups.name, '--dry-run', '--json', '--include-shared'], {
          env: cliEnv(sim),
        }),
      )
      expect(json.result.plan.shared.holders).to.have.length(1)
      expect(json.result.plan.shared.holders[0]).to.include({kind: 'user-provided', space: 'acme/staging'})
    })
  })

  it('--include-shared rotates both: every instance of every holder on an accepted secret throughout', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = upsWorld(sim)
      const copy = sharedCopy(sim, w)
      const watcher = watchBoth(sim, w, copy.apps)
      const r = await runCli(['credentials', 'rotate', w.ups.name, '--yes', '--include-shared', '--json'], {
        env: cliEnv(sim),
      })
      const seen = watcher.stop()
      expect(r.code, r.stderr).to.equal(0)
      expect(seen.violations).to.deep.equal([])
      expect(seen.samples).to.be.greaterThan(5)
      const a = credentialsOf(sim, w.ups.guid)
      const b = credentialsOf(sim, copy.ups.guid)
      expect(a.client_secret === b.client_secret, 'both hold the same new secret').to.equal(true)
      expect(a.client_secret === w.initialSecret).to.equal(false)
      expect(sim.uaaAccepts(w.clientId, String(b.client_secret))).to.equal(true)
      expect(sim.uaaAccepts(w.clientId, w.initialSecret)).to.equal(false)
      // Only the secret moved in the copy: its own extra keys are kept.
      expect(b.scope).to.equal('openid profile')
      expect(secretChanges(sim, w.clientId, 'ADD')).to.have.length(1)
      expect(secretChanges(sim, w.clientId, 'DELETE')).to.have.length(1)
      const doc = parseJson<{outcome: {message: string}}>(r)
      expect(doc.result.outcome.message).to.contain('(and 1 other service holding the client) rotated')
      // The copy's app was rolled: every running instance holds the new secret.
      const after = sample(sim, copy.apps, w.ups.name, (_i, s) => s === b.client_secret)
      expect(after.running).to.equal(2)
      expect(after.rejected).to.deep.equal([])
    })
  })

  it('--include-shared resumes after the answer to a copy’s update was lost, and moves it once', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = upsWorld(sim)
      const copy = sharedCopy(sim, w)
      const watcher = watchBoth(sim, w, copy.apps)
      sim.faults.failNth({
        method: 'PATCH',
        path: `/v3/service_instances/${copy.ups.guid}`,
        nth: 1,
        mode: 'cut',
      })
      const args = ['credentials', 'rotate', w.ups.name, '--yes', '--include-shared']
      const first = await runCli(args, {env: cliEnv(sim)})
      expect(first.code, first.stderr).to.equal(6)
      expect(sim.uaaAccepts(w.clientId, w.initialSecret), 'old secret kept while halted').to.equal(true)
      const second = await runCli(args, {env: cliEnv(sim)})
      const seen = watcher.stop()
      expect(second.code, second.stderr).to.equal(0)
      expect(seen.violations).to.deep.equal([])
      expect(credentialsOf(sim, copy.ups.guid).client_secret).to.equal(
        credentialsOf(sim, w.ups.guid).client_secret,
      )
      expect(secretChanges(sim, w.clientId, 'DELETE')).to.have.length(1)
    })
  })

  it('refuses even with --include-shared while an env var holds the secret (cfguard cannot update it)', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = upsWorld(sim)
      const b = new Builder(sim.state)
      const dev = [...sim.state.spaces.all()].find((s) => s.name === 'dev')!
      const app = b.app({space: dev, name: 'legacy-cron', env: {OIDC_CLIENT_SECRET: w.initialSecret}})
      b.start(app)
      const r = await runCli(['credentials', 'rotate', w.ups.name, '--yes', '--include-shared'], {
        env: cliEnv(sim),
      })
      expect(r.code, r.stderr).to.equal(2)
      expect(r.stderr).to.contain('env var legacy-cron:OIDC_CLIENT_SECRET in acme/dev')
      expect(r.stderr).to.contain('cfguard cannot update it')
      expect(secretChanges(sim, w.clientId, 'ADD')).to.have.length(0)
    })
  })

  it('rollback carries the copy back too: both on the old secret, UAA back to one, nobody broken', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = upsWorld(sim)
      const copy = sharedCopy(sim, w)
      const watcher = watchBoth(sim, w, copy.apps)
      const env = cliEnv(sim)
      const rotated = await runCli(
        ['credentials', 'rotate', w.ups.name, '--yes', '--include-shared', '--grace', '2h'],
        {
          env,
        },
      )
      expect(rotated.code, rotated.stderr).to.equal(0)
      const fresh = String(credentialsOf(sim, copy.ups.guid).client_secret)
      expect(fresh === w.initialSecret).to.equal(false)
      const back = await runCli(['credentials', 'rollback', w.ups.name, '--yes'], {env})
      const seen = watcher.stop()
      expect(back.code, back.stderr).to.equal(0)
      expect(seen.violations).to.deep.equal([])
      expect(credentialsOf(sim, copy.ups.guid).client_secret === w.initialSecret).to.equal(true)
      expect(credentialsOf(sim, w.ups.guid).client_secret === w.initialSecret).to.equal(true)
      expect(sim.uaaAccepts(w.clientId, w.initialSecret)).to.equal(true)
      expect(sim.uaaAccepts(w.clientId, fresh)).to.equal(false)
    })
  })

  it('retire halts while a copy pasted during the grace period still holds the old secret', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = upsWorld(sim)
      sharedCopy(sim, w)
      const env = cliEnv(sim)
      const rotated = await runCli(
        ['credentials', 'rotate', w.ups.name, '--yes', '--include-shared', '--grace', '2h'],
        {
          env,
        },
      )
      expect(rotated.code, rotated.stderr).to.equal(0)
      const late = sharedCopy(sim, w, {space: 'qa'})
      const watcher = watchBoth(sim, w, late.apps)
      const retire = await runCli(['credentials', 'retire', w.ups.name, '--yes', '--force'], {env})
      expect(watcher.stop().violations).to.deep.equal([])
      expect(retire.code, retire.stderr).to.equal(6)
      expect(retire.stderr).to.contain('billing-oidc in acme/qa does not hold the secret that stays valid')
      expect(retire.stderr).to.contain('cfguard credentials rollback billing-oidc')
      expect(secretChanges(sim, w.clientId, 'DELETE')).to.have.length(0)
      expect(sim.uaaAccepts(w.clientId, w.initialSecret)).to.equal(true)
    })
  })

  it('the demo foundation: reporting-oidc in prod is refused, naming its twin in staging', async () => {
    await withSimulator({...SIM, scenario: 'demo'}, async (sim) => {
      const env = cliEnv(sim, {CFGUARD_SPACE: 'prod'})
      const r = await runCli(['credentials', 'rotate', 'reporting-oidc', '--yes'], {env})
      expect(r.code, r.stderr).to.equal(2)
      expect(r.stderr).to.contain('user-provided service reporting-oidc in acme/staging (apps reporting)')
      expect(secretChanges(sim, 'reporting', 'ADD')).to.have.length(0)
    })
  })

  it('--all-due scoped to one space never breaks the holder in another; --include-shared takes both', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = upsWorld(sim)
      const copy = sharedCopy(sim, w)
      const watcher = watchBoth(sim, w, copy.apps)
      const due = ['credentials', 'rotate', '--all-due', '--older-than', '30d', '--yes']
      const alone = await runCli(due, {env: cliEnv(sim)})
      expect(alone.code, alone.stderr).to.not.equal(0)
      expect(alone.stdout + alone.stderr).to.contain('also held by 1 other place')
      expect(secretChanges(sim, w.clientId, 'ADD')).to.have.length(0)
      expect(credentialsOf(sim, copy.ups.guid).client_secret === w.initialSecret).to.equal(true)
      const both = await runCli([...due, '--include-shared'], {env: cliEnv(sim)})
      const seen = watcher.stop()
      expect(both.code, both.stderr).to.equal(0)
      expect(seen.violations).to.deep.equal([])
      expect(credentialsOf(sim, copy.ups.guid).client_secret).to.equal(
        credentialsOf(sim, w.ups.guid).client_secret,
      )
      expect(secretChanges(sim, w.clientId, 'DELETE')).to.have.length(1)
    })
  })
})
