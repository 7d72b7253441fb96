/**
 * End to end, one test per credential kind: the built CLI rotates against the simulator while a
 * watcher checks every ~50 ms that each running instance holds a secret its identity provider
 * accepts — before, during and after the run.
 */
import {expect} from 'chai'
import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {parseJson, runCli, tempDir} from '../helpers/cli.js'
import {withSimulator} from '../helpers/sim.js'
import {
  cliEnv,
  fakeIdp,
  managedWorld,
  sample,
  secret,
  secretChanges,
  upsWorld,
  watch,
} from './rotate-world.js'

const SIM = {instanceStartupMs: 100, jobDurationMs: 150}

interface RotationJson {
  plan: {kind: string; steps: {id: string; run: boolean}[]}
  events: {type: string; step: string | null}[]
  outcome: {status: string; exitCode: number}
  auditEvents: {type: string; target: {guid: string}}[]
}

describe('credentials rotate, end to end, every kind', function () {
  this.timeout(60_000)

  it('UPS holding a UAA client secret: two-secret rotation, rolling deployments, old secret retired once', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = upsWorld(sim)
      const accepted = (id: string, s: string) => sim.uaaAccepts(id, s)
      const before = sample(sim, w.apps, w.ups.name, accepted)
      expect(before.running).to.equal(5)
      expect(before.rejected).to.deep.equal([])

      const watcher = watch(sim, () => sample(sim, w.apps, w.ups.name, accepted))
      const r = await runCli(['credentials', 'rotate', w.ups.name, '--yes', '--json'], {env: cliEnv(sim)})
      const seen = watcher.stop()
      expect(r.code, r.stderr).to.equal(0)
      const doc = parseJson<RotationJson>(r)
      expect(doc.result.outcome.status).to.equal('completed')
      expect(doc.result.plan.kind).to.equal('ups-uaa')
      expect(seen.violations).to.deep.equal([], 'an instance held a secret UAA rejects')
      expect(seen.samples).to.be.greaterThan(3)

      const si = sim.state.serviceInstances.get(w.ups.guid)!
      const now = String(si.credentials.client_secret)
      expect(now).to.not.equal(w.initialSecret)
      expect(now.length).to.be.at.least(43)
      expect(sim.uaaAccepts(w.clientId, now)).to.equal(true)
      expect(sim.uaaAccepts(w.clientId, w.initialSecret)).to.equal(false)
      expect(sim.state.uaa.clients.get(w.clientId)!.secrets).to.have.length(1)
      // Every running instance (web and the restarted worker) holds the new secret.
      for (const app of w.apps.slice(0, 2)) {
        for (const i of sim.instances(app).filter((x) => x.state === 'RUNNING')) {
          const held = (Object.values(i.vcapServices).flat() as {credentials: {client_secret: string}}[])[0]!
          expect(held.credentials.client_secret === now).to.equal(
            true,
            `${app}/${i.index} runs the new secret`,
          )
        }
      }
      expect(secretChanges(sim, w.clientId, 'ADD')).to.have.length(1)
      expect(secretChanges(sim, w.clientId, 'DELETE')).to.have.length(1)
      expect(si.metadata.annotations['cfguard.io/lease']).to.equal(undefined)
      expect(si.metadata.annotations['cfguard.io/rotated-at']).to.be.a('string')
      expect(
        [...sim.state.serviceInstances.all()].some((s) => s.name.startsWith('cfguard-rotation-')),
      ).to.equal(false, 'the rotation state is removed')
      // The CF audit events the run caused, listed in the result.
      const types = doc.result.auditEvents.map((e) => e.type)
      expect(types).to.include('audit.user_provided_service_instance.update')
      expect(types.filter((t) => t === 'audit.app.deployment.create')).to.have.length(2)
      expect(types).to.include('audit.user_provided_service_instance.create')
    })
  })

  it('the watcher catches a rotation that is not zero-downtime (control)', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = upsWorld(sim)
      const watcher = watch(sim, () => sample(sim, w.apps, w.ups.name, (id, s) => sim.uaaAccepts(id, s)))
      // The naive way: replace the secret at UAA (changeMode UPDATE) before the apps have it.
      sim.state.uaa.clients.get(w.clientId)!.secrets = [secret()]
      await new Promise((r) => setTimeout(r, 120))
      expect(watcher.stop().violations.length).to.equal(5)
    })
  })

  it('managed binding where a second binding is not allowed: refused, or with --allow-downtime replaced', async () => {
    await withSimulator({...SIM, maxBindingsPerAppServiceInstance: 1}, async (sim) => {
      const w = managedWorld(sim)
      const refused = await runCli(['credentials', 'rotate', w.si.name, '--yes'], {env: cliEnv(sim)})
      expect(refused.code).to.equal(2)
      expect(refused.stderr).to.match(
        /a second binding per app is not allowed here \(The app is already bound/,
      )
      expect(refused.stderr).to.match(/next: .*--allow-downtime/)
      expect(
        sim.state.serviceInstances.get(w.si.guid)!.metadata.annotations['cfguard.io/rotation-journal'],
      ).to.equal(undefined, 'nothing left behind')
      const old = sim.state.bindings.lookup('instance', w.si.guid).map((b) => b.guid)
      const r = await runCli(['credentials', 'rotate', w.si.name, '--yes', '--allow-downtime'], {
        env: cliEnv(sim),
      })
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stderr).to.match(/deleting the old binding first \(downtime until the roll finishes\)/)
      const now = sim.state.bindings.lookup('instance', w.si.guid)
      expect(now.filter((b) => old.includes(b.guid))).to.deep.equal([])
      expect(sample(sim, w.apps, w.si.name, (id, s) => sim.uaaAccepts(id, s)).rejected).to.deep.equal([])
    })
  })

  it('managed binding: a second binding per app, roll, then the older binding (and its client) goes', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = managedWorld(sim)
      const accepted = (id: string, s: string) => sim.uaaAccepts(id, s)
      expect(sample(sim, w.apps, w.si.name, accepted).rejected).to.deep.equal([])
      const oldBindings = sim.state.bindings.lookup('instance', w.si.guid).map((b) => b.guid)

      const watcher = watch(sim, () => sample(sim, w.apps, w.si.name, accepted))
      const r = await runCli(['credentials', 'rotate', w.si.name, '--yes', '--max-in-flight', '2'], {
        env: cliEnv(sim),
      })
      const seen = watcher.stop()
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).to.contain('rotated')
      expect(seen.violations).to.deep.equal([], 'an instance held credentials UAA rejects')
      expect(seen.maxRunning).to.be.at.least(4)

      const now = sim.state.bindings.lookup('instance', w.si.guid)
      expect(now).to.have.length(2)
      expect(now.every((b) => !oldBindings.includes(b.guid) && b.name === 'sso')).to.equal(true)
      const after = sample(sim, w.apps, w.si.name, accepted)
      expect(after.running).to.equal(4)
      expect(after.rejected).to.deep.equal([])
      // The old bindings' UAA clients are gone (the broker revoked them).
      expect(r.stderr).to.match(/delete-old-bindings: done \(2 older binding/)
    })
  })

  it('service key: a new key to --output (0600), the older key deleted, bound apps untouched', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = managedWorld(sim, {name: 'partner-api', keys: ['ci-deployer']})
      const accepted = (id: string, s: string) => sim.uaaAccepts(id, s)
      const oldKey = sim.state.bindings.lookup('instance', w.si.guid).find((b) => b.type === 'key')!
      const oldClient = String(oldKey.credentials.client_id)
      const dir = tempDir('cfguard-key-')
      const out = join(dir, 'ci-key.json')

      const watcher = watch(sim, () => sample(sim, w.apps, w.si.name, accepted))
      const r = await runCli(
        ['credentials', 'rotate', w.si.name, '--key', 'ci-deployer', '--output', out, '--yes'],
        {env: cliEnv(sim)},
      )
      const seen = watcher.stop()
      expect(r.code, r.stderr).to.equal(0)
      expect(seen.violations).to.deep.equal([])
      expect(statSync(out).mode & 0o777).to.equal(0o600)
      const doc = JSON.parse(readFileSync(out, 'utf8')) as {key: string; credentials: Record<string, string>}
      expect(doc.key).to.match(/^ci-deployer-/)
      expect(accepted(doc.credentials.client_id!, doc.credentials.client_secret!)).to.equal(true)
      const keys = sim.state.bindings.lookup('instance', w.si.guid).filter((b) => b.type === 'key')
      expect(keys.map((k) => k.name)).to.deep.equal([doc.key])
      expect(sim.state.uaa.clients.has(oldClient)).to.equal(false, 'the old key’s client is revoked')
      expect(r.stdout + r.stderr).to.not.contain(doc.credentials.client_secret!)
    })
  })

  describe('another identity provider', () => {
    let idp: Awaited<ReturnType<typeof fakeIdp>>
    let tokenEndpoint: string
    let accepted: Set<string>
    before(async () => {
      idp = await fakeIdp()
      ;({tokenEndpoint, accepted} = idp)
    })
    after(() => idp.close())

    it('the new secret from stdin: verified at the provider, rolled out, old one left to the operator', async () => {
      await withSimulator(SIM, async (sim) => {
        const w = upsWorld(sim, {name: 'partner-oidc', clientId: 'partner', tokenEndpoint})
        accepted.clear()
        accepted.add(w.initialSecret)
        const fresh = secret()
        // The operator added a second secret at the provider first.
        accepted.add(fresh)
        const ok = (_id: string, s: string) => accepted.has(s)
        expect(sample(sim, w.apps, w.ups.name, ok).rejected).to.deep.equal([])

        const watcher = watch(sim, () => sample(sim, w.apps, w.ups.name, ok))
        const r = await runCli(['credentials', 'rotate', w.ups.name, '--secret-stdin', '--yes'], {
          env: cliEnv(sim),
          input: `${fresh}\n`,
        })
        const seen = watcher.stop()
        expect(r.code, r.stderr).to.equal(0)
        expect(seen.violations).to.deep.equal([])
        expect(r.stderr).to.match(
          /remove the old secret \(hmac:[0-9a-f]+\) of client partner at its identity provider/,
        )
        expect(
          String(sim.state.serviceInstances.get(w.ups.guid)!.credentials.client_secret) === fresh,
        ).to.equal(true)
        // The operator retires the old secret at the provider: nothing running uses it any more.
        accepted.delete(w.initialSecret)
        // The worker restarts (not rolls) when the deployment finishes: move simulated time past
        // its startup rather than hoping 2 s of wall time are enough on a busy machine.
        sim.clock.advance(SIM.instanceStartupMs)
        const after = sample(sim, w.apps, w.ups.name, ok)
        expect(after.running).to.equal(5)
        expect(after.rejected).to.deep.equal([])
        expect(r.stdout + r.stderr).to.not.contain(fresh)
      })
    })

    it('a secret the provider does not accept yet is refused before anything is rolled out', async () => {
      await withSimulator(SIM, async (sim) => {
        const w = upsWorld(sim, {name: 'partner-oidc', clientId: 'partner', tokenEndpoint})
        accepted.clear()
        accepted.add(w.initialSecret)
        const r = await runCli(['credentials', 'rotate', w.ups.name, '--secret-stdin', '--yes'], {
          env: cliEnv(sim),
          input: secret(),
        })
        expect(r.code).to.equal(6)
        expect(r.stderr).to.match(/identity provider rejects the new secret/)
        expect(sim.state.serviceInstances.get(w.ups.guid)!.credentials.client_secret).to.equal(
          w.initialSecret,
        )
        expect([...sim.state.deployments.all()]).to.have.length(0)
      })
    })
  })
})
