import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {connectionFlags, scopeFlags} from '../../cli/flags.js'
import {policyFlags, reportFlags} from '../../cli/report-flags.js'
import type {AuditResult} from '../../model/finding.js'

/** How the collection runs (shared by the report commands that read secrets). */
export const collectionFlags = {
  'no-secrets': Flags.boolean({
    summary: 'read no secret values (no *.show audit events); secret-dependent rules become coverage gaps',
    env: 'CFGUARD_NO_SECRETS',
    helpGroup: 'COLLECTION',
  }),
  'no-cache': Flags.boolean({
    summary: 're-read every secret-bearing item instead of reusing results for unchanged ones',
    env: 'CFGUARD_NO_CACHE',
    helpGroup: 'COLLECTION',
  }),
  concurrency: Flags.integer({
    summary: 'requests in flight at most (fewer while the rate-limit budget runs low)',
    default: 16,
    min: 1,
    max: 256,
    env: 'CFGUARD_CONCURRENCY',
    helpGroup: 'COLLECTION',
  }),
}

/** The identity rules' knobs and opt-in network checks. */
export const identityCheckFlags = {
  'max-age': Flags.string({
    summary: 'credential age limit for identity/stale-credential, e.g. 90d (default: the policy, else 90d)',
    env: 'CFGUARD_MAX_AGE',
    helpGroup: 'POLICY',
  }),
  'check-issuers': Flags.boolean({
    summary: "fetch each issuer's OIDC discovery document and JWKS (unauthenticated, https only)",
    env: 'CFGUARD_CHECK_ISSUERS',
    helpGroup: 'COLLECTION',
  }),
  'verify-credentials': Flags.boolean({
    summary: 'ask each token endpoint for one client-credentials token per distinct client and secret',
    env: 'CFGUARD_VERIFY_CREDENTIALS',
    helpGroup: 'COLLECTION',
  }),
}

export default class IdentityAudit extends BaseCommand<AuditResult> {
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
    const {emitReport} = await import('../../actions/report-output.js')
    const run = await runAudit(this.ctx, auditRequestFromFlags(flags, ['identity']))
    const report = emitReport(
      this.ctx,
      {
        format: flags.format,
        output: flags.output,
        failOn: flags['fail-on'],
        compliance: flags.compliance,
        title: 'cfguard identity audit',
        toolVersion: this.config.version,
      },
      {result: run.result, rules: run.rules, routeMap: null},
    )
    if (report.stdout !== null) this.print(report.stdout)
    if (report.exitCode !== 0) process.exitCode = report.exitCode
    return report.result
  }
}
