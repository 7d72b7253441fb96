import type {ComplianceReport} from '../model/compliance.js'
import type {
  AuditResult,
  CoverageGap,
  Evidence,
  Finding,
  FoundationOutcome,
  ResourceRef,
} from '../model/finding.js'
import type {RouteMap, RouteMapDestination, RouteMapRoute, TrafficReport} from '../model/route-map.js'
import {buildCompliance} from './compliance.js'
import {clean} from './escape.js'
import {cmp, sortForReport} from './summary.js'
import type {FormatOptions} from './types.js'

/**
 * The result as the docs/architecture.md JSON document, with a stable key order (the contract's), findings
 * sorted worst first then by rule and resource, evidence keys sorted, and free text redacted by
 * shape. Two runs over the same foundation give byte-identical output apart from generatedAt.
 */
export function formatJson(result: AuditResult, options: FormatOptions = {}): string {
  return `${JSON.stringify(normalizeDocument(result, options, true), null, 2)}\n`
}

/** The ordered, redacted object behind `formatJson` (for commands that embed it in the envelope). */
export function normalizeResult(result: AuditResult, options: FormatOptions = {}): AuditResult {
  return normalizeDocument(result, options, false)
}

/**
 * A route of the map, normalised only when JSON.stringify reaches it (`toJSON`): the text is the
 * same, and no second copy of every route and destination is alive beside the original while the
 * document is written (tens of MB at 50,000 apps). Only `formatJson` uses it: its object is
 * never handed out, so nothing reads a route's fields from it.
 */
class LazyRoute {
  constructor(private readonly route: RouteMapRoute) {}

  toJSON(): RouteMapRoute {
    return normalizeRoute(this.route)
  }
}

function normalizeDocument(result: AuditResult, options: FormatOptions, lazyRoutes: boolean): AuditResult {
  const out: AuditResult = {
    schemaVersion: result.schemaVersion,
    target: {
      api: result.target.api,
      ccVersion: result.target.ccVersion,
      org: result.target.org,
      space: result.target.space,
    },
    generatedAt: result.generatedAt,
    summary: {
      critical: result.summary.critical,
      high: result.summary.high,
      medium: result.summary.medium,
      low: result.summary.low,
      info: result.summary.info,
    },
    findings: sortForReport(result.findings).map(normalizeFinding),
    coverage: {
      apps: result.coverage.apps,
      routes: result.coverage.routes,
      serviceInstances: result.coverage.serviceInstances,
      gaps: result.coverage.gaps.map(normalizeGap),
      auditEventsCreated: result.coverage.auditEventsCreated,
      requests: result.coverage.requests,
    },
  }
  if (result.suppressed) {
    out.suppressed = [...result.suppressed]
      .sort((a, b) => cmp(a.rule, b.rule) || cmp(a.fingerprint, b.fingerprint))
      .map((s) => ({fingerprint: s.fingerprint, rule: s.rule, reason: clean(s.reason)}))
  }
  if (result.foundation !== undefined) out.foundation = result.foundation
  const compliance =
    result.compliance ?? (options.compliance === 'soc2' ? buildCompliance(result, options.rules) : undefined)
  if (compliance) out.compliance = normalizeCompliance(compliance)
  if (result.routeMap) out.routeMap = normalizeRouteMap(result.routeMap, lazyRoutes)
  if (result.foundations) out.foundations = result.foundations.map(normalizeFoundation)
  if (result.traffic) out.traffic = normalizeTraffic(result.traffic)
  return out
}

function normalizeFoundation(f: FoundationOutcome): FoundationOutcome {
  return {
    name: f.name,
    target: f.target
      ? {api: f.target.api, ccVersion: f.target.ccVersion, org: f.target.org, space: f.target.space}
      : null,
    summary: f.summary
      ? {
          critical: f.summary.critical,
          high: f.summary.high,
          medium: f.summary.medium,
          low: f.summary.low,
          info: f.summary.info,
        }
      : null,
    coverage: f.coverage
      ? {
          apps: f.coverage.apps,
          routes: f.coverage.routes,
          serviceInstances: f.coverage.serviceInstances,
          gaps: f.coverage.gaps.map(normalizeGap),
          auditEventsCreated: f.coverage.auditEventsCreated,
          requests: f.coverage.requests,
        }
      : null,
    error: f.error ? {code: f.error.code, message: clean(f.error.message), exitCode: f.error.exitCode} : null,
  }
}

/** Hosts and app names are user data: cleaned; router-error keys sorted. */
function normalizeTraffic(t: TrafficReport): TrafficReport {
  const counts = (c: Record<string, number>) =>
    Object.fromEntries(
      Object.keys(c)
        .sort(cmp)
        .map((k) => [clean(k), c[k] ?? 0]),
    )
  return {
    windowSeconds: t.windowSeconds,
    linesRead: t.linesRead,
    linesSkipped: t.linesSkipped,
    hosts: t.hosts.map((h) => ({
      host: clean(h.host),
      routes: h.routes.map((r) => clean(r)),
      requests: h.requests,
      status5xx: h.status5xx,
      routerErrors: counts(h.routerErrors),
      instances: h.instances.map((i) => ({
        appGuid: i.appGuid,
        appName: clean(i.appName),
        index: i.index,
        instanceGuid: i.instanceGuid,
        requests: i.requests,
        share: i.share,
        status5xx: i.status5xx,
        errorRate: i.errorRate,
        p95ResponseSeconds: i.p95ResponseSeconds,
        routerErrors: counts(i.routerErrors),
      })),
    })),
  }
}

function normalizeFinding(f: Finding): Finding {
  const out: Finding = {
    rule: f.rule,
    severity: f.severity,
    title: clean(f.title),
    message: clean(f.message),
    resource: normalizeRef(f.resource),
    related: f.related.map(normalizeRef),
    evidence: normalizeEvidence(f.evidence),
    remediation: clean(f.remediation),
    fingerprint: f.fingerprint,
  }
  if (f.foundation !== undefined) out.foundation = f.foundation
  return out
}

function normalizeRef(r: ResourceRef): ResourceRef {
  const out: ResourceRef = {kind: r.kind, guid: r.guid, name: r.name}
  if (r.space !== undefined) out.space = r.space
  if (r.org !== undefined) out.org = r.org
  return out
}

function normalizeEvidence(evidence: Evidence): Evidence {
  const out: Evidence = {}
  for (const key of Object.keys(evidence).sort(cmp)) {
    const v = evidence[key]
    if (v === undefined) continue
    out[key] = typeof v === 'string' ? clean(v) : Array.isArray(v) ? v.map((s) => clean(s)) : v
  }
  return out
}

function normalizeGap(g: CoverageGap): CoverageGap {
  const out: CoverageGap = {what: clean(g.what), why: clean(g.why)}
  if (g.rules) out.rules = [...g.rules].sort(cmp)
  return out
}

function normalizeCompliance(c: ComplianceReport): ComplianceReport {
  return {
    framework: c.framework,
    criteria: c.criteria.map((k) => ({
      id: k.id,
      name: k.name,
      summary: {
        critical: k.summary.critical,
        high: k.summary.high,
        medium: k.summary.medium,
        low: k.summary.low,
        info: k.summary.info,
      },
      rules: k.rules.map((r) => ({
        id: r.id,
        title: clean(r.title),
        findings: r.findings,
        checked: r.checked,
      })),
      findings: [...k.findings],
    })),
  }
}

/** Contract key order; names and URLs are user data (a route-service URL may carry userinfo): cleaned. */
function normalizeRouteMap(map: RouteMap, lazy: boolean): RouteMap {
  return {
    domains: map.domains.map((d) => ({
      guid: d.guid,
      name: clean(d.name),
      internal: d.internal,
      tcp: d.tcp,
      enforceRoutePolicies: d.enforceRoutePolicies,
      // (typed as routes: JSON.stringify serialises a LazyRoute as exactly the route it stands for)
      routes: lazy
        ? d.routes.map((r) => new LazyRoute(r) as unknown as RouteMapRoute)
        : d.routes.map(normalizeRoute),
    })),
  }
}

function normalizeRoute(r: RouteMapRoute): RouteMapRoute {
  const options: RouteMapRoute['options'] = {}
  if (r.options.loadbalancing !== undefined) options.loadbalancing = clean(r.options.loadbalancing)
  if (r.options.hashHeader !== undefined) options.hashHeader = clean(r.options.hashHeader)
  if (r.options.hashBalance !== undefined) options.hashBalance = clean(r.options.hashBalance)
  return {
    guid: r.guid,
    url: clean(r.url),
    host: clean(r.host),
    path: clean(r.path),
    port: r.port,
    protocol: r.protocol,
    options,
    space: r.space,
    org: r.org,
    routeService: r.routeService
      ? {
          url: r.routeService.url === null ? null : clean(r.routeService.url),
          serviceInstance: clean(r.routeService.serviceInstance),
        }
      : null,
    policies: [...r.policies],
    destinations: r.destinations.map(normalizeDestination),
    findings: [...r.findings],
  }
}

function normalizeDestination(d: RouteMapDestination): RouteMapDestination {
  return {
    appGuid: d.appGuid,
    appName: clean(d.appName),
    appState: d.appState,
    space: d.space,
    org: d.org,
    processType: d.processType,
    port: d.port,
    protocol: d.protocol,
    weight: d.weight,
    instances: {
      desired: d.instances.desired,
      running: d.instances.running,
      crashed: d.instances.crashed,
      starting: d.instances.starting,
      down: d.instances.down,
      unroutable: d.instances.unroutable,
      ...(d.instances.unknown ? {unknown: d.instances.unknown} : {}),
      known: d.instances.known,
    },
    healthCheck: d.healthCheck,
    readinessCheck: d.readinessCheck,
  }
}
