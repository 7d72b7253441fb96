/**
 * Builders for literal snapshots in check tests: every builder has defaults and takes
 * Partial<T> overrides, so a test states only what matters to the rule under test.
 */
import type {
  Access,
  App,
  AppEnv,
  AuditEvent,
  CredentialBinding,
  CredentialView,
  Deployment,
  Destination,
  Domain,
  Instance,
  Need,
  Org,
  Process,
  Route,
  RouteBinding,
  RoutePolicy,
  ServiceInstance,
  Snapshot,
  Space,
} from '../../src/model/snapshot.js'

export const T0 = '2026-01-01T00:00:00Z'
export const NOW = new Date('2026-11-28T12:00:00Z')

const full: Access = {state: 'full'}

export function access(overrides: Partial<Record<Need, Access>> = {}): Record<Need, Access> {
  return {
    env: full,
    upsCredentials: full,
    bindingDetails: full,
    instances: full,
    auditEvents: full,
    networkPolicies: full,
    uaaClients: full,
    routePolicies: full,
    issuerProbes: {state: 'not-requested'},
    credentialProbes: {state: 'not-requested'},
    traffic: {state: 'not-requested'},
    baseline: {state: 'not-requested'},
    ...overrides,
  }
}

export function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    schemaVersion: 1,
    target: {api: 'https://api.sys.example.com', ccVersion: '3.228.0', org: null, space: null},
    collectedAt: NOW.toISOString(),
    orgs: [org()],
    spaces: [space()],
    apps: [],
    processes: [],
    domains: [],
    routes: [],
    routeBindings: [],
    routePolicies: [],
    networkPolicies: [],
    deployments: [],
    serviceOfferings: [],
    servicePlans: [],
    serviceInstances: [],
    bindings: [],
    env: [],
    auditEvents: [],
    uaaClients: [],
    issuerProbes: [],
    credentialProbes: [],
    traffic: null,
    baseline: null,
    access: access(),
    ...overrides,
  }
}

const meta = {labels: {}, annotations: {}}

export const org = (o: Partial<Org> = {}): Org => ({guid: 'org-1', name: 'acme', ...o})
export const space = (o: Partial<Space> = {}): Space => ({
  guid: 'space-1',
  name: 'prod',
  orgGuid: 'org-1',
  ...o,
})

export const app = (o: Partial<App> = {}): App => ({
  guid: 'app-1',
  name: 'billing-api',
  state: 'STARTED',
  spaceGuid: 'space-1',
  lifecycleType: 'buildpack',
  createdAt: T0,
  updatedAt: T0,
  ...meta,
  ...o,
})

export const instance = (o: Partial<Instance> = {}): Instance => ({
  index: 0,
  instanceGuid: 'inst-0',
  state: 'RUNNING',
  routable: true,
  since: '2026-11-20T00:00:00Z',
  ...o,
})

export const proc = (o: Partial<Process> = {}): Process => ({
  guid: 'proc-1',
  appGuid: 'app-1',
  type: 'web',
  instances: 2,
  healthCheck: {type: 'http', endpoint: '/health', timeout: null, invocationTimeout: null},
  readinessCheck: null,
  actual: [instance({index: 0, instanceGuid: 'inst-0'}), instance({index: 1, instanceGuid: 'inst-1'})],
  createdAt: T0,
  updatedAt: T0,
  ...meta,
  ...o,
})

export const domain = (o: Partial<Domain> = {}): Domain => ({
  guid: 'dom-1',
  name: 'apps.example.com',
  internal: false,
  routerGroupGuid: null,
  supportedProtocols: ['http'],
  orgGuid: null,
  enforceRoutePolicies: false,
  routePoliciesScope: null,
  ...meta,
  ...o,
})

export const destination = (o: Partial<Destination> = {}): Destination => ({
  guid: 'dest-1',
  appGuid: 'app-1',
  processType: 'web',
  port: 8080,
  protocol: 'http1',
  weight: null,
  ...o,
})

export const route = (o: Partial<Route> = {}): Route => {
  const host = o.host ?? 'billing'
  const path = o.path ?? ''
  return {
    guid: 'route-1',
    protocol: 'http',
    host,
    path,
    port: null,
    url: `${host}.apps.example.com${path}`,
    domainGuid: 'dom-1',
    spaceGuid: 'space-1',
    sharedSpaceGuids: [],
    destinations: [destination()],
    options: {},
    createdAt: T0,
    updatedAt: T0,
    ...meta,
    ...o,
  }
}

export const routeBinding = (o: Partial<RouteBinding> = {}): RouteBinding => ({
  guid: 'rb-1',
  routeGuid: 'route-1',
  serviceInstanceGuid: 'si-1',
  routeServiceUrl: 'https://auth-proxy.apps.example.com',
  createdAt: T0,
  ...o,
})

export const routePolicy = (o: Partial<RoutePolicy> = {}): RoutePolicy => ({
  guid: 'rp-1',
  routeGuid: 'route-1',
  source: 'cf:app:app-2',
  ...o,
})

export const deployment = (o: Partial<Deployment> = {}): Deployment => ({
  guid: 'dep-1',
  appGuid: 'app-1',
  statusValue: 'ACTIVE',
  statusReason: 'DEPLOYING',
  strategy: 'rolling',
  createdAt: T0,
  updatedAt: T0,
  ...o,
})

export const oidcCredentials = (o: Partial<CredentialView> = {}): CredentialView => ({
  shape: 'oidc-client',
  path: '',
  clientId: 'billing-client',
  hasSecret: true,
  secretFingerprint: 'hmac:aaaa',
  issuer: 'https://uaa.sys.example.com/oauth/token',
  tokenEndpoint: 'https://uaa.sys.example.com/oauth/token',
  authDomain: null,
  isPublic: false,
  tlsVerifyDisabled: false,
  secretKeys: ['client_secret'],
  ...o,
})

export const ups = (o: Partial<ServiceInstance> = {}): ServiceInstance => ({
  guid: 'si-1',
  name: 'billing-oidc',
  type: 'user-provided',
  spaceGuid: 'space-1',
  tags: [],
  planGuid: null,
  routeServiceUrl: null,
  syslogDrainUrl: null,
  createdAt: T0,
  updatedAt: T0,
  credentials: oidcCredentials(),
  credentialsRead: 'read',
  ...meta,
  ...o,
})

export const binding = (o: Partial<CredentialBinding> = {}): CredentialBinding => ({
  guid: 'bind-1',
  name: null,
  type: 'app',
  appGuid: 'app-1',
  serviceInstanceGuid: 'si-1',
  lastOperation: {type: 'create', state: 'succeeded'},
  createdAt: T0,
  updatedAt: T0,
  credentials: oidcCredentials(),
  credentialsRead: 'read',
  ...meta,
  ...o,
})

export const appEnv = (o: Partial<AppEnv> = {}): AppEnv => ({
  appGuid: 'app-1',
  read: 'read',
  variables: [],
  ...o,
})

export const auditEvent = (o: Partial<AuditEvent> = {}): AuditEvent => ({
  guid: 'ev-1',
  type: 'audit.user_provided_service_instance.update',
  createdAt: T0,
  actor: {guid: 'user-1', type: 'user', name: 'admin'},
  target: {guid: 'si-1', type: 'service_instance', name: 'billing-oidc'},
  spaceGuid: 'space-1',
  requestKeys: ['credentials'],
  ...o,
})
