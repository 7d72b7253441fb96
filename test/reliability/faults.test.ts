/**
 * The audit under faults: 10% 5xx, 429 bursts with Retry-After, dropped connections and 2 s
 * stalls, each with several seeds, against a small generated foundation. Every run either
 * completes with the same findings as a clean run (rule + fingerprint) and no gaps, or ends with
 * a non-zero exit code and says why (coverage gaps or one error line) — never a silently partial
 * report. Killing the process mid-audit leaves nothing that breaks the next run.
 * Prints its counts in an `after` hook.
 */
import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import type {FaultSettings, Simulator} from '../../src/sim/index.js'
import {filesUnder} from '../helpers/canary.js'
import {runCli, tempDir, type CliResult} from '../helpers/cli.js'
import {useSimulator} from '../helpers/sim.js'
import {auditCommand, commandExists} from './commands.js'

interface Finding {
  rule: string
  fingerprint: string
}

interface AuditJson {
  status: number
  result?: {findings: Finding[]; coverage?: {gaps?: {what: string; why: string}[]}}
  error?: {code: string; message: string}
}

interface Outcome {
  code: number | null
  findings: string[] | null
  gaps: number
  error: string | null
}

const FAULT_KINDS: {name: string; settings: FaultSettings; env?: Record<string, string>}[] = [
  {name: '10% 5xx', settings: {errorRate: 0.1}},
  {name: '429 bursts (Retry-After 1 s)', settings: {burst429: {count: 2, retryAfterSeconds: 1}}},
  {name: '10% dropped connections', settings: {dropRate: 0.1}},
  {name: '10% stalls of 2 s', settings: {stallRate: 0.1, stallMs: 2000}},
  {
    name: '10% stalls of 2 s past a 1 s timeout',
    settings: {stallRate: 0.1, stallMs: 2000},
    env: {CFGUARD_TIMEOUT: '1'},
  },
]
const SEEDS = [11, 23, 37]

const counts = {
  injected: {errors: 0, throttles: 0, drops: 0, stalls: 0},
  audits: 0,
  identical: 0,
  explicit: 0,
  partial: 0,
}

describe('reliability: the audit under faults', function () {
  this.timeout(180_000)
  const ctx = useSimulator({scenario: 'generated', apps: 30, seed: 5})
  let clean: string[]
  let command: string[]
  let stallsSeen = 0

  before(function () {
    const found = auditCommand()
    if (!found) this.skip()
    command = found
    // Count stalls as the simulator decides them (it records no status for a stall).
    const faults = ctx.sim.faults as unknown as {delayMs(origin: string): number}
    const original = faults.delayMs.bind(faults)
    faults.delayMs = (origin: string) => {
      const ms = original(origin)
      if (ms >= 2000) stallsSeen++
      return ms
    }
  })

  after(() => {
    if (!command) return
    const i = counts.injected
    console.log(
      `      fault suite: ${i.errors + i.throttles + i.drops + i.stalls} faults injected (${i.errors} 5xx, ${i.throttles} 429, ${i.drops} drops, ${i.stalls} stalls) over ${counts.audits} audits; ${counts.identical} completed with identical findings, ${counts.explicit} ended with gaps or an error and a non-zero exit, ${counts.partial} silently partial`,
    )
  })

  /** The admin client of the simulator, as a cron job's environment would name it. */
  const asAdmin = (): Record<string, string> => ({
    CFGUARD_API: ctx.sim.apiUrl,
    CFGUARD_CLIENT_ID: ctx.sim.admin.clientId,
    CFGUARD_CLIENT_SECRET: ctx.sim.admin.clientSecret,
  })

  /** An app's env read answers 503 `times` times (3 = every retry of one read), then works again. */
  function failEnvRead(times: number): {guid: string; spaceGuid: string} {
    const app = [...ctx.sim.state.apps.all()].find((a) => a.name.startsWith('app-'))!
    for (let i = 0; i < times; i++)
      ctx.sim.faults.failNth({
        method: 'GET',
        path: `/v3/apps/${app.guid}/env`,
        nth: 1,
        mode: 'status',
        status: 503,
      })
    return app
  }

  function audit(home: string, env: Record<string, string> = {}): Promise<CliResult> {
    return runCli([...command, '--json', '--all', '--fail-on', 'never'], {
      env: {CFGUARD_HOME: home, ...asAdmin(), ...env},
      timeoutMs: 150_000,
    })
  }

  function outcome(r: CliResult): Outcome {
    let doc: AuditJson
    try {
      doc = JSON.parse(r.stdout) as AuditJson
    } catch {
      return {
        code: r.code,
        findings: null,
        gaps: 0,
        error: `stdout is not JSON; stderr: ${r.stderr.slice(0, 300)}`,
      }
    }
    return {
      code: r.code,
      findings: doc.result ? fingerprints(doc.result.findings) : null,
      gaps: doc.result?.coverage?.gaps?.length ?? 0,
      error: doc.error ? `${doc.error.code}: ${doc.error.message}` : null,
    }
  }

  it('a clean run: findings and no coverage gaps', async () => {
    const r = await audit(tempDir('cfguard-faults-'))
    const o = outcome(r)
    expect(o.code, r.stderr).to.equal(0)
    expect(o.gaps).to.equal(0)
    expect(o.findings?.length ?? 0).to.be.greaterThan(0)
    clean = o.findings as string[]
  })

  for (const kind of FAULT_KINDS) {
    for (const seed of SEEDS) {
      it(`${kind.name}, seed ${seed}: identical findings, or gaps/error with a non-zero exit`, async () => {
        expect(clean, 'the clean run').to.be.an('array')
        const sim = ctx.sim
        sim.resetRequests()
        reseed(sim, seed)
        const stallsBefore = stallsSeen
        sim.faults.set(kind.settings)
        let r: CliResult
        try {
          r = await audit(tempDir('cfguard-faults-'), kind.env)
        } finally {
          sim.faults.clear()
        }
        tally(sim, stallsSeen - stallsBefore)
        counts.audits++
        const o = outcome(r)
        if (o.code === 0 && o.gaps === 0 && o.findings) {
          const same = JSON.stringify(o.findings) === JSON.stringify(clean)
          if (!same) counts.partial++
          expect(same, 'exit 0 without gaps, but the findings differ from the clean run').to.equal(true)
          counts.identical++
        } else {
          const explicit = o.code !== 0 && (o.gaps > 0 || o.error !== null)
          if (!explicit) counts.partial++
          expect(explicit, `exit ${o.code}, ${o.gaps} gaps, error: ${o.error}`).to.equal(true)
          if (o.error) expect(r.stderr).not.to.match(/unexpected error|\n\s+at /)
          counts.explicit++
        }
      })
    }
  }

  it('a secret read that fails on every retry: the gap is marked failed, a warning, exit 5 (--json and human)', async () => {
    try {
      const app = failEnvRead(3)
      const json = await audit(tempDir('cfguard-faults-'), {CFGUARD_NO_CACHE: '1'})
      const doc = JSON.parse(json.stdout) as AuditJson & {warnings: string[]}
      expect(json.code).to.equal(5)
      expect(doc.status).to.equal(5)
      const failed = (doc.result?.coverage?.gaps ?? []).filter((g) => (g as {failed?: boolean}).failed)
      expect(failed.map((g) => g.what)).to.deep.equal([
        `environment of 1 app (${placeOf(ctx.sim, app.spaceGuid)})`,
      ])
      expect(doc.warnings.join('\n')).to.match(/the report is incomplete/)
      failEnvRead(3)
      const human = await runCli([...command, '--all', '--fail-on', 'never'], {
        env: {...asAdmin(), CFGUARD_NO_CACHE: '1'},
      })
      expect(human.code).to.equal(5)
      expect(human.stderr).to.match(/^warning: the report is incomplete: environment of 1 app/m)
    } finally {
      ctx.sim.faults.clear()
    }
  })

  it('identity list with a secret read that fails on every retry: a warning and exit 5', async function () {
    if (!commandExists(['identity', 'list'])) this.skip()
    failEnvRead(3)
    try {
      const r = await runCli(['identity', 'list', '--all', '--no-cache'], {
        env: asAdmin(),
      })
      expect(r.code).to.equal(5)
      expect(r.stderr).to.match(/^warning: the inventory is incomplete: environment of 1 app/m)
    } finally {
      ctx.sim.faults.clear()
    }
  })

  it('snapshot --secrets with a secret read that fails on every retry: written, a warning, exit 5', async () => {
    const app = failEnvRead(3)
    try {
      const file = join(tempDir('cfguard-faults-'), 'snap.json')
      const r = await runCli(['snapshot', '--all', '--secrets', '--no-cache', '--output', file], {
        env: asAdmin(),
      })
      expect(r.code).to.equal(5)
      expect(r.stderr).to.match(/^warning: the snapshot is incomplete: environment of 1 app/m)
      const doc = JSON.parse(readFileSync(file, 'utf8')) as {env: {appGuid: string; read: string}[]}
      expect(doc.env.find((e) => e.appGuid === app.guid)?.read).to.not.equal('ok')
    } finally {
      ctx.sim.faults.clear()
    }
  })

  it('a secret read that fails once, then succeeds: identical findings, exit 0', async () => {
    failEnvRead(1)
    try {
      const o = outcome(await audit(tempDir('cfguard-faults-'), {CFGUARD_NO_CACHE: '1'}))
      expect(o.code).to.equal(0)
      expect(o.gaps).to.equal(0)
      expect(o.findings).to.deep.equal(clean)
    } finally {
      ctx.sim.faults.clear()
    }
  })

  it('killing the audit mid-run leaves nothing corrupt: the next run works and finds the same', async () => {
    const home = tempDir('cfguard-faults-kill-')
    const first = outcome(await audit(home))
    expect(first.code).to.equal(0)
    const salt = existsSync(join(home, 'salt')) ? readFileSync(join(home, 'salt')) : null
    ctx.sim.faults.set({latencyMs: 25})
    try {
      for (const delay of [300, 700, 1200, 1800]) {
        await runCli([...command, '--json', '--all', '--fail-on', 'never'], {
          env: {CFGUARD_HOME: home, ...asAdmin()},
          onSpawn: (child) => setTimeout(() => child.kill('SIGKILL'), delay),
          timeoutMs: 60_000,
        })
        for (const f of filesUnder(home)) {
          if (f.where.endsWith('.json')) expect(() => JSON.parse(f.text), `${f.where} parses`).not.to.throw()
        }
      }
    } finally {
      ctx.sim.faults.clear()
    }
    if (salt) expect(readFileSync(join(home, 'salt')).equals(salt), 'the salt is unchanged').to.equal(true)
    const next = outcome(await audit(home))
    expect(next.code).to.equal(0)
    expect(next.findings).to.deep.equal(clean)
  })
})

function placeOf(sim: Simulator, spaceGuid: string): string {
  const space = sim.state.spaces.get(spaceGuid)!
  return `${sim.state.orgs.get(space.orgGuid)!.name}/${space.name}`
}

function fingerprints(findings: Finding[]): string[] {
  return findings.map((f) => `${f.rule}|${f.fingerprint}`).sort()
}

/** A new fault sequence per seed (the simulator's fault generator is seeded at start). */
function reseed(sim: Simulator, seed: number): void {
  const faults = sim.faults as unknown as {random: {next(): number}}
  for (let i = 0; i < seed; i++) faults.random.next()
}

function tally(sim: Simulator, stalls: number): void {
  for (const r of sim.requests) {
    if (r.status === 0) counts.injected.drops++
    else if (r.status === 429) counts.injected.throttles++
    else if (r.status >= 500) counts.injected.errors++
  }
  counts.injected.stalls += stalls
}
