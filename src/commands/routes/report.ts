import * as Flags from '@oclif/core/flags'

import {ReportCommand} from '../../cli/report-command.js'
import {connectionFlags, scopeFlags} from '../../cli/flags.js'
import {collectionFlags, policyFlags, reportFlags, trafficFlags} from '../../cli/report-flags.js'
import type {AuditResult} from '../../model/finding.js'

export default class RoutesReport extends ReportCommand {
  public static readonly summary =
    'route table (route → destinations → instances → health) and the route rules'
  public static readonly description =
    'Shows how traffic reaches each app through Gorouter: domain → route (load-balancing options, route ' +
    'service, route policies) → destinations (app, process type, port, protocol) → instances (running, ' +
    'crashed, unroutable) → health and readiness checks, then what the route rules found. With --traffic, ' +
    "Gorouter's access logs in Log Cache add each instance's share of requests, 5xx rate, p95 response " +
    'time and router errors. Reads no secrets. Exit 3 when a finding is at or above --fail-on.'
  public static readonly aliases = ['route-report']
  public static readonly examples = [
    '<%= config.bin %> routes report',
    '<%= config.bin %> routes report -o acme -s prod --app search --traffic --window 30m',
    '<%= config.bin %> routes report --all --domain apps.example.com --format markdown --output routes.md',
    '<%= config.bin %> routes report --baseline routes-baseline.json --fail-on medium',
    '<%= config.bin %> routes report --json',
  ]
  public static readonly flags = {
    ...connectionFlags,
    ...scopeFlags,
    ...reportFlags,
    ...policyFlags,
    concurrency: collectionFlags.concurrency,
    domain: Flags.string({
      summary: 'only routes on this domain (name or guid), and their findings',
      env: 'CFGUARD_DOMAIN',
      helpGroup: 'SCOPE',
    }),
    app: Flags.string({
      summary: 'only routes to this app (name or guid), and findings about them or the app',
      env: 'CFGUARD_APP',
      helpGroup: 'SCOPE',
    }),
    ...trafficFlags('read Gorouter access logs from Log Cache: per-instance share, 5xx, p95, router errors'),
  }

  public async run(): Promise<AuditResult> {
    const {flags} = await this.parse(RoutesReport)
    const {routesReport} = await import('../../actions/routes-report.js')
    const {renderRoutesTable} = await import('../../cli/views/routes.js')
    const {auditRequestFromFlags} = await import('../../actions/audit.js')
    const report = await routesReport(this.ctx, {
      audit: auditRequestFromFlags(flags, ['routes']),
      domain: flags.domain,
      app: flags.app,
      trafficWindow: flags.traffic ? (flags.window ?? '15m') : null,
    })
    return this.emit(
      flags,
      {title: 'cfguard routes report', table: renderRoutesTable},
      {result: report.result, rules: report.rules, routeMap: report.routeMap},
    )
  }
}
