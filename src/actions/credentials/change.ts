/**
 * `credentials rotate | retire | rollback SERVICE_INSTANCE`: resolve the instance and the kind,
 * check what the flags ask for, take the local lock, run the engine, and hand every event to the
 * audit log (first, synchronously) and to the progress renderer. The result is the JSON contract:
 * `{plan, events, outcome, auditEvents}` — the CF audit events the run caused are listed at the end.
 *
 * `planCredentialRotation` is the read-only entry the demo uses: a plan, nothing changed, no
 * secret read.
 */
import {noMatchMessage} from '../../util/suggest.js'
import {readFile, stat} from 'node:fs/promises'

import {CfguardError, usageError} from '../../errors.js'
import {registerSecret} from '../../redact.js'
import {ANNOTATION} from '../../model/annotations.js'
import {
  planOnly,
  retire,
  rollback,
  rotate,
  type EngineOptions,
  type RotationRequest,
} from '../../rotate/engine.js'
import type {RotationEvent, RotationOutcome} from '../../rotate/events.js'
import type {RotationPlan} from '../../rotate/plan.js'
import type {RotationPlatform} from '../../rotate/platform.js'
import {fileSink, revealSink, type KeySink} from '../../rotate/sink.js'
import type {RotationAction, RotationKind} from '../../rotate/types.js'
import type {CcServiceInstance} from '../../cf/ccv3/types.js'
import type {RunContext} from '../../context.js'
import {readStdin} from '../../util/stdin.js'
import {openAuditLog, takeLocalLock, writePrivateFile, type AuditLog} from './files.js'
import {openRotation, resolveServiceInstance, type RotationConnection} from './platform.js'
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

/** A CF audit event the run caused (no data: CC censors secrets there, we keep only who/what/when). */
export interface CausedAuditEvent {
  guid: string
  type: string
  createdAt: string
  actor: {guid: string; type: string; name: string}
  target: {guid: string; type: string; name: string}
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
  const target = {guid: si.guid, name: si.name}
  return {
    plan,
    events: [],
    outcome: {
      status: 'refused',
      exitCode: 0,
      message: 'cancelled at the prompt; nothing was changed',
      action,
      kind: plan.kind,
      target,
      rotationId: plan.rotationId,
      failedStep: null,
      error: null,
      retireAfter: null,
    },
    auditEvents: [],
  }
}

/** The engine request: which kind the instance is rotated as (auto-detected, `--kind` checks it). */
async function requestFor(
  conn: RotationConnection,
  si: CcServiceInstance,
  action: RotationAction,
  o: RotateOptions,
): Promise<RotationRequest> {
  const external = Boolean(o.secretFile || o.secretStdin)
  if (si.type === 'user-provided') {
    if (o.kind === 'managed-binding' || o.kind === 'service-key')
      throw usageError(`${si.name} is a user-provided service: --kind ${o.kind} is for managed instances`)
    if (o.kind === 'ups-external' && !external) {
      throw usageError(
        `${si.name}: the new secret of another identity provider must be supplied`,
        'pass --secret-file FILE or --secret-stdin',
      )
    }
    if (o.kind === 'ups-uaa' && external)
      throw usageError(
        '--secret-file/--secret-stdin supply a secret of another identity provider (--kind ups-external)',
      )
    if (o.app)
      throw usageError(
        `${si.name}: a user-provided service's credentials change for every bound app; --app is for managed bindings`,
      )
    if (o.key || o.output || o.reveal)
      throw usageError(`${si.name}: user-provided services have no service keys`)
    return {serviceInstanceGuid: si.guid}
  }
  if (o.kind === 'ups-uaa' || o.kind === 'ups-external' || external)
    throw usageError(
      `${si.name} is a managed service instance: its credentials come from its broker, not from a supplied secret`,
    )
  const asKey = o.kind === 'service-key' || Boolean(o.key || o.output || o.reveal)
  if (action === 'rotate' && asKey) {
    if (o.app) throw usageError('--app picks app bindings; a service key belongs to no app')
    return {serviceInstanceGuid: si.guid, keyName: o.key ?? (await onlyKeyFamily(conn, si))}
  }
  if (!o.app)
    return {
      serviceInstanceGuid: si.guid,
      keyName: action === 'rotate' ? null : await keyInProgress(conn.platform, si),
    }
  const apps = await conn.session.cc.apps.listAll({names: [o.app], spaceGuids: [si.spaceGuid]})
  if (apps.length !== 1) {
    const others = await conn.session.cc.apps.listAll({spaceGuids: [si.spaceGuid]}).then(
      (all) => all.map((a) => a.name),
      () => [],
    )
    throw usageError(
      noMatchMessage(`app named "${o.app}" in the space of ${si.name}`, o.app, others),
      'check the name with `cf apps`',
    )
  }
  return {serviceInstanceGuid: si.guid, appGuids: [apps[0]!.guid]}
}

/** retire/rollback of a managed instance: the key family its journal or grace mark names, if any. */
async function keyInProgress(platform: RotationPlatform, si: CcServiceInstance): Promise<string | null> {
  const journal = si.annotations[ANNOTATION.journal]
  if (journal) {
    try {
      const raw = JSON.parse(journal) as {kind?: unknown; key_name?: unknown}
      if (raw.kind === 'service-key' && typeof raw.key_name === 'string') return raw.key_name
    } catch {
      // not ours to read: the engine reports it
    }
  }
  if (si.annotations[ANNOTATION.retireAfter] === undefined) return null
  // A key family in its grace period has keys cfguard made (annotated with the family).
  const keys = await platform.listBindings(si.guid, 'key')
  const families = new Set(
    keys.flatMap((k) => (k.annotations[ANNOTATION.keyFamily] ? [k.annotations[ANNOTATION.keyFamily]!] : [])),
  )
  return families.size === 1 ? [...families][0]! : null
}

async function onlyKeyFamily(conn: RotationConnection, si: CcServiceInstance): Promise<string> {
  const keys = await conn.platform.listBindings(si.guid, 'key')
  const families = [...new Set(keys.map((k) => k.annotations[ANNOTATION.keyFamily] ?? k.name ?? ''))]
    .filter(Boolean)
    .sort()
  if (families.length === 1) return families[0]!
  throw usageError(
    families.length === 0
      ? `${si.name} has no service key to rotate`
      : `${si.name} has ${families.length} service keys (${families.join(', ')})`,
    'name the one to rotate with --key NAME',
  )
}

/** Where the new secret (external provider) comes from, and where a new key goes. */
async function inputsFor(
  ctx: RunContext,
  request: RotationRequest,
  o: RotateOptions,
  ui: RotationUi,
): Promise<Pick<EngineOptions, 'secretSource' | 'keySink'>> {
  const out: Pick<EngineOptions, 'secretSource' | 'keySink'> = {}
  // Read before the engine observes anything: a missing file must not cost an audit event.
  let supplied: string | null = null
  if (o.secretFile) {
    const file = o.secretFile
    const info = await stat(file).catch(() => null)
    if (info && (info.mode & 0o077) !== 0)
      ctx.warn(`${file} is readable by other users; keep secret files 0600`)
    supplied = await readSecret(() => readFile(file, 'utf8'), file)
  } else if (o.secretStdin) {
    supplied = await readSecret(readStdin, 'stdin')
  }
  if (supplied !== null) {
    registerSecret(supplied)
    const secret = supplied
    out.secretSource = async () => secret
  }
  if (request.keyName) {
    let sink: KeySink | null = null
    if (o.output) sink = fileSink(o.output, writePrivateFile)
    else if (o.reveal)
      sink = revealSink((text) => (ui.reveal ?? ((t) => process.stdout.write(t)))(text), true)
    out.keySink = sink
  }
  return out
}

async function readSecret(read: () => Promise<string>, from: string): Promise<string> {
  let text: string
  try {
    text = await read()
  } catch (err) {
    throw usageError(
      `cannot read the new secret from ${from}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      'give a readable --secret-file FILE, or pipe the secret into --secret-stdin; nothing was changed',
    )
  }
  const secret = text.replace(/\r?\n$/, '').trim()
  if (secret === '')
    throw usageError(
      `the new secret from ${from} is empty`,
      'put the secret (one line) in the file or on stdin',
    )
  return secret
}

/** CF audit events by this token since `since` (CC keeps seconds): what the run caused. */
export async function causedAuditEvents(
  ctx: RunContext,
  conn: RotationConnection,
  since: Date,
): Promise<CausedAuditEvent[]> {
  const from = new Date(Math.floor(since.getTime() / 1000) * 1000)
  try {
    const events = await conn.session.cc.auditEvents.listAll({createdAts: {gte: from}, orderBy: 'created_at'})
    return events
      .filter((e) => conn.actorGuid === null || e.actor.guid === conn.actorGuid)
      .map((e) => ({
        guid: e.guid,
        type: e.type,
        createdAt: e.createdAt,
        actor: {...e.actor},
        target: {...e.target},
      }))
  } catch (err) {
    ctx.warn(
      `could not list the audit events this run caused: ${err instanceof CfguardError ? err.message : String(err)}`,
    )
    return []
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
