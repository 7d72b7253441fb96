/**
 * How a run ends, as the outcome the caller reports: refused by the plan, done, or stopped at a
 * step (halted when the platform holds a rotation part-way, so a re-run resumes).
 */

import {CfguardError, ExitCode, isCfguardError, type ExitCodeValue} from '../errors.js'
import type {RotationOutcome} from './events.js'
import {NeedsHumanError} from './halt.js'
import {errorSummary} from './machine.js'
import type {Observation} from './observe.js'
import {existingRotationId} from './phase.js'
import type {RotationPlan} from './plan.js'
import type {RunState} from './steps/state.js'
import type {RotationStatus} from './types.js'
import {plural} from '../util/plural.js'

/** What every outcome of one run shares. */
export type OutcomeBase = Pick<RotationOutcome, 'action' | 'kind' | 'target' | 'rotationId'>

export function outcomeOf(
  status: RotationStatus,
  exitCode: ExitCodeValue,
  message: string,
  base: OutcomeBase,
  extra: Partial<RotationOutcome> = {},
): RotationOutcome {
  return {status, exitCode, message, failedStep: null, error: null, retireAfter: null, ...base, ...extra}
}

export function errorOf(err: CfguardError): RotationOutcome['error'] {
  return {code: err.code, message: err.message, suggestions: err.suggestions}
}

/** Any error as the outcome's error: its code, message and next commands. */
function errorDetail(error: unknown): {
  summary: ReturnType<typeof errorSummary>
  error: RotationOutcome['error']
} {
  const summary = errorSummary(error)
  const suggestions = isCfguardError(error) ? error.suggestions : []
  return {summary, error: {code: summary.code, message: summary.message, suggestions}}
}

/** The platform could not be read: nothing was planned, nothing changed. */
export function unreadOutcome(error: unknown, base: OutcomeBase): RotationOutcome {
  const {summary, error: err} = errorDetail(error)
  return outcomeOf('failed', summary.exitCode as ExitCodeValue, summary.message, base, {error: err})
}

export function refusalOutcome(plan: RotationPlan, base: OutcomeBase) {
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

export function successOutcome(state: RunState, base: OutcomeBase) {
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
  return n === 0 ? '' : ` (and ${plural(n, 'other service')} holding the client)`
}

export function failureOutcome(
  state: RunState,
  step: RotationOutcome['failedStep'],
  error: unknown,
  base: OutcomeBase,
  observation: Observation,
): RotationOutcome {
  const {summary, error: err} = errorDetail(error)
  const cfErr = isCfguardError(error) ? error : null
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
