import {resolve} from 'node:path'

import {writeFileAtomic} from '../util/atomic-file.js'
import {ExitCode} from '../errors.js'
import type {AuditResult, CoverageGap} from '../model/finding.js'
import {
  buildCompliance,
  exceedsFailOn,
  renderReport,
  type ReportFormat,
  type ReportInput,
} from '../report/index.js'
import type {FailOn, FormatOptions} from '../report/types.js'
import {isFailure} from '../report/summary.js'
import {plural} from '../util/plural.js'
import {SEVERITIES} from '../model/severity.js'
import type {RunContext} from '../context.js'

export interface ReportRequest {
  format: ReportFormat
  output?: string
  failOn: FailOn
  compliance?: 'soc2'
  title?: string
  /** The command, hyphenated (`identity-audit`), for SARIF's automation id. */
  command?: string
  toolVersion?: string
  /**
   * The `table` format's text, when a command's human view is more than the findings report
   * (`routes report` puts the route table first). Gets the result as emitted and the options.
   */
  table?: (result: AuditResult, options: FormatOptions) => string
}

export interface EmittedReport {
  /** Text for stdout (null when written to --output, or under --json where the envelope prints). */
  stdout: string | null
  /** 5 when reads failed (incomplete report), else 3 when a finding is at or above --fail-on, else 0. */
  exitCode: number
  /** The result as returned under --json (with the compliance block when asked). */
  result: AuditResult
}

/**
 * Renders a report in the asked format, writes it to --output (atomically, 0644: reports hold no
 * secrets) or hands it back for stdout, and decides the gate's exit code. Under --json the
 * command returns `result` and oclif prints the envelope; an --output file is still written.
 */
export function emitReport(ctx: RunContext, request: ReportRequest, input: ReportInput): EmittedReport {
  const rules = input.rules ?? []
  const result: AuditResult =
    request.compliance === 'soc2'
      ? {...input.result, compliance: buildCompliance(input.result, rules)}
      : input.result
  const options: FormatOptions = {
    failOn: request.failOn,
    compliance: request.compliance ?? null,
    width: ctx.width ?? PIPED_WIDTH,
    // Colour only in the table on stdout: never in a file or a machine format.
    color: ctx.color === true && !request.output && request.format === 'table',
    ...(input.rules ? {rules: input.rules} : {}),
    ...(request.title ? {title: request.title} : {}),
    ...(request.toolVersion ? {toolVersion: request.toolVersion} : {}),
    ...(request.command ? {command: request.command} : {}),
  }
  // Under --json without --output the text would be thrown away: not rendering it saves seconds
  // on a large foundation (a table of thousands of findings, every string redacted).
  const text =
    !request.output && ctx.json
      ? null
      : request.format === 'table' && request.table
        ? request.table(result, options)
        : renderReport(request.format, {...input, result}, options)
  let stdout: string | null = null
  if (request.output && text !== null) {
    const path = resolve(request.output)
    writeFileAtomic(path, text.endsWith('\n') ? text : `${text}\n`, {mode: 0o644})
    ctx.info(`report written to ${request.output}: ${outcomeLine(result, request.failOn)}`)
  } else if (!ctx.json) {
    stdout = text
  }
  const exitCode =
    warnIfIncomplete(ctx, result.coverage.gaps, 'report') !== ExitCode.Ok
      ? ExitCode.Api
      : exceedsFailOn(result.findings, request.failOn)
        ? ExitCode.FindingsAtOrAboveThreshold
        : ExitCode.Ok
  return {stdout, exitCode, result}
}

/** Piped output's width when the command did not say (cli/render/terminal.ts). */
const PIPED_WIDTH = 120

/** `4 findings (1 high, 3 medium) · fail-on high: 1 at or above → exit 3`: what CI logs show. */
export function outcomeLine(result: AuditResult, failOn: FailOn): string {
  const counts = SEVERITIES.filter((s) => result.summary[s] > 0).map((s) => `${result.summary[s]} ${s}`)
  const total = result.findings.length
  const failing = result.findings.filter((f) => isFailure(f.severity, failOn)).length
  const gate =
    failOn === 'never'
      ? 'fail-on never: not gating'
      : failing > 0
        ? `fail-on ${failOn}: ${failing} at or above → exit 3`
        : `fail-on ${failOn}: pass`
  return `${plural(total, 'finding')}${counts.length > 0 ? ` (${counts.join(', ')})` : ''} · ${gate}`
}

/**
 * Reads that failed after retries leave a report or inventory incomplete: never a silent exit 0
 * (or 3). Warns and returns 5 when any gap is `failed`, else 0.
 */
export function warnIfIncomplete(ctx: RunContext, gaps: readonly CoverageGap[], what: string): number {
  const failed = gaps.filter((g) => g.failed)
  if (failed.length === 0) return ExitCode.Ok
  ctx.warn(
    `the ${what} is incomplete: ${failed.map((g) => g.what).join('; ')} could not be read (${failed[0]?.why}); run again`,
  )
  return ExitCode.Api
}
