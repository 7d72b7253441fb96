import type {Location, LogicalLocation, Log, Notification, ReportingDescriptor, Result, Run} from 'sarif'

import type {AuditResult, CoverageGap, Finding, ResourceRef} from '../model/finding.js'
import type {Severity} from '../model/severity.js'
import {clean} from './escape.js'
import {ruleSet, sortForReport} from './summary.js'
import type {FormatOptions, RuleMeta} from './types.js'

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json'
export const FINGERPRINT_KEY = 'cfguardFinding/v1'

const LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
}

/** GitHub code scanning's scale: ≥9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string | null> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: null,
}

const COVERAGE_GAP: ReportingDescriptor = {
  id: 'coverage-gap',
  name: 'CoverageGap',
  shortDescription: {text: 'Data a rule needs could not be read; the rule ran on what was readable'},
}

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF readers: one rule entry per rule of the run
 * (metadata, SOC 2 tags, security-severity), one result per finding with the CF resource as a
 * logical location and a stable fingerprint, coverage gaps as tool notifications.
 *
 * GitHub rejects a file whose results have only logical locations, so each result (and related
 * location) also gets a physical location: a stable pseudo path
 * `cloudfoundry/<api host>/<org>/<space>/<kind>/<name>` with `region.startLine` 1 (not a file in
 * the repository; GitHub shows such alerts without a code snippet). Each run carries
 * `automationDetails.id` per command, foundation and scope (see `automationId`); a multi-foundation
 * audit is one run per foundation.
 */
export function formatSarif(result: AuditResult, options: FormatOptions = {}): string {
  return `${JSON.stringify(buildSarif(result, options), null, 2)}\n`
}

export function buildSarif(result: AuditResult, options: FormatOptions = {}): Log {
  const gapRules = result.coverage.gaps.flatMap((g) => g.rules ?? [])
  const rules = ruleSet(options.rules, result.findings, gapRules)
  const command = options.command ?? 'audit'
  const reached = (result.foundations ?? []).filter((f) => f.target !== null && f.error === null)
  // A multi-foundation audit is one run per foundation it reached, each with its own category, so
  // an upload never closes the alerts of a foundation it did not look at; a foundation that could
  // not be audited gets no run at all (its open alerts stay open) and is named in every run.
  const runs =
    reached.length > 0
      ? reached.map((f) =>
          buildRun(
            {
              ...result,
              target: {...f.target!},
              foundation: f.name,
              findings: result.findings.filter((x) => x.foundation === f.name),
              summary: f.summary ?? result.summary,
              coverage: {...(f.coverage ?? result.coverage), gaps: foundationGaps(result, f.name)},
            },
            rules,
            command,
            options,
            unaudited(result),
          ),
        )
      : [buildRun(result, rules, command, options, [])]
  return {$schema: SARIF_SCHEMA_URI, version: '2.1.0', runs}
}

/** The merged result's gaps that belong to one foundation (prefixed `NAME: ` by the merge). */
function foundationGaps(result: AuditResult, name: string): CoverageGap[] {
  const prefix = `${name}: `
  return result.coverage.gaps
    .filter((g) => g.what.startsWith(prefix))
    .map((g) => ({...g, what: g.what.slice(prefix.length)}))
}

function unaudited(result: AuditResult): string[] {
  return (result.foundations ?? []).filter((f) => f.error !== null || f.target === null).map((f) => f.name)
}

/**
 * `runAutomationDetails.id`: `cfguard/<command>/<foundation>[/<org>[/<space>]]/`. GitHub code
 * scanning takes everything before the last `/` as the analysis category and closes, on each
 * upload, the open alerts of that category the upload no longer reports; so audits of different
 * commands, foundations or scopes never close each other's alerts. The run id after the last `/`
 * is empty: code scanning ignores it and an empty one keeps the file reproducible.
 */
export function automationId(
  command: string,
  target: AuditResult['target'],
  foundation: string | undefined,
): string {
  const segments = [command, foundation ?? apiHost(target.api), target.org, target.space]
    .filter((s): s is string => typeof s === 'string' && s !== '')
    .map((s) => encodeURIComponent(clean(s)))
  return `cfguard/${segments.join('/')}/`
}

function buildRun(
  result: AuditResult,
  rules: readonly RuleMeta[],
  command: string,
  options: FormatOptions,
  unauditedFoundations: string[],
): Run {
  const index = new Map(rules.map((r, i) => [r.id, i]))
  const host = apiHost(result.target.api)

  const notifications: Notification[] = result.coverage.gaps.map((gap) => ({
    level: 'warning',
    message: {text: `not checked: ${clean(gap.what)} because ${clean(gap.why)}`},
    descriptor: {id: COVERAGE_GAP.id, index: 0},
    ...(gap.rules && gap.rules.length > 0 ? {properties: {rules: [...gap.rules]}} : {}),
  }))

  return {
    tool: {
      driver: {
        name: 'cfguard',
        ...(options.toolVersion ? {version: options.toolVersion, semanticVersion: options.toolVersion} : {}),
        informationUri: 'https://github.com/cfguard/cfguard',
        rules: rules.map(ruleDescriptor),
        notifications: [COVERAGE_GAP],
      },
    },
    automationDetails: {id: automationId(command, result.target, result.foundation)},
    invocations: [
      {
        executionSuccessful: true,
        endTimeUtc: result.generatedAt,
        toolExecutionNotifications: notifications,
      },
    ],
    results: sortForReport(result.findings).map((f) => sarifResult(f, index.get(f.rule) ?? -1, host)),
    properties: {
      target: {...result.target},
      ...(result.foundation ? {foundation: result.foundation} : {}),
      ...(unauditedFoundations.length > 0 ? {unauditedFoundations: [...unauditedFoundations]} : {}),
      summary: {...result.summary},
      coverage: {
        apps: result.coverage.apps,
        routes: result.coverage.routes,
        serviceInstances: result.coverage.serviceInstances,
        auditEventsCreated: result.coverage.auditEventsCreated,
        requests: result.coverage.requests,
      },
      suppressed: result.suppressed?.length ?? 0,
    },
  }
}

function ruleDescriptor(rule: RuleMeta): ReportingDescriptor {
  const docs = clean(rule.docs) || clean(rule.title)
  const securitySeverity = SECURITY_SEVERITY[rule.severity]
  const soc2 = rule.soc2.length > 0 ? `\n\nSOC 2: ${rule.soc2.join(', ')}` : ''
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: {text: clean(rule.title)},
    fullDescription: {text: docs},
    help: {text: `${docs}${soc2}`, markdown: `**${clean(rule.title)}**\n\n${docs}${soc2}`},
    defaultConfiguration: {level: LEVEL[rule.severity]},
    properties: {
      tags: [
        'security',
        'cloudfoundry',
        rule.id.split('/')[0] ?? 'cfguard',
        ...rule.soc2.map((c) => `soc2:${c}`),
      ],
      precision: 'high',
      severity: rule.severity,
      ...(securitySeverity ? {'security-severity': securitySeverity} : {}),
    },
  }
}

/** `identity/secret-in-env` → `IdentitySecretInEnv` */
export function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('')
}

function sarifResult(f: Finding, ruleIndex: number, host: string): Result {
  const message = clean(f.message)
  const remediation = clean(f.remediation)
  return {
    ruleId: f.rule,
    ...(ruleIndex >= 0 ? {ruleIndex} : {}),
    level: LEVEL[f.severity],
    kind: 'fail',
    message: {text: remediation ? `${message}\nFix: ${remediation}` : message},
    locations: [location(f.resource, host, f.foundation)],
    ...(f.related.length > 0
      ? {relatedLocations: f.related.map((r, i) => ({id: i + 1, ...location(r, host, f.foundation)}))}
      : {}),
    partialFingerprints: {[FINGERPRINT_KEY]: f.fingerprint},
    properties: {
      severity: f.severity,
      title: clean(f.title),
      remediation,
      resource: {kind: f.resource.kind, guid: f.resource.guid, name: clean(f.resource.name)},
      evidence: Object.fromEntries(
        Object.entries(f.evidence).map(([k, v]) => [
          k,
          typeof v === 'string' ? clean(v) : Array.isArray(v) ? v.map((s) => clean(s)) : v,
        ]),
      ),
      ...(f.foundation ? {foundation: f.foundation} : {}),
    },
  }
}

function location(ref: ResourceRef, host: string, foundation: string | undefined): Location {
  const segments = [foundation ?? host, ref.org, ref.space, ref.kind, ref.name].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  )
  return {
    physicalLocation: {
      artifactLocation: {
        uri: ['cloudfoundry', ...segments].map((s) => encodeURIComponent(clean(s))).join('/'),
      },
      // Code scanning requires a region with a start line; a platform resource has no lines.
      region: {startLine: 1},
    },
    logicalLocations: [logicalLocation(ref)],
  }
}

/** `acme/prod/app/billing-api`; platform-wide resources (domains, UAA clients) are `kind/name`. */
export function fullyQualifiedName(ref: ResourceRef): string {
  return [ref.org, ref.space, ref.kind, ref.name]
    .filter((s): s is string => typeof s === 'string' && s !== '')
    .map((s) => clean(s))
    .join('/')
}

/**
 * SARIF's own logical-location kind for a platform object is `resource` (§3.33.7); the Cloud
 * Foundry kind (app, route, …) is in the fully qualified name and in `properties.cloudFoundryKind`.
 */
function logicalLocation(ref: ResourceRef): LogicalLocation {
  return {
    name: clean(ref.name),
    fullyQualifiedName: fullyQualifiedName(ref),
    kind: 'resource',
    properties: {cloudFoundryKind: ref.kind},
  }
}

function apiHost(api: string): string {
  try {
    return new URL(api).host || api
  } catch {
    return api
  }
}
