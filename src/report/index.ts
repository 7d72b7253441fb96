import type {AuditResult} from '../model/finding.js'
import type {RouteMap} from '../model/route-map.js'
import {formatHtml} from './html.js'
import {formatJson} from './json.js'
import {formatJunit} from './junit.js'
import {formatMarkdown} from './markdown.js'
import {formatSarif} from './sarif.js'
import {formatTable} from './table.js'
import type {FormatOptions, RuleMeta} from './types.js'

export type {FailOn, FormatOptions, RuleMeta} from './types.js'
export {buildCompliance} from './compliance.js'
export {
  DEFAULT_FAIL_ON,
  FAIL_ON_VALUES,
  exceedsFailOn,
  parseFailOn,
  summarize,
  sortForReport,
} from './summary.js'

export const REPORT_FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown', 'html'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value)
}

export interface ReportInput {
  result: AuditResult
  /** The run's rule set (metadata only). */
  rules?: readonly RuleMeta[]
  /** The route map, drawn by the HTML report; null/absent for identity-only runs. */
  routeMap?: RouteMap | null
}

/**
 * One entry point for every report format, so commands stay thin:
 * `this.print(renderReport(flags.format, {result, rules, routeMap}, {failOn, color}))`.
 * Pure: returns the document; writing it (stdout or --output) is the command's job.
 */
export function renderReport(format: ReportFormat, input: ReportInput, options: FormatOptions = {}): string {
  const opts: FormatOptions = {...options, rules: options.rules ?? input.rules}
  switch (format) {
    case 'table':
      return formatTable(input.result, opts)
    case 'json':
      return formatJson(input.result, opts)
    case 'sarif':
      return formatSarif(input.result, opts)
    case 'junit':
      return formatJunit(input.result, opts)
    case 'markdown':
      return formatMarkdown(input.result, opts)
    case 'html':
      return formatHtml(input.result, input.routeMap ?? null, opts.rules, opts)
  }
}
