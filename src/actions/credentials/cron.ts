/**
 * `credentials rotate --all-due`: the cron entry point. Collect the credentials in scope (no
 * secret read), pick what needs doing — grace periods that ended, rotations left part-way, due
 * credentials an unattended run can rotate — and hand them to the engine's cron loop, one at a
 * time. One halted credential never stops the others; the exit code says how the night went:
 * 0 all done, 6 one halted (re-run resumes), 4/5 auth/API, 2 something needs a person.
 */
import {join} from 'node:path'

import {ALL_RULES} from '../../checks/index.js'
import {loadPolicy} from '../../config/policy.js'
import {usageError} from '../../errors.js'
import {
  rotateAllDue,
  summarize,
  type CronCandidate,
  type CronCounts,
  type CronItem,
} from '../../rotate/cron.js'
import type {RotationEvent} from '../../rotate/events.js'
import {fileSink, type KeySink} from '../../rotate/sink.js'
import type {RunContext} from '../../context.js'
import {
  cronCanRotate,
  rotationCandidates,
  checkSelector,
  type RotationCandidate,
  type UnjudgedService,
} from './candidates.js'
import {judgeUnnamed, unjudgedGaps} from './list.js'
import {openAuditLog, takeLocalLock, writePrivateFile} from './files.js'
import {openRotation} from './platform.js'
import {collectCredentialSnapshot} from './snapshot.js'
import {causedAuditEvents, type CausedAuditEvent} from './caused-events.js'
import {drive, engineOptions, requireConsent, type RotationSettings, type RotationUi} from './change.js'
import type {SessionOptions} from '../session.js'

export interface AllDueOptions extends RotationSettings {
  selector?: string
  olderThanMs: number | null
  maxAgeMs: number | null
  policyPath?: string
  /** A directory for new service keys (`<instance>-<key>.json`, 0600); without it keys are skipped. */
  keyOutputDir?: string
}

export interface CronResult {
  /** Every credential in scope with what this run thought of it. */
  candidates: RotationCandidate[]
  /** Services that may hold identity credentials but stayed unjudged (each also a warning). */
  unjudged: UnjudgedService[]
  /** One item per action taken or skipped. */
  items: CronItem[]
  counts: CronCounts
  exitCode: number
  events: RotationEvent[]
  auditEvents: CausedAuditEvent[]
}

const GRACE_OR_RUNNING = new Set(['in-progress', 'grace', 'leased'])

export async function rotateAllDueCredentials(
  ctx: RunContext,
  session: SessionOptions,
  o: AllDueOptions,
  ui: RotationUi,
): Promise<CronResult> {
  requireConsent('rotate --all-due', o, ctx)
  const audit = openAuditLog(o.auditLog)
  const release = o.dryRun ? null : takeLocalLock(ctx.home, 'rotate-all-due', 'the --all-due run')
  const conn = await openRotation(ctx, session).catch((err: unknown) => {
    release?.()
    audit.close()
    throw err
  })
  try {
    const {policy} = await loadPolicy({
      cwd: process.cwd(),
      path: o.policyPath,
      knownRuleIds: ALL_RULES.map((r) => r.id),
      now: ctx.now(),
    })
    const now = ctx.now()
    // A real run may read secrets: user-provided services whose names say nothing are judged by
    // their credentials (one .show audit event each), so an `ignition-config` holding a client is
    // rotated like a `billing-oidc`. A dry run keeps its promise to read no secret and says so.
    const collected = await collectCredentialSnapshot(conn.session, ctx, session)
    checkSelector(collected, o.selector)
    const {snapshot, unjudged} = await judgeUnnamed(
      conn.session,
      ctx,
      collected,
      o.selector ?? null,
      !o.dryRun,
    )
    const reasons = {
      ups: o.dryRun
        ? 'credentials not read: a dry run reads no secret (the real run reads them, one audit event each)'
        : null,
      managed: 'binding details not read (--all-due rotates managed bindings of identity offerings)',
    }
    for (const g of unjudgedGaps(unjudged, reasons)) ctx.warn(`not rotated unattended: ${g.what}: ${g.why}`)
    const candidates = rotationCandidates(snapshot, policy, now, {
      maxAgeMs: o.maxAgeMs,
      olderThanMs: o.olderThanMs,
      selector: o.selector ?? null,
    })
    const chosen: CronCandidate[] = []
    const skipped: CronItem[] = []
    const targets: {guid: string; name: string}[] = []
    for (const c of candidates) {
      const busy = GRACE_OR_RUNNING.has(c.state.status)
      c.cronNote = c.due || busy ? cronCanRotate(c, Boolean(o.keyOutputDir)) : null
      if (busy || (c.due && c.cronNote === null)) {
        chosen.push({
          serviceInstanceGuid: c.serviceInstance.guid,
          serviceInstanceName: c.serviceInstance.name,
          keyName: c.keyName,
          due: c.due && c.cronNote === null,
        })
        if (!targets.some((t) => t.guid === c.serviceInstance.guid))
          targets.push({guid: c.serviceInstance.guid, name: c.serviceInstance.name})
      } else if (c.due) {
        skipped.push({
          target: {guid: c.serviceInstance.guid, name: c.serviceInstance.name},
          action: null,
          status: 'skipped',
          exitCode: 0,
          message: `due since ${c.dueAt}, not rotated unattended: ${c.cronNote}`,
          rotationId: null,
        })
      }
    }
    const started = ctx.now()
    const {events, outcome} = await drive(
      rotateAllDue(conn.platform, chosen, {
        ...engineOptions(conn, o),
        countInstances: ui.progress.live === true,
        keySink: o.keyOutputDir ? directorySink(o.keyOutputDir) : null,
        guard: async (guid) =>
          o.dryRun ? () => {} : takeLocalLock(ctx.home, `rotate-${guid}`, `service instance ${guid}`),
      }),
      targets,
      audit,
      ui,
    )
    const summary = summarize([...outcome.items, ...skipped])
    return {
      candidates,
      unjudged,
      items: summary.items,
      counts: summary.counts,
      exitCode: summary.exitCode,
      events,
      auditEvents: o.dryRun ? [] : await causedAuditEvents(ctx, conn, started),
    }
  } finally {
    conn.close()
    audit.close()
    release?.()
  }
}

/** New keys of an unattended run: `<dir>/<instance>-<key>.json`, each written 0600 atomically. */
function directorySink(dir: string): KeySink {
  if (dir.trim() === '') throw usageError('--output for --all-due is a directory')
  return {
    deliver: (d) =>
      fileSink(
        join(dir, `${d.serviceInstanceName}-${d.keyName}.json`.replace(/[^A-Za-z0-9._-]/g, '_')),
        writePrivateFile,
      ).deliver(d),
  }
}
