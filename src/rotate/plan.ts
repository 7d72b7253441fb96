/**
 * `planRotation`: what a rotate / retire / rollback run will do, from what was observed. Pure.
 * `--dry-run` prints exactly this; the machine refuses to start when it has refusals, and the
 * steps it lists are the ones the machine will run (same catalog, same `when`).
 */

import {simulateSteps, stepCatalog, type SimulatedStep} from './catalog.js'
import {sharedRefusals, type Follower, type Holder} from './holders.js'
import type {Observation} from './observe.js'
import {
  existingRotationId,
  deriveBindingPhase,
  deriveKeyPhase,
  deriveRollbackPhase,
  deriveUpsPhase,
  type PhaseResult,
} from './phase.js'
import type {AppInfo} from './platform.js'
import {expectedRestarts, plannedApps} from './plan-apps.js'
import {plannedAuditEvents} from './plan-audit.js'
import type {Phase, RotationAction, RotationKind} from './types.js'
import {atLeast, MIN_CC_VERSION} from './versions.js'
import {refusals} from './refusals.js'
import type {CfguardErrorCode} from '../errors.js'

export interface PlanOptions {
  /** Who acts (lease owner, `rotated-by`). */
  owner: string
  maxInFlight: number
  parallelApps: number
  /** Keep the old secret / bindings / keys valid this long after the roll; null = retire now. */
  graceMs: number | null
  timeoutMs: number
  allowDowntime: boolean
  /** Retire before retire-after has passed. */
  force: boolean
  /** A new secret was supplied (stdin / --secret-file). */
  secretSupplied: boolean
  /** Somewhere to hand new service key credentials (file or --reveal). */
  keySinkGiven: boolean
  /**
   * Refuse a new rotation this soon after the last one finished (unless `force`): a re-run after
   * a crash in the very last write must not rotate a second time by accident.
   */
  minIntervalMs: number
  /** Rotate the other user-provided services holding the client together with the target. */
  includeShared: boolean
}

export interface Refusal {
  code: CfguardErrorCode
  message: string
  suggestions: string[]
  /** A state cfguard will not act on; someone must look (exit 6). */
  needsHuman?: boolean
  /** Stops a real run only: a dry run still prints its plan and succeeds. */
  dryRunProceeds?: boolean
}

export interface PlannedApp {
  guid: string
  name: string
  /** `org/space`, when the holder search named it (null otherwise). */
  space: string | null
  state: AppInfo['state']
  /** Live web instances now; null when they could not be read (`AppInfo.instancesUnknown`). */
  webInstances: number | null
  /** Web instances the rolling deployment replaces (all live ones of a rolled app); null = unknown. */
  toReplace: number | null
  roll: boolean
  /** Non-web process types: restarted (not rolled) when the deployment finalises. */
  restartedProcesses: string[]
  note: string | null
}

export interface PlannedAuditEvent {
  type: string
  /** Exact count the run causes, or null when it depends on retries / renewals (one or more). */
  count: number | null
  why: string
}

export interface VersionGate {
  feature: string
  required: string
  actual: string
  ok: boolean
}

export interface RotationPlan {
  action: RotationAction
  kind: RotationKind | null
  target: {guid: string; name: string; type: string; spaceGuid: string}
  /** The rotation this run continues, or null when a new one starts. */
  rotationId: string | null
  resume: boolean
  phase: Phase
  phaseReason: string
  credential: {
    clientId: string | null
    currentFingerprint: string | null
    pendingFingerprint: string | null
    keyName: string | null
  }
  steps: SimulatedStep[]
  /**
   * The blast radius: everyone else holding the client, the services that follow the target
   * through this run, and where cfguard could not look. null when not searched.
   */
  shared: {
    clientId: string | null
    holders: Holder[]
    followers: Follower[]
    included: boolean
    unseen: string[]
  } | null
  apps: PlannedApp[]
  /** `webInstances` is null when a rolled app's instance count is unknown. */
  expectedRestarts: {webInstances: number | null; processes: {app: string; types: string[]}[]}
  auditEvents: PlannedAuditEvent[]
  versionGates: VersionGate[]
  retire: {mode: 'now'} | {mode: 'after'; at: string} | {mode: 'operator'} | {mode: 'none'}
  downtime: boolean
  refusals: Refusal[]
  warnings: string[]
  options: {
    maxInFlight: number
    parallelApps: number
    graceMs: number | null
    timeoutMs: number
    allowDowntime: boolean
  }
}

export function derivePhase(action: RotationAction, obs: Observation): PhaseResult {
  if (obs.ups) return action === 'rollback' ? deriveRollbackPhase(obs.ups) : deriveUpsPhase(obs.ups)
  if (obs.binding) return deriveBindingPhase(obs.binding)
  if (obs.key) return deriveKeyPhase(obs.key)
  return {phase: 'idle', reason: obs.problem ?? 'nothing observed'}
}

/**
 * The phase the action's steps start from. A binding/key rotation whose leftover retire-after
 * mark has nothing left to retire starts fresh.
 */
export function startPhase(action: RotationAction, obs: Observation): PhaseResult {
  const derived = derivePhase(action, obs)
  if (action === 'rotate' && derived.phase === 'retired' && (obs.binding ?? obs.key)?.journal === null) {
    return {phase: 'idle', reason: 'no rotation in progress'}
  }
  return derived
}

export interface PlanInput {
  action: RotationAction
  observation: Observation
  options: PlanOptions
  now: Date
}

export function planRotation(input: PlanInput): RotationPlan {
  const {action, observation: obs, options, now} = input
  const {phase, reason} = startPhase(action, obs)
  const kind = obs.kind
  const specs = kind ? stepCatalog(action, kind) : null
  const grace = options.graceMs !== null && options.graceMs > 0
  const steps = specs ? simulateSteps(specs, phase, {grace}) : []
  const runs = (id: SimulatedStep['id']) => steps.some((s) => s.id === id && s.run)
  const rotationId = existingRotationId(obs)

  const apps = plannedApps(action, obs, phase, runs('roll-apps'))
  const versionGates = versionGatesOf(kind, obs.ccVersion)
  const downtime = kind === 'managed-binding' && options.allowDowntime && versionGates.some((g) => !g.ok)
  const warnings = planWarnings(kind, obs, apps, options)

  return {
    action,
    kind,
    target: {
      guid: obs.target.guid,
      name: obs.target.name,
      type: obs.target.type,
      spaceGuid: obs.target.spaceGuid,
    },
    rotationId,
    resume: rotationId !== null && action === 'rotate',
    phase,
    phaseReason: reason,
    credential: {
      clientId: obs.ups?.clientId ?? null,
      currentFingerprint: obs.ups?.currentFingerprint ?? null,
      pendingFingerprint: obs.ups?.pendingFingerprint ?? null,
      keyName: obs.key?.keyName ?? null,
    },
    steps,
    shared: obs.shared
      ? {
          clientId: obs.shared.clientId,
          holders: obs.shared.holders,
          followers: obs.ups?.followers ?? [],
          included: action !== 'rotate' || options.includeShared,
          unseen: obs.shared.unseen,
        }
      : null,
    apps,
    expectedRestarts: expectedRestarts(apps),
    auditEvents: plannedAuditEvents(action, grace, obs, steps, apps, options),
    versionGates,
    retire: retireMode(action, kind, grace, options, now),
    downtime,
    refusals: [
      ...refusals(action, obs, phase, reason, options, now, versionGates),
      ...(obs.kind === null
        ? []
        : sharedRefusals({
            action,
            targetName: obs.target.name,
            scan: obs.shared,
            followers: obs.ups?.followers ?? [],
            includeShared: options.includeShared,
            keptFingerprint:
              action === 'rollback'
                ? (obs.ups?.previousFingerprint ?? null)
                : (obs.ups?.pendingFingerprint ?? null),
          })),
    ],
    warnings,
    options: {
      maxInFlight: options.maxInFlight,
      parallelApps: options.parallelApps,
      graceMs: options.graceMs,
      timeoutMs: options.timeoutMs,
      allowDowntime: options.allowDowntime,
    },
  }
}

function versionGatesOf(kind: RotationKind | null, ccVersion: string): VersionGate[] {
  if (kind !== 'managed-binding') return []
  const required = MIN_CC_VERSION.bindingStrategyMultiple
  return [
    {
      feature: 'credential bindings with strategy multiple',
      required,
      actual: ccVersion,
      ok: atLeast(ccVersion, required),
    },
  ]
}

/** What the reader of the plan should know that is not a refusal. */
function planWarnings(
  kind: RotationKind | null,
  obs: Observation,
  apps: PlannedApp[],
  options: PlanOptions,
): string[] {
  const warnings: string[] = []
  for (const app of apps) if (app.note) warnings.push(`app ${app.name}: ${app.note}`)
  if (obs.ups && !obs.ups.secretsRead) {
    warnings.push(
      `this plan was made without reading the service's own secret${obs.shared ? ' (the search for other holders of the client read credentials: CC records `*.show` audit events)' : ' (no audit event)'}; the credentials are checked when the rotation runs` +
        (obs.ups.clientId === null ? ', and the UAA client is read from them then' : ''),
    )
  }
  if (obs.shared && obs.shared.unseen.length > 0) {
    warnings.push(
      `other holders of the client were searched for where the token can read; not in: ${obs.shared.unseen.join('; ')}`,
    )
  }
  if (kind === 'managed-binding' && options.allowDowntime) {
    warnings.push(
      'allow-downtime: where a second binding is not allowed, the old binding is deleted before the new one is created; apps fail to authenticate until their roll finishes',
    )
  }
  return warnings
}

function retireMode(
  action: RotationAction,
  kind: RotationKind | null,
  grace: boolean,
  options: PlanOptions,
  now: Date,
): RotationPlan['retire'] {
  if (action === 'rollback' || kind === null) return {mode: 'none'}
  if (kind === 'ups-external') return {mode: 'operator'}
  if (action === 'rotate' && grace)
    return {mode: 'after', at: new Date(now.getTime() + options.graceMs!).toISOString()}
  return {mode: 'now'}
}
