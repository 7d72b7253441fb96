import * as Flags from '@oclif/core/flags'

import {ReportCommand} from '../cli/report-command.js'
import {connectionFlags, scopeFlags} from '../cli/flags.js'
import {
  collectionFlags,
  identityCheckFlags,
  policyFlags,
  reportFlags,
  trafficFlags,
} from '../cli/report-flags.js'
import type {AuditResult} from '../model/finding.js'

export default class Audit extends ReportCommand {
  public static readonly summary = 'identity and route rules in one run: the scripted-audit entry point'
  public static readonly description =
    'Collects one snapshot of the foundation (or of each stored target with --targets) and runs every ' +
    'identity and route rule over it. Reports as a table, JSON, SARIF, JUnit, Markdown or HTML; --compliance ' +
    'soc2 groups findings by SOC 2 criterion. Exit 3 when a finding is at or above --fail-on (default high); ' +
    'with --targets, a foundation that could not be audited exits with its own code (4 auth, 5 API) unless ' +
    '--fail-on never. Secret values are classified on arrival and never printed.'
  public static readonly examples = [
    '<%= config.bin %> audit',
    '<%= config.bin %> audit --all --format sarif --output cfguard.sarif',
    '<%= config.bin %> audit --policy ci/cfguard.yml --baseline baseline.json --fail-on medium',
    '<%= config.bin %> audit --compliance soc2 --format markdown --output soc2.md',
    '<%= config.bin %> audit --targets staging,prod --all --json',
    '<%= config.bin %> audit --check-issuers --verify-credentials --traffic --window 1h',
  ]
  public static readonly flags = {
    ...connectionFlags,
    target: Flags.string({
      summary: 'use the stored target NAME (see `cfguard login --name NAME`)',
      env: 'CFGUARD_TARGET',
      exclusive: ['targets'],
      helpGroup: 'CONNECTION',
    }),
    targets: Flags.string({
      summary: 'audit these stored targets together, comma-separated (cfguard login --name NAME)',
      env: 'CFGUARD_TARGETS',
      exclusive: ['api'],
      helpGroup: 'CONNECTION',
    }),
    'target-concurrency': Flags.integer({
      summary: 'with --targets: foundations audited at the same time (default 4)',
      min: 1,
      max: 32,
      dependsOn: ['targets'],
      env: 'CFGUARD_TARGET_CONCURRENCY',
      helpGroup: 'CONNECTION',
    }),
    ...scopeFlags,
    ...reportFlags,
    ...policyFlags,
    ...collectionFlags,
    ...identityCheckFlags,
    ...trafficFlags(
      'read Gorouter access logs from Log Cache (routes/traffic-imbalance, per-instance traffic)',
    ),
  }

  public async run(): Promise<AuditResult> {
    const {flags} = await this.parse(Audit)
    const {auditFoundations} = await import('../actions/multi-target.js')
    const {renderFoundationsTable} = await import('../cli/views/foundations.js')
    const {auditRequestFromFlags} = await import('../actions/audit.js')
    const audit = await auditFoundations(this.ctx, {
      audit: auditRequestFromFlags(flags, ['identity', 'routes']),
      trafficWindow: flags.traffic ? (flags.window ?? '15m') : null,
      targets: flags.targets,
      concurrency: flags['target-concurrency'],
      failOn: flags['fail-on'],
    })
    return this.emit(
      flags,
      {title: 'cfguard audit', ...(audit.merged ? {table: renderFoundationsTable} : {})},
      {result: audit.result, rules: audit.rules, routeMap: audit.routeMap},
      // A foundation that could not be audited (4, 5) decides; otherwise the report's own code:
      // 5 when reads failed (incomplete), 3 for findings at or above --fail-on, else 0.
      (emitted) => (audit.exitCode === 4 || audit.exitCode === 5 ? audit.exitCode : emitted.exitCode),
    )
  }
}
