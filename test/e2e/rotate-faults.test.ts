/**
 * Fault sweep, end to end: for every step of the UPS + UAA rotation (and the key steps of the
 * other kinds), the step's own request fails — an error status (no state change) or a cut
 * connection (the change happened, the answer was lost) — or the cfguard process is SIGKILLed
 * while the step runs. After each, re-runs complete the rotation, and throughout: no running
 * instance ever holds a secret its identity provider rejects, the old UAA secret is deleted
 * exactly once, and the lease is released.
 */
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import pLimit from 'p-limit'

import {runCli, tempDir, type CliResult} from '../helpers/cli.js'
import {withSimulator, type Simulator} from '../helpers/sim.js'
import type {FailNthRule} from '../../src/sim/index.js'
import {cliEnv, managedWorld, sample, secret, secretChanges, upsWorld, watch} from './rotate-world.js'

const SIM = {instanceStartupMs: 100, jobDurationMs: 150}
const MAX_RERUNS = 3

type Mode = 'status' | 'cut' | 'kill'
type Kind = 'ups-uaa' | 'ups-external' | 'managed-binding' | 'service-key'

interface World {
  name: string
  apps: string[]
  guid: string
  clientId: string | null
  args: string[]
  input?: string
  accepts: (clientId: string, secret: string) => boolean
}

/** The request that does a step's work, as a simulator fault rule (nth counted from the run's start). */
interface StepFault {
  kind: Kind
  step: string
  rule: (w: World, reference: Simulator['requests']) => Omit<FailNthRule, 'mode'>
  /** Reads are retried by the transport: fail this many in a row to make the step fail. */
  repeat?: number
}

const siPath = (w: World) => `/v3/service_instances/${w.guid}`
const secretPath = (w: World) => `/oauth/clients/${w.clientId}/secret`

/**
 * Ordinal (1-based) among `method path` requests of the first one after the anchor: the first
 * (or last) request matching `after`.
 */
function ordinalAfter(
  log: Simulator['requests'],
  method: string,
  path: RegExp | string,
  after: (r: Simulator['requests'][number]) => boolean,
  which: 'first' | 'last',
): number {
  const matches = (r: Simulator['requests'][number]) =>
    r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path))
  let anchor = -1
  log.forEach((r, i) => {
    if (after(r) && (which === 'last' || anchor < 0)) anchor = i
  })
  const index = log.findIndex((r, i) => i > anchor && matches(r))
  if (index < 0) throw new Error(`no ${method} ${String(path)} in the reference run`)
  return log.slice(0, index + 1).filter(matches).length
}

const UPS_STEPS: StepFault[] = [
  {kind: 'ups-uaa', step: 'lease', rule: (w) => ({method: 'PATCH', path: siPath(w), nth: 1})},
  {
    kind: 'ups-uaa',
    step: 'persist-secret',
    rule: () => ({method: 'POST', path: '/v3/service_instances', nth: 1}),
  },
  {kind: 'ups-uaa', step: 'add-secret', rule: (w) => ({method: 'PUT', path: secretPath(w), nth: 1})},
  {
    kind: 'ups-uaa',
    step: 'verify-secret',
    rule: (w, ref) => ({
      method: 'POST',
      path: '/oauth/token',
      nth: ordinalAfter(
        ref,
        'POST',
        '/oauth/token',
        (r) => r.method === 'PUT' && r.path === secretPath(w),
        'first',
      ),
    }),
  },
  {kind: 'ups-uaa', step: 'update-credentials', rule: (w) => ({method: 'PATCH', path: siPath(w), nth: 2})},
  {kind: 'ups-uaa', step: 'roll-apps', rule: () => ({method: 'POST', path: '/v3/deployments', nth: 1})},
  {
    kind: 'ups-uaa',
    step: 'verify-instances',
    repeat: 3,
    rule: (_w, ref) => ({
      method: 'GET',
      path: '/v3/processes',
      nth: ordinalAfter(
        ref,
        'GET',
        '/v3/processes',
        (r) => /^\/v3\/deployments\/[^/]+$/.test(r.path),
        'last',
      ),
    }),
  },
  {kind: 'ups-uaa', step: 'retire-secret', rule: (w) => ({method: 'PUT', path: secretPath(w), nth: 2})},
  {kind: 'ups-uaa', step: 'finalize', rule: (w) => ({method: 'PATCH', path: siPath(w), nth: 3})},
]

const OTHER_STEPS: StepFault[] = [
  {
    kind: 'ups-external',
    step: 'persist-secret',
    rule: () => ({method: 'POST', path: '/v3/service_instances', nth: 1}),
  },
  {
    kind: 'ups-external',
    step: 'update-credentials',
    rule: (w) => ({method: 'PATCH', path: siPath(w), nth: 2}),
  },
  {kind: 'ups-external', step: 'roll-apps', rule: () => ({method: 'POST', path: '/v3/deployments', nth: 1})},
  {
    kind: 'managed-binding',
    step: 'record-journal',
    rule: (w) => ({method: 'PATCH', path: siPath(w), nth: 2}),
  },
  {
    kind: 'managed-binding',
    step: 'create-bindings',
    rule: () => ({method: 'POST', path: '/v3/service_credential_bindings', nth: 1}),
  },
  {
    kind: 'managed-binding',
    step: 'roll-apps',
    rule: () => ({method: 'POST', path: '/v3/deployments', nth: 1}),
  },
  {
    kind: 'managed-binding',
    step: 'delete-old-bindings',
    rule: () => ({method: 'DELETE', path: /^\/v3\/service_credential_bindings\/[^/]+$/, nth: 1}),
  },
  {
    kind: 'service-key',
    step: 'create-key',
    rule: () => ({method: 'POST', path: '/v3/service_credential_bindings', nth: 1}),
  },
  {
    kind: 'service-key',
    step: 'deliver-key',
    rule: () => ({method: 'PATCH', path: /^\/v3\/service_credential_bindings\/[^/]+$/, nth: 1}),
  },
  {
    kind: 'service-key',
    step: 'delete-old-keys',
    rule: () => ({method: 'DELETE', path: /^\/v3\/service_credential_bindings\/[^/]+$/, nth: 1}),
  },
]

/** A foundation with one credential of `kind`, and how to rotate it. */
function build(sim: Simulator, kind: Kind, dir: string): World {
  if (kind === 'ups-uaa' || kind === 'ups-external') {
    const external = kind === 'ups-external'
    // Another identity provider, modelled by a UAA client the UPS does not name an issuer of:
    // "accepted" = the secrets the operator put there (the initial one and the new one).
    const w = upsWorld(
      sim,
      external ? {name: 'partner-oidc', clientId: 'partner', tokenEndpoint: undefined} : {},
    )
    if (external) {
      const fresh = secret()
      sim.state.uaa.clients.get('partner')!.secrets.push(fresh)
      const creds = sim.state.serviceInstances.get(w.ups.guid)!.credentials
      delete creds.issuer
      return {
        name: w.ups.name,
        apps: w.apps,
        guid: w.ups.guid,
        clientId: w.clientId,
        args: ['--secret-stdin'],
        input: fresh,
        accepts: (id, s) => sim.uaaAccepts(id, s),
      }
    }
    return {
      name: w.ups.name,
      apps: w.apps,
      guid: w.ups.guid,
      clientId: w.clientId,
      args: [],
      accepts: (id, s) => sim.uaaAccepts(id, s),
    }
  }
  const key = kind === 'service-key'
  const w = managedWorld(sim, key ? {name: 'partner-api', keys: ['ci-deployer']} : {})
  return {
    name: w.si.name,
    apps: w.apps,
    guid: w.si.guid,
    clientId: null,
    args: key ? ['--key', 'ci-deployer', '--output', join(dir, 'key.json')] : [],
    accepts: (id, s) => sim.uaaAccepts(id, s),
  }
}

/** Runs the CLI; with `killAt`, SIGKILLs it as soon as its progress shows that step starting. */
async function rotateOnce(
  sim: Simulator,
  w: World,
  home: string,
  killAt?: string,
): Promise<CliResult & {killed: boolean}> {
  let killed = false
  const r = await runCli(['credentials', 'rotate', w.name, '--yes', ...w.args], {
    env: cliEnv(sim, {CFGUARD_HOME: home}),
    input: w.input,
    timeoutMs: 60_000,
    onSpawn: (child) => {
      if (!killAt) return
      let seen = ''
      child.stderr!.on('data', (d: Buffer | string) => {
        seen += d.toString()
        if (!killed && seen.includes(`] ${killAt}: `) && seen.includes(' ...')) {
          const line = seen.split('\n').find((l) => l.includes(`] ${killAt}: `) && l.endsWith(' ...'))
          if (line) {
            killed = true
            child.kill('SIGKILL')
          }
        }
      })
    },
  })
  return {...r, killed}
}

interface Outcome {
  label: string
  faultFired: boolean
  firstExit: number | null
  reruns: number
  completed: boolean
  violations: string[]
  deletes: number
  deleteRequests: number
  leaseLeft: boolean
  problems: string[]
}

/** Checks that the rotation finished: state per kind. */
function finished(sim: Simulator, kind: Kind, w: World, dir: string): string[] {
  const problems: string[] = []
  const si = sim.state.serviceInstances.get(w.guid)!
  if (si.metadata.annotations['cfguard.io/lease'] !== undefined) problems.push('lease not released')
  if (si.metadata.annotations['cfguard.io/rotated-at'] === undefined) problems.push('no rotated-at mark')
  if ([...sim.state.serviceInstances.all()].some((s) => s.name.startsWith('cfguard-rotation-')))
    problems.push('rotation state left behind')
  if (kind === 'ups-uaa' || kind === 'ups-external') {
    const held = String(si.credentials.client_secret)
    const secrets = sim.state.uaa.clients.get(w.clientId!)!.secrets
    if (!secrets.includes(held)) problems.push('the service holds a secret UAA rejects')
    if (kind === 'ups-uaa' && secrets.length !== 1) problems.push(`UAA client has ${secrets.length} secrets`)
  } else {
    const all = sim.state.bindings.lookup('instance', w.guid)
    if (kind === 'managed-binding' && all.filter((b) => b.type === 'app').length !== w.apps.length)
      problems.push(`${all.length} app bindings left`)
    if (kind === 'service-key') {
      const keys = all.filter((b) => b.type === 'key')
      const file = JSON.parse(readFileSync(join(dir, 'key.json'), 'utf8')) as {
        key_guid: string
        credentials: Record<string, string>
      }
      if (keys.length !== 1 || keys[0]!.guid !== file.key_guid)
        problems.push('the delivered key is not the only key')
      if (!w.accepts(file.credentials.client_id!, file.credentials.client_secret!))
        problems.push('the delivered key is rejected')
    }
  }
  return problems
}

async function scenario(kind: Kind, fault: StepFault | null, mode: Mode, reference: Simulator['requests']) {
  return withSimulator(
    {...SIM, ...(mode === 'kill' ? {latencyMs: 30} : {})},
    async (sim): Promise<Outcome> => {
      const dir = tempDir('cfguard-fault-')
      const home = join(dir, 'home')
      const w = build(sim, kind, dir)
      const watcher = watch(sim, () => sample(sim, w.apps, w.name, w.accepts))
      const label = `${kind} ${fault?.step ?? 'reference'} ${mode}`
      let faultFired = false
      let first: CliResult & {killed: boolean}
      if (fault && mode !== 'kill') {
        const rule = fault.rule(w, reference)
        // Rules with the same nth fire on consecutive calls (a firing rule hides the call from the rest).
        for (let i = 0; i < (mode === 'status' ? (fault.repeat ?? 1) : 1); i++) {
          sim.faults.failNth({...rule, mode, ...(mode === 'status' ? {status: 500} : {})})
        }
        const before = sim.faults.pending()
        first = await rotateOnce(sim, w, home)
        faultFired = sim.faults.pending() < before
        sim.faults.clear()
      } else {
        first = await rotateOnce(sim, w, home, fault?.step)
        faultFired = first.killed
      }
      let reruns = 0
      let last = first.code
      while (last !== 0 && reruns < MAX_RERUNS) {
        reruns++
        last = (await rotateOnce(sim, w, home)).code
      }
      const seen = watcher.stop()
      const problems =
        last === 0
          ? finished(sim, kind, w, dir)
          : [`not completed after ${reruns} re-runs: ${first.stderr.slice(-300)}`]
      const deleteRecords = w.clientId ? secretChanges(sim, w.clientId, 'DELETE') : []
      return {
        label,
        faultFired,
        firstExit: first.code,
        reruns,
        completed: last === 0,
        violations: seen.violations,
        deletes: deleteRecords.filter((d) => d.status === 200).length,
        deleteRequests: deleteRecords.length,
        leaseLeft:
          sim.state.serviceInstances.get(w.guid)!.metadata.annotations['cfguard.io/lease'] !== undefined,
        problems,
      }
    },
  )
}

/** One clean run per kind: the request log the fault rules are counted against. */
async function referenceLog(kind: Kind): Promise<Simulator['requests']> {
  return withSimulator(SIM, async (sim) => {
    const dir = tempDir('cfguard-ref-')
    const w = build(sim, kind, dir)
    const r = await rotateOnce(sim, w, join(dir, 'home'))
    if (r.code !== 0) throw new Error(`reference run of ${kind} failed: ${r.stderr.slice(-400)}`)
    return [...sim.requests]
  })
}

describe('credentials rotate survives a failure or a kill at every step', function () {
  this.timeout(600_000)
  const totals = {faults: 0, fired: 0, reruns: 0, completions: 0}
  const references = new Map<Kind, Simulator['requests']>()
  const limit = pLimit(4)

  before(async () => {
    for (const kind of ['ups-uaa', 'ups-external', 'managed-binding', 'service-key'] as Kind[])
      references.set(kind, await referenceLog(kind))
  })

  after(() => {
    process.stdout.write(
      `      fault sweep: ${totals.faults} faults injected (${totals.fired} hit their step), ${totals.reruns} re-runs, ${totals.completions} completed rotations\n`,
    )
  })

  const sweep = async (steps: StepFault[], mode: Mode) => {
    const outcomes = await Promise.all(
      steps.map((s) => limit(() => scenario(s.kind, s, mode, references.get(s.kind)!))),
    )
    for (const o of outcomes) {
      totals.faults++
      if (o.faultFired) totals.fired++
      totals.reruns += o.reruns
      if (o.completed) totals.completions++
    }
    const report = outcomes.map((o) => ({
      label: o.label,
      problems: [
        ...o.problems,
        ...(o.faultFired ? [] : ['the fault never hit']),
        ...(o.violations.length > 0 ? [`instances held a rejected secret: ${o.violations.join(', ')}`] : []),
        ...(o.leaseLeft ? ['lease left'] : []),
        ...(o.label.startsWith('ups-uaa') && (o.deletes !== 1 || o.deleteRequests !== 1)
          ? [`old secret deleted ${o.deletes} time(s) in ${o.deleteRequests} request(s)`]
          : []),
      ],
    }))
    expect(report.filter((r) => r.problems.length > 0)).to.deep.equal([])
    // A fault that changes nothing must stop the run: the re-run is what completes it.
    if (mode === 'status')
      expect(outcomes.filter((o) => o.firstExit === 0).map((o) => o.label)).to.deep.equal([])
  }

  for (const mode of ['status', 'cut', 'kill'] as Mode[]) {
    it(`UPS + UAA, every step, ${mode === 'kill' ? 'SIGKILL during the step' : `request ${mode === 'status' ? 'fails with 500' : 'served, connection cut'}`}`, () =>
      sweep(UPS_STEPS, mode))
    it(`other kinds, key steps, ${mode}`, () => sweep(OTHER_STEPS, mode))
  }
})
