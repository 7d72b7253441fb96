import type {EmittedReport, ReportRequest} from '../actions/report-output.js'
import type {AuditResult} from '../model/finding.js'
import type {ReportInput} from '../report/index.js'
import {BaseCommand} from './base-command.js'

/** The parsed `reportFlags` a report command hands on. */
export interface ReportFlagValues {
  format: ReportRequest['format']
  output?: string
  'fail-on': ReportRequest['failOn']
  compliance?: 'soc2'
}

/**
 * The report commands' common ending (`audit`, `identity audit`, `routes report`): render in the
 * asked format, print or write it, set the exit code, return the result for --json.
 */
export abstract class ReportCommand extends BaseCommand<AuditResult> {
  protected async emit(
    flags: ReportFlagValues,
    view: {title: string; table?: ReportRequest['table']},
    input: ReportInput,
    /** Decides the exit code from the report's own (default: the report's). */
    exitCode: (emitted: EmittedReport) => number = (emitted) => emitted.exitCode,
  ): Promise<AuditResult> {
    const {emitReport} = await import('../actions/report-output.js')
    const emitted = emitReport(
      this.ctx,
      {
        format: flags.format,
        output: flags.output,
        failOn: flags['fail-on'],
        compliance: flags.compliance,
        title: view.title,
        toolVersion: this.config.version,
        ...(this.id ? {command: this.id.replaceAll(':', '-')} : {}),
        ...(view.table ? {table: view.table} : {}),
      },
      input,
    )
    if (emitted.stdout !== null) this.print(emitted.stdout)
    const code = exitCode(emitted)
    if (code !== 0) process.exitCode = code
    return emitted.result
  }
}
