/**
 * `credentials rotate | retire | rollback SERVICE_INSTANCE`: resolve the instance and the kind,
 * check what the flags ask for, take the local lock, run the engine, and hand every event to the
 * audit log (first, synchronously) and to the progress renderer. The result is the JSON contract:
 * `{plan, events, outcome, auditEvents}` — the CF audit events the run caused are listed at the end.
 *
 * `planCredentialRotation` is the read-only entry the demo uses: a plan, nothing changed, no
 * secret read.
 */

import {ExitCode, usageError} from '../../errors.js'
import {
  planOnly,
  retire,
  rollback,
  rotate,
  type EngineOptions,
  type RotationRequest,
} from '../../rotate/engine.js'
import type {RotationEvent, RotationOutcome} from '../../rotate/events.js'
import {outcomeOf} from '../../rotate/outcomes.js'
import type {RotationPlan} from '../../rotate/plan.js'
import type {RotationAction, RotationKind} from '../../rotate/types.js'
import type {CcServiceInstance} from '../../cf/ccv3/types.js'
import type {RunContext} from '../../context.js'
import {causedAuditEvents, type CausedAuditEvent} from './caused-events.js'
import {openAuditLog, takeLocalLock, type AuditLog} from './files.js'
import {inputsFor} from './inputs.js'
import {openRotation, resolveServiceInstance, type RotationConnection} from './platform.js'
import {requestFor} from './request.js'
import type {SessionOptions} from '../session.js'

/** What the rotation commands' flags say (durations already in ms). */
export interface RotationSettings {
  dryRun: boolean
  yes: boolean
  maxInFlight: number
  parallelApps: number
  timeoutMs: number
  /** null = retire at once. */
  graceMs: number | null
  pollIntervalMs: number
  force: boolean
  allowDowntime: boolean
  /** rotate: update and roll the other user-provided services holding the client too. */
  includeShared?: boolean
  auditLog?: string
}

export interface RotateOptions extends RotationSettings {
  kind?: RotationKind
  app?: string
  key?: string
  output?: string
  reveal: boolean
  secretFile?: string
  secretStdin: boolean
}

/** How an action talks to the person (built by the command; see cli/render/tasks.ts). */
export interface RotationUi {
  progress: {
    /** A live display (a terminal): deployments report instances replaced as they roll. */
    live?: boolean
    begin(targets: {guid: string; name: string}[]): void
    event(e: RotationEvent): void
    end(): Promise<void>
  }
  /** Shows the plan and asks a yes/no question on a terminal; absent when nobody can answer. */
  confirm?: (plan: RotationPlan) => Promise<boolean>
  /** Where `--reveal` prints new key credentials (stdout). */
  reveal?: (text: string) => void
}

export interface RotationResult {
  plan: RotationPlan | null
  events: RotationEvent[]
  outcome: RotationOutcome
  auditEvents: CausedAuditEvent[]
}

/** Checks that need no API call: contradictory flags, and `--yes` without a terminal. */
export function checkRotateFlags(
  action: RotationAction,
  o: RotateOptions,
  ctx: Pick<RunContext, 'isTTY' | 'json'>,
): void {
  if (o.secretFile && o.secretStdin)
    throw usageError('--secret-file and --secret-stdin are exclusive', 'give the new secret one way')
  if (o.output && o.reveal)
    throw usageError('--output and --reveal are exclusive', 'write the new key to a file, or print it')
  if (o.reveal && ctx.json) {
    throw usageError(
      '--reveal prints the new key on stdout, which --json reserves for its document',
      'use --output FILE instead',
    )
  }
  if (action !== 'rotate' && (o.secretFile || o.secretStdin || o.output || o.reveal || o.app || o.kind)) {
    throw usageError(
      `credentials ${action} takes no --kind, --app, --output, --reveal or secret flags`,
      `they belong to \`cfguard credentials rotate\``,
    )
  }
  requireConsent(action, o, ctx)
}

/** Without a terminal nobody can confirm: a change needs --yes (or --dry-run to look first). */
export function requireConsent(
  what: string,
  o: Pick<RotationSettings, 'dryRun' | 'yes'>,
  ctx: Pick<RunContext, 'isTTY'>,
): void {
  if (o.dryRun || o.yes || ctx.isTTY) return
  throw usageError(
    `credentials ${what} changes the foundation and there is no terminal to confirm it: pass --yes (or --dry-run to see the plan)`,
    `cfguard credentials ${what} … --yes   (cron jobs and scripts: CFGUARD_YES=true)`,
  )
}

export function engineOptions(conn: RotationConnection, s: RotationSettings): EngineOptions {
  return {
    owner: conn.owner,
    maxInFlight: s.maxInFlight,
    parallelApps: s.parallelApps,
    graceMs: s.graceMs,
    timeoutMs: s.timeoutMs,
    pollIntervalMs: s.pollIntervalMs,
    // Long enough for a concurrent writer to show up, never longer than a poll.
    leaseSettleMs: Math.min(2000, s.pollIntervalMs),
    allowDowntime: s.allowDowntime,
    force: s.force,
    dryRun: s.dryRun,
    fingerprint: conn.fingerprint,
    findHolders: conn.findHolders,
    includeShared: s.includeShared ?? false,
  }
}

export async function runCredentialAction(
  ctx: RunContext,
  session: SessionOptions,
  action: RotationAction,
  ref: string,
  o: RotateOptions,
  ui: RotationUi,
): Promise<RotationResult> {
  checkRotateFlags(action, o, ctx)
  const audit = openAuditLog(o.auditLog)
  let conn: RotationConnection | null = null
  let release: (() => void) | null = null
  try {
    conn = await openRotation(ctx, session)
    const si = await resolveServiceInstance(conn.session, ref)
    const request = {...(await requestFor(conn, si, action, o)), serviceInstanceName: si.name}
    const options: EngineOptions = {
      ...engineOptions(conn, o),
      countInstances: ui.progress.live === true,
      ...(action === 'rotate' ? await inputsFor(ctx, request, o, ui) : {}),
    }
    if (!o.dryRun) release = takeLocalLock(ctx.home, `rotate-${si.guid}`, si.name)
    if (!o.dryRun && !o.yes) {
      // A terminal without --yes: show the plan (no secret read), then ask.
      const plan = await planOnly(conn.platform, action, request, options)
      if (plan.refusals.length === 0 && !(await ui.confirm?.(plan))) {
        return cancelled(action, si, plan)
      }
    }
    const started = ctx.now()
    const run = action === 'rotate' ? rotate : action === 'retire' ? retire : rollback
    const {events, outcome} = await drive(
      run(conn.platform, request, options),
      [{guid: si.guid, name: si.name}],
      audit,
      ui,
    )
    const plan =
      events.find((e): e is Extract<RotationEvent, {type: 'plan'}> => e.type === 'plan')?.plan ?? null
    const auditEvents = o.dryRun ? [] : await causedAuditEvents(ctx, conn, started)
    return {plan, events, outcome, auditEvents}
  } finally {
    release?.()
    audit.close()
    conn?.close()
  }
}

/** Feeds a run's events to the audit log (first) and the progress renderer; collects them. */
export async function drive<T>(
  run: AsyncGenerator<RotationEvent, T>,
  targets: {guid: string; name: string}[],
  audit: AuditLog,
  ui: RotationUi,
): Promise<{events: RotationEvent[]; outcome: T}> {
  const events: RotationEvent[] = []
  ui.progress.begin(targets)
  try {
    for (;;) {
      const next = await run.next()
      if (next.done) return {events, outcome: next.value}
      // Live progress is for the display only: the audit log and the result keep the steps.
      if (next.value.type !== 'step-progress') {
        audit.write(next.value)
        events.push(next.value)
      }
      ui.progress.event(next.value)
    }
  } finally {
    await ui.progress.end()
  }
}

function cancelled(action: RotationAction, si: CcServiceInstance, plan: RotationPlan): RotationResult {
  const base = {action, kind: plan.kind, target: {guid: si.guid, name: si.name}, rotationId: plan.rotationId}
  return {
    plan,
    events: [],
    outcome: outcomeOf('refused', ExitCode.Ok, 'cancelled at the prompt; nothing was changed', base),
    auditEvents: [],
  }
}

/**
 * The plan of a rotation, for the demo: nothing changed. The search for other holders of the
 * client reads credentials (CC records those reads as `*.show` audit events).
 */
export async function planCredentialRotation(
  ctx: RunContext,
  session: SessionOptions,
  serviceInstanceName: string,
): Promise<RotationPlan> {
  const conn = await openRotation(ctx, session)
  try {
    const si = await resolveServiceInstance(conn.session, serviceInstanceName)
    const request: RotationRequest = {serviceInstanceGuid: si.guid}
    return await planOnly(conn.platform, 'rotate', request, {
      ...engineOptions(conn, {
        dryRun: true,
        yes: false,
        maxInFlight: 1,
        parallelApps: 4,
        timeoutMs: 15 * 60_000,
        graceMs: null,
        pollIntervalMs: 5000,
        force: false,
        allowDowntime: false,
      }),
    })
  } finally {
    conn.close()
  }
}
