/**
 * The platform is the journal: these pure functions turn what the platform says into the phase a
 * rotation is in. `observe.ts` gathers the facts (and keeps secret values out of them: secrets
 * are compared in memory and arrive here as "the UPS holds the pending secret" and probe results).
 */

import type {Observation} from './observe.js'
import type {Phase, RotationKind} from './types.js'
import {changeMarker} from './annotations.js'
import {LABEL} from '../model/annotations.js'
import type {AppInfo, BindingInfo, DeploymentInfo, ProbeResult} from './platform.js'
import {plural} from '../util/plural.js'

/** Facts about a user-provided service rotation (kinds ups-uaa and ups-external). */
export interface UpsFacts {
  kind: 'ups-uaa' | 'ups-external'
  /** The companion state (pending + previous secret), when one exists. */
  store: {rotationId: string; startedAt: string} | null
  /** What the UPS holds now, compared with the companion's secrets. */
  current: 'pending' | 'previous' | 'other' | 'no-store'
  /** Probe of the UPS's current secret (fresh start) / of the pending and previous secrets. */
  currentProbe: ProbeResult | null
  pendingProbe: ProbeResult | null
  previousProbe: ProbeResult | null
  /** `cfguard.io/credentials-updated-at` on the UPS. */
  credentialsUpdatedAt: string | null
  /** Every started bound app runs the change of credentialsUpdatedAt (see isAppRolled). */
  instancesFresh: boolean
  /** `cfguard.io/rotation-id` on the UPS: equal to the store's id once finalize recorded it. */
  recordedRotationId: string | null
  retireAfter: string | null
  /**
   * false for a dry run, which reads no secret (no `*.show` audit event): `current` is then
   * estimated from the credentials-updated-at mark, probes are null, and the phase is an estimate
   * the real run re-derives from the secrets.
   */
  secretsRead: boolean
  /** Followers (other services holding the client) on the previous and on the new secret. */
  followersOn: {previous: number; pending: number}
}

export interface PhaseResult {
  phase: Phase
  /** One line: why this phase (shown in the plan and in needs-human messages). */
  reason: string
}

/**
 * Forward rotation of a UPS. The table (first matching row wins):
 *
 * | companion | recorded id = companion id | UPS holds | pending probe | previous probe | instances | phase |
 * |---|---|---|---|---|---|---|
 * | absent | – | – | – | – | – | idle |
 * | present | yes, retire-after set | – | – | accepted (uaa) | – | grace |
 * | present | yes | – | – | – | – | recorded |
 * | present | – | other | – | – | – | needs-human (changed outside cfguard) |
 * | present | – | – | error | error (uaa) | – | unknown |
 * | present | – | previous | – | rejected (uaa) | – | needs-human (apps hold a rejected secret) |
 * | present | – | previous | rejected | – | – | generated |
 * | present | – | previous | accepted | – | – | added |
 * | present | – | pending | rejected | – | – | needs-human (UPS holds a rejected secret) |
 * | present | – | pending | accepted | rejected (uaa) | a follower on previous | needs-human (it holds a retired secret) |
 * | present | – | pending | accepted | – | a follower on previous | added (move the followers) |
 * | present | – | pending | accepted | – | some older | updated |
 * | present | – | pending | accepted | accepted (uaa) | all fresh | rolled |
 * | present | – | pending | accepted | rejected (uaa) | all fresh | retired |
 *
 * For `ups-external` the pending probe may be null (no token endpoint known): then the secret
 * counts as accepted, and the previous secret is not cfguard's to retire (rolled → retired is a
 * reminder to the operator).
 */
export function deriveUpsPhase(f: UpsFacts): PhaseResult {
  if (f.store === null) return {phase: 'idle', reason: 'no rotation in progress'}
  const uaa = f.kind === 'ups-uaa'
  if (f.recordedRotationId === f.store.rotationId) {
    const oldStillValid = uaa && f.secretsRead ? f.previousProbe === 'accepted' : true
    if (f.retireAfter !== null && oldStillValid) {
      return {phase: 'grace', reason: `old secret stays valid until ${f.retireAfter}`}
    }
    return {phase: 'recorded', reason: 'rotation recorded; pending state still to clean up'}
  }
  if (!f.secretsRead) return estimateUpsPhase(f)
  if (f.current === 'other' || f.current === 'no-store') {
    return {
      phase: 'needs-human',
      reason:
        'the credentials of the service changed outside this rotation (neither the new nor the previous secret)',
    }
  }
  if (f.pendingProbe === 'error' || (uaa && f.previousProbe === 'error')) {
    return {phase: 'unknown', reason: 'the token endpoint could not say whether the secrets are valid'}
  }
  const pendingOk = uaa ? f.pendingProbe === 'accepted' : f.pendingProbe !== 'rejected'
  if (f.current === 'previous') {
    if (uaa && f.previousProbe === 'rejected') {
      return {
        phase: 'needs-human',
        reason: 'the service holds a secret UAA rejects: bound apps are failing already',
      }
    }
    return pendingOk
      ? {phase: 'added', reason: 'the new secret is accepted; the service still holds the previous one'}
      : {phase: 'generated', reason: 'the new secret is stored but not yet accepted by the identity provider'}
  }
  if (!pendingOk) {
    return {
      phase: 'needs-human',
      reason: 'the service holds the new secret but the identity provider rejects it',
    }
  }
  const behind = f.followersOn.previous
  if (behind > 0) {
    if (uaa && f.previousProbe === 'rejected') {
      return {
        phase: 'needs-human',
        reason: `${plural(behind, 'other service')} holding the client still hold the retired secret`,
      }
    }
    return {
      phase: 'added',
      reason: `the service holds the new secret; ${plural(behind, 'other service')} holding the client still hold the previous one`,
    }
  }
  if (!f.instancesFresh) {
    return {
      phase: 'updated',
      reason: 'the service holds the new secret; some instances still run the previous one',
    }
  }
  if (uaa && f.previousProbe === 'rejected')
    return {phase: 'retired', reason: 'the previous secret is retired'}
  return {phase: 'rolled', reason: 'every instance runs the new secret; the previous one is still valid'}
}

const ESTIMATED = 'estimated without reading secrets; the run checks them before each step'

/** A dry run's view of a rotation in progress (see `UpsFacts.secretsRead`). */
function estimateUpsPhase(f: UpsFacts): PhaseResult {
  if (f.current === 'pending') {
    return f.instancesFresh
      ? {phase: 'rolled', reason: `every instance runs the new secret (${ESTIMATED})`}
      : {phase: 'updated', reason: `the service holds the new secret (${ESTIMATED})`}
  }
  return {phase: 'generated', reason: `a new secret is stored, not yet in the service (${ESTIMATED})`}
}

/**
 * Rollback of a UPS rotation (back to the previous secret while it is valid):
 *
 * | UPS holds | credentials updated after start | instances | pending probe | phase |
 * |---|---|---|---|---|
 * | pending | – | – | – | rb-ready (restore the previous secret) |
 * | previous | yes | some older | – | rb-restored (roll) |
 * | previous | no (never updated) or all fresh | – | accepted (uaa) | rb-rolled (revert UAA) |
 * | previous | – | – | rejected, or external | rb-reverted (clean up) |
 *
 * Nothing to roll back (idle) without a companion; too late (retired) once the previous secret is
 * rejected; needs-human when the UPS holds neither secret.
 */
export function deriveRollbackPhase(f: UpsFacts): PhaseResult {
  if (f.store === null) {
    return {phase: 'idle', reason: 'nothing to roll back: no previous secret is kept for this service'}
  }
  const uaa = f.kind === 'ups-uaa'
  if (!f.secretsRead) {
    if (f.current === 'pending')
      return {phase: 'rb-ready', reason: `the service holds the new secret (${ESTIMATED})`}
    return f.instancesFresh
      ? {phase: 'rb-rolled', reason: `the previous secret is back in use (${ESTIMATED})`}
      : {phase: 'rb-restored', reason: `the previous secret is restored (${ESTIMATED})`}
  }
  if (f.current === 'other' || f.current === 'no-store') {
    return {phase: 'needs-human', reason: 'the credentials of the service changed outside cfguard'}
  }
  if (uaa && (f.previousProbe === 'error' || f.pendingProbe === 'error')) {
    return {phase: 'unknown', reason: 'the token endpoint could not say whether the secrets are valid'}
  }
  if (uaa && f.previousProbe !== 'accepted') {
    return {
      phase: 'retired',
      reason: 'the previous secret is no longer valid (already retired): too late to roll back',
    }
  }
  if (f.current === 'pending') return {phase: 'rb-ready', reason: 'the service holds the new secret'}
  if (f.followersOn.pending > 0) {
    return {phase: 'rb-ready', reason: 'other services holding the client still hold the new secret'}
  }
  const restored =
    f.credentialsUpdatedAt !== null && Date.parse(f.credentialsUpdatedAt) > Date.parse(f.store.startedAt)
  if (restored && !f.instancesFresh) {
    return {
      phase: 'rb-restored',
      reason: 'the previous secret is restored; some instances still run the new one',
    }
  }
  if (uaa && f.pendingProbe === 'accepted') {
    return {
      phase: 'rb-rolled',
      reason: 'every instance runs the previous secret; UAA still accepts the new one',
    }
  }
  return {phase: 'rb-reverted', reason: 'only the previous secret is in use'}
}

/** Per app of a managed-binding rotation. */
export interface BindingAppFacts {
  appGuid: string
  /** The binding this rotation created (annotated with its id), if any. */
  ours: BindingInfo | null
  /** Other bindings of the (app, instance) pair not in `create failed`. */
  older: BindingInfo[]
  /** The app runs its current binding (see isAppRolled); stopped apps count as fresh. */
  fresh: boolean
}

export interface BindingFacts {
  journal: {rotationId: string} | null
  retireAfter: string | null
  apps: BindingAppFacts[]
}

/**
 * | journal | state of the apps | phase |
 * |---|---|---|
 * | absent | retire-after set, some app has an older binding | grace |
 * | absent | retire-after set, no older binding left | retired (clear the mark) |
 * | absent | – | idle |
 * | present | some app without our binding in `create succeeded` | started |
 * | present | some started app with instances older than our binding | bound |
 * | present | some app still has an older binding | rolled |
 * | present | – | retired |
 */
export function deriveBindingPhase(f: BindingFacts): PhaseResult {
  const olderLeft = f.apps.some((a) => a.older.length > 0)
  if (f.journal === null) {
    if (f.retireAfter !== null) {
      return olderLeft
        ? {phase: 'grace', reason: `older bindings stay until ${f.retireAfter}`}
        : {phase: 'retired', reason: 'older bindings are gone; the retire-after mark remains'}
    }
    return {phase: 'idle', reason: 'no rotation in progress'}
  }
  if (f.apps.some((a) => a.ours?.lastOperation.state !== 'succeeded')) {
    return {phase: 'started', reason: 'some apps do not have their new binding yet'}
  }
  if (f.apps.some((a) => !a.fresh)) {
    return {phase: 'bound', reason: 'new bindings exist; some instances still run the older ones'}
  }
  if (olderLeft)
    return {phase: 'rolled', reason: 'every instance runs the new binding; older bindings remain'}
  return {phase: 'retired', reason: 'older bindings are gone'}
}

export interface KeyFacts {
  journal: {rotationId: string} | null
  retireAfter: string | null
  ours: BindingInfo | null
  delivered: boolean
  /** Keys of the family other than ours. */
  older: BindingInfo[]
}

/**
 * | journal | keys | phase |
 * |---|---|---|
 * | absent | retire-after set, older keys left | grace |
 * | absent | retire-after set, none left | retired |
 * | absent | – | idle |
 * | present | our key missing or not `create succeeded` | started |
 * | present | our key not handed over | created |
 * | present | older keys left | delivered |
 * | present | – | retired |
 */
export function deriveKeyPhase(f: KeyFacts): PhaseResult {
  if (f.journal === null) {
    if (f.retireAfter !== null) {
      return f.older.length > 0
        ? {phase: 'grace', reason: `older keys stay until ${f.retireAfter}`}
        : {phase: 'retired', reason: 'older keys are gone; the retire-after mark remains'}
    }
    return {phase: 'idle', reason: 'no rotation in progress'}
  }
  if (f.ours?.lastOperation.state !== 'succeeded')
    return {phase: 'started', reason: 'the new key is not ready yet'}
  if (!f.delivered) return {phase: 'created', reason: 'the new key exists but was not handed over'}
  if (f.older.length > 0)
    return {phase: 'delivered', reason: 'the new key was handed over; older keys remain'}
  return {phase: 'retired', reason: 'older keys are gone'}
}

// ---- instance freshness (pure) ------------------------------------------------------------

/** Granularity of `since` (process stats report uptime in whole seconds). */
export const UPTIME_GRANULARITY_MS = 1000

/**
 * Instances that may have started before `sinceIso` (so may hold the credentials from before it).
 * `since` = now − uptime with uptime in whole seconds can read up to 1 s late, so an instance
 * counts as fresh only from `sinceIso` + 1 s: a fresh one may be re-rolled, an old one is never
 * taken for fresh. DOWN instances run nothing; stopped apps pick up new credentials at start.
 */
export function staleInstances(app: AppInfo, sinceIso: string | null): AppInfo['webInstances'] {
  if (app.state !== 'STARTED') return []
  const live = app.webInstances.filter((i) => i.state !== 'DOWN')
  if (sinceIso === null) return live
  const boundary = Date.parse(sinceIso) + UPTIME_GRANULARITY_MS
  return live.filter((i) => i.since === null || Date.parse(i.since) < boundary)
}

/**
 * When a binding became what an app gets at its next start (docs/platform-facts.md §5.6: newest succeeded).
 */
export function usableSince(binding: BindingInfo): string {
  const done = Date.parse(binding.lastOperation.updatedAt)
  return done > Date.parse(binding.createdAt) ? binding.lastOperation.updatedAt : binding.createdAt
}

/** The credential change an app must run: deployments carry `marker`, instances postdate `since`. */
export interface RollTarget {
  marker: string
  since: string
}

/**
 * An app runs a credential change once a rolling deployment created for it (labelled with the
 * change marker) is FINALIZED/DEPLOYED and no live instance predates the change. Instance age
 * alone is not proof: a deployment created before the change, or Diego restarting a crashed
 * instance, starts new instances with the old environment. Stopped apps need nothing now; a
 * started app whose instances could not be read is never taken for rolled.
 */
export function isAppRolled(app: AppInfo, target: RollTarget | null, deployments: DeploymentInfo[]): boolean {
  if (app.state !== 'STARTED') return true
  // Instances nobody could read may still run the old credentials.
  if (target === null || app.instancesUnknown !== undefined) return false
  const deployed = deployments.some(
    (d) =>
      d.appGuid === app.guid &&
      d.labels[LABEL.credentialsChange] === target.marker &&
      d.statusValue === 'FINALIZED' &&
      d.statusReason === 'DEPLOYED',
  )
  return deployed && staleInstances(app, target.since).length === 0
}

export function upsRollTarget(credentialsUpdatedAt: string | null): RollTarget | null {
  return credentialsUpdatedAt === null
    ? null
    : {marker: changeMarker(credentialsUpdatedAt), since: credentialsUpdatedAt}
}

export function bindingRollTarget(binding: BindingInfo | null): RollTarget | null {
  if (binding === null || binding.lastOperation.state !== 'succeeded') return null
  return {marker: binding.guid, since: usableSince(binding)}
}

export function kindLabel(kind: RotationKind): string {
  switch (kind) {
    case 'ups-uaa':
      return 'UAA client secret in a user-provided service'
    case 'ups-external':
      return 'identity-provider secret in a user-provided service'
    case 'managed-binding':
      return 'managed service bindings'
    case 'service-key':
      return 'service key'
  }
}

/** The rotation in progress on the target (from its companion state or journal), if any. */
export function existingRotationId(obs: Observation): string | null {
  return (
    obs.ups?.store?.rotationId ?? obs.binding?.journal?.rotationId ?? obs.key?.journal?.rotationId ?? null
  )
}
