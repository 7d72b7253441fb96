/**
 * The shared audit pipeline behind `identity audit`, `routes report` and `audit`:
 * flags → policy (+ suppressions) → baseline → session → scope → collect → evaluate → route map.
 * Local inputs (policy, baseline, --max-age) are checked before anything is asked of the
 * foundation, so a typo fails in milliseconds with exit 2.
 *
 * `--baseline FILE` has two uses, decided by what the file holds:
 * - an audit result (`cfguard audit --json`, bare or in its envelope): only findings it does not
 *   have are reported; when it also carries a `routeMap` (audit/routes report runs that checked
 *   routes), that map is the reviewed route state `routes/drift` compares with;
 * - a `cfguard snapshot` file: its routes are the route baseline (it has no findings to filter).
 */
import {cwd as processCwd} from 'node:process'

import {ALL_RULES} from '../checks/index.js'
import {collectSnapshot} from '../collect/index.js'
import {routeBaselineOfDocument} from '../derive/baseline.js'
import {DEFAULT_CONCURRENCY} from '../collect/limiter.js'
import {parseBaseline, type Baseline} from '../config/baseline.js'
import {MAX_BASELINE_BYTES, readNamedFile} from '../config/files.js'
import {loadPolicy} from '../config/policy.js'
import {loadOrCreateSalt} from '../config/salt.js'
import type {SuppressionNotice} from '../config/suppressions-apply.js'
import {closest} from '../util/suggest.js'
import {usageError} from '../errors.js'
import {DAY_MS, parseDuration} from '../model/duration.js'
import type {AuditResult} from '../model/finding.js'
import type {Policy} from '../model/policy.js'
import type {RouteMap} from '../model/route-map.js'
import type {Rule, RuleFamily} from '../model/rule.js'
import type {RouteBaseline, Snapshot} from '../model/snapshot.js'
import {buildRouteMap, type RouteMapOptions} from '../derive/route-map.js'
import {attachFindings} from '../report/route-map.js'
import type {RunContext} from '../context.js'
import type {CollectionStats} from '../collect/types.js'
import {evaluate} from './evaluate.js'
import {openSession, sessionOptions, type SessionFlagValues, type SessionOptions} from './session.js'

export interface AuditRequest {
  /** Connection and scope: `sessionOptions(flags)` (cli/flags.ts). */
  session: SessionOptions
  /** Which rule families run (and which data is collected). */
  families: RuleFamily[]
  /** --policy FILE (default: cfguard.yml in cwd, if any). */
  policy?: string
  /** --suppressions FILE. */
  suppressions?: string
  /** --baseline FILE (see the file comment). */
  baseline?: string
  /** --rules / --skip-rules: rule ids or family prefixes (`routes/`). */
  rules?: string[]
  skipRules?: string[]
  /** --max-age DURATION (`90d`, `12w`) or a number of days; overrides the policy's maxCredentialAge. */
  maxAge?: string
  /** false with --no-secrets (default true). */
  secrets?: boolean
  /** false with --no-cache (default true). */
  cache?: boolean
  /** --concurrency (default 16). */
  concurrency?: number
  checkIssuers?: boolean
  verifyCredentials?: boolean
  /** --traffic WINDOW: Gorouter access logs over this window. */
  traffic?: {windowSeconds: number} | null
  /** `routes report --domain/--app`: narrows the route map (not the checks). */
  routeMap?: RouteMapOptions
  /** Where relative paths resolve and cfguard.yml is looked for (default: process cwd). */
  cwd?: string
}

export interface AuditRun {
  /** The result commands print (with `routeMap` when routes were checked). */
  result: AuditResult
  /** The rules that were selected (metadata for SARIF/JUnit/HTML). */
  rules: Rule[]
  routeMap: RouteMap | null
  snapshot: Snapshot
  /** Suppression notices, already sent to ctx.warn / ctx.info. */
  notices: SuppressionNotice[]
  stats: CollectionStats
}

/** Parsed flag values the report commands share (names as on the command line). */
export interface AuditFlagValues extends SessionFlagValues {
  policy?: string
  suppressions?: string
  baseline?: string
  rules?: string
  'skip-rules'?: string
  'max-age'?: string
  'no-secrets'?: boolean
  'no-cache'?: boolean
  concurrency?: number
  'check-issuers'?: boolean
  'verify-credentials'?: boolean
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  return items.length > 0 ? items : undefined
}

/**
 * Rule ids, family names (`identity`) or prefixes (`routes/`); anything else is a usage error (a
 * typo must not silently select nothing, or skip nothing).
 */
function ruleList(value: string | undefined, flag: string): string[] | undefined {
  const items = list(value)
  const ids = ALL_RULES.map((r) => r.id)
  const families = [...new Set(ALL_RULES.map((r) => r.family))]
  for (const item of items ?? []) {
    const known = ids.includes(item) || families.some((f) => item === f || item === `${f}/`)
    if (!known) {
      const guess = closest(item, [...ids, ...families])
      throw usageError(
        `unknown rule "${item}" in ${flag}`,
        guess ? `did you mean "${guess}"?` : 'run `cfguard rules` to list every rule id',
      )
    }
  }
  return items
}

/** Flags → request, for `identity audit`, `routes report` and `audit` alike. */
export function auditRequestFromFlags(flags: AuditFlagValues, families: RuleFamily[]): AuditRequest {
  return {
    session: sessionOptions(flags),
    families,
    policy: flags.policy,
    suppressions: flags.suppressions,
    baseline: flags.baseline,
    rules: ruleList(flags.rules, '--rules'),
    skipRules: ruleList(flags['skip-rules'], '--skip-rules'),
    maxAge: flags['max-age'],
    secrets: !flags['no-secrets'],
    cache: !flags['no-cache'],
    concurrency: flags.concurrency,
    checkIssuers: flags['check-issuers'],
    verifyCredentials: flags['verify-credentials'],
  }
}

/** `90d` / `12w` / `36h` or a plain number of days → days. */
export function parseMaxAgeDays(value: string): number {
  const text = value.trim()
  const days = /^\d+(\.\d+)?$/.test(text) ? Number(text) : parseDuration(text, '--max-age') / DAY_MS
  if (!(days > 0))
    throw usageError(`--max-age must be longer than zero, not "${value}"`, 'e.g. --max-age 90d')
  // Past 100 years "now - max age" is no longer a date.
  if (days > 36_500)
    throw usageError(`invalid --max-age "${value}": at most 36500d (100 years)`, 'e.g. --max-age 90d')
  return days
}

/** A baseline file: the findings to filter out and/or the reviewed routes. */
export interface BaselineInput {
  findings: Baseline | null
  routes: RouteBaseline | null
}

export function parseBaselineFile(text: string, file: string): BaselineInput {
  let doc: unknown = null
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch {
    // parseBaseline below says where the JSON breaks.
  }
  const routes = routeBaselineOfDocument(doc)
  const body =
    doc !== null && typeof doc === 'object' && 'result' in doc ? (doc as {result: unknown}).result : doc
  const isSnapshot =
    routes !== null &&
    body !== null &&
    typeof body === 'object' &&
    !('findings' in body) &&
    'collectedAt' in body
  return {findings: isSnapshot ? null : parseBaseline(text, file), routes}
}

function validateConcurrency(n: number | undefined): number {
  if (n === undefined) return DEFAULT_CONCURRENCY
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw usageError(`--concurrency must be a whole number from 1 to 256, not ${n}`)
  }
  return n
}

export async function runAudit(ctx: RunContext, request: AuditRequest): Promise<AuditRun> {
  const cwd = request.cwd ?? processCwd()
  const concurrency = validateConcurrency(request.concurrency)
  const loaded = await loadPolicy({
    cwd,
    path: request.policy,
    suppressionsPath: request.suppressions,
    knownRuleIds: ALL_RULES.map((r) => r.id),
    now: ctx.now(),
  })
  for (const w of loaded.warnings) ctx.warn(w)
  const policy: Policy = request.maxAge
    ? {...loaded.policy, maxCredentialAgeDays: parseMaxAgeDays(request.maxAge)}
    : loaded.policy
  const baseline = request.baseline
    ? parseBaselineFile(
        await readNamedFile(cwd, request.baseline, '--baseline / CFGUARD_BASELINE', MAX_BASELINE_BYTES),
        request.baseline,
      )
    : null
  const routesFamily = request.families.includes('routes')

  const {snapshot, stats} = await runCollection(ctx, {...request, concurrency}, baseline?.routes ?? null)
  if (baseline && routesFamily && !baseline.routes) {
    snapshot.access.baseline = {
      state: 'none',
      why: `${request.baseline} has no route map (write one with \`cfguard audit --json\` or \`cfguard snapshot\`)`,
    }
  }
  const evaluation = evaluate({
    snapshot,
    policy,
    now: ctx.now(),
    selection: {families: request.families, only: request.rules, skip: request.skipRules},
    collection: stats,
    findingBaseline: baseline?.findings ?? null,
  })
  for (const n of evaluation.notices) (n.level === 'warning' ? ctx.warn : ctx.info)(n.message)
  let routeMap: RouteMap | null = null
  let result = evaluation.result
  if (routesFamily) {
    routeMap = attachFindings(buildRouteMap(snapshot, request.routeMap ?? {}), result.findings)
    result = {...result, routeMap}
  }
  return {result, rules: evaluation.rules, routeMap, snapshot, notices: evaluation.notices, stats}
}

/**
 * Session → scope → collection → close, with the installation salt: what `runAudit` does before
 * evaluating, and all `cfguard snapshot` needs. Says on stderr what was collected.
 */
export async function runCollection(
  ctx: RunContext,
  request: Omit<
    AuditRequest,
    'policy' | 'suppressions' | 'baseline' | 'rules' | 'skipRules' | 'maxAge' | 'routeMap'
  >,
  routeBaseline: RouteBaseline | null = null,
): Promise<{snapshot: Snapshot; stats: CollectionStats}> {
  const concurrency = validateConcurrency(request.concurrency)
  const session = await openSession(ctx, request.session)
  try {
    const scope = await session.resolveScope()
    const started = Date.now()
    const collected = await collectSnapshot(session, ctx, {
      scope,
      families: request.families,
      secrets: request.secrets ?? true,
      cache: request.cache ?? true,
      concurrency,
      checkIssuers: request.checkIssuers ?? false,
      verifyCredentials: request.verifyCredentials ?? false,
      traffic: request.traffic ?? null,
      routeBaseline,
      salt: loadOrCreateSalt(ctx.home),
      skipSslValidation: request.session.skipSslValidation ?? false,
    })
    const {snapshot, stats} = collected
    ctx.info(
      `collected ${snapshot.apps.length} apps, ${snapshot.routes.length} routes and ` +
        `${snapshot.serviceInstances.length} service instances in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
        `(${stats.requests} requests, ${stats.auditEventsCreated} audit events written by secret reads)`,
    )
    return collected
  } finally {
    session.close()
  }
}
