import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'
import {Ajv2020} from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

import type {ComplianceReport} from '../../../src/model/compliance.js'
import type {
  AuditResult,
  Coverage,
  CoverageGap,
  Finding,
  FoundationOutcome,
  ResourceRef,
} from '../../../src/model/finding.js'
import type {
  InstanceCounts,
  RouteMap,
  RouteMapDestination,
  RouteMapDomain,
  RouteMapRoute,
  TrafficHost,
  TrafficInstance,
  TrafficReport,
} from '../../../src/model/route-map.js'
import {formatJson, normalizeResult} from '../../../src/report/json.js'
import {RULES, allKindsResult, auditResult, emptyResult, routeMap} from '../../helpers/report-fixtures.js'
import {ROOT} from '../../helpers/cli.js'

type AnySchema = {
  properties?: Record<string, AnySchema>
  required?: string[]
  $defs?: Record<string, AnySchema>
}

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/audit-result.schema.json'), 'utf8')) as AnySchema
// ajv-formats is CommonJS with a default export; under ESM interop it can arrive wrapped.
const addFormats = ((addFormatsModule as unknown as {default?: unknown}).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020
const ajv = new Ajv2020({allErrors: true, strict: true, allowUnionTypes: true})
addFormats(ajv)
const validate = ajv.compile(schema)

function errors(doc: unknown): string {
  return validate(doc) ? '' : ajv.errorsText(validate.errors)
}

/**
 * Every key of the TypeScript contract, required or optional. A field added to the model without
 * the schema (or the reverse) fails to compile here or fails the key comparison below.
 */
const MODEL_KEYS: {
  result: Record<keyof AuditResult, true>
  finding: Record<keyof Finding, true>
  resource: Record<keyof ResourceRef, true>
  coverage: Record<keyof Coverage, true>
  gap: Record<keyof CoverageGap, true>
  compliance: Record<keyof ComplianceReport, true>
  routeMap: Record<keyof RouteMap, true>
  domain: Record<keyof RouteMapDomain, true>
  route: Record<keyof RouteMapRoute, true>
  destination: Record<keyof RouteMapDestination, true>
  instances: Record<keyof InstanceCounts, true>
  foundation: Record<keyof FoundationOutcome, true>
  traffic: Record<keyof TrafficReport, true>
  trafficHost: Record<keyof TrafficHost, true>
  trafficInstance: Record<keyof TrafficInstance, true>
} = {
  result: {
    schemaVersion: true,
    target: true,
    generatedAt: true,
    summary: true,
    findings: true,
    coverage: true,
    suppressed: true,
    foundation: true,
    compliance: true,
    routeMap: true,
    foundations: true,
    traffic: true,
  },
  finding: {
    rule: true,
    severity: true,
    title: true,
    message: true,
    resource: true,
    related: true,
    evidence: true,
    remediation: true,
    fingerprint: true,
    foundation: true,
  },
  resource: {kind: true, guid: true, name: true, space: true, org: true},
  coverage: {
    apps: true,
    routes: true,
    serviceInstances: true,
    gaps: true,
    auditEventsCreated: true,
    requests: true,
  },
  gap: {what: true, why: true, rules: true, failed: true},
  compliance: {framework: true, criteria: true},
  routeMap: {domains: true},
  domain: {guid: true, name: true, internal: true, tcp: true, enforceRoutePolicies: true, routes: true},
  route: {
    guid: true,
    url: true,
    host: true,
    path: true,
    port: true,
    protocol: true,
    options: true,
    space: true,
    org: true,
    routeService: true,
    policies: true,
    destinations: true,
    findings: true,
  },
  destination: {
    appGuid: true,
    appName: true,
    appState: true,
    space: true,
    org: true,
    processType: true,
    port: true,
    protocol: true,
    weight: true,
    instances: true,
    healthCheck: true,
    readinessCheck: true,
  },
  instances: {
    desired: true,
    running: true,
    crashed: true,
    starting: true,
    down: true,
    unroutable: true,
    unknown: true,
    known: true,
  },
  foundation: {name: true, target: true, summary: true, coverage: true, error: true},
  traffic: {windowSeconds: true, linesRead: true, linesSkipped: true, hosts: true},
  trafficHost: {
    host: true,
    routes: true,
    requests: true,
    status5xx: true,
    routerErrors: true,
    instances: true,
  },
  trafficInstance: {
    appGuid: true,
    appName: true,
    index: true,
    instanceGuid: true,
    requests: true,
    share: true,
    status5xx: true,
    errorRate: true,
    p95ResponseSeconds: true,
    routerErrors: true,
  },
}

describe('report/json and schemas/audit-result.schema.json', () => {
  it('the schema names exactly the fields of the TypeScript contract', () => {
    const defs = schema.$defs ?? {}
    const props = (s: AnySchema | undefined) => Object.keys(s?.properties ?? {}).sort()
    expect(props(schema)).to.deep.equal(Object.keys(MODEL_KEYS.result).sort())
    expect(props(defs.finding)).to.deep.equal(Object.keys(MODEL_KEYS.finding).sort())
    expect(props(defs.resourceRef)).to.deep.equal(Object.keys(MODEL_KEYS.resource).sort())
    expect(props(defs.coverage)).to.deep.equal(Object.keys(MODEL_KEYS.coverage).sort())
    expect(props(defs.coverageGap)).to.deep.equal(Object.keys(MODEL_KEYS.gap).sort())
    expect(props(defs.compliance)).to.deep.equal(Object.keys(MODEL_KEYS.compliance).sort())
    expect(props(defs.routeMap)).to.deep.equal(Object.keys(MODEL_KEYS.routeMap).sort())
    expect(props(defs.routeMapDomain)).to.deep.equal(Object.keys(MODEL_KEYS.domain).sort())
    expect(props(defs.routeMapRoute)).to.deep.equal(Object.keys(MODEL_KEYS.route).sort())
    expect(props(defs.routeMapDestination)).to.deep.equal(Object.keys(MODEL_KEYS.destination).sort())
    expect(props(defs.instanceCounts)).to.deep.equal(Object.keys(MODEL_KEYS.instances).sort())
    expect(props(defs.foundationOutcome)).to.deep.equal(Object.keys(MODEL_KEYS.foundation).sort())
    expect(props(defs.trafficReport)).to.deep.equal(Object.keys(MODEL_KEYS.traffic).sort())
    expect(props(defs.trafficHost)).to.deep.equal(Object.keys(MODEL_KEYS.trafficHost).sort())
    expect(props(defs.trafficInstance)).to.deep.equal(Object.keys(MODEL_KEYS.trafficInstance).sort())
    // Optional in TypeScript ⇔ not required in the schema.
    const optional = {
      result: ['suppressed', 'foundation', 'compliance', 'routeMap', 'foundations', 'traffic'],
      finding: ['foundation'],
      resource: ['space', 'org'],
      gap: ['rules', 'failed'],
    }
    const required = (s: AnySchema | undefined) => [...(s?.required ?? [])].sort()
    const expectRequired = (s: AnySchema | undefined, keys: object, opt: string[]) =>
      expect(required(s)).to.deep.equal(
        Object.keys(keys)
          .filter((k) => !opt.includes(k))
          .sort(),
      )
    expectRequired(schema, MODEL_KEYS.result, optional.result)
    expectRequired(defs.finding, MODEL_KEYS.finding, optional.finding)
    expectRequired(defs.resourceRef, MODEL_KEYS.resource, optional.resource)
    expectRequired(defs.coverage, MODEL_KEYS.coverage, [])
    expectRequired(defs.coverageGap, MODEL_KEYS.gap, optional.gap)
    expectRequired(defs.routeMapRoute, MODEL_KEYS.route, [])
    expectRequired(defs.routeMapDestination, MODEL_KEYS.destination, [])
    expectRequired(defs.instanceCounts, MODEL_KEYS.instances, ['unknown'])
    expectRequired(defs.foundationOutcome, MODEL_KEYS.foundation, [])
    expectRequired(defs.trafficReport, MODEL_KEYS.traffic, [])
    expectRequired(defs.trafficHost, MODEL_KEYS.trafficHost, [])
    expectRequired(defs.trafficInstance, MODEL_KEYS.trafficInstance, [])
  })

  it('validates a multi-foundation result and a traffic report, and keeps them under --format json', () => {
    const base = auditResult()
    const traffic: TrafficReport = {
      windowSeconds: 900,
      linesRead: 12,
      linesSkipped: 1,
      hosts: [
        {
          host: 'search.apps.example.com',
          routes: ['search.apps.example.com'],
          requests: 11,
          status5xx: 1,
          routerErrors: {no_endpoints: 1},
          instances: [
            {
              appGuid: 'a-1',
              appName: 'search',
              index: 0,
              instanceGuid: null,
              requests: 11,
              share: 1,
              status5xx: 1,
              errorRate: 0.09,
              p95ResponseSeconds: 0.12,
              routerErrors: {},
            },
          ],
        },
      ],
    }
    const foundations: FoundationOutcome[] = [
      {name: 'prod', target: base.target, summary: base.summary, coverage: base.coverage, error: null},
      {
        name: 'staging',
        target: null,
        summary: null,
        coverage: null,
        error: {code: 'API_UNAVAILABLE', message: 'api.staging unreachable', exitCode: 5},
      },
    ]
    const doc = JSON.parse(formatJson({...base, foundations, traffic})) as AuditResult
    expect(errors(doc)).to.equal('')
    expect(doc.foundations).to.deep.equal(foundations)
    expect(doc.traffic).to.deep.equal(traffic)
    const broken = structuredClone(doc)
    broken.traffic!.hosts[0]!.instances[0]!.share = 3
    expect(errors(broken)).not.to.equal('')
  })

  it('validates the JSON of every fixture, with and without the compliance block', () => {
    for (const result of [auditResult(), emptyResult(), allKindsResult()]) {
      expect(errors(JSON.parse(formatJson(result)))).to.equal('')
      expect(errors(JSON.parse(formatJson(result, {rules: RULES, compliance: 'soc2'})))).to.equal('')
    }
  })

  it('validates a routes report result carrying its route map, in contract order', () => {
    const result = {...auditResult(), routeMap: routeMap()}
    const doc = JSON.parse(formatJson(result)) as AuditResult
    expect(errors(doc)).to.equal('')
    expect(doc.routeMap).to.deep.equal(routeMap())
    const broken = structuredClone(doc)
    Object.assign(broken.routeMap!.domains[0]!.routes[0]!.destinations[0]!.instances, {healthy: 1})
    expect(errors(broken)).not.to.equal('')
    const missing = structuredClone(doc)
    delete (missing.routeMap!.domains[0]!.routes[0] as Partial<RouteMapRoute>).findings
    expect(errors(missing)).not.to.equal('')
  })

  it('redacts userinfo in a route-service URL of the route map', () => {
    const map = routeMap()
    map.domains[0]!.routes[0]!.routeService = {
      url: 'https://guard:s3cretpass@sso-guard.example.com',
      serviceInstance: 'g',
    }
    const text = formatJson({...auditResult(), routeMap: map})
    expect(text.includes('s3cretpass')).to.equal(false, 'route-service password leaked into JSON')
  })

  it('writes the route map with the same bytes as the normalised result it is not copied into', () => {
    const map = routeMap()
    const route = map.domains[0]!.routes[0]!
    map.domains[0]!.routes.push({
      ...route,
      guid: 'route-extra',
      url: 'https://admin:hunter22pass@extra.example.com/p',
      options: {hashHeader: 'X-User', loadbalancing: 'hash', hashBalance: '1.5'},
      routeService: {url: 'https://guard:s3cretpass@sso-guard.example.com', serviceInstance: 'g'},
    })
    const result = {...auditResult(), routeMap: map}
    const text = formatJson(result)
    expect(text).to.equal(`${JSON.stringify(normalizeResult(result), null, 2)}\n`)
    expect(text.includes('s3cretpass') || text.includes('hunter22pass')).to.equal(false, 'userinfo leaked')
    // contract key order inside a route, not the fixture's
    const routes = (JSON.parse(text) as AuditResult).routeMap!.domains[0]!.routes
    const extra = routes.find((r) => r.guid === 'route-extra')!
    expect(Object.keys(extra.options)).to.deep.equal(['loadbalancing', 'hashHeader', 'hashBalance'])
  })

  it('rejects an extra field anywhere the contract is strict', () => {
    const extras: ((doc: AuditResult & Record<string, unknown>) => void)[] = [
      (d) => Object.assign(d, {extra: 1}),
      (d) => Object.assign(d.target, {region: 'eu'}),
      (d) => Object.assign(d.summary, {unknown: 0}),
      (d) => Object.assign(d.findings[0]!, {secret: 'x'}),
      (d) => Object.assign(d.findings[0]!.resource, {labels: {}}),
      (d) => Object.assign(d.coverage, {durationMs: 5}),
      (d) => Object.assign(d.coverage.gaps[0]!, {hint: 'x'}),
    ]
    for (const mutate of extras) {
      const doc = JSON.parse(formatJson(auditResult())) as AuditResult & Record<string, unknown>
      mutate(doc)
      expect(errors(doc), mutate.toString()).not.to.equal('')
    }
  })

  it('rejects a missing required field and a wrong value', () => {
    const breakers: ((doc: Record<string, unknown> & AuditResult) => void)[] = [
      (d) => delete (d as Partial<AuditResult>).coverage,
      (d) => delete (d.findings[0] as Partial<Finding>).fingerprint,
      (d) => delete (d.findings[0] as Partial<Finding>).remediation,
      (d) => delete (d.summary as Partial<AuditResult['summary']>).info,
      (d) => delete (d.coverage as Partial<Coverage>).auditEventsCreated,
      (d) => Object.assign(d, {schemaVersion: 2}),
      (d) => Object.assign(d.findings[0]!, {severity: 'urgent'}),
      (d) => Object.assign(d.findings[0]!.resource, {kind: 'vm'}),
      (d) => Object.assign(d.findings[0]!, {rule: 'no-family'}),
      (d) => Object.assign(d, {generatedAt: 'yesterday'}),
      (d) => Object.assign(d.findings[0]!.evidence, {nested: {a: 1}}),
    ]
    for (const mutate of breakers) {
      const doc = JSON.parse(formatJson(auditResult())) as Record<string, unknown> & AuditResult
      mutate(doc)
      expect(errors(doc), mutate.toString()).not.to.equal('')
    }
  })

  it('keeps the contract key order and sorts findings and evidence deterministically', () => {
    const shuffled = auditResult()
    shuffled.findings.reverse()
    shuffled.findings[2]!.evidence = {zeta: 1, alpha: 'a'}
    const doc = JSON.parse(formatJson(shuffled)) as AuditResult
    expect(Object.keys(doc)).to.deep.equal([
      'schemaVersion',
      'target',
      'generatedAt',
      'summary',
      'findings',
      'coverage',
      'suppressed',
    ])
    expect(Object.keys(doc.findings[0]!)).to.deep.equal([
      'rule',
      'severity',
      'title',
      'message',
      'resource',
      'related',
      'evidence',
      'remediation',
      'fingerprint',
    ])
    expect(Object.keys(doc.summary)).to.deep.equal(['critical', 'high', 'medium', 'low', 'info'])
    expect(doc.findings.map((f) => f.rule)).to.deep.equal(
      normalizeResult(auditResult()).findings.map((f) => f.rule),
    )
    expect(doc.findings[0]!.rule).to.equal('routes/internal-exposed')
    expect(doc.findings.at(-1)!.rule).to.equal('routes/unrouted-app')
    const withEvidence = doc.findings.find((f) => 'zeta' in f.evidence)!
    expect(Object.keys(withEvidence.evidence)).to.deep.equal(['alpha', 'zeta'])
    expect(formatJson(shuffled)).to.equal(formatJson(shuffled))
  })

  it('redacts secret-shaped text in messages and evidence without touching fingerprints', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'
    const result = auditResult()
    result.findings[1]!.message = `value ${jwt}`
    result.findings[1]!.evidence = {sample: `Bearer abcdefghijklmnop`, fingerprint: 'hmac:3f9a0c51d2e4'}
    const text = formatJson(result)
    expect(text.includes(jwt)).to.equal(false, 'token leaked into JSON')
    expect(text.includes('abcdefghijklmnop')).to.equal(false, 'bearer token leaked into JSON')
    expect(text).to.contain('hmac:3f9a0c51d2e4')
  })

  it('adds the compliance block only when asked or present', () => {
    expect(JSON.parse(formatJson(auditResult()))).not.to.have.property('compliance')
    const doc = JSON.parse(formatJson(auditResult(), {rules: RULES, compliance: 'soc2'})) as AuditResult
    expect(doc.compliance?.framework).to.equal('soc2')
    expect(doc.compliance?.criteria.map((c) => c.id)).to.include('CC6.1')
  })
})
