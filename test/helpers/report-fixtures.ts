/**
 * Literal report fixtures: an audit result, its route map and the rule metadata, written out by
 * hand (no dependency on the real rule files) so formatter tests state exactly what they render.
 */
import type {AuditResult, Finding, ResourceKind, ResourceRef} from '../../src/model/finding.js'
import type {InstanceCounts, RouteMap, RouteMapDestination, RouteMapRoute} from '../../src/model/route-map.js'
import type {RuleMeta} from '../../src/report/types.js'

export const RULES: RuleMeta[] = [
  {
    id: 'identity/secret-in-env',
    severity: 'high',
    title: 'Secret in a plain app environment variable',
    docs: 'Anyone with SpaceDeveloper or read access to the app environment can read it, and it never rotates with the platform. Move it into a user-provided service: `cf cups NAME -p credentials.json`, bind it, then `cf unset-env APP VAR`.',
    soc2: ['CC6.1', 'CC6.7'],
  },
  {
    id: 'identity/shared-client',
    severity: 'high',
    title: 'One OAuth client shared by apps in several spaces',
    docs: 'One leak exposes every app that holds the client, and none can be rotated alone. Give each app its own client (`uaa create-client`) and its own service instance.',
    soc2: ['CC6.1', 'CC6.3'],
  },
  {
    id: 'identity/stale-credential',
    severity: 'medium',
    title: 'Credential older than the maximum age',
    docs: 'Long-lived secrets widen the window for a leaked copy. Rotate it: `cfguard credentials rotate SERVICE_INSTANCE`.',
    soc2: ['CC6.1', 'CC6.2'],
  },
  {
    id: 'identity/drift',
    severity: 'high',
    title: 'Instances run with a previous credential',
    docs: 'Instances started before the credential last changed still hold the old value. Restart them with a rolling deployment: `cf restart APP --strategy rolling`.',
    soc2: ['CC6.1', 'CC8.1'],
  },
  {
    id: 'identity/insecure-issuer',
    severity: 'high',
    title: 'Issuer or token endpoint without TLS',
    docs: 'Tokens and client secrets cross the network in clear text. Use the https URL of the issuer and keep TLS verification on.',
    soc2: ['CC6.7'],
  },
  {
    id: 'identity/overprivileged-client',
    severity: 'high',
    title: 'App client holds admin-grade authorities',
    docs: 'An app credential with uaa.admin or cloud_controller.admin is a foundation admin credential. Remove the authorities: `uaa update-client ID --authorities ...`.',
    soc2: ['CC6.3'],
  },
  {
    id: 'identity/orphan-credential',
    severity: 'low',
    title: 'Identity credentials bound to no app',
    docs: 'Unused credentials still work for whoever holds a copy. Delete the service instance or key: `cf delete-service NAME`.',
    soc2: ['CC6.2'],
  },
  {
    id: 'routes/internal-exposed',
    severity: 'critical',
    title: 'Internal app reachable on a public domain',
    docs: 'An app meant for container-to-container traffic also has a route on a public domain, so anyone can reach it. Remove the public route: `cf unmap-route APP DOMAIN --hostname HOST`.',
    soc2: ['CC6.6'],
  },
  {
    id: 'routes/no-healthy-instances',
    severity: 'high',
    title: 'Route has no healthy instance behind it',
    docs: 'Gorouter answers 502/404 for every request. Look at `cf app APP` and `cf logs APP --recent`, then fix the crash or scale up.',
    soc2: ['A1.2', 'CC7.2'],
  },
  {
    id: 'routes/stopped-app',
    severity: 'medium',
    title: 'Route maps to a stopped app',
    docs: 'Requests to the route fail while the app is stopped. Start the app or unmap the route.',
    soc2: ['A1.2'],
  },
  {
    id: 'routes/orphan',
    severity: 'low',
    title: 'Route without destinations',
    docs: 'The route holds a hostname and counts against the quota. Delete it: `cf delete-orphaned-routes`.',
    soc2: ['CC8.1'],
  },
  {
    id: 'routes/sensitive-path-public',
    severity: 'medium',
    title: 'Operational path on a public route',
    docs: 'Paths such as /actuator or /admin expose internals. Move them to an internal domain or protect them with a route service.',
    soc2: ['CC6.6'],
  },
  {
    id: 'routes/policy-missing',
    severity: 'high',
    title: 'Route on an enforcing domain has no route policy',
    docs: 'The domain denies every request without a policy. Add one: `cf add-route-policy DOMAIN --source cf:app:GUID`.',
    soc2: ['CC6.1', 'A1.2'],
  },
  {
    id: 'routes/health-check',
    severity: 'medium',
    title: 'Routed process uses a process health check',
    docs: 'Gorouter can send traffic before the app listens. Use `cf set-health-check APP http --endpoint /health`.',
    soc2: ['A1.2'],
  },
  {
    id: 'routes/multiple-apps',
    severity: 'low',
    title: 'Route maps to more than one app',
    docs: 'Leftover blue/green: half the traffic reaches the old version. Unmap the route from the old app.',
    soc2: ['CC8.1'],
  },
  {
    id: 'routes/lb-ineffective',
    severity: 'info',
    title: 'Load-balancing option has no effect on one instance',
    docs: 'least-connection and hash balancing need more than one instance to matter.',
    soc2: ['A1.2'],
  },
  {
    id: 'routes/unrouted-app',
    severity: 'info',
    title: 'Started app without routes',
    docs: 'Fine for workers; listed so it is a choice.',
    soc2: [],
  },
]

/** An app name that would run script and fetch from the network if any formatter forgot to escape it. */
export const HOSTILE_APP =
  'legacy<script>window.__pwned=true</script><img src="http://127.0.0.1:9/leak" onerror="window.__pwned=true">'

const acmeProd = {org: 'acme', space: 'prod'}
const acmeStaging = {org: 'acme', space: 'staging'}

function ref(
  kind: ResourceKind,
  guid: string,
  name: string,
  place: {org?: string | null; space?: string | null} = {},
) {
  return {kind, guid, name, ...place} as ResourceRef
}

function finding(
  rule: string,
  fingerprint: string,
  resource: ResourceRef,
  message: string,
  remediation: string,
  extra: Partial<Finding> = {},
): Finding {
  const meta = RULES.find((r) => r.id === rule)
  if (!meta) throw new Error(`fixture names unknown rule ${rule}`)
  return {
    rule,
    severity: meta.severity,
    title: meta.title,
    message,
    resource,
    related: [],
    evidence: {},
    remediation,
    fingerprint,
    ...extra,
  }
}

export const FINDINGS: Finding[] = [
  finding(
    'routes/internal-exposed',
    '1c0e6f2a9b7d4c3e8f6a1b2c3d4e5f01',
    ref('app', 'app-ledger', 'ledger', acmeProd),
    'app ledger has a route on the internal domain apps.internal and a public route ledger.apps.example.com',
    'cf unmap-route ledger apps.example.com --hostname ledger',
    {
      related: [ref('route', 'route-ledger-public', 'ledger.apps.example.com', acmeProd)],
      evidence: {internalRoute: 'ledger.apps.internal', publicRoute: 'ledger.apps.example.com'},
    },
  ),
  finding(
    'identity/secret-in-env',
    '2a1f7e3b0c8e5d4f9a7b2c3d4e5f6a02',
    ref('app', 'app-billing-api', 'billing-api', acmeProd),
    'app billing-api sets CLIENT_SECRET in its environment variables',
    'move it into a user-provided service: cf cups billing-oidc -p credentials.json, then cf unset-env billing-api CLIENT_SECRET',
    {evidence: {variable: 'CLIENT_SECRET', fingerprint: 'hmac:3f9a0c51d2e4'}},
  ),
  finding(
    'identity/shared-client',
    '3b2a8f4c1d9f6e5a0b8c3d4e5f6a7b03',
    ref('service_instance', 'si-billing-oidc', 'billing-oidc', acmeProd),
    'client billing-client is bound to 2 apps in 2 spaces (prod, staging)',
    'create one UAA client per app and bind each app its own service instance',
    {
      related: [
        ref('app', 'app-billing-api', 'billing-api', acmeProd),
        ref('app', 'app-invoice-worker', 'invoice-worker', acmeStaging),
      ],
      evidence: {clientId: 'billing-client', spaces: ['prod', 'staging'], apps: 2},
    },
  ),
  finding(
    'routes/no-healthy-instances',
    '4c3b9a5d2e0a7f6b1c9d4e5f6a7b8c04',
    ref('route', 'route-reports', 'reports.apps.example.com', acmeProd),
    'route reports.apps.example.com sends traffic to reports, whose 2 instances are all CRASHED',
    'cf logs reports --recent, fix the crash, then cf restart reports',
    {evidence: {desired: 2, running: 0, crashed: 2}},
  ),
  finding(
    'routes/policy-missing',
    '5d4c0b6e3f1b8a7c2d0e5f6a7b8c9d05',
    ref('route', 'route-portal', 'portal.secure.example.com', acmeProd),
    'route portal.secure.example.com is on secure.example.com, which enforces route policies, and has none: every request is denied',
    'cf add-route-policy secure.example.com --hostname portal --source cf:space:GUID',
  ),
  finding(
    'identity/stale-credential',
    '6e5d1c7f4a2c9b8d3e1f6a7b8c9d0e06',
    ref('service_instance', 'si-payments-sso', 'payments-sso', acmeProd),
    'credentials of payments-sso last changed 143 days ago (policy: 90 days)',
    'cfguard credentials rotate payments-sso',
    {evidence: {lastChanged: '2026-07-08T09:12:00Z', ageDays: 143, maxAgeDays: 90}},
  ),
  finding(
    'routes/sensitive-path-public',
    '7f6e2d8a5b3d0c9e4f2a7b8c9d0e1f07',
    ref('route', 'route-ops-actuator', 'ops.apps.example.com/actuator', acmeProd),
    'public route ops.apps.example.com/actuator exposes an operational path (/actuator)',
    'map the path on apps.internal instead, or bind an authenticating route service',
  ),
  finding(
    'routes/health-check',
    '8a7f3e9b6c4e1d0f5a3b8c9d0e1f2a08',
    ref('process', 'proc-billing-api-web', 'billing-api/web', acmeProd),
    'routed process billing-api/web uses the "process" health check',
    'cf set-health-check billing-api http --endpoint /health',
  ),
  finding(
    'routes/stopped-app',
    '9b8a4f0c7d5f2e1a6b4c9d0e1f2a3b09',
    ref('app', 'app-legacy', HOSTILE_APP, acmeStaging),
    `route legacy.apps.example.com maps to the stopped app ${HOSTILE_APP} | and more`,
    'cf start the app, or cf unmap-route it',
  ),
  finding(
    'routes/orphan',
    'ac9b5a1d8e6a3f2b7c5d0e1f2a3b4c10',
    ref('route', 'route-old-checkout', 'old-checkout.apps.example.com', acmeProd),
    'route old-checkout.apps.example.com has no destinations',
    'cf delete-route apps.example.com --hostname old-checkout',
  ),
  finding(
    'routes/multiple-apps',
    'bdac6b2e9f7b4a3c8d6e1f2a3b4c5d11',
    ref('route', 'route-checkout', 'checkout.apps.example.com', acmeProd),
    'route checkout.apps.example.com maps to 2 apps (checkout-blue, checkout-green) and no deployment is active',
    'cf unmap-route checkout-blue apps.example.com --hostname checkout',
  ),
  finding(
    'routes/lb-ineffective',
    'cebd7c3fa08c5b4d9e7f2a3b4c5d6e12',
    ref('route', 'route-search', 'search.apps.example.com', acmeProd),
    'route search.apps.example.com uses hash load balancing but search runs 1 instance',
    'scale search to 2 or more instances, or drop the option',
  ),
  finding(
    'routes/unrouted-app',
    'dfce8d4ab19d6c5e0f8a3b4c5d6e7f13',
    ref('app', 'app-invoice-worker', 'invoice-worker', acmeStaging),
    'started app invoice-worker has running web instances and no route',
    'nothing to do if it is a worker; otherwise cf map-route invoice-worker apps.example.com',
  ),
]

export function auditResult(): AuditResult {
  return {
    schemaVersion: 1,
    target: {api: 'https://api.sys.example.com', ccVersion: '3.228.0', org: 'acme', space: null},
    generatedAt: '2026-11-28T20:00:00Z',
    summary: {critical: 1, high: 4, medium: 4, low: 2, info: 2},
    findings: structuredClone(FINDINGS),
    coverage: {
      apps: 14,
      routes: 12,
      serviceInstances: 6,
      gaps: [
        {
          what: 'user-provided service credentials (not read)',
          why: '403 CF-NotAuthorized in space acme/staging (space auditor)',
          rules: ['identity/shared-client', 'identity/stale-credential'],
        },
      ],
      auditEventsCreated: 6,
      requests: 41,
    },
    suppressed: [
      {
        fingerprint: 'e0df9e5bc2ae7d6f1a9b4c5d6e7f8a14',
        rule: 'routes/health-check',
        reason: 'worker health checked by the queue (expires 2027-01-31)',
      },
    ],
  }
}

export function emptyResult(): AuditResult {
  return {
    schemaVersion: 1,
    target: {api: 'https://api.sys.example.com', ccVersion: '3.228.0', org: 'acme', space: 'prod'},
    generatedAt: '2026-11-28T20:00:00Z',
    summary: {critical: 0, high: 0, medium: 0, low: 0, info: 0},
    findings: [],
    coverage: {apps: 3, routes: 4, serviceInstances: 1, gaps: [], auditEventsCreated: 0, requests: 12},
  }
}

export const ALL_KINDS: ResourceKind[] = [
  'app',
  'process',
  'instance',
  'route',
  'domain',
  'service_instance',
  'binding',
  'service_key',
  'uaa_client',
  'route_policy',
  'env_var',
]

/** One finding on each resource kind; platform-wide kinds carry no org/space; from two foundations. */
export function allKindsResult(): AuditResult {
  const platformWide: ResourceKind[] = ['domain', 'uaa_client']
  const findings = ALL_KINDS.map((kind, i) =>
    finding(
      i % 2 === 0 ? 'identity/overprivileged-client' : 'routes/orphan',
      `${String(i).padStart(2, '0')}${'ab'.repeat(15)}`,
      ref(
        kind,
        `guid-${kind}`,
        `${kind.replace('_', '-')}-${i}`,
        platformWide.includes(kind) ? {} : acmeProd,
      ),
      `a finding on a ${kind}`,
      `fix the ${kind}`,
      {foundation: i < 6 ? 'eu-1' : 'us-1'},
    ),
  )
  return {
    schemaVersion: 1,
    target: {api: 'https://api.sys.example.com', ccVersion: '3.181.0', org: null, space: null},
    generatedAt: '2026-11-28T20:00:00Z',
    summary: {critical: 0, high: 6, medium: 0, low: 5, info: 0},
    findings,
    coverage: {
      apps: 20,
      routes: 30,
      serviceInstances: 10,
      gaps: [
        {
          what: 'UAA client details (not read)',
          why: 'token lacks clients.read',
          rules: ['identity/overprivileged-client'],
        },
        {what: 'Gorouter access logs (not read)', why: 'Log Cache unreachable'},
      ],
      auditEventsCreated: 0,
      requests: 88,
    },
    foundation: 'eu-1',
  }
}

function counts(desired: number, running: number, more: Partial<InstanceCounts> = {}): InstanceCounts {
  return {desired, running, crashed: 0, starting: 0, down: 0, unroutable: 0, known: true, ...more}
}

function dest(
  appName: string,
  instances: InstanceCounts,
  more: Partial<RouteMapDestination> = {},
): RouteMapDestination {
  return {
    appGuid: `app-${appName}`,
    appName,
    appState: 'STARTED',
    space: 'prod',
    org: 'acme',
    processType: 'web',
    port: 8080,
    protocol: 'http1',
    weight: null,
    instances,
    healthCheck: 'http /health',
    readinessCheck: null,
    ...more,
  }
}

function route(
  guid: string,
  host: string,
  domain: string,
  destinations: RouteMapDestination[],
  more: Partial<RouteMapRoute> = {},
): RouteMapRoute {
  const path = more.path ?? ''
  return {
    guid,
    url: `${host ? `${host}.` : ''}${domain}${path}`,
    host,
    path,
    port: null,
    protocol: 'http',
    options: {},
    space: 'prod',
    org: 'acme',
    routeService: null,
    policies: [],
    destinations,
    findings: [],
    ...more,
  }
}

export function routeMap(): RouteMap {
  const billing = dest('billing-api', counts(3, 3), {healthCheck: 'process'})
  const ledger = dest('ledger', counts(2, 2))
  return {
    domains: [
      {
        guid: 'domain-apps',
        name: 'apps.example.com',
        internal: false,
        tcp: false,
        enforceRoutePolicies: false,
        routes: [
          route('route-billing', 'billing', 'apps.example.com', [billing], {
            routeService: {url: 'https://sso-guard.apps.example.com', serviceInstance: 'sso-guard'},
          }),
          route(
            'route-checkout',
            'checkout',
            'apps.example.com',
            [dest('checkout-blue', counts(2, 2)), dest('checkout-green', counts(2, 1, {starting: 1}))],
            {options: {loadbalancing: 'least-connection'}, findings: ['routes/multiple-apps']},
          ),
          route('route-ledger-public', 'ledger', 'apps.example.com', [ledger], {
            findings: ['routes/internal-exposed'],
          }),
          route('route-ops-actuator', 'ops', 'apps.example.com', [dest('ops-console', counts(1, 1))], {
            path: '/actuator',
            findings: ['routes/sensitive-path-public'],
          }),
          route('route-old-checkout', 'old-checkout', 'apps.example.com', [], {findings: ['routes/orphan']}),
          route(
            'route-reports',
            'reports',
            'apps.example.com',
            [dest('reports', counts(2, 0, {crashed: 2}))],
            {
              findings: ['routes/no-healthy-instances'],
            },
          ),
          route('route-search', 'search', 'apps.example.com', [dest('search', counts(1, 1))], {
            options: {loadbalancing: 'hash', hashHeader: 'X-Tenant'},
            findings: ['routes/lb-ineffective'],
          }),
          route(
            'route-legacy',
            'legacy',
            'apps.example.com',
            [
              dest('legacy', counts(1, 0), {
                appGuid: 'app-legacy',
                appName: HOSTILE_APP,
                appState: 'STOPPED',
                space: 'staging',
              }),
            ],
            {space: 'staging', findings: ['routes/stopped-app']},
          ),
        ],
      },
      {
        guid: 'domain-internal',
        name: 'apps.internal',
        internal: true,
        tcp: false,
        enforceRoutePolicies: false,
        routes: [route('route-ledger-internal', 'ledger', 'apps.internal', [{...ledger, port: 8081}])],
      },
      {
        guid: 'domain-secure',
        name: 'secure.example.com',
        internal: false,
        tcp: false,
        enforceRoutePolicies: true,
        routes: [
          route('route-portal', 'portal', 'secure.example.com', [dest('portal', counts(2, 1, {down: 1}))], {
            findings: ['routes/policy-missing'],
          }),
          route('route-billing-secure', 'api', 'secure.example.com', [billing], {
            policies: ['cf:app:app-invoice-worker'],
          }),
        ],
      },
      {
        guid: 'domain-tcp',
        name: 'tcp.example.com',
        internal: false,
        tcp: true,
        enforceRoutePolicies: false,
        routes: [
          route(
            'route-mq',
            '',
            'tcp.example.com',
            [dest('mq-bridge', counts(1, 1), {protocol: 'tcp', port: 5672})],
            {
              url: 'tcp.example.com:1025',
              port: 1025,
              protocol: 'tcp',
            },
          ),
        ],
      },
    ],
  }
}
