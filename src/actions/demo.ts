/**
 * `cfguard demo`: the whole tool against the simulator's demo foundation, in-process, in seconds.
 *
 *   1. start the simulator (demo scenario) on free loopback ports;
 *   2. use a throwaway CFGUARD_HOME and CF_HOME, and the simulator's admin client from the
 *      environment of this run only — the user's own store and cf CLI login are never read or
 *      written;
 *   3. snapshot the routes (the reviewed baseline), then change two routes through the API the way
 *      a developer would (a new route, a new destination) so routes/drift has something to show;
 *   4. run the full audit (identity + routes, --check-issuers --verify-credentials --traffic, the
 *      policy that apps labelled identity=required need an identity, --baseline = the snapshot);
 *   5. plan (dry run) the rotation of one credential;
 *   6. stop the simulator and remove the temp folder.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {usageError} from '../errors.js'
import type {AuditResult} from '../model/finding.js'
import type {Rule} from '../model/rule.js'
import {registerSecret} from '../redact.js'
import type {RotationPlan} from '../rotate/plan.js'
import {runAudit} from './audit.js'
import type {RunContext} from '../context.js'
import {planCredentialRotation} from './credentials/change.js'
import {buildTrafficReport} from './routes-report.js'
import {openSession} from './session.js'
import {takeSnapshot} from './snapshot.js'

/** The policy the demo foundation is meant to be audited with (src/sim/scenarios/README.md). */
export const DEMO_POLICY = `version: 1
identity:
  requiredFor:
    - labelSelector: "identity=required"
`

/** The credential whose rotation the demo plans. */
export const DEMO_ROTATION_TARGET = 'billing-oidc'

/** What the demo changes after taking the baseline (reported by routes/drift). */
export const DEMO_DRIFT = [
  'created route promo.apps.cfguard.test → orders-ui (a new public hostname)',
  'mapped orders-ui:8081 onto orders.apps.cfguard.test (a second port behind an existing route)',
]

export interface DemoResult {
  simulator: {scenario: 'demo'; apiUrl: string}
  /** The policy file the audit used (its text). */
  policy: string
  /** Route changes made after the baseline snapshot. */
  drift: string[]
  audit: AuditResult
  rotation: {serviceInstance: string; plan: RotationPlan}
}

export interface DemoRun {
  result: DemoResult
  rules: Rule[]
}

export interface DemoOptions {
  /** Default `billing-oidc`. */
  rotationTarget?: string
}

/** Environment variables of the user's that the demo keeps (diagnostics only). */
const KEEP = new Set(['CFGUARD_TRACE', 'CFGUARD_DEBUG', 'CFGUARD_TIMEOUT'])

export async function runDemo(ctx: RunContext, options: DemoOptions = {}): Promise<DemoRun> {
  const rotationTarget = options.rotationTarget ?? DEMO_ROTATION_TARGET
  const {startSimulator} = await import('../sim/index.js')
  const sim = await startSimulator({scenario: 'demo'}).catch((err: Error & {code?: string}) => {
    if (err.code === 'EADDRNOTAVAIL' || err.code === 'EACCES')
      throw usageError(`cannot listen on 127.0.0.1 here (${err.code})`, 'the demo needs a loopback address')
    throw err
  })
  const dir = mkdtempSync(join(tmpdir(), 'cfguard-demo-'))
  try {
    registerSecret(sim.admin.clientSecret)
    const env: NodeJS.ProcessEnv = {}
    for (const [k, v] of Object.entries(ctx.env)) {
      if ((k.startsWith('CFGUARD_') || k.startsWith('CF_')) && !KEEP.has(k)) continue
      env[k] = v
    }
    Object.assign(env, {
      CFGUARD_HOME: join(dir, 'home'),
      CF_HOME: join(dir, 'cf'),
      CFGUARD_API: sim.apiUrl,
      CFGUARD_CLIENT_ID: sim.admin.clientId,
      CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
    })
    const demo: RunContext = {...ctx, env, home: join(dir, 'home')}
    const policyPath = join(dir, 'cfguard.yml')
    writeFileSync(policyPath, DEMO_POLICY, {mode: 0o600})

    ctx.info(`cfguard demo: simulated foundation at ${sim.apiUrl} (loopback, throwaway)`)
    const baselinePath = join(dir, 'baseline.json')
    await takeSnapshot({...demo, info: () => {}}, {session: {all: true}, output: baselinePath})
    await changeRoutes(demo)

    // Quiet apart from the report: the collector's progress line is not for this audience.
    const run = await runAudit(
      {...demo, info: () => {}},
      {
        session: {all: true},
        families: ['identity', 'routes'],
        policy: policyPath,
        baseline: baselinePath,
        checkIssuers: true,
        verifyCredentials: true,
        traffic: {windowSeconds: 900},
        cwd: dir,
      },
    )
    const traffic = buildTrafficReport(run.snapshot)
    const plan = await planCredentialRotation(demo, {all: true}, rotationTarget)
    return {
      result: {
        simulator: {scenario: 'demo', apiUrl: sim.apiUrl},
        policy: DEMO_POLICY,
        drift: [...DEMO_DRIFT],
        audit: traffic ? {...run.result, traffic} : run.result,
        rotation: {serviceInstance: rotationTarget, plan},
      },
      rules: run.rules,
    }
  } finally {
    await sim.stop()
    rmSync(dir, {recursive: true, force: true})
  }
}

/** The changes routes/drift reports: made through the Cloud Controller API, as a developer would. */
async function changeRoutes(ctx: RunContext): Promise<void> {
  const session = await openSession(ctx, {all: true})
  try {
    const {cc} = session
    const prod = await cc.spaces.single({names: ['prod']})
    const domain = await cc.domains.single({names: ['apps.cfguard.test']})
    const app = await cc.apps.single({names: ['orders-ui'], spaceGuids: [prod.guid]})
    const promo = await cc.routes.create({spaceGuid: prod.guid, domainGuid: domain.guid, host: 'promo'})
    await cc.routes.addDestinations(promo.guid, [{appGuid: app.guid}])
    const orders = await cc.routes.single({hosts: ['orders'], domainGuids: [domain.guid]})
    await cc.routes.addDestinations(orders.guid, [{appGuid: app.guid, port: 8081}])
  } finally {
    session.close()
  }
}
