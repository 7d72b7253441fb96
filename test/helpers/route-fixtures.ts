/**
 * Extra literal builders for route tests (on top of test/helpers/snapshot.ts).
 */
import {runChecks} from '../../src/checks/index.js'
import type {Finding} from '../../src/model/finding.js'
import {DEFAULT_POLICY, type Policy} from '../../src/model/policy.js'
import type {Rule} from '../../src/model/rule.js'
import type {
  Domain,
  Instance,
  InstanceState,
  NetworkPolicy,
  Route,
  Snapshot,
  TrafficStat,
} from '../../src/model/snapshot.js'
import {NOW, app, domain, instance, proc, route, snapshot} from './snapshot.js'

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
