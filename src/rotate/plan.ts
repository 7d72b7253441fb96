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
  isAppRolled,
  upsRollTarget,
  type PhaseResult,
} from './phase.js'
import type {AppInfo} from './platform.js'
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
  const versionGates: VersionGate[] =
    kind === 'managed-binding'
      ? [
          {
            feature: 'credential bindings with strategy multiple',
            required: MIN_CC_VERSION.bindingStrategyMultiple,
            actual: obs.ccVersion,
            ok: atLeast(obs.ccVersion, MIN_CC_VERSION.bindingStrategyMultiple),
          },
        ]
      : []
  const downtime = kind === 'managed-binding' && options.allowDowntime && versionGates.some((g) => !g.ok)
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
    expectedRestarts: {
      webInstances: apps.reduce<number | null>(
        (n, a) => (!a.roll ? n : n === null || a.toReplace === null ? null : n + a.toReplace),
        0,
      ),
      processes: apps
        .filter((a) => a.roll && a.restartedProcesses.length > 0)
        .map((a) => ({app: a.name, types: a.restartedProcesses})),
    },
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

/** Will the roll step deploy this app? (A rolling deployment replaces every web instance.) */
function needsRoll(action: RotationAction, obs: Observation, phase: Phase, app: AppInfo): boolean {
  if (app.state !== 'STARTED') return false
  if (obs.ups) {
    const changed = action === 'rollback' ? phase === 'rb-restored' : phase === 'updated' || phase === 'grace'
    // Before the change every started app rolls; after it, those not yet running it.
    return changed
      ? !isAppRolled(app, upsRollTarget(obs.ups.credentialsUpdatedAt), obs.changeDeployments)
      : true
  }
  const facts = obs.binding?.apps.find((a) => a.appGuid === app.guid)
  return facts ? !facts.fresh : true
}

function plannedApps(
  action: RotationAction,
  obs: Observation,
  phase: Phase,
  rollRuns: boolean,
): PlannedApp[] {
  if (obs.key) return []
  return obs.apps.map((app) => {
    const unknown = app.state === 'STARTED' && app.instancesUnknown !== undefined
    const live = unknown ? null : app.webInstances.filter((i) => i.state !== 'DOWN').length
    const roll = rollRuns && needsRoll(action, obs, phase, app)
    const note =
      app.state !== 'STARTED'
        ? 'stopped: not rolled, picks up the new credentials when it starts'
        : unknown
          ? `web instances cannot be read (${app.instancesUnknown}): their count is unknown`
          : roll && app.processTypes.some((t) => t !== 'web')
            ? `non-web processes (${app.processTypes.filter((t) => t !== 'web').join(', ')}) restart, not roll, when the deployment finishes`
            : null
    return {
      guid: app.guid,
      name: app.name,
      space: obs.shared?.spaceNames[app.spaceGuid] ?? null,
      state: app.state,
      webInstances: live,
      toReplace: roll ? live : 0,
      roll,
      restartedProcesses: roll ? app.processTypes.filter((t) => t !== 'web') : [],
      note,
    }
  })
}

function plannedAuditEvents(
  action: RotationAction,
  grace: boolean,
  obs: Observation,
  steps: SimulatedStep[],
  apps: PlannedApp[],
  options: PlanOptions,
): PlannedAuditEvent[] {
  const runs = (id: SimulatedStep['id']) => steps.some((s) => s.id === id && s.run)
  const out: PlannedAuditEvent[] = []
  const add = (type: string, count: number | null, why: string) => {
    if (count === null || count > 0) out.push({type, count, why})
  }
  const rolled = apps.filter((a) => a.roll).length
  if (obs.ups) {
    add(
      'audit.user_provided_service_instance.show',
      null,
      'cfguard reads the credentials of the service and of its rotation state',
    )
    add(
      'audit.user_provided_service_instance.update',
      null,
      'lease and annotations; one update carries the new credentials',
    )
    if (runs('persist-secret'))
      add('audit.user_provided_service_instance.create', 1, 'the rotation-state service')
    const hasStore = obs.ups.storeGuid !== null || runs('persist-secret')
    const keepsStore = action === 'rotate' && grace
    if (hasStore && runs('finalize') && !keepsStore) {
      add('audit.user_provided_service_instance.delete', 1, 'the rotation-state service, at the end')
    }
  } else if (obs.binding) {
    add('audit.service_instance.update', null, 'lease, journal and annotations on the service instance')
    const needNew = obs.binding.apps.filter((a) => a.ours?.lastOperation.state !== 'succeeded').length
    if (runs('create-bindings')) {
      add('audit.service_binding.start_create', needNew, 'one new binding per app')
      add('audit.service_binding.create', needNew, 'when each new binding is ready')
    }
    // Retire: the older ones. Rotate: every live binding of the apps except the new ones.
    const keep = new Set(obs.binding.apps.flatMap((a) => (a.ours ? [a.ours.guid] : [])))
    const older =
      action === 'retire'
        ? obs.binding.apps.reduce((n, a) => n + a.older.length, 0)
        : obs.binding.bindings.filter(
            (b) =>
              b.appGuid !== null &&
              obs.binding!.apps.some((a) => a.appGuid === b.appGuid) &&
              !keep.has(b.guid) &&
              !(b.lastOperation.type === 'create' && b.lastOperation.state === 'failed'),
          ).length
    const downtimeDeletes = options.allowDowntime && runs('create-bindings') ? older : 0
    if (runs('delete-old-bindings') || downtimeDeletes > 0) {
      add('audit.service_binding.start_delete', older, 'older bindings')
      add('audit.service_binding.delete', older, 'older bindings')
    }
  } else if (obs.key) {
    add('audit.service_instance.update', null, 'lease, journal and annotations on the service instance')
    if (runs('create-key')) {
      add('audit.service_key.start_create', 1, 'the new key')
      add('audit.service_key.create', 1, 'the new key, when ready')
    }
    if (runs('deliver-key')) {
      add('audit.service_key.show', 1, 'cfguard reads the new key to hand it over')
      add('audit.service_key.update', 1, 'marks the key as handed over')
    }
    if (runs('delete-old-keys')) {
      const older = obs.key.older.length + (obs.key.journal === null && runs('create-key') ? 1 : 0)
      add('audit.service_key.start_delete', older, 'older keys')
      add('audit.service_key.delete', older, 'older keys')
    }
  }
  if (rolled > 0) add('audit.app.deployment.create', rolled, 'one rolling deployment per started app')
  return out
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
