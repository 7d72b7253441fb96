/**
 * Entry points of the rotation engine: `rotate`, `retire`, `rollback` (async generators of
 * events whose return value is the outcome) and `planOnly` (the dry run). Each one reads the
 * platform, derives where the rotation stands, plans, and — unless refused or dry — runs the
 * steps. Running the same entry point again after any interruption resumes from platform state.
 */

import {randomBytes} from 'node:crypto'

import {existingRotationId} from './phase.js'
import {planRotation, startPhase, type PlanOptions, type RotationPlan} from './plan.js'
import type {EventTarget, RotationEvent, RotationOutcome} from './events.js'
import type {HolderFinder} from './holders.js'
import {processFingerprint, type Fingerprint} from '../model/fingerprint.js'
import {NeedsHumanError} from './halt.js'
import {errorSummary, runMachine, type EventStamp} from './machine.js'
import {observe, type Observation, type ObservedSecrets, type RotationTarget} from './observe.js'
import type {RotationPlatform} from './platform.js'
import type {KeySink} from './sink.js'
import {buildSteps} from './steps/index.js'
import {ensureLease, leaseHeartbeat, releaseLease} from './steps/lease.js'
import type {ResolvedOptions, RunState} from './steps/state.js'
import type {RotationAction, RotationStatus} from './types.js'
import {CfguardError, ExitCode, isCfguardError, type ExitCodeValue} from '../errors.js'
import {registerSecret} from '../redact.js'

export interface EngineOptions {
  /** Who acts: lease owner and `rotated-by` (e.g. `admin@cron-host-1`). */
  owner: string
  /** Instances replaced at once per app (deployment `max_in_flight`). Default 1. */
  maxInFlight?: number
  /** Apps rolled at the same time. Default 4. */
  parallelApps?: number
  /** Keep the old secret / bindings / keys valid this long; null or 0 = retire at once. */
  graceMs?: number | null
  /** Bound on each wait (deployments, binding jobs). Default 15 minutes. */
  timeoutMs?: number
  /** Managed bindings: delete-then-create where a second binding is not allowed. */
  allowDowntime?: boolean
  /** Retire before retire-after; rotate again within `minIntervalMs` of the last rotation. */
  force?: boolean
  /** Default 10 minutes. */
  minIntervalMs?: number
  /** Plan only; change nothing. */
  dryRun?: boolean
  leaseTtlMs?: number
  /** Pause between writing the lease and re-reading it (lets a concurrent writer show). */
  leaseSettleMs?: number
  pollIntervalMs?: number
  fingerprint?: Fingerprint
  newRotationId?: () => string
  /** The new secret for a UPS of another identity provider (stdin / --secret-file). */
  secretSource?: (() => Promise<string>) | null
  /** Where new service key credentials go. */
  keySink?: KeySink | null
  /**
   * Finds every other holder of a user-provided service's client (the blast radius). Without it
   * nothing is searched: only scripts and unit tests that know there is no other holder omit it.
   */
  findHolders?: HolderFinder | null
  /** Rotate the other user-provided services holding the client too (else refuse while any exist). */
  includeShared?: boolean
  /**
   * While deployments roll, read each app's instances at every poll to report instances replaced
   * out of total (a live display asks; one more read per app and poll). Default false.
   */
  countInstances?: boolean
}

export interface RotationRequest {
  serviceInstanceGuid: string
  /** Its name when the caller knows it: the outcome names the target even if nothing could be read. */
  serviceInstanceName?: string
  /** Rotate this service key family instead of app bindings (managed instances). */
  keyName?: string | null
  /** Managed bindings: rotate only these apps' bindings (default: every bound app). */
  appGuids?: string[] | null
}

const MINUTE = 60_000

export function resolveOptions(options: EngineOptions): ResolvedOptions {
  const int = (v: number | undefined, def: number, what: string, min = 1) => {
    const n = v ?? def
    if (!Number.isInteger(n) || n < min) throw new TypeError(`${what} must be an integer >= ${min}`)
    return n
  }
  if (typeof options.owner !== 'string' || options.owner.trim() === '')
    throw new TypeError('owner is required')
  const graceMs = options.graceMs ?? null
  if (graceMs !== null && (!Number.isFinite(graceMs) || graceMs < 0))
    throw new TypeError('graceMs must be >= 0')
  const timeoutMs = int(options.timeoutMs, 15 * MINUTE, 'timeoutMs')
  return {
    owner: options.owner,
    maxInFlight: int(options.maxInFlight, 1, 'maxInFlight'),
    parallelApps: int(options.parallelApps, 4, 'parallelApps'),
    graceMs,
    timeoutMs,
    allowDowntime: options.allowDowntime ?? false,
    force: options.force ?? false,
    leaseTtlMs: int(options.leaseTtlMs, 10 * MINUTE, 'leaseTtlMs'),
    leaseSettleMs: int(options.leaseSettleMs, 2000, 'leaseSettleMs', 0),
    pollIntervalMs: int(options.pollIntervalMs, 5000, 'pollIntervalMs'),
    fingerprint: options.fingerprint ?? processFingerprint(),
    keySink: options.keySink ?? null,
    countInstances: options.countInstances ?? false,
  }
}

function planOptions(o: ResolvedOptions, options: EngineOptions): PlanOptions {
  return {
    owner: o.owner,
    maxInFlight: o.maxInFlight,
    parallelApps: o.parallelApps,
    graceMs: o.graceMs,
    timeoutMs: o.timeoutMs,
    allowDowntime: o.allowDowntime,
    force: o.force,
    secretSupplied: typeof options.secretSource === 'function',
    keySinkGiven: o.keySink !== null,
    minIntervalMs: options.minIntervalMs ?? 10 * MINUTE,
    includeShared: options.includeShared ?? false,
  }
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

function outcomeOf(
  status: RotationStatus,
  exitCode: ExitCodeValue,
  message: string,
  base: Pick<RotationOutcome, 'action' | 'kind' | 'target' | 'rotationId'>,
  extra: Partial<RotationOutcome> = {},
): RotationOutcome {
  return {status, exitCode, message, failedStep: null, error: null, retireAfter: null, ...base, ...extra}
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
    const e = errorSummary(err)
    const error = {code: e.code, message: e.message, suggestions: isCfguardError(err) ? err.suggestions : []}
    return yield* finish(
      outcomeOf(
        'failed',
        e.exitCode as ExitCodeValue,
        e.message,
        {action, kind: null, target: tgt, rotationId: null},
        {error},
      ),
    )
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

function errorOf(err: CfguardError): RotationOutcome['error'] {
  return {code: err.code, message: err.message, suggestions: err.suggestions}
}

function refusalOutcome(
  plan: RotationPlan,
  base: Pick<RotationOutcome, 'action' | 'kind' | 'target' | 'rotationId'>,
) {
  const first = plan.refusals[0]!
  const err = new CfguardError(first.code, first.message, {suggestions: first.suggestions})
  const message = plan.refusals.map((r) => r.message).join('; ')
  if (first.needsHuman)
    return outcomeOf('needs-human', ExitCode.RotationHalted, message, base, {error: errorOf(err)})
  if (first.code === 'LEASE_HELD')
    return outcomeOf('lease-held', err.exitCode, message, base, {error: errorOf(err)})
  if (err.exitCode === ExitCode.Api) {
    // Could not look (the token endpoint did not answer): a rotation part-way stays halted.
    return plan.rotationId !== null
      ? outcomeOf('halted', ExitCode.RotationHalted, message, base, {error: errorOf(err)})
      : outcomeOf('failed', err.exitCode, message, base, {error: errorOf(err)})
  }
  return outcomeOf('refused', err.exitCode, message, base, {error: errorOf(err)})
}

function successOutcome(
  state: RunState,
  base: Pick<RotationOutcome, 'action' | 'kind' | 'target' | 'rotationId'>,
) {
  const name = state.target.name
  if (state.phase === 'grace') {
    return outcomeOf(
      'grace',
      ExitCode.Ok,
      `${name}${alongWith(state)} rotated; the old credentials stay valid until ${state.retireAfter}`,
      base,
      {
        retireAfter: state.retireAfter,
      },
    )
  }
  switch (state.action) {
    case 'rotate':
      return outcomeOf(
        'completed',
        ExitCode.Ok,
        `${name}${alongWith(state)} rotated; the old credentials are retired`,
        base,
      )
    case 'retire':
      return outcomeOf('retired', ExitCode.Ok, `${name}: the old credentials are retired`, base)
    case 'rollback':
      return outcomeOf('rolled-back', ExitCode.Ok, `${name} is back on its previous secret`, base)
  }
}

/** ` (and 2 other services holding the client)` when followers went along. */
function alongWith(state: RunState): string {
  const n = state.observation.ups?.followers.length ?? 0
  return n === 0 ? '' : ` (and ${n} other service${n === 1 ? '' : 's'} holding the client)`
}

function failureOutcome(
  state: RunState,
  step: RotationOutcome['failedStep'],
  error: unknown,
  base: Pick<RotationOutcome, 'action' | 'kind' | 'target' | 'rotationId'>,
  observation: Observation,
): RotationOutcome {
  const summary = errorSummary(error)
  const cfErr = isCfguardError(error) ? error : null
  const err = {code: summary.code, message: summary.message, suggestions: cfErr?.suggestions ?? []}
  const inProgress = state.changed || existingRotationId(observation) !== null
  if (error instanceof NeedsHumanError) {
    return outcomeOf('needs-human', ExitCode.RotationHalted, summary.message, base, {
      failedStep: step,
      error: err,
    })
  }
  if (cfErr?.code === 'LEASE_HELD') {
    return outcomeOf('lease-held', ExitCode.RotationHalted, summary.message, base, {
      failedStep: step,
      error: err,
    })
  }
  if (cfErr?.code === 'ROTATION_REFUSED' && !inProgress) {
    return outcomeOf('refused', cfErr.exitCode, summary.message, base, {failedStep: step, error: err})
  }
  if (inProgress) {
    return outcomeOf(
      'halted',
      ExitCode.RotationHalted,
      `${state.target.name}: stopped at ${step}: ${summary.message}; the rotation state is on the platform, re-run to resume`,
      base,
      {failedStep: step, error: err},
    )
  }
  return outcomeOf('failed', summary.exitCode as ExitCodeValue, summary.message, base, {
    failedStep: step,
    error: err,
  })
}
