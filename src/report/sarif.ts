import type {Location, LogicalLocation, Log, Notification, ReportingDescriptor, Result, Run} from 'sarif'

import type {AuditResult, Finding, ResourceRef} from '../model/finding.js'
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
 * GitHub rejects a file whose results have only logical locations, so each result also gets a
 * physical location: a stable pseudo path `cloudfoundry/<api host>/<org>/<space>/<kind>/<name>`
 * (not a file in the repository; GitHub shows such alerts without a code snippet).
 */
export function formatSarif(result: AuditResult, options: FormatOptions = {}): string {
  return `${JSON.stringify(buildSarif(result, options), null, 2)}\n`
}

export function buildSarif(result: AuditResult, options: FormatOptions = {}): Log {
  const gapRules = result.coverage.gaps.flatMap((g) => g.rules ?? [])
  const rules = ruleSet(options.rules, result.findings, gapRules)
  const index = new Map(rules.map((r, i) => [r.id, i]))
  const host = apiHost(result.target.api)

  const notifications: Notification[] = result.coverage.gaps.map((gap) => ({
    level: 'warning',
    message: {text: `not checked: ${clean(gap.what)} because ${clean(gap.why)}`},
    descriptor: {id: COVERAGE_GAP.id, index: 0},
    ...(gap.rules && gap.rules.length > 0 ? {properties: {rules: [...gap.rules]}} : {}),
  }))

  const run: Run = {
    tool: {
      driver: {
        name: 'cfguard',
        ...(options.toolVersion ? {version: options.toolVersion, semanticVersion: options.toolVersion} : {}),
        informationUri: 'https://github.com/cfguard/cfguard',
        rules: rules.map(ruleDescriptor),
        notifications: [COVERAGE_GAP],
      },
    },
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
  return {$schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run]}
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
      ? {relatedLocations: f.related.map((r, i) => ({id: i + 1, logicalLocations: [logicalLocation(r)]}))}
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

function logicalLocation(ref: ResourceRef): LogicalLocation {
  return {name: clean(ref.name), fullyQualifiedName: fullyQualifiedName(ref), kind: ref.kind}
}

function apiHost(api: string): string {
  try {
    return new URL(api).host || api
  } catch {
    return api
  }
}
