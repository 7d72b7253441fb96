/**
 * The step runner: an async generator that walks a step list in order (like the cf CLI's push
 * sequence → actualize), emitting an event before and after each step, skipping the steps whose
 * `when` says so, and stopping at the first failure. It knows nothing about kinds or the UI.
 *
 * A process kill is modelled by simply not resuming the generator: nothing after the last
 * consumed event runs, no cleanup, exactly as when the process dies.
 */

import type {EventData, RotationEvent} from './events.js'
import type {RotationPlatform} from './platform.js'
import type {StepId} from './types.js'
import {isCfguardError} from '../errors.js'
import {redactText} from '../redact.js'

export interface StepResult {
  detail?: string
  data?: EventData
}

export interface StepContext {
  /** A warning for the person, emitted after the step. */
  warn(message: string): void
  /** Call while waiting (deployments, jobs): keeps the lease alive, fails if it was lost. */
  heartbeat(): Promise<void>
  /** Call right before a change made after a wait inside a step: fails if the lease was lost. */
  checkLease(): Promise<void>
  /**
   * How a long step is getting on (deployments rolled, instances replaced), shown live as it
   * happens; not part of the result or the audit log. Resolves once the event was taken and the
   * machine resumed: a machine that is never resumed (a killed process) runs nothing further.
   */
  progress(detail: string, data?: EventData): Promise<void>
}

export interface Step<S> {
  id: StepId
  title: string
  /** true = run; false or a string = skip (the string says why). Re-evaluated when reached. */
  when(state: S): boolean | string
  /** Re-checks the platform before it mutates; updates `state` (its phase) when done. */
  run(platform: RotationPlatform, state: S, ctx: StepContext): Promise<StepResult | void>
}

export type EventStamp = Pick<RotationEvent, 'at' | 'action' | 'target' | 'rotationId'>

export interface MachineSetup<S> {
  platform: RotationPlatform
  state: S
  steps: Step<S>[]
  /** Time, action, target and rotation id for the next event. */
  stamp(): EventStamp
  /** Runs before every step that will run (lease check); a throw fails that step. */
  beforeStep?(step: Step<S>): Promise<void>
  heartbeat(): Promise<void>
  /** A full lease check (no rate limit); default: the heartbeat. */
  checkLease?(): Promise<void>
}

export type MachineResult = {ok: true} | {ok: false; step: StepId; error: unknown}

export function errorSummary(err: unknown): {code: string; exitCode: number; message: string} {
  if (isCfguardError(err)) return {code: err.code, exitCode: err.exitCode, message: redactText(err.message)}
  const message = err instanceof Error ? err.message : String(err)
  return {code: 'BUG', exitCode: 1, message: redactText(message)}
}

interface News {
  detail: string
  data?: EventData
  /** Releases the callers that wait for this news to be taken. */
  ack: () => void
}

/** Progress messages of the running step; a burst not yet taken collapses to the newest. */
class ProgressQueue {
  private latest: News | null = null
  private wake: (() => void) | null = null

  push(detail: string, data?: EventData): Promise<void> {
    return new Promise((resolve) => {
      const earlier = this.latest?.ack
      this.latest = {
        detail: redactText(detail),
        ...(data ? {data} : {}),
        ack: () => {
          earlier?.()
          resolve()
        },
      }
      const w = this.wake
      this.wake = null
      w?.()
    })
  }

  async next(): Promise<News> {
    while (this.latest === null) await new Promise<void>((resolve) => (this.wake = resolve))
    const out = this.latest
    this.latest = null
    return out
  }
}

export async function* runMachine<S>(setup: MachineSetup<S>): AsyncGenerator<RotationEvent, MachineResult> {
  const {platform, state} = setup
  for (const step of setup.steps) {
    const when = step.when(state)
    if (when !== true) {
      const detail = when === false ? 'not needed' : when
      yield {...setup.stamp(), type: 'step-skip', step: step.id, title: step.title, detail}
      continue
    }
    yield {...setup.stamp(), type: 'step-start', step: step.id, title: step.title, detail: step.title}
    const warnings: string[] = []
    const news = new ProgressQueue()
    const ctx: StepContext = {
      warn: (m) => warnings.push(m),
      heartbeat: () => setup.heartbeat(),
      checkLease: () => (setup.checkLease ?? setup.heartbeat)(),
      progress: (detail, data) => news.push(detail, data),
    }
    let result: StepResult | void
    try {
      const running = (async () => {
        await setup.beforeStep?.(step)
        return step.run(platform, state, ctx)
      })()
      // Progress is yielded while the step runs: the person sees deployments advance live.
      for (;;) {
        const next = await Promise.race([running.then(() => null), news.next()])
        if (next === null) break
        const {ack, ...progress} = next
        yield {...setup.stamp(), type: 'step-progress', step: step.id, title: step.title, ...progress}
        // Only now does the step go on: a machine that is not resumed runs nothing further.
        ack()
      }
      result = await running
    } catch (error) {
      for (const w of warnings)
        yield {...setup.stamp(), type: 'warning', step: step.id, detail: redactText(w)}
      const summary = errorSummary(error)
      yield {
        ...setup.stamp(),
        type: 'step-failed',
        step: step.id,
        title: step.title,
        detail: summary.message,
        error: {code: summary.code, exitCode: summary.exitCode},
      }
      return {ok: false, step: step.id, error}
    }
    for (const w of warnings) yield {...setup.stamp(), type: 'warning', step: step.id, detail: redactText(w)}
    yield {
      ...setup.stamp(),
      type: 'step-done',
      step: step.id,
      title: step.title,
      detail: redactText(result?.detail ?? ''),
      ...(result?.data ? {data: result.data} : {}),
    }
  }
  return {ok: true}
}
