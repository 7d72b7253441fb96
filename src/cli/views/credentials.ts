/**
 * Plain-text renderings of rotation plans and results (pure: data → string). `renderRotationPlan`
 * is what `--dry-run` and the demo print; it shows the blast radius: apps, instances replaced,
 * processes restarted, the audit events the run will write, the retire mode and any refusal.
 */
import {renderTable} from '../render/table.js'
import {formatDuration} from '../../model/duration.js'
import type {RotationCandidate} from '../../actions/credentials/candidates.js'
import type {RotationOutcome} from '../../rotate/events.js'
import {kindLabel} from '../../rotate/phase.js'
import {describeHolder} from '../../rotate/holders.js'
import type {RotationPlan} from '../../rotate/plan.js'
import type {CronCounts} from '../../rotate/cron.js'
import {redactText} from '../../redact.js'
import {fitLines} from '../../report/text.js'

/** The blast radius: who else holds the client, what happens to each, where nobody looked. */
function sharedLines(plan: RotationPlan): string[] {
  const shared = plan.shared
  if (!shared) return []
  const client = shared.clientId ? `client ${shared.clientId}` : 'this secret'
  if (shared.holders.length === 0) {
    return [`  other holders of ${client}: none found in the spaces the token can see`]
  }
  const lines = [`  other holders of ${client}: ${shared.holders.length}`]
  for (const h of shared.holders) {
    const follower = shared.followers.find((f) => f.guid === h.guid)
    const fate =
      h.kind !== 'user-provided'
        ? 'cfguard cannot update it'
        : shared.included
          ? `${plan.action === 'rollback' ? 'rolled back' : 'updated and rolled'} with it` +
            (follower && follower.holds !== 'unknown'
              ? ` (holds the ${holdsText(follower.holds)} secret)`
              : '')
          : 'not included (--include-shared)'
    lines.push(`    ${describeHolder(h)}: ${fate}`)
  }
  return lines
}

function holdsText(holds: 'previous' | 'pending' | 'other'): string {
  return holds === 'pending' ? 'new' : holds === 'previous' ? 'old' : 'another'
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length)
}

/** The plan, within `width` columns when given (wrapped lines keep their indent; commands stay whole). */
export function renderRotationPlan(plan: RotationPlan, width = Number.POSITIVE_INFINITY): string {
  const lines: string[] = []
  const kind = plan.kind ? kindLabel(plan.kind) : 'not rotatable'
  lines.push(`Plan: ${plan.action} ${plan.target.name} (${kind})`)
  lines.push(
    plan.resume
      ? `  resumes rotation ${plan.rotationId} at phase ${plan.phase}: ${plan.phaseReason}`
      : `  phase ${plan.phase}: ${plan.phaseReason}`,
  )
  const c = plan.credential
  if (plan.kind === 'ups-uaa' || plan.kind === 'ups-external') {
    const client = c.clientId ?? 'read from the service credentials at run time'
    const fps = [
      c.currentFingerprint ? `current ${c.currentFingerprint}` : null,
      c.pendingFingerprint ? `new ${c.pendingFingerprint}` : null,
    ].filter(Boolean)
    lines.push(`  client: ${client}${fps.length > 0 ? ` (${fps.join(', ')})` : ''}`)
  }
  if (c.keyName) lines.push(`  key family: ${c.keyName}`)
  lines.push(...sharedLines(plan))

  if (plan.steps.length > 0) {
    lines.push('  steps:')
    let n = 0
    for (const s of plan.steps) {
      if (s.run) lines.push(`    ${pad(`${++n}.`, 4)}${s.title}`)
      else lines.push(`    -   ${s.title} (skipped: ${s.skipReason})`)
    }
  }

  if (plan.apps.length > 0) {
    const rolled = plan.apps.filter((a) => a.roll)
    const replaced = plan.expectedRestarts.webInstances
    lines.push(
      `  apps: ${rolled.length} of ${plan.apps.length} roll, ` +
        (replaced === null ? 'web instances replaced: unknown ' : `${replaced} web instance(s) replaced `) +
        `(max in flight ${plan.options.maxInFlight}, ${plan.options.parallelApps} app(s) at a time)`,
    )
    // Apps of several spaces (other holders rotated along) may share a name: say which is where.
    const spaced = new Set(plan.apps.map((a) => a.space)).size > 1
    const label = (a: (typeof plan.apps)[number]) => (spaced && a.space ? `${a.name} (${a.space})` : a.name)
    const width = Math.max(...plan.apps.map((a) => label(a).length)) + 2
    for (const a of plan.apps) {
      const what = a.roll
        ? a.toReplace === null
          ? 'roll every web instance (count unknown, see the warning)'
          : `roll ${a.toReplace} instance(s)${a.note ? `; ${a.note}` : ''}`
        : (a.note ?? (a.state === 'STARTED' ? 'no roll needed' : 'not rolled'))
      lines.push(`    ${pad(label(a), width)}${pad(a.state, 9)}${what}`)
    }
    for (const p of plan.expectedRestarts.processes)
      lines.push(`    restarted (not rolled) at the end: ${p.app} ${p.types.join(', ')}`)
  }

  if (plan.auditEvents.length > 0) {
    lines.push('  audit events this run writes:')
    const typeWidth = Math.max(...plan.auditEvents.map((e) => e.type.length)) + 2
    // Columns while each row fits the width; else the reason on its own line below its row.
    const rows = plan.auditEvents.map((e) => ({
      head: `    ${pad(e.type, typeWidth)}${pad(e.count === null ? '1+' : String(e.count), 4)}`,
      why: e.why,
    }))
    const fits = rows.every((r) => r.head.length + r.why.length <= width)
    for (const r of rows) lines.push(...(fits ? [r.head + r.why] : [r.head.trimEnd(), `        ${r.why}`]))
  }
  for (const g of plan.versionGates)
    lines.push(`  Cloud Controller ${g.actual} ${g.ok ? 'supports' : 'lacks'} ${g.feature} (${g.required}+)`)
  lines.push(`  retire: ${retireText(plan)}`)
  if (plan.downtime)
    lines.push('  DOWNTIME: apps fail to authenticate between unbinding and the end of their roll')
  for (const w of plan.warnings) lines.push(`  warning: ${w}`)
  for (const r of plan.refusals) {
    lines.push(
      r.dryRunProceeds
        ? `  warning: a ${plan.action} started now would refuse: ${r.message}`
        : `  refused: ${r.message}`,
    )
    for (const s of r.suggestions) lines.push(`    next: ${s}`)
  }
  return fitLines(redactText(lines.join('\n')).split('\n'), width).join('\n')
}

function retireText(plan: RotationPlan): string {
  const what =
    plan.kind === 'managed-binding'
      ? 'older bindings'
      : plan.kind === 'service-key'
        ? 'older keys'
        : 'the old secret'
  switch (plan.retire.mode) {
    case 'now':
      return `${what} at the end of this run`
    case 'after':
      return `${what} stay valid until ${plan.retire.at} (grace ${formatDuration(plan.options.graceMs ?? 0)}); then \`cfguard credentials retire ${plan.target.name}\` or the next cron run`
    case 'operator':
      return `${what} is removed at its identity provider by you (cfguard cannot)`
    case 'none':
      return 'nothing'
  }
}

const NEXT: Partial<Record<RotationOutcome['status'], (o: RotationOutcome) => string>> = {
  halted: (o) =>
    `re-run \`cfguard credentials ${o.action} ${o.target.name}\` to resume (the state is on the platform)`,
  'needs-human': (o) => `look at ${o.target.name}, fix what the message says, then re-run`,
  'lease-held': () => 'wait for the other run to finish, then re-run',
  grace: (o) => `retire after the grace period: \`cfguard credentials retire ${o.target.name}\``,
  'dry-run': (o) => `run it: \`cfguard credentials ${o.action} ${o.target.name} --yes\``,
}

/** Ctrl-C: a halted run resumes where it stopped; one stopped before any change starts again. */
function interruptedNext(o: RotationOutcome): string {
  const again = `\`cfguard credentials ${o.action} ${o.target.name}\``
  return o.status === 'halted'
    ? `re-run ${again} to resume (the state is on the platform)`
    : `re-run ${again} to resume: this run stopped before changing anything`
}

/** One line for the outcome plus next steps (suggestions first). */
export function renderOutcome(outcome: RotationOutcome): string {
  const lines = [`${outcome.target.name}: ${outcome.status}: ${outcome.message}`]
  for (const s of outcome.error?.suggestions ?? []) lines.push(`  next: ${s}`)
  const next =
    outcome.error?.code === 'INTERRUPTED' ? interruptedNext(outcome) : NEXT[outcome.status]?.(outcome)
  if (next && !(outcome.error?.suggestions.length ?? 0)) lines.push(`  next: ${next}`)
  return redactText(lines.join('\n'))
}

/** What an --all-due run did, one line per item, then the counts. */
export function renderCronSummary(result: {
  items: {target: {name: string}; action: string | null; status: string; message: string}[]
  counts: CronCounts
  exitCode: number
}): string {
  const lines: string[] = []
  for (const item of result.items) {
    lines.push(`${item.target.name}: ${item.action ? `${item.action} ` : ''}${item.status}: ${item.message}`)
  }
  if (result.items.length === 0) lines.push('nothing due, nothing in progress')
  const c = result.counts
  lines.push(
    `${c.planned > 0 ? `${c.planned} planned (dry run: nothing was changed), ` : ''}` +
      `${c.succeeded} succeeded, ${c.halted} halted, ${c.failed} failed, ${c.refused} refused, ${c.skipped} skipped (exit ${result.exitCode})`,
  )
  return redactText(lines.join('\n'))
}

function stateText(c: RotationCandidate): string {
  const s = c.state
  switch (s.status) {
    case 'idle':
      return 'idle'
    case 'in-progress':
      return `in progress (${s.phase})`
    case 'grace':
      return s.over ? `grace over (${s.until.slice(0, 16)}Z): retire` : `grace until ${s.until.slice(0, 16)}Z`
    case 'leased':
      return `running (${s.owner})`
    case 'needs-human':
      return `needs a person: ${s.reason}`
  }
}

const KIND_SHORT: Record<string, string> = {
  'ups-uaa': 'UPS (UAA client)',
  'ups-external': 'UPS (other IdP)',
  'managed-binding': 'managed bindings',
  'service-key': 'service key',
}

/** The `credentials list` table. */
export function renderCredentialList(
  list: {
    credentials: RotationCandidate[]
    maxAgeDays: number
    gaps: {what: string; why: string}[]
    auditEventsCreated?: number
  },
  width = 120,
): string {
  const tail = [
    ...(list.auditEventsCreated
      ? [`${list.auditEventsCreated} audit event(s) written by credential reads`]
      : []),
    ...list.gaps.map((g) => `not checked: ${g.what}: ${g.why}`),
  ]
  if (list.credentials.length === 0)
    return redactText(['no rotatable identity credentials in scope', ...tail].join('\n'))
  const table = renderTable(
    list.credentials,
    [
      {
        header: 'SERVICE INSTANCE',
        get: (c) => (c.keyName ? `${c.serviceInstance.name} (key ${c.keyName})` : c.serviceInstance.name),
      },
      {header: 'SPACE', get: (c) => `${c.space.org ?? '?'}/${c.space.name ?? c.space.guid}`},
      {header: 'KIND', kind: 'text', get: (c) => (c.kind ? KIND_SHORT[c.kind] : 'UPS (client not read)')},
      {header: 'APPS', kind: 'token', get: (c) => c.apps.length},
      {header: 'AGE', kind: 'token', get: (c) => (c.ageDays === null ? '?' : `${c.ageDays}d`)},
      {
        header: 'DRIFT',
        kind: 'text',
        get: (c) => (c.drift.instances > 0 ? `${c.drift.instances} instance(s)` : '-'),
      },
      {header: 'STATE', kind: 'text', get: stateText},
      {
        header: 'DUE',
        kind: 'token',
        get: (c) => (c.dueAt === null ? 'now' : c.due ? 'DUE' : c.dueAt.slice(0, 10)),
      },
    ],
    {width},
  )
  const due = list.credentials.filter((c) => c.due).length
  const lines = [
    table,
    '',
    `${list.credentials.length} credential(s), ${due} due (max age ${list.maxAgeDays}d)`,
  ]
  lines.push(...tail)
  return fitLines(redactText(lines.join('\n')).split('\n'), width).join('\n')
}
