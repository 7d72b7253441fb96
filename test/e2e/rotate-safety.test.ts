/**
 * End to end: what keeps a rotation safe to run from cron — exclusive runs, a dry run that
 * changes nothing, no secret in any output, consent without a terminal, grace / retire / rollback,
 * and `--all-due` where one credential halts and the others still finish.
 */
import {expect} from 'chai'
import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {parseJson, runCli, tempDir} from '../helpers/cli.js'
import {withSimulator, type Simulator} from '../helpers/sim.js'
import {
  cliEnv,
  leaseOf,
  managedWorld,
  rolling,
  sample,
  secret,
  secretChanges,
  until,
  upsWorld,
  watch,
} from './rotate-world.js'

const SIM = {instanceStartupMs: 100, jobDurationMs: 150}

/** Everything a rotation could change, as one string. */
function stateOf(sim: Simulator): string {
  const s = sim.state
  const rows = <T>(t: {all(): Iterable<T>}) => [...t.all()]
  return JSON.stringify({
    si: rows(s.serviceInstances).map((x) => ({...x, credentials: x.credentials})),
    bindings: rows(s.bindings),
    apps: rows(s.apps),
    processes: rows(s.processes).map((p) => ({
      guid: p.guid,
      instances: p.instances,
      actual: p.actual.map((i) => i.guid),
    })),
    deployments: rows(s.deployments),
    clients: [...s.uaa.clients.values()].map((c) => [c.clientId, c.secrets]),
    events: sim
      .auditEvents()
      .filter((e) => !READS.has(e.type))
      .map((e) => e.guid),
  })
}

/**
 * Audit events of reads: a dry run searches every space for other holders of the client it would
 * rotate, and CC records each credentials or env read. Anything else would be a change.
 */
const READS = new Set([
  'audit.user_provided_service_instance.show',
  'audit.service_binding.show',
  'audit.service_key.show',
  'audit.app.environment.show',
])

describe('rotation safety, end to end', function () {
  this.timeout(120_000)

  describe('two runs on one instance at once', () => {
    it('same host (same CFGUARD_HOME): the second stops at the local lock, the first completes', async () => {
      await withSimulator(SIM, async (sim) => {
        const w = upsWorld(sim)
        const home = tempDir('cfguard-home-')
        const env = cliEnv(sim, {CFGUARD_HOME: home})
        const watcher = watch(sim, () => sample(sim, w.apps, w.ups.name, (i, s) => sim.uaaAccepts(i, s)))
        // Simulated time stands still: the first run stays in its deployment until the second is done.
        sim.clock.pause()
        const first = runCli(['credentials', 'rotate', w.ups.name, '--yes'], {env})
        await until(() => rolling(sim, w.apps), 'the first run to start rolling the apps')
        const second = await runCli(['credentials', 'rotate', w.ups.name, '--yes'], {env})
        sim.clock.resume()
        const a = await first
        expect(watcher.stop().violations).to.deep.equal([])
        expect(a.code, a.stderr).to.equal(0)
        expect(second.code).to.equal(6)
        expect(second.stderr).to.match(/^cfguard: another cfguard process on this host \(pid \d+/)
        expect(second.stderr).to.match(/next: wait for it to finish/)
        expect(secretChanges(sim, w.clientId, 'DELETE')).to.have.length(1)
      })
    })

    it('different people: the second is refused by the lease on the platform and changes nothing', async () => {
      await withSimulator(SIM, async (sim) => {
        const w = managedWorld(sim)
        const watcher = watch(sim, () => sample(sim, w.apps, w.si.name, (i, s) => sim.uaaAccepts(i, s)))
        // Simulated time stands still: the first run's binding job waits until the other run is done.
        sim.clock.pause()
        const first = runCli(['credentials', 'rotate', w.si.name, '--yes'], {env: cliEnv(sim)})
        await until(() => leaseOf(sim, w.si.guid) !== undefined, 'the first run to take the lease')
        const other = await runCli(['credentials', 'rotate', w.si.name, '--yes'], {
          env: {
            ...cliEnv(sim),
            CFGUARD_CLIENT_ID: undefined as unknown as string,
            CFGUARD_CLIENT_SECRET: undefined as unknown as string,
            CFGUARD_USERNAME: sim.users.admin.username,
            CFGUARD_PASSWORD: sim.users.admin.password,
          },
        })
        sim.clock.resume()
        const a = await first
        expect(watcher.stop().violations).to.deep.equal([])
        expect(a.code, a.stderr).to.equal(0)
        expect(other.code).to.equal(6)
        expect(other.stderr).to.match(/is being rotated by cfguard-sim-admin@/)
        const bindings = sim.state.bindings.lookup('instance', w.si.guid)
        expect(bindings).to.have.length(2, 'one binding per app, no duplicate rotation')
      })
    })

    it('the same identity from two hosts: the later run takes the lease over, the earlier stops, nothing is lost', async () => {
      await withSimulator(SIM, async (sim) => {
        const w = upsWorld(sim)
        const watcher = watch(sim, () => sample(sim, w.apps, w.ups.name, (i, s) => sim.uaaAccepts(i, s)))
        // Simulated time stands still until the second run holds the lease: the first cannot finish
        // (or the second start afresh) however slowly either process runs.
        sim.clock.pause()
        const first = runCli(['credentials', 'rotate', w.ups.name, '--yes'], {env: cliEnv(sim)})
        await until(() => rolling(sim, w.apps), 'the first run to start rolling the apps')
        const firstLease = leaseOf(sim, w.ups.guid)
        const second = runCli(['credentials', 'rotate', w.ups.name, '--yes'], {env: cliEnv(sim)})
        await until(() => leaseOf(sim, w.ups.guid) !== firstLease, 'the second run to take the lease over')
        sim.clock.resume()
        const [a, b] = await Promise.all([first, second])
        expect(watcher.stop().violations).to.deep.equal([])
        // The later run takes over the lease and finishes the rotation; the earlier one stops.
        expect(b.code, b.stderr).to.equal(0)
        expect(a.code).to.equal(6)
        expect(a.stderr).to.match(
          /cfguard: billing-oidc: lease-held: the lease on billing-oidc was taken over.*; this run stops/,
        )
        expect(b.stderr).to.match(/plan: rotate ups-uaa, resuming /)
        expect(secretChanges(sim, w.clientId, 'ADD')).to.have.length(1)
        expect(secretChanges(sim, w.clientId, 'DELETE').filter((c) => c.status === 200)).to.have.length(1)
        const held = String(sim.state.serviceInstances.get(w.ups.guid)!.credentials.client_secret)
        expect(sim.state.uaa.clients.get(w.clientId)!.secrets).to.deep.equal([held])
      })
    })
  })

  it('Ctrl-C while waiting for a deployment: exit 130, lease given back, a re-run finishes', async () => {
    await withSimulator({...SIM, instanceStartupMs: 500}, async (sim) => {
      const w = upsWorld(sim)
      const watcher = watch(sim, () => sample(sim, w.apps, w.ups.name, (i, s) => sim.uaaAccepts(i, s)))
      sim.clock.pause()
      let sent = false
      const r = await runCli(['credentials', 'rotate', w.ups.name, '--yes'], {
        env: cliEnv(sim),
        onSpawn: (child) => {
          let seen = ''
          child.stderr!.on('data', (d: Buffer | string) => {
            seen += d.toString()
            // Simulated time stands still, so the deployment is still running when the signal lands.
            if (!sent && seen.includes('] roll-apps: Rolling')) {
              sent = true
              child.kill('SIGINT')
            }
          })
        },
      })
      sim.clock.resume()
      expect(r.code).to.equal(130)
      expect(r.stderr).to.match(/cfguard: billing-oidc: halted: .*stopped at roll-apps: interrupted/)
      expect(r.stderr).to.match(
        /^ {2}next: re-run `cfguard credentials rotate billing-oidc` to resume \(the state is on the platform\)$/m,
      )
      expect(sim.state.serviceInstances.get(w.ups.guid)!.metadata.annotations['cfguard.io/lease']).to.equal(
        undefined,
      )
      const again = await runCli(['credentials', 'rotate', w.ups.name, '--yes'], {env: cliEnv(sim)})
      expect(again.code, again.stderr).to.equal(0)
      expect(watcher.stop().violations).to.deep.equal([])
      expect(secretChanges(sim, w.clientId, 'DELETE')).to.have.length(1)
    })
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during the lease step (between writing and confirming the lease): exit 130, lease given back`, async () => {
      await withSimulator(SIM, async (sim) => {
        const w = upsWorld(sim)
        const lease = () =>
          sim.state.serviceInstances.get(w.ups.guid)!.metadata.annotations['cfguard.io/lease']
        let sent = false
        const r = await runCli(['credentials', 'rotate', w.ups.name, '--yes'], {
          env: cliEnv(sim),
          onSpawn: (child) => {
            // The run pauses after writing its lease, then re-reads it: interrupt in that pause.
            const poll = setInterval(() => {
              if (lease() === undefined) return
              clearInterval(poll)
              sent = true
              child.kill(signal)
            }, 5)
            child.on('close', () => clearInterval(poll))
          },
        })
        expect(sent, 'the lease was written').to.equal(true)
        expect(r.code, r.stderr).to.equal(130)
        expect(r.stderr).to.match(/\] lease: FAILED: interrupted\n/)
        expect(r.stderr).to.match(/^cfguard: billing-oidc: failed: interrupted$/m)
        // issue 16: an interrupted rotation says how to go on
        expect(r.stderr).to.match(
          /^ {2}next: re-run `cfguard credentials rotate billing-oidc` to resume: this run stopped before changing anything$/m,
        )
        expect(lease(), 'the lease left on the instance').to.equal(undefined)
        expect(secretChanges(sim, w.clientId, 'ADD')).to.have.length(0)
        const again = await runCli(['credentials', 'rotate', w.ups.name, '--yes'], {env: cliEnv(sim)})
        expect(again.code, again.stderr).to.equal(0)
      })
    })
  }

  describe('--dry-run', () => {
    it('leaves the state as it was, and the audit trail but for reads (every kind)', async () => {
      await withSimulator(SIM, async (sim) => {
        const u = upsWorld(sim)
        const m = managedWorld(sim)
        const k = managedWorld(sim, {name: 'partner-api', keys: ['ci']})
        const before = stateOf(sim)
        const out = join(tempDir('cfguard-dry-'), 'k.json')
        for (const args of [
          [u.ups.name],
          [u.ups.name, '--grace', '2h', '--json'],
          [m.si.name, '--max-in-flight', '2'],
          [k.si.name, '--key', 'ci', '--output', out],
          ['--all-due', '--older-than', '1d'],
        ]) {
          const r = await runCli(['credentials', 'rotate', ...args, '--dry-run'], {env: cliEnv(sim)})
          expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(0)
        }
        const retire = await runCli(['credentials', 'retire', u.ups.name, '--dry-run'], {env: cliEnv(sim)})
        expect(retire.code).to.equal(2)
        expect(retire.stderr).to.match(/nothing to retire/)
        expect(stateOf(sim)).to.equal(before)
        const reads = sim.auditEvents().filter((e) => READS.has(e.type))
        expect(reads.length, 'the holder search reads credentials').to.be.greaterThan(0)
      })
    })

    it('prints the plan: steps, apps, instances replaced, restarts and the audit events the run writes', async () => {
      await withSimulator(SIM, async (sim) => {
        const u = upsWorld(sim)
        const r = await runCli(['credentials', 'rotate', u.ups.name, '--dry-run'], {env: cliEnv(sim)})
        expect(r.code).to.equal(0)
        expect(r.stdout).to.contain(
          'Plan: rotate billing-oidc (UAA client secret in a user-provided service)',
        )
        expect(r.stdout).to.match(/Add the new secret to the UAA client \(changeMode ADD\)/)
        expect(r.stdout).to.match(/apps: 2 of 3 roll, 4 web instance\(s\) replaced/)
        expect(r.stdout).to.match(/restarted \(not rolled\) at the end: billing-oidc-api worker/)
        expect(r.stdout).to.match(/audit\.app\.deployment\.create\s+2/)
        expect(r.stdout).to.match(/without reading the service's own secret \(the search for other holders/)
        expect(r.stdout).to.match(/other holders of client billing-client: none found/)
      })
    })
  })

  describe('no secret value in any output', () => {
    it('human, --json, --audit-log, CFGUARD_TRACE=file and an error path never show a secret', async () => {
      await withSimulator(SIM, async (sim) => {
        const u = upsWorld(sim)
        const x = upsWorld(sim, {name: 'partner-oidc', clientId: 'partner'})
        const dir = tempDir('cfguard-canary-')
        const trace = join(dir, 'trace.log')
        const audit = join(dir, 'audit.jsonl')
        const env = cliEnv(sim, {CFGUARD_TRACE: trace})
        const outputs: string[] = []
        const run = async (args: string[], input?: string) => {
          const r = await runCli(['credentials', ...args], {env, input})
          outputs.push(r.stdout, r.stderr)
          return r
        }
        expect((await run(['rotate', u.ups.name, '--yes', '--json', '--audit-log', audit])).code).to.equal(0)
        // Another provider's secret from a file; the run halts at the verify step (an error path).
        const fed = secret()
        sim.state.uaa.clients.get('partner')!.secrets.push(fed)
        const secretFile = join(dir, 'new-secret')
        await import('node:fs/promises').then((fs) => fs.writeFile(secretFile, `${fed}\n`, {mode: 0o600}))
        sim.faults.failNth({
          method: 'PATCH',
          path: `/v3/service_instances/${x.ups.guid}`,
          nth: 2,
          mode: 'cut',
        })
        const failed = await run([
          'rotate',
          x.ups.name,
          '--secret-file',
          secretFile,
          '--yes',
          '--audit-log',
          audit,
        ])
        expect(failed.code).to.equal(6)
        expect(
          (await run(['rotate', x.ups.name, '--secret-file', secretFile, '--yes', '--audit-log', audit]))
            .code,
        ).to.equal(0)
        expect((await run(['rollback', x.ups.name, '--yes'])).code).to.equal(2)

        const canaries = [
          u.initialSecret,
          String(sim.state.serviceInstances.get(u.ups.guid)!.credentials.client_secret),
          x.initialSecret,
          fed,
          sim.admin.clientSecret,
        ]
        expect(canaries[1]).to.not.equal(u.initialSecret)
        const files = {trace: readFileSync(trace, 'utf8'), audit: readFileSync(audit, 'utf8')}
        expect(files.trace.length).to.be.greaterThan(1000)
        expect(files.audit.split('\n').filter(Boolean).length).to.be.greaterThan(20)
        expect(statSync(audit).mode & 0o777).to.equal(0o600)
        for (const [i, c] of canaries.entries()) {
          for (const [j, text] of outputs.entries())
            expect(text.includes(c)).to.equal(false, `canary ${i} leaked into output ${j}`)
          expect(files.trace.includes(c)).to.equal(false, `canary ${i} leaked into the trace`)
          expect(files.audit.includes(c)).to.equal(false, `canary ${i} leaked into the audit log`)
        }
        // The audit log is one JSON object per line with the rotation's facts.
        const records = files.audit
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as {event: string; step: string | null; target_name: string})
        expect(records.some((r) => r.event === 'step-failed' && r.target_name === 'partner-oidc')).to.equal(
          true,
        )
        expect(records.filter((r) => r.event === 'done').length).to.equal(3)
      })
    })
  })

  describe('consent without a terminal', () => {
    it('rotate / retire / rollback without --yes: one error line, the next step, exit 2, no request made', async () => {
      await withSimulator(SIM, async (sim) => {
        const u = upsWorld(sim)
        for (const cmd of ['rotate', 'retire', 'rollback']) {
          sim.resetRequests()
          const r = await runCli(['credentials', cmd, u.ups.name], {env: cliEnv(sim)})
          expect(r.code).to.equal(2)
          const lines = r.stderr.trim().split('\n')
          expect(lines[0]).to.match(
            new RegExp(`^cfguard: credentials ${cmd} changes the foundation .*pass --yes`),
          )
          expect(lines[1]).to.match(/^ {2}next: .*--yes/)
          expect(lines).to.have.length(2)
          expect(r.stdout).to.equal('')
          expect(sim.requests).to.deep.equal([])
        }
        const cron = await runCli(['credentials', 'rotate', '--all-due'], {env: cliEnv(sim)})
        expect(cron.code).to.equal(2)
        expect(cron.stderr).to.match(/rotate --all-due changes the foundation/)
        const yes = await runCli(['rotate-credentials', u.ups.name], {
          env: cliEnv(sim, {CFGUARD_YES: 'true'}),
        })
        expect(yes.code, yes.stderr).to.equal(0)
      })
    })
  })

  describe('bad input: one line, a next step, exit 2, nothing changed', () => {
    it('unknown instance, wrong --kind, --reveal with --json, a missing secret file, both arg and --all-due', async () => {
      await withSimulator(SIM, async (sim) => {
        const u = upsWorld(sim)
        const m = managedWorld(sim)
        const before = stateOf(sim)
        const cases: [string[], RegExp][] = [
          [
            ['rotate', 'no-such-oidc', '--yes'],
            /^cfguard: no service instance named "no-such-oidc" in space dev\n  next: /,
          ],
          [
            ['rotate', u.ups.name, '--kind', 'managed-binding', '--yes'],
            /is a user-provided service: --kind managed-binding/,
          ],
          [['rotate', m.si.name, '--secret-stdin', '--yes'], /is a managed service instance/],
          [
            ['rotate', m.si.name, '--key', 'ci', '--reveal', '--json', '--yes'],
            /--reveal prints the new key on stdout/,
          ],
          [
            ['rotate', u.ups.name, '--secret-file', '/nonexistent/secret', '--yes'],
            /cannot read the new secret from \/nonexistent\/secret: ENOENT/,
          ],
          [['rotate', u.ups.name, '--all-due', '--yes'], /give a service instance or --all-due, not both/],
          [['rotate', '--yes'], /which service instance\?/],
          [['rotate', u.ups.name, '--max-in-flight', '0', '--yes'], /--max-in-flight must be a whole number/],
          [['rotate', u.ups.name, '--grace', 'soon', '--yes'], /invalid --grace "soon"/],
        ]
        for (const [args, message] of cases) {
          const r = await runCli(['credentials', ...args], {env: cliEnv(sim)})
          const text = r.stderr.trim() || r.stdout
          expect(r.code, `${args.join(' ')}: ${text}`).to.equal(2)
          expect(text, args.join(' ')).to.match(message)
          expect(text).to.not.match(/\bat .*\.js:\d+/, 'no stack trace')
        }
        expect(stateOf(sim)).to.equal(before)
      })
    })
  })

  describe('grace, retire and rollback', () => {
    it('--grace keeps the old secret; retire refuses early, --force retires; the next rotation starts fresh', async () => {
      await withSimulator(SIM, async (sim) => {
        const u = upsWorld(sim)
        const r = await runCli(['credentials', 'rotate', u.ups.name, '--grace', '1h', '--yes'], {
          env: cliEnv(sim),
        })
        expect(r.code, r.stderr).to.equal(0)
        expect(r.stdout).to.match(/old credentials stay valid until/)
        expect(sim.uaaAccepts(u.clientId, u.initialSecret)).to.equal(true)
        const early = await runCli(['credentials', 'retire', u.ups.name, '--yes'], {env: cliEnv(sim)})
        expect(early.code).to.equal(2)
        expect(early.stderr).to.match(/grace period runs until/)
        const forced = await runCli(['credentials', 'retire', u.ups.name, '--yes', '--force'], {
          env: cliEnv(sim),
        })
        expect(forced.code, forced.stderr).to.equal(0)
        expect(sim.uaaAccepts(u.clientId, u.initialSecret)).to.equal(false)
        expect(secretChanges(sim, u.clientId, 'DELETE')).to.have.length(1)
      })
    })

    it('rollback during the grace period: previous secret back in the service and the only one at UAA', async () => {
      await withSimulator(SIM, async (sim) => {
        const u = upsWorld(sim)
        const accepted = (i: string, s: string) => sim.uaaAccepts(i, s)
        const watcher = watch(sim, () => sample(sim, u.apps, u.ups.name, accepted))
        expect(
          (await runCli(['credentials', 'rotate', u.ups.name, '--grace', '1h', '--yes'], {env: cliEnv(sim)}))
            .code,
        ).to.equal(0)
        const rb = await runCli(['credentials', 'rollback', u.ups.name, '--yes'], {env: cliEnv(sim)})
        expect(watcher.stop().violations).to.deep.equal([])
        expect(rb.code, rb.stderr).to.equal(0)
        expect(rb.stdout).to.match(/back on its previous secret/)
        expect(sim.state.serviceInstances.get(u.ups.guid)!.credentials.client_secret).to.equal(
          u.initialSecret,
        )
        expect(sim.state.uaa.clients.get(u.clientId)!.secrets).to.deep.equal([u.initialSecret])
      })
    })
  })

  describe('--all-due (cron)', () => {
    it('one credential halts: exit 6, the others are rotated, the not-due one is left alone', async () => {
      await withSimulator(SIM, async (sim) => {
        const a = upsWorld(sim, {name: 'alpha-oidc', clientId: 'alpha'})
        const b = upsWorld(sim, {name: 'bravo-oidc', clientId: 'bravo'})
        const c = upsWorld(sim, {name: 'charlie-oidc', clientId: 'charlie'})
        const young = upsWorld(sim, {name: 'young-oidc', clientId: 'young', createdAgoMs: 5 * 86_400_000})
        sim.faults.failNth({
          method: 'PATCH',
          path: `/v3/service_instances/${b.ups.guid}`,
          nth: 2,
          mode: 'status',
          status: 500,
        })
        const dir = tempDir('cfguard-cron-')
        const r = await runCli(
          ['credentials', 'rotate', '--all-due', '--yes', '--json', '--audit-log', join(dir, 'audit.jsonl')],
          {env: cliEnv(sim)},
        )
        expect(r.code, r.stderr).to.equal(6)
        const doc = parseJson<{
          items: {target: {name: string}; status: string}[]
          counts: {succeeded: number; halted: number}
          exitCode: number
        }>(r)
        expect(doc.status).to.equal(6)
        const byName = Object.fromEntries(doc.result.items.map((i) => [i.target.name, i.status]))
        expect(byName).to.deep.equal({
          'alpha-oidc': 'completed',
          'bravo-oidc': 'halted',
          'charlie-oidc': 'completed',
        })
        for (const w of [a, c]) expect(sim.uaaAccepts(w.clientId, w.initialSecret)).to.equal(false)
        expect(sim.uaaAccepts(young.clientId, young.initialSecret)).to.equal(true)

        // The next night resumes the halted one and leaves the rest alone.
        const next = await runCli(['credentials', 'rotate', '--all-due', '--yes'], {env: cliEnv(sim)})
        expect(next.code, next.stderr).to.equal(0)
        expect(next.stdout).to.match(/bravo-oidc: rotate completed/)
        expect(next.stdout).to.not.match(/alpha-oidc: rotate/)
        expect(sim.uaaAccepts(b.clientId, b.initialSecret)).to.equal(false)
      })
    })

    it('rotates due managed bindings, and service keys only when --output DIR says where they go', async () => {
      await withSimulator(SIM, async (sim) => {
        const m = managedWorld(sim, {keys: ['ci']})
        const dir = tempDir('cfguard-keys-')
        const without = await runCli(['credentials', 'rotate', '--all-due', '--yes'], {env: cliEnv(sim)})
        expect(without.code, without.stderr).to.equal(0)
        expect(without.stdout).to.match(/billing-sso: rotate completed/)
        expect(without.stdout).to.match(
          /billing-sso: skipped: due since .* new key credentials need --output DIR/,
        )
        const keyBefore = sim.state.bindings.lookup('instance', m.si.guid).find((b) => b.type === 'key')!.guid
        const withDir = await runCli(['credentials', 'rotate', '--all-due', '--yes', '--output', dir], {
          env: cliEnv(sim),
        })
        expect(withDir.code, withDir.stderr).to.equal(0)
        const keys = sim.state.bindings.lookup('instance', m.si.guid).filter((b) => b.type === 'key')
        expect(keys.map((k) => k.guid)).to.not.include(keyBefore)
        const file = JSON.parse(readFileSync(join(dir, `billing-sso-${keys[0]!.name}.json`), 'utf8')) as {
          credentials: Record<string, string>
        }
        expect(sim.uaaAccepts(file.credentials.client_id!, file.credentials.client_secret!)).to.equal(true)
      })
    })

    it('retires credentials whose grace period is over', async () => {
      await withSimulator(SIM, async (sim) => {
        const u = upsWorld(sim)
        expect(
          (await runCli(['credentials', 'rotate', u.ups.name, '--grace', '1s', '--yes'], {env: cliEnv(sim)}))
            .code,
        ).to.equal(0)
        await new Promise((r) => setTimeout(r, 1100))
        const r = await runCli(['credentials', 'rotate', '--all-due', '--yes'], {env: cliEnv(sim)})
        expect(r.code, r.stderr).to.equal(0)
        expect(r.stdout).to.match(/billing-oidc: retire retired/)
        expect(sim.uaaAccepts(u.clientId, u.initialSecret)).to.equal(false)
      })
    })
  })
})
