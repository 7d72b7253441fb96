/**
 * Entry points of the rotation engine: `rotate`, `retire`, `rollback` (async generators of
 * events whose return value is the outcome) and `planOnly` (the dry run). Each one reads the
 * platform, derives where the rotation stands, plans, and — unless refused or dry — runs the
 * steps. Running the same entry point again after any interruption resumes from platform state.
 */

import {randomBytes} from 'node:crypto'

import {CfguardError, ExitCode, isCfguardError} from '../errors.js'
import {registerSecret} from '../redact.js'
import {planOptions, resolveOptions, type EngineOptions} from './engine-options.js'
import type {EventTarget, RotationEvent, RotationOutcome} from './events.js'
import {runMachine, type EventStamp} from './machine.js'
import {observe, type Observation, type ObservedSecrets, type RotationTarget} from './observe.js'
import {
  errorOf,
  failureOutcome,
  outcomeOf,
  refusalOutcome,
  successOutcome,
  unreadOutcome,
} from './outcomes.js'
import {existingRotationId} from './phase.js'
import {planRotation, startPhase, type RotationPlan} from './plan.js'
import type {RotationPlatform} from './platform.js'
import {buildSteps} from './steps/index.js'
import {ensureLease, leaseHeartbeat, releaseLease} from './steps/lease.js'
import type {RunState} from './steps/state.js'
import type {RotationAction} from './types.js'

// The options live in engine-options.ts, the outcomes in outcomes.ts; callers import them from here.
export {resolveOptions, type EngineOptions} from './engine-options.js'

export interface RotationRequest {
  serviceInstanceGuid: string
  /** Its name when the caller knows it: the outcome names the target even if nothing could be read. */
  serviceInstanceName?: string
  /** Rotate this service key family instead of app bindings (managed instances). */
  keyName?: string | null
  /** Managed bindings: rotate only these apps' bindings (default: every bound app). */
  appGuids?: string[] | null
}

export function defaultRotationId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  return `${stamp}-${randomBytes(3).toString('hex')}`
}

function target(request: RotationRequest, options: EngineOptions): RotationTarget {
  return {
    serviceInstanceGuid: request.serviceInstanceGuid,
    keyName: request.keyName ?? null,
    appGuids: request.appGuids ?? null,
    externalSecret: typeof options.secretSource === 'function',
  }
}

/** `--dry-run`: the plan, from read-only calls that read no secret (no `*.show` audit event). */
export async function planOnly(
  platform: RotationPlatform,
  action: RotationAction,
  request: RotationRequest,
  options: EngineOptions,
): Promise<RotationPlan> {
  const resolved = resolveOptions(options)
  const {observation} = await observe(platform, target(request, options), {
    fingerprint: resolved.fingerprint,
    secrets: false,
    findHolders: options.findHolders ?? null,
  })
  return planRotation({action, observation, options: planOptions(resolved, options), now: platform.now()})
}

export function rotate(platform: RotationPlatform, request: RotationRequest, options: EngineOptions) {
  return run(platform, 'rotate', request, options)
}

export function retire(platform: RotationPlatform, request: RotationRequest, options: EngineOptions) {
  return run(platform, 'retire', request, options)
}

export function rollback(platform: RotationPlatform, request: RotationRequest, options: EngineOptions) {
  return run(platform, 'rollback', request, options)
}

/** Drains a run: all events plus the outcome (for scripts and tests). */
export async function collect(
  run: AsyncGenerator<RotationEvent, RotationOutcome>,
): Promise<{events: RotationEvent[]; outcome: RotationOutcome}> {
  const events: RotationEvent[] = []
  for (;;) {
    const next = await run.next()
    if (next.done) return {events, outcome: next.value}
    if (next.value.type !== 'step-progress') events.push(next.value)
  }
}

async function* run(
  platform: RotationPlatform,
  action: RotationAction,
  request: RotationRequest,
  options: EngineOptions,
): AsyncGenerator<RotationEvent, RotationOutcome> {
  const resolved = resolveOptions(options)
  let tgt: EventTarget = {
    guid: request.serviceInstanceGuid,
    name: request.serviceInstanceName ?? request.serviceInstanceGuid,
  }
  let observation: Observation
  let secrets: ObservedSecrets
  const stampOf = (rotationId: string | null): EventStamp => ({
    at: platform.now().toISOString(),
    action,
    target: tgt,
    rotationId,
  })
  const finish = function* (outcome: RotationOutcome): Generator<RotationEvent, RotationOutcome> {
    yield {...stampOf(outcome.rotationId), type: 'done', step: null, detail: outcome.message, outcome}
    return outcome
  }
  try {
    ;({observation, secrets} = await observe(platform, target(request, options), {
      fingerprint: resolved.fingerprint,
      // A dry run leaves the audit trail as it was: reading a secret writes a `*.show` event.
      secrets: options.dryRun !== true,
      findHolders: options.findHolders ?? null,
    }))
  } catch (err) {
    return yield* finish(unreadOutcome(err, {action, kind: null, target: tgt, rotationId: null}))
  }
  tgt = {guid: observation.target.guid, name: observation.target.name}
  const plan = planRotation({
    action,
    observation,
    options: planOptions(resolved, options),
    now: platform.now(),
  })
  const base = {action, kind: plan.kind, target: tgt, rotationId: plan.rotationId}
  yield {...stampOf(plan.rotationId), type: 'plan', step: null, detail: `${action} ${tgt.name}`, plan}

  const blocking = options.dryRun ? plan.refusals.filter((r) => !r.dryRunProceeds) : plan.refusals
  if (blocking.length > 0) return yield* finish(refusalOutcome({...plan, refusals: blocking}, base))
  if (options.dryRun) {
    // What only a real run refuses: the dry run succeeds, but must not suggest running it now.
    const later = plan.refusals[0]
    return yield* finish(
      later
        ? outcomeOf('dry-run', ExitCode.Ok, 'nothing was changed; a real run now would refuse', base, {
            error: {code: later.code, message: later.message, suggestions: later.suggestions},
          })
        : outcomeOf('dry-run', ExitCode.Ok, 'nothing was changed', base),
    )
  }
  const kind = plan.kind!

  const state: RunState = {
    action,
    kind,
    target: observation.target,
    rotationId:
      existingRotationId(observation) ??
      (options.newRotationId ?? (() => defaultRotationId(platform.now())))(),
    phase: startPhase(action, observation).phase,
    options: resolved,
    observation,
    secrets,
    leaseToken: null,
    leaseExpiresAt: 0,
    lastLeaseCheck: 0,
    storeGuid: observation.ups?.storeGuid ?? null,
    pending: secrets.pending,
    previous: secrets.previous,
    supplied: null,
    credentialsUpdatedAt: observation.ups?.credentialsUpdatedAt ?? null,
    retireAfter: null,
    changed: false,
  }
  const supplied = await takeSuppliedSecret(state, options)
  if (supplied)
    return yield* finish(
      outcomeOf('refused', supplied.exitCode, supplied.message, base, {error: errorOf(supplied)}),
    )

  const machine = runMachine<RunState>({
    platform,
    state,
    steps: buildSteps(action, kind),
    stamp: () => stampOf(state.rotationId),
    beforeStep: async (step) => {
      if (step.id !== 'lease') await ensureLease(platform, state)
    },
    heartbeat: () => leaseHeartbeat(platform, state),
    checkLease: () => ensureLease(platform, state),
  })
  const result = yield* machine
  const done = {...base, rotationId: state.rotationId}
  if (result.ok) return yield* finish(successOutcome(state, done))

  // Stopped: give the lease back so a re-run (any owner) can resume from the platform state.
  if (!(isCfguardError(result.error) && result.error.code === 'LEASE_HELD'))
    await releaseLease(platform, state)
  return yield* finish(failureOutcome(state, result.step, result.error, done, observation))
}

async function takeSuppliedSecret(state: RunState, options: EngineOptions): Promise<CfguardError | null> {
  if (typeof options.secretSource !== 'function' || state.action !== 'rotate') return null
  if (state.kind !== 'ups-external') {
    return new CfguardError(
      'ROTATION_REFUSED',
      `${state.target.name}: a rotation that generates its own secret (${state.kind}) is in progress; a supplied secret would not be used`,
      {suggestions: ['re-run without --secret-file to finish it, or roll it back first']},
    )
  }
  let secret: string
  try {
    secret = (await options.secretSource()).trim()
  } catch (err) {
    return isCfguardError(err) ? err : new CfguardError('USAGE', 'cannot read the new secret from its source')
  }
  registerSecret(secret)
  if (state.pending !== null && secret !== state.pending) {
    return new CfguardError(
      'ROTATION_REFUSED',
      `${state.target.name}: a rotation with another new secret (${state.options.fingerprint(state.pending)}) is in progress`,
      {suggestions: ['finish it by re-running without a new secret, or roll it back first']},
    )
  }
  state.supplied = secret
  return null
}
