/**
 * End to end: a finished rotation (every kind) or rollback leaves the foundation clean in cfguard's
 * own eyes: `audit`, `identity audit` and `credentials list` report no drift and no stale
 * credential on what was rotated, and a rollback gives the restored secret its own age back.
 */
import {expect} from 'chai'
import {join} from 'node:path'

import {parseJson, runCli, tempDir} from '../helpers/cli.js'
import {withSimulator, type Simulator} from '../helpers/sim.js'
import {Builder} from '../../src/sim/index.js'
import {cliEnv, fakeIdp, managedWorld, secret, upsWorld} from './rotate-world.js'

const SIM = {instanceStartupMs: 100, jobDurationMs: 150}
const DAY = 86_400_000
const CHECKED = ['identity/drift', 'identity/stale-credential']

interface Finding {
  rule: string
  resource: {kind: string; name: string}
  related?: {kind: string; name: string}[]
  message: string
}

interface Listed {
  serviceInstance: {name: string}
  keyName: string | null
  ageDays: number | null
  drift: {instances: number; apps: string[]}
}

/** Drift and stale findings of `audit` and `identity audit` that name `about` (rule: message). */
async function auditsAbout(sim: Simulator, about: (f: Finding) => boolean): Promise<string[]> {
  const out: string[] = []
  for (const command of [['audit'], ['identity', 'audit']]) {
    const r = await runCli([...command, '--json', '--fail-on', 'never'], {env: cliEnv(sim)})
    expect(r.code, r.stderr).to.equal(0)
    const findings = parseJson<{findings: Finding[]}>(r).result.findings
    for (const f of findings.filter((x) => CHECKED.includes(x.rule) && about(x))) {
      out.push(`${command.join(' ')}: ${f.rule}: ${f.message}`)
    }
  }
  return out
}

const names = (name: string) => (f: Finding) =>
  [f.resource, ...(f.related ?? [])].some((r) => r.name === name || r.name.startsWith(`${name}/`))

async function listed(sim: Simulator, name: string, keyName: string | null = null): Promise<Listed> {
  const r = await runCli(['credentials', 'list', '--json'], {env: cliEnv(sim)})
  expect(r.code, r.stderr).to.equal(0)
  const all = parseJson<{credentials: Listed[]}>(r).result.credentials
  const mine = all.find((c) => c.serviceInstance.name === name && c.keyName === keyName)
  expect(mine, `${name} is listed`).to.not.equal(undefined)
  return mine!
}

async function rotate(sim: Simulator, args: string[], input?: string) {
  const r = await runCli(['credentials', 'rotate', ...args, '--yes'], {
    env: cliEnv(sim),
    ...(input === undefined ? {} : {input}),
  })
  expect(r.code, r.stderr).to.equal(0)
  return r
}

describe('after a rotation or a rollback, cfguard audits its own work as clean', function () {
  this.timeout(90_000)

  it('UPS holding a UAA client secret: no drift, no stale credential, no DRIFT in the list', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = upsWorld(sim)
      expect(await auditsAbout(sim, names(w.ups.name))).to.not.deep.equal([], 'stale before (control)')
      await rotate(sim, [w.ups.name])
      expect(await auditsAbout(sim, names(w.ups.name))).to.deep.equal([])
      expect(await listed(sim, w.ups.name)).to.deep.include({ageDays: 0, drift: {instances: 0, apps: []}})
    })
  })

  it('UPS of another identity provider: no drift, no stale credential, no DRIFT in the list', async () => {
    const idp = await fakeIdp()
    try {
      await withSimulator(SIM, async (sim) => {
        const w = upsWorld(sim, {name: 'partner-oidc', clientId: 'partner', tokenEndpoint: idp.tokenEndpoint})
        const fresh = secret()
        idp.accepted.add(w.initialSecret).add(fresh)
        await rotate(sim, [w.ups.name, '--secret-stdin'], `${fresh}\n`)
        expect(await auditsAbout(sim, names(w.ups.name))).to.deep.equal([])
        expect((await listed(sim, w.ups.name)).drift).to.deep.equal({instances: 0, apps: []})
      })
    } finally {
      await idp.close()
    }
  })

  it('managed bindings: the new bindings are neither drifting nor stale', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = managedWorld(sim)
      expect(await auditsAbout(sim, names(w.si.name))).to.not.deep.equal([], 'stale before (control)')
      await rotate(sim, [w.si.name])
      expect(await auditsAbout(sim, names(w.si.name))).to.deep.equal([])
      expect(await listed(sim, w.si.name)).to.deep.include({ageDays: 0, drift: {instances: 0, apps: []}})
    })
  })

  it('service key: the new key is not stale', async () => {
    await withSimulator(SIM, async (sim) => {
      const w = managedWorld(sim, {name: 'partner-api', keys: ['ci-deployer']})
      const key = (f: Finding) => f.resource.kind === 'service_key'
      expect(await auditsAbout(sim, key)).to.not.deep.equal([], 'stale before (control)')
      await rotate(sim, [
        w.si.name,
        '--key',
        'ci-deployer',
        '--output',
        join(tempDir('cfguard-key-'), 'k.json'),
      ])
      expect(await auditsAbout(sim, key)).to.deep.equal([])
      expect((await listed(sim, w.si.name, 'ci-deployer')).ageDays).to.equal(0)
    })
  })

  describe('rollback', () => {
    /** A UPS whose secret was put in place `days` ago: by `cf update-user-provided-service`, or by cfguard. */
    function aged(sim: Simulator, days: number, by: 'audit-event' | 'cfguard') {
      const w = upsWorld(sim)
      const si = sim.state.serviceInstances.get(w.ups.guid)!
      if (by === 'audit-event') new Builder(sim.state).updateUps(si, {...si.credentials}, days * DAY)
      else
        si.metadata.annotations['cfguard.io/credentials-updated-at'] = new Date(
          Date.now() - days * DAY,
        ).toISOString()
      return w
    }

    for (const [by, days] of [
      ['audit-event', 20],
      ['cfguard', 40],
    ] as const) {
      it(`the restored secret keeps its age (set ${days} days ago, known from ${by === 'cfguard' ? "cfguard's mark" : 'the audit trail'}), no drift, and the next rotation is not refused`, async () => {
        await withSimulator(SIM, async (sim) => {
          const w = aged(sim, days, by)
          expect((await listed(sim, w.ups.name)).ageDays).to.equal(days)
          await rotate(sim, [w.ups.name, '--grace', '1h'])
          expect((await listed(sim, w.ups.name)).ageDays).to.equal(0)

          const rb = await runCli(['credentials', 'rollback', w.ups.name, '--yes'], {env: cliEnv(sim)})
          expect(rb.code, rb.stderr).to.equal(0)
          expect(rb.stderr).to.match(
            /verify-instances: done \(\d+ instance\(s\) in 2 started app\(s\) run the restored credentials\)/,
          )
          expect(rb.stderr).to.not.contain('the new credentials')

          expect(await listed(sim, w.ups.name)).to.deep.include({
            ageDays: days,
            drift: {instances: 0, apps: []},
          })
          expect(await auditsAbout(sim, names(w.ups.name))).to.deep.equal([])
          // Not "rotated too recently": the rotation it undid does not count (no --force).
          await rotate(sim, [w.ups.name])
          expect(await listed(sim, w.ups.name)).to.deep.include({ageDays: 0, drift: {instances: 0, apps: []}})
        })
      })
    }
  })
})
