/**
 * The unattended entry point: for every credential in scope, retire what has passed its grace
 * period, then rotate what is due (or resume what an earlier run left part-way), a few at a time.
 * One stopped rotation never stops the others; the summary says what happened to each and the
 * exit code the cron job should end with.
 */

import pLimit from 'p-limit'

import {stateServiceName} from './annotations.js'
import {ANNOTATION} from '../model/annotations.js'
import {retire, rotate, type EngineOptions} from './engine.js'
import type {EventTarget, RotationEvent, RotationOutcome} from './events.js'
import {errorSummary} from './machine.js'
import type {RotationPlatform} from './platform.js'
import type {RotationAction, RotationStatus} from './types.js'
import {ExitCode, type ExitCodeValue} from '../errors.js'

export interface CronCandidate {
  serviceInstanceGuid: string
  /** For messages when nothing about the instance could be read. */
  serviceInstanceName?: string
  keyName?: string | null
  /** Due by policy (e.g. older than the maximum credential age). */
  due: boolean
}

export interface CronOptions extends EngineOptions {
  /** Credentials handled at the same time. Default 1 (sequential). */
  concurrency?: number
  /**
   * Taken before a candidate is touched, released after (the action layer's per-host lock). A
   * `LEASE_HELD` error skips the candidate as held by another run.
   */
  guard?: (serviceInstanceGuid: string) => Promise<() => void>
}

export interface CronItem {
  target: EventTarget
  action: RotationAction | null
  status: RotationStatus | 'skipped'
  exitCode: ExitCodeValue
  message: string
  rotationId: string | null
}

/** How many items of a cron run ended which way. */
export interface CronCounts {
  succeeded: number
  planned: number
  halted: number
  failed: number
  refused: number
  skipped: number
}

export interface CronSummary {
  items: CronItem[]
  counts: CronCounts
  exitCode: ExitCodeValue
}

const SUCCEEDED: (RotationStatus | 'skipped')[] = ['completed', 'grace', 'retired', 'rolled-back']
const HALTED: (RotationStatus | 'skipped')[] = ['halted', 'needs-human', 'lease-held']

/** Halted first (state left on the platform), then auth, API, refusals, bugs. */
const EXIT_PRIORITY: ExitCodeValue[] = [
  ExitCode.RotationHalted,
  ExitCode.Auth,
  ExitCode.Api,
  ExitCode.Usage,
  ExitCode.Bug,
]

export function summarize(items: CronItem[]): CronSummary {
  const counts = {succeeded: 0, planned: 0, halted: 0, failed: 0, refused: 0, skipped: 0}
  for (const item of items) {
    if (SUCCEEDED.includes(item.status)) counts.succeeded++
    // A dry run changed nothing: it is planned, not succeeded.
    else if (item.status === 'dry-run') counts.planned++
    else if (HALTED.includes(item.status)) counts.halted++
    else if (item.status === 'refused') counts.refused++
    else if (item.status === 'skipped') counts.skipped++
    else counts.failed++
  }
  const codes = new Set(items.map((i) => i.exitCode))
  const exitCode = EXIT_PRIORITY.find((c) => codes.has(c)) ?? ExitCode.Ok
  return {items, counts, exitCode}
}

function itemOf(outcome: RotationOutcome): CronItem {
  return {
    target: outcome.target,
    action: outcome.action,
    status: outcome.status,
    exitCode: outcome.exitCode,
    message: outcome.message,
    rotationId: outcome.rotationId,
  }
}

/** Cheap look (no credential read, no audit event): is a rotation or a grace period pending? */
async function lookAt(platform: RotationPlatform, candidate: CronCandidate, now: Date) {
  const si = await platform.getServiceInstance(candidate.serviceInstanceGuid)
  if (si === null) return null
  const retireAfter = si.annotations[ANNOTATION.retireAfter]
  const graceOver = retireAfter !== undefined && Date.parse(retireAfter) <= now.getTime()
  let inProgress =
    si.annotations[ANNOTATION.journal] !== undefined || si.annotations[ANNOTATION.lease] !== undefined
  if (!inProgress && si.type === 'user-provided' && retireAfter === undefined) {
    inProgress = (await platform.findServiceInstance(si.spaceGuid, stateServiceName(si.guid))) !== null
  }
  return {si, retireAfter: retireAfter ?? null, graceOver, inProgress}
}

export async function* rotateAllDue(
  platform: RotationPlatform,
  candidates: CronCandidate[],
  options: CronOptions,
): AsyncGenerator<RotationEvent, CronSummary> {
  const queue: RotationEvent[] = []
  let wake: (() => void) | null = null
  const push = (e: RotationEvent) => {
    queue.push(e)
    wake?.()
    wake = null
  }
  const drain = async (run: AsyncGenerator<RotationEvent, RotationOutcome>) => {
    for (;;) {
      const next = await run.next()
      if (next.done) return next.value
      push(next.value)
    }
  }
  const handle = async (candidate: CronCandidate): Promise<CronItem[]> => {
    const items: CronItem[] = []
    const name = candidate.serviceInstanceName ?? candidate.serviceInstanceGuid
    const request = {
      serviceInstanceGuid: candidate.serviceInstanceGuid,
      serviceInstanceName: name,
      keyName: candidate.keyName ?? null,
    }
    const fallback: EventTarget = {guid: candidate.serviceInstanceGuid, name}
    let release: (() => void) | null = null
    try {
      release = options.guard ? await options.guard(candidate.serviceInstanceGuid) : null
      const look = await lookAt(platform, candidate, platform.now())
      if (look === null) {
        items.push({
          target: fallback,
          action: null,
          status: 'failed',
          exitCode: ExitCode.Usage,
          message: 'service instance not found',
          rotationId: null,
        })
        return items
      }
      const target = {guid: look.si.guid, name: look.si.name}
      if (look.graceOver) {
        const outcome = await drain(retire(platform, request, options))
        items.push(itemOf(outcome))
        if (!SUCCEEDED.includes(outcome.status)) return items
      } else if (look.retireAfter !== null && candidate.due && !look.inProgress) {
        items.push({
          target,
          action: null,
          status: 'skipped',
          exitCode: ExitCode.Ok,
          message: `in its grace period until ${look.retireAfter}`,
          rotationId: null,
        })
        return items
      }
      if (candidate.due || look.inProgress) {
        items.push(itemOf(await drain(rotate(platform, request, options))))
      } else if (!look.graceOver) {
        items.push({
          target,
          action: null,
          status: 'skipped',
          exitCode: ExitCode.Ok,
          message: 'not due',
          rotationId: null,
        })
      }
    } catch (err) {
      const e = errorSummary(err)
      items.push({
        target: fallback,
        action: null,
        status: e.code === 'LEASE_HELD' ? 'lease-held' : 'failed',
        exitCode: e.exitCode as ExitCodeValue,
        message: e.message,
        rotationId: null,
      })
    } finally {
      release?.()
    }
    return items
  }
  const limit = pLimit(Math.max(1, options.concurrency ?? 1))
  let finished = false
  const all = Promise.all(candidates.map((c) => limit(() => handle(c)))).finally(() => {
    finished = true
    wake?.()
  })
  while (!finished || queue.length > 0) {
    if (queue.length > 0) yield queue.shift()!
    else await new Promise<void>((resolve) => (wake = resolve))
  }
  return summarize((await all).flat())
}
