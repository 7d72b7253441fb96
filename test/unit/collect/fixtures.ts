/** Literal Cloud Controller shapes (as the client decodes them) for the collector's pure parts. */
import type {
  CcApp,
  CcCredentialBinding,
  CcProcess,
  CcRoute,
  CcServiceInstance,
  CcSpace,
} from '../../../src/cf/ccv3/types.js'
import type {Gathered} from '../../../src/collect/types.js'
import type {CredentialView} from '../../../src/model/snapshot.js'

export const T = '2026-10-01T00:00:00Z'
const meta = {labels: {}, annotations: {}}

export const ccSpace = (o: Partial<CcSpace> = {}): CcSpace => ({
  guid: 'space-1',
  name: 'prod',
  orgGuid: 'org-1',
  createdAt: T,
  updatedAt: T,
  ...meta,
  ...o,
})

export const ccApp = (o: Partial<CcApp> = {}): CcApp => ({
  guid: 'app-1',
  name: 'billing-api',
  state: 'STARTED',
  spaceGuid: 'space-1',
  lifecycleType: 'buildpack',
  createdAt: T,
  updatedAt: T,
  currentDropletGuid: 'droplet-1',
  buildpacks: ['java_buildpack'],
  stack: 'cflinuxfs4',
  ...meta,
  ...o,
})

export const ccProcess = (o: Partial<CcProcess> = {}): CcProcess => ({
  guid: 'proc-1',
  appGuid: 'app-1',
  type: 'web',
  instances: 1,
  healthCheck: {type: 'port', endpoint: null, timeout: null, invocationTimeout: null},
  readinessCheck: null,
  actual: [{index: 0, instanceGuid: null, state: 'RUNNING', routable: null, since: T}],
  command: 'java -Dpassword=hunter2-secret -jar app.jar',
  version: 'v1',
  memoryInMb: 1024,
  diskInMb: 1024,
  createdAt: T,
  updatedAt: T,
  ...meta,
  ...o,
})

export const ccRoute = (o: Partial<CcRoute> = {}): CcRoute => ({
  guid: 'route-1',
  protocol: 'http',
  host: 'billing',
  path: '',
  port: null,
  url: 'billing.apps.example.com',
  domainGuid: 'domain-1',
  spaceGuid: 'space-1',
  sharedSpaceGuids: [],
  destinations: [
    {guid: 'd-1', appGuid: 'app-1', processType: 'web', port: 8080, protocol: 'http1', weight: null},
  ],
  options: {},
  createdAt: T,
  updatedAt: T,
  ...meta,
  ...o,
})

export const ccUps = (o: Partial<CcServiceInstance> = {}): CcServiceInstance => ({
  guid: 'si-1',
  name: 'billing-oidc',
  type: 'user-provided',
  spaceGuid: 'space-1',
  tags: ['oidc'],
  planGuid: null,
  routeServiceUrl: null,
  syslogDrainUrl: null,
  lastOperation: {type: 'create', state: 'succeeded', description: null, updatedAt: T},
  dashboardUrl: null,
  createdAt: T,
  updatedAt: T,
  ...meta,
  ...o,
})

export const ccBinding = (o: Partial<CcCredentialBinding> = {}): CcCredentialBinding => ({
  guid: 'b-1',
  name: null,
  type: 'app',
  appGuid: 'app-1',
  serviceInstanceGuid: 'si-1',
  lastOperation: {type: 'create', state: 'succeeded', description: null, updatedAt: T},
  createdAt: T,
  updatedAt: T,
  ...meta,
  ...o,
})

export const view = (o: Partial<CredentialView> = {}): CredentialView => ({
  shape: 'oidc-client',
  path: '',
  clientId: 'billing',
  hasSecret: true,
  secretFingerprint: 'hmac:0123456789abcdef01234567',
  issuer: 'https://uaa.example.com/oauth/token',
  tokenEndpoint: null,
  authDomain: null,
  isPublic: false,
  tlsVerifyDisabled: false,
  secretKeys: ['client_secret'],
  ...o,
})

export const gathered = (o: Partial<Gathered> = {}): Gathered => ({
  orgs: [{guid: 'org-1', name: 'acme'}],
  spaces: [ccSpace()],
  apps: [ccApp()],
  processes: [ccProcess()],
  routes: [ccRoute()],
  routePolicies: [],
  domains: [],
  serviceInstances: [ccUps()],
  servicePlans: [],
  serviceOfferings: [],
  bindings: [ccBinding()],
  routeBindings: [],
  deployments: [],
  auditEvents: [],
  networkPolicies: [],
  uaaClients: [],
  access: {},
  gaps: [],
  ...o,
})
