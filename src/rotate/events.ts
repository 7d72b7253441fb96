/**
 * What the rotation machine tells the world, and two pure renderings of it: one plain line per
 * event (the non-TTY renderer) and one JSON-lines audit record per event. Events carry resource
 * guids and keyed fingerprints at most — never a secret value; both renderings also pass every
 * string through `redactText` so a secret registered in this process could not slip through.
 */

import type {RotationPlan} from './plan.js'
import type {RotationAction, RotationKind, RotationStatus, StepId} from './types.js'
import type {ExitCodeValue} from '../errors.js'
import {redactText} from '../redact.js'

export type EventType =
  'plan' | 'step-start' | 'step-progress' | 'step-skip' | 'step-done' | 'step-failed' | 'warning' | 'done'

/** Non-secret facts for machines: guids, counts, keyed fingerprints. */
export type EventData = Record<string, string | number | boolean | null | string[]>

export interface EventTarget {
  guid: string
  name: string
}

export interface RotationOutcome {
  status: RotationStatus
  exitCode: ExitCodeValue
  message: string
  action: RotationAction
  kind: RotationKind | null
  target: EventTarget
  rotationId: string | null
  /** The step that failed, for halted / failed outcomes. */
  failedStep: StepId | null
  error: {code: string; message: string; suggestions: string[]} | null
  /** When a grace period ends (status grace). */
  retireAfter: string | null
}

interface EventBase {
  at: string
  action: RotationAction
  target: EventTarget
  rotationId: string | null
  /** Human detail: the step title, skip reason, result, warning or error text. */
  detail: string
  data?: EventData
}

export type RotationEvent =
  | (EventBase & {type: 'plan'; step: null; plan: RotationPlan})
  | (EventBase & {type: 'step-start'; step: StepId; title: string})
  /** A long step getting on (live display only: not in the result's events or the audit log). */
  | (EventBase & {type: 'step-progress'; step: StepId; title: string})
  | (EventBase & {type: 'step-skip'; step: StepId; title: string})
  | (EventBase & {type: 'step-done'; step: StepId; title: string})
  | (EventBase & {type: 'step-failed'; step: StepId; title: string; error: {code: string; exitCode: number}})
  | (EventBase & {type: 'warning'; step: StepId | null})
  | (EventBase & {type: 'done'; step: null; outcome: RotationOutcome})

function planSummary(plan: RotationPlan): string {
  const runs = plan.steps.filter((s) => s.run).length
  const rolled = plan.apps.filter((a) => a.roll)
  const parts = [
    `${plan.action} ${plan.kind ?? 'unknown kind'}`,
    plan.resume ? `resuming ${plan.rotationId} (${plan.phase})` : `phase ${plan.phase}`,
    `${runs} of ${plan.steps.length} steps to run`,
  ]
  if (plan.apps.length > 0) {
    parts.push(
      `${rolled.length} of ${plan.apps.length} apps to roll, ${plan.expectedRestarts.webInstances ?? 'an unknown number of'} instances to replace`,
    )
  }
  if (plan.refusals.length > 0) parts.push(`refused: ${plan.refusals.map((r) => r.message).join('; ')}`)
  return parts.join(', ')
}

/** One plain line per event, for logs and terminals without a TTY. */
export function eventToLine(event: RotationEvent): string {
  const who = `[${event.target.name}]`
  let line: string
  switch (event.type) {
    case 'plan':
      line = `${who} plan: ${planSummary(event.plan)}`
      break
    case 'step-start':
      line = `${who} ${event.step}: ${event.title} ...`
      break
    case 'step-progress':
      line = `${who} ${event.step}: ${event.detail}`
      break
    case 'step-skip':
      line = `${who} ${event.step}: skipped (${event.detail})`
      break
    case 'step-done':
      line = `${who} ${event.step}: done${event.detail ? ` (${event.detail})` : ''}`
      break
    case 'step-failed':
      line = `${who} ${event.step}: FAILED: ${event.detail}`
      break
    case 'warning':
      line = `${who} warning: ${event.detail}`
      break
    case 'done':
      line = `${who} ${event.outcome.status}: ${event.detail}`
      break
  }
  return redactText(line)
}

export interface AuditRecord {
  ts: string
  event: EventType
  action: RotationAction
  rotation_id: string | null
  target_guid: string
  target_name: string
  step: StepId | null
  status: string
  detail: string
  /** Guids, counts and keyed fingerprints (never secrets). */
  data: EventData
}

function scrubData(data: EventData | undefined): EventData {
  const out: EventData = {}
  for (const [k, v] of Object.entries(data ?? {})) {
    out[k] = typeof v === 'string' ? redactText(v) : Array.isArray(v) ? v.map((x) => redactText(x)) : v
  }
  return out
}

/** The audit record of one event (the machine's own trail; write one JSON line each). */
export function auditRecord(event: RotationEvent): AuditRecord {
  const status =
    event.type === 'done'
      ? event.outcome.status
      : event.type === 'plan'
        ? event.plan.refusals.length > 0
          ? 'refused'
          : 'planned'
        : event.type.replace('step-', '')
  const data: EventData = {...event.data}
  if (event.type === 'plan') {
    data.phase = event.plan.phase
    data.kind = event.plan.kind
    if (event.plan.credential.currentFingerprint)
      data.current_fingerprint = event.plan.credential.currentFingerprint
    if (event.plan.credential.pendingFingerprint)
      data.pending_fingerprint = event.plan.credential.pendingFingerprint
    data.apps = event.plan.apps.map((a) => a.guid)
  }
  if (event.type === 'done' && event.outcome.error) data.error_code = event.outcome.error.code
  if (event.type === 'step-failed') data.error_code = event.error.code
  return {
    ts: event.at,
    event: event.type,
    action: event.action,
    rotation_id: event.rotationId,
    target_guid: event.target.guid,
    target_name: event.target.name,
    step: event.step,
    status,
    detail: redactText(event.detail),
    data: scrubData(data),
  }
}

export function auditLine(event: RotationEvent): string {
  return JSON.stringify(auditRecord(event))
}
