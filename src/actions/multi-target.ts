/**
 * Several foundations in one audit (`cfguard audit --targets staging,prod`): each stored target is
 * audited on its own session (in parallel, up to a limit), and the results are merged into one
 * result whose findings carry their `foundation`, so staging and production can be compared
 * finding by finding. A foundation that cannot be audited (auth, API) becomes a coverage gap and
 * an entry in `foundations` with its error; it does not hide the others.
 */
import pLimit from 'p-limit'

import {ConfigStore} from '../config/store.js'
import {CfguardError, ExitCode, isCfguardError, usageError} from '../errors.js'
import type {AuditResult, CoverageGap, FoundationOutcome} from '../model/finding.js'
import type {RouteMap} from '../model/route-map.js'
import type {Rule} from '../model/rule.js'
import {exceedsFailOn, summarize} from '../report/summary.js'
import type {FailOn} from '../report/types.js'
import {runAudit, type AuditRequest} from './audit.js'
import type {RunContext} from '../context.js'
import {buildTrafficReport, parseTrafficWindow} from './routes-report.js'

/** Foundations audited at the same time by default (each has its own connection pool). */
export const DEFAULT_TARGET_CONCURRENCY = 4

/** One foundation's run: its result, or why there is none. */
export interface FoundationRun {
  name: string
  result: AuditResult | null
  error: FoundationOutcome['error']
}

/**
 * Merges per-foundation results (in the order given) into one result. Pure.
 * - findings: every foundation's, each with `foundation` set;
 * - summary: recounted; coverage: counts summed, gaps prefixed with the foundation, plus one gap
 *   per foundation that could not be audited;
 * - target: the APIs (and distinct CC versions) listed comma-separated, org/space when all agree;
 * - foundations: each foundation's own target, summary and coverage, or its error;
 * - suppressed: merged, the reason prefixed with the foundation.
 * Route maps and traffic stay per foundation (audit each with `routes report --target NAME`).
 */
export function mergeResults(runs: readonly FoundationRun[], now: Date): AuditResult {
  const reached = runs.filter((r): r is FoundationRun & {result: AuditResult} => r.result !== null)
  const findings = reached.flatMap((r) => r.result.findings.map((f) => ({...f, foundation: r.name})))
  const gaps: CoverageGap[] = []
  for (const run of runs) {
    if (run.result) {
      for (const g of run.result.coverage.gaps) gaps.push({...g, what: `${run.name}: ${g.what}`})
    } else {
      gaps.push({
        what: `foundation ${run.name} (nothing was checked there)`,
        why: run.error?.message ?? 'it could not be audited',
      })
    }
  }
  const sum = (pick: (r: AuditResult) => number) => reached.reduce((n, r) => n + pick(r.result), 0)
  const suppressed = reached.flatMap((r) =>
    (r.result.suppressed ?? []).map((s) => ({...s, reason: `${r.name}: ${s.reason}`})),
  )
  const agree = (pick: (r: AuditResult) => string | null): string | null => {
    const values = new Set(reached.map((r) => pick(r.result)))
    return values.size === 1 ? ([...values][0] ?? null) : null
  }
  const distinct = (values: string[]) => [...new Set(values)].join(', ')
  const foundations: FoundationOutcome[] = runs.map((run) => ({
    name: run.name,
    target: run.result ? {...run.result.target} : null,
    summary: run.result ? {...run.result.summary} : null,
    coverage: run.result ? structuredClone(run.result.coverage) : null,
    error: run.result ? null : (run.error ?? {code: 'BUG', message: 'no result', exitCode: ExitCode.Bug}),
  }))
  return {
    schemaVersion: 1,
    target: {
      api: distinct(reached.map((r) => r.result.target.api)),
      ccVersion: distinct(reached.map((r) => r.result.target.ccVersion)),
      org: agree((r) => r.target.org),
      space: agree((r) => r.target.space),
    },
    generatedAt: now.toISOString(),
    summary: summarize(findings),
    findings,
    coverage: {
      apps: sum((r) => r.coverage.apps),
      routes: sum((r) => r.coverage.routes),
      serviceInstances: sum((r) => r.coverage.serviceInstances),
      gaps,
      auditEventsCreated: sum((r) => r.coverage.auditEventsCreated),
      requests: sum((r) => r.coverage.requests),
    },
    ...(suppressed.length > 0 ? {suppressed} : {}),
    foundations,
  }
}

/**
 * The exit code of a multi-foundation audit. A foundation that could not be audited makes the
 * audit incomplete, which a gate must not read as a pass: its exit code (4 auth, 5 API; the
 * first such foundation's in --targets order) wins over 3, unless `--fail-on never` asked for a
 * report without a verdict. Otherwise 3 when a finding is at or above --fail-on, else 0.
 */
export function multiTargetExitCode(merged: AuditResult, failOn: FailOn): number {
  const failed = (merged.foundations ?? []).find((f) => f.error !== null)
  if (failed?.error && failOn !== 'never') return failed.error.exitCode
  return exceedsFailOn(merged.findings, failOn) ? ExitCode.FindingsAtOrAboveThreshold : ExitCode.Ok
}

/** `prod-eu.1` → `PROD_EU_1`: the suffix of a foundation's own credential variables. */
export function envSuffix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_')
}

const CREDENTIAL_VARS = ['CFGUARD_CLIENT_ID', 'CFGUARD_CLIENT_SECRET', 'CFGUARD_USERNAME', 'CFGUARD_PASSWORD']

/**
 * The environment one foundation's session resolves its target from. Pure.
 * `CFGUARD_API` and `CFGUARD_TARGET` are dropped (the stored target named in --targets decides).
 * Credentials: when any of `CFGUARD_CLIENT_ID_<NAME>`, `CFGUARD_CLIENT_SECRET_<NAME>`,
 * `CFGUARD_USERNAME_<NAME>`, `CFGUARD_PASSWORD_<NAME>` is set (NAME upper-cased, other characters
 * → `_`), those replace the unsuffixed ones for this foundation; otherwise the unsuffixed ones (if
 * any) apply, and else the target's stored tokens.
 */
export function foundationEnv(env: NodeJS.ProcessEnv, name: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {...env}
  delete out.CFGUARD_API
  delete out.CFGUARD_TARGET
  const suffix = envSuffix(name)
  const own = CREDENTIAL_VARS.filter((v) => (env[`${v}_${suffix}`] ?? '') !== '')
  if (own.length > 0) {
    for (const v of CREDENTIAL_VARS) delete out[v]
    for (const v of own) out[v] = env[`${v}_${suffix}`]
  }
  return out
}

/** `--targets a,b,a` → `['a', 'b']`, rejecting an empty list. */
export function parseTargetNames(value: string): string[] {
  const names = [
    ...new Set(
      value
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ]
  if (names.length === 0) {
    throw new CfguardError('USAGE', '--targets needs at least one stored target name', {
      suggestions: ['e.g. --targets staging,prod (names from `cfguard login --name NAME`)'],
    })
  }
  return names
}

export interface AuditTargetsOptions {
  names: readonly string[]
  concurrency?: number
  /** Audits one foundation with a context whose env and messages belong to it. */
  auditOne: (name: string, ctx: RunContext) => Promise<AuditResult>
}

/**
 * Runs `auditOne` for each foundation (up to `concurrency` at once) and merges the results.
 * Warnings and progress are prefixed with the foundation's name. A foundation's CfguardError is
 * recorded as its failure; when every foundation fails, the first error is thrown as it is.
 * Interruptions and bugs (errors that are not CfguardErrors) are thrown at once.
 */
export async function auditTargets(
  ctx: RunContext,
  options: AuditTargetsOptions,
): Promise<{merged: AuditResult; runs: FoundationRun[]}> {
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_TARGET_CONCURRENCY))
  const errors = new Map<string, CfguardError>()
  const runs = await Promise.all(
    options.names.map((name) =>
      limit(async (): Promise<FoundationRun> => {
        const own: RunContext = {
          ...ctx,
          env: foundationEnv(ctx.env, name),
          warn: (message) => ctx.warn(`[${name}] ${message}`),
          info: (message) => ctx.info(`[${name}] ${message}`),
        }
        try {
          return {name, result: await options.auditOne(name, own), error: null}
        } catch (err) {
          if (!isCfguardError(err) || err.code === 'INTERRUPTED') throw err
          errors.set(name, err)
          ctx.warn(`[${name}] not audited: ${err.message}`)
          return {name, result: null, error: {code: err.code, message: err.message, exitCode: err.exitCode}}
        }
      }),
    ),
  )
  if (runs.every((r) => r.result === null)) {
    const first = errors.get(runs[0]?.name ?? '')
    if (first) throw first
  }
  return {merged: mergeResults(runs, ctx.now()), runs}
}

export interface FoundationAuditRequest {
  /** The shared pipeline's request (families, policy, baseline, collection options). */
  audit: Omit<AuditRequest, 'traffic'>
  /** `--traffic` window (`15m`); null = off. */
  trafficWindow?: string | null
  /** `--targets a,b`: stored targets audited together; absent = the one resolved target. */
  targets?: string
  concurrency?: number
  failOn: FailOn
}

export interface FoundationAudit {
  result: AuditResult
  rules: Rule[]
  /** Single-foundation runs that checked routes; null for merged runs. */
  routeMap: RouteMap | null
  /** The gate's exit code (0, 3, or a failed foundation's 4/5 with --targets). */
  exitCode: number
  /** Several foundations were audited. */
  merged: boolean
}

/** Placeholder in `--baseline` replaced by each foundation's name with --targets. */
export const TARGET_PLACEHOLDER = '{target}'

/**
 * `cfguard audit`: identity and routes over one snapshot of one foundation, or of each stored
 * target of `--targets` (merged, each finding with its `foundation`). `--baseline` may name a
 * file per foundation with `{target}` (`baselines/{target}.json`).
 */
export async function auditFoundations(
  ctx: RunContext,
  request: FoundationAuditRequest,
): Promise<FoundationAudit> {
  const windowSeconds =
    request.trafficWindow === undefined || request.trafficWindow === null
      ? null
      : parseTrafficWindow(request.trafficWindow)
  const one = async (own: RunContext, audit: Omit<AuditRequest, 'traffic'>) => {
    const run = await runAudit(own, {...audit, traffic: windowSeconds === null ? null : {windowSeconds}})
    const traffic = buildTrafficReport(run.snapshot)
    return {...run, result: traffic ? {...run.result, traffic} : run.result}
  }
  if (request.targets === undefined) {
    if (request.audit.baseline?.includes(TARGET_PLACEHOLDER)) {
      throw usageError(
        `--baseline ${request.audit.baseline} names ${TARGET_PLACEHOLDER}, which only --targets fills in`,
      )
    }
    const run = await one(ctx, request.audit)
    const exitCode = exceedsFailOn(run.result.findings, request.failOn)
      ? ExitCode.FindingsAtOrAboveThreshold
      : 0
    return {result: run.result, rules: run.rules, routeMap: run.routeMap, exitCode, merged: false}
  }
  if (request.audit.session.api !== undefined || request.audit.session.target !== undefined) {
    throw usageError('--targets names stored targets; it cannot be combined with --api or --target')
  }
  const names = parseTargetNames(request.targets)
  // A typo in --targets is a usage error before anything is asked of any foundation.
  const stored = Object.keys(new ConfigStore(ctx.home, ctx.warn).read().targets)
  const unknown = names.filter((n) => !stored.includes(n))
  if (unknown.length > 0) {
    throw usageError(
      `no stored target named ${unknown.map((n) => `"${n}"`).join(', ')}`,
      stored.length > 0
        ? `stored targets: ${stored.join(', ')}`
        : 'log in first: cfguard login --name NAME --api URL',
    )
  }
  let rules: Rule[] = []
  const {merged} = await auditTargets(ctx, {
    names,
    concurrency: request.concurrency,
    auditOne: async (name, own) => {
      const baseline = request.audit.baseline?.split(TARGET_PLACEHOLDER).join(name)
      const run = await one(own, {
        ...request.audit,
        session: {...request.audit.session, target: name},
        ...(baseline === undefined ? {} : {baseline}),
      })
      if (rules.length === 0) rules = run.rules
      // The merged result has no route map: drop each foundation's (it stays in `routes report`).
      const {routeMap: _routeMap, traffic: _traffic, ...result} = run.result
      return result
    },
  })
  return {
    result: merged,
    rules,
    routeMap: null,
    exitCode: multiTargetExitCode(merged, request.failOn),
    merged: true,
  }
}
