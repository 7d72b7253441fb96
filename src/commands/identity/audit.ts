import {ReportCommand} from '../../cli/report-command.js'
import {connectionFlags, scopeFlags} from '../../cli/flags.js'
import {collectionFlags, identityCheckFlags, policyFlags, reportFlags} from '../../cli/report-flags.js'
import type {AuditResult} from '../../model/finding.js'

export default class IdentityAudit extends ReportCommand {
  public static readonly summary = 'audit app identity credentials (identity rules only)'
  public static readonly description =
    'Collects which app gets which identity credential through which platform service (user-provided ' +
    'services, managed SSO bindings, service keys, env vars) and reports what is wrong with it. Secret ' +
    'values are classified on arrival and never printed; each secret read writes a *.show audit event, ' +
    'counted in the report. Exit 3 when a finding is at or above --fail-on.'
  public static readonly aliases = ['identity-audit']
  public static readonly examples = [
    '<%= config.bin %> identity audit',
    '<%= config.bin %> identity audit -o acme -s prod --fail-on critical',
    '<%= config.bin %> identity audit --all --format sarif --output identity.sarif',
    '<%= config.bin %> identity audit --no-secrets --json',
    '<%= config.bin %> identity audit --check-issuers --verify-credentials --max-age 60d',
  ]
  public static readonly flags = {
    ...connectionFlags,
    ...scopeFlags,
    ...reportFlags,
    ...policyFlags,
    ...collectionFlags,
    ...identityCheckFlags,
  }

  public async run(): Promise<AuditResult> {
    const {flags} = await this.parse(IdentityAudit)
    const {runAudit, auditRequestFromFlags} = await import('../../actions/audit.js')
    const run = await runAudit(this.ctx, auditRequestFromFlags(flags, ['identity']))
    return this.emit(
      flags,
      {title: 'cfguard identity audit'},
      {result: run.result, rules: run.rules, routeMap: null},
    )
  }
}
