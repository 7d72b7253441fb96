/**
 * Extra literal builders for route tests (on top of test/helpers/snapshot.ts).
 */
import {runChecks} from '../../src/checks/index.js'
import type {Finding} from '../../src/model/finding.js'
import {DEFAULT_POLICY, type Policy} from '../../src/model/policy.js'
import type {Rule} from '../../src/model/rule.js'
import type {
  Destination,
  Domain,
  Instance,
  InstanceState,
  NetworkPolicy,
  Route,
  Snapshot,
  TrafficStat,
} from '../../src/model/snapshot.js'
import {
  NOW,
  access,
  app,
  destination,
  domain,
  instance,
  proc,
  route,
  routeBinding,
  routePolicy,
  snapshot,
  space,
  ups,
} from './snapshot.js'

export const internalDomain = (o: Partial<Domain> = {}): Domain =>
  domain({guid: 'dom-int', name: 'apps.internal', internal: true, ...o})

export const tcpDomain = (o: Partial<Domain> = {}): Domain =>
  domain({
    guid: 'dom-tcp',
    name: 'tcp.example.com',
    routerGroupGuid: 'rg-1',
    supportedProtocols: ['tcp'],
    ...o,
  })

export const enforcingDomain = (o: Partial<Domain> = {}): Domain =>
  domain({
    guid: 'dom-id',
    name: 'secure.example.com',
    enforceRoutePolicies: true,
    routePoliciesScope: 'any',
    ...o,
  })

/** A route on a given domain, with its url computed the way CC does. */
export function routeOn(d: Domain, o: Partial<Route> = {}): Route {
  const host = o.host ?? 'billing'
  const path = o.path ?? ''
  const tcp = d.routerGroupGuid !== null
  const url = tcp ? `${d.name}:${o.port ?? 1024}` : `${host ? `${host}.` : ''}${d.name}${path}`
  return route({
    domainGuid: d.guid,
    url,
    protocol: tcp ? 'tcp' : 'http',
    ...(tcp ? {host: '', port: o.port ?? 1024} : {}),
    ...o,
  })
}

/** Instances in the given states, indexes 0..n-1. */
export function instancesIn(...states: InstanceState[]): Instance[] {
  return states.map((state, index) => instance({index, instanceGuid: `inst-${index}`, state}))
}

/** An app with a web process, both keyed by `guid`. */
export function webApp(
  guid: string,
  name: string,
  o: {
    state?: 'STARTED' | 'STOPPED'
    instances?: number
    actual?: Instance[] | null
    spaceGuid?: string
    createdAt?: string
  } = {},
) {
  const actual = o.actual === undefined ? instancesIn(...Array(o.instances ?? 2).fill('RUNNING')) : o.actual
  return {
    app: app({
      guid,
      name,
      state: o.state ?? 'STARTED',
      ...(o.spaceGuid ? {spaceGuid: o.spaceGuid} : {}),
      ...(o.createdAt ? {createdAt: o.createdAt} : {}),
    }),
    process: proc({guid: `proc-${guid}`, appGuid: guid, instances: o.instances ?? 2, actual}),
  }
}

export const networkPolicy = (o: Partial<NetworkPolicy> = {}): NetworkPolicy => ({
  sourceAppGuid: 'app-2',
  destinationAppGuid: 'app-1',
  protocol: 'tcp',
  portStart: 8080,
  portEnd: 8080,
  ...o,
})

export const trafficStat = (o: Partial<TrafficStat> = {}): TrafficStat => ({
  routeHost: 'billing.apps.example.com',
  appGuid: 'app-1',
  instanceIndex: 0,
  instanceGuid: 'inst-0',
  requests: 100,
  status5xx: 0,
  p95ResponseSeconds: 0.05,
  routerErrors: {},
  ...o,
})

/** One STARTED app (app-1, 2 running web instances) on billing.apps.example.com. */
export function routedSnapshot(o: Partial<Snapshot> = {}): Snapshot {
  return snapshot({
    apps: [app()],
    processes: [proc()],
    domains: [domain()],
    routes: [route()],
    ...o,
  })
}

export function runRule(rule: Rule, s: Snapshot, policy: Policy = DEFAULT_POLICY): Finding[] {
  return rule.run(s, policy, NOW)
}

/** The runner's view: findings plus coverage gaps for this rule alone. */
export function runWithRunner(rule: Rule, s: Snapshot, policy: Policy = DEFAULT_POLICY) {
  return runChecks(s, policy, NOW, [rule])
}

export function withRoutes(policy: Partial<Policy['routes']>): Policy {
  return {...DEFAULT_POLICY, routes: {...DEFAULT_POLICY.routes, ...policy}}
}

const check = (type: string, endpoint: string | null = null) => ({
  type,
  endpoint,
  timeout: null,
  invocationTimeout: null,
})

/**
 * A small foundation with one of most route shapes: a blue/green route behind a route service,
 * an http2 route-service app, an admin path, an orphan, an internal route, an identity-aware
 * domain with a policy, a TCP route, a shared weighted hash route and unknown instances.
 */
export function routeMapSnapshot(): Snapshot {
  const shared = domain()
  const internal = internalDomain()
  const secure = enforcingDomain({routePoliciesScope: 'org'})
  const tcp = tcpDomain()
  const dest = (appGuid: string, o: Partial<Destination> = {}): Destination =>
    destination({guid: `d-${appGuid}-${o.port ?? 8080}`, appGuid, ...o})
  return snapshot({
    spaces: [space(), space({guid: 'space-2', name: 'dev'})],
    apps: [
      app({guid: 'app-billing', name: 'billing-api'}),
      app({guid: 'app-old', name: 'billing-old', state: 'STOPPED'}),
      app({guid: 'app-proxy', name: 'auth-proxy'}),
      app({guid: 'app-ledger', name: 'ledger'}),
      app({guid: 'app-pay', name: 'payments', spaceGuid: 'space-2'}),
    ],
    processes: [
      proc({
        guid: 'p-billing',
        appGuid: 'app-billing',
        instances: 3,
        readinessCheck: check('http', '/ready'),
        actual: [
          instance({index: 0}),
          instance({index: 1, instanceGuid: 'inst-1'}),
          instance({index: 2, instanceGuid: 'inst-2', state: 'CRASHED', routable: false}),
        ],
      }),
      proc({guid: 'p-old', appGuid: 'app-old', actual: []}),
      proc({
        guid: 'p-proxy',
        appGuid: 'app-proxy',
        instances: 1,
        healthCheck: check('port'),
        actual: [instance()],
      }),
      proc({guid: 'p-ledger', appGuid: 'app-ledger', actual: null}),
      proc({
        guid: 'p-pay',
        appGuid: 'app-pay',
        healthCheck: check('process'),
        actual: [instance(), instance({index: 1, instanceGuid: 'inst-1', routable: false})],
      }),
    ],
    domains: [tcp, secure, internal, shared],
    routes: [
      routeOn(shared, {
        guid: 'r-billing',
        options: {loadbalancing: 'least-connection'},
        destinations: [dest('app-old'), dest('app-billing')],
      }),
      routeOn(shared, {
        guid: 'r-proxy',
        host: 'auth-proxy',
        destinations: [dest('app-proxy', {protocol: 'http2'})],
      }),
      routeOn(shared, {guid: 'r-admin', path: '/admin', destinations: [dest('app-billing')]}),
      routeOn(shared, {guid: 'r-old', host: 'old', destinations: []}),
      routeOn(shared, {
        guid: 'r-api',
        host: 'api',
        sharedSpaceGuids: ['space-2'],
        options: {loadbalancing: 'hash', hashHeader: 'X-Tenant', hashBalance: '1.5'},
        destinations: [dest('app-pay', {weight: 10, port: null, protocol: null})],
      }),
      routeOn(internal, {guid: 'r-internal', destinations: [dest('app-billing')]}),
      routeOn(secure, {guid: 'r-ledger', host: 'ledger', destinations: [dest('app-ledger')]}),
      routeOn(tcp, {
        guid: 'r-tcp',
        port: 1024,
        destinations: [dest('app-ledger', {port: 7000, protocol: 'tcp'})],
      }),
    ],
    routeBindings: [
      routeBinding({routeGuid: 'r-billing', serviceInstanceGuid: 'si-proxy', routeServiceUrl: null}),
    ],
    serviceInstances: [
      ups({
        guid: 'si-proxy',
        name: 'auth-proxy-svc',
        credentials: null,
        routeServiceUrl: 'https://auth-proxy.apps.example.com',
      }),
    ],
    routePolicies: [
      routePolicy({guid: 'rp-2', routeGuid: 'r-ledger', source: 'cf:space:space-1'}),
      routePolicy({guid: 'rp-1', routeGuid: 'r-ledger', source: 'cf:app:app-billing'}),
    ],
    access: access({instances: {state: 'partial', why: 'stats of 1 process failed'}}),
  })
}
