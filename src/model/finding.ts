import type {ComplianceReport} from './compliance.js'
import type {RouteMap, TrafficReport} from './route-map.js'
import type {Severity} from './severity.js'

export type ResourceKind =
  | 'app'
  | 'process'
  | 'instance'
  | 'route'
  | 'domain'
  | 'service_instance'
  | 'binding'
  | 'service_key'
  | 'uaa_client'
  | 'route_policy'
  | 'env_var'

export interface ResourceRef {
  kind: ResourceKind
  guid: string
  name: string
  space?: string | null
  org?: string | null
}

/** Evidence never holds a secret value: names, counts, timestamps and keyed fingerprints only. */
export type Evidence = Record<string, string | number | boolean | null | string[]>

export interface Finding {
  rule: string
  severity: Severity
  title: string
  message: string
  resource: ResourceRef
  related: ResourceRef[]
  evidence: Evidence
  remediation: string
  /** Stable id of this finding (rule + resource + key), for suppressions and baselines. */
  fingerprint: string
  /** Set by multi-foundation audits (`audit --targets`). */
  foundation?: string
}

export interface CoverageGap {
  what: string
  why: string
  /** Rule ids that could not be (fully) evaluated because of this gap. */
  rules?: string[]
  /**
   * True when reads failed (the API still failing after retries), as opposed to being denied to
   * the role or skipped on purpose: the report is incomplete and the run exits 5.
   */
  failed?: boolean
}

export interface Coverage {
  apps: number
  routes: number
  serviceInstances: number
  gaps: CoverageGap[]
  /** `*.show` audit events this run caused on the platform (secret reads). */
  auditEventsCreated: number
  requests: number
}

export type SeveritySummary = Record<Severity, number>

/** One foundation of a multi-foundation audit (`audit --targets a,b`). */
export interface FoundationOutcome {
  /** The stored target's name (`cfguard login --name NAME`). */
  name: string
  /** The foundation's own target; null when it could not be reached. */
  target: {api: string; ccVersion: string; org: string | null; space: string | null} | null
  summary: SeveritySummary | null
  coverage: Coverage | null
  /** Why the foundation could not be audited (its findings are missing); null when it was. */
  error: {code: string; message: string; exitCode: number} | null
}

/** The result of `audit`, `identity audit` and `routes report` (docs/architecture.md, Output contract). */
export interface AuditResult {
  schemaVersion: 1
  target: {api: string; ccVersion: string; org: string | null; space: string | null}
  generatedAt: string
  summary: SeveritySummary
  findings: Finding[]
  coverage: Coverage
  /** Findings hidden by active suppressions or a baseline (counted, listed by fingerprint). */
  suppressed?: {fingerprint: string; rule: string; reason: string}[]
  foundation?: string
  /** Present with `--compliance soc2`. */
  compliance?: ComplianceReport
  /** `routes report` (and `audit` when routes were checked): the route map the route rules saw. */
  routeMap?: RouteMap
  /** Multi-foundation audits: each foundation's target, summary and coverage, or its error. */
  foundations?: FoundationOutcome[]
  /** `--traffic`: per route host and instance traffic from Gorouter access logs. */
  traffic?: TrafficReport
}
