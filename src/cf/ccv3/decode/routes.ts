/** Routes and their destinations, domains, route bindings and route policies. Pure functions (see ../decode.ts). */
import type {CcDomain, CcRoute, CcRouteBinding, CcRoutePolicy} from '../types.js'
import type {WireDestination, WireDomain, WireRoute, WireRouteBinding, WireRoutePolicy} from '../wire.js'
import {intern, labelsOf, annotationsOf, guidOf, decodeLastOperation} from './common.js'

export function decodeDestination(w: WireDestination) {
  return {
    guid: intern(w.guid),
    appGuid: intern(w.app.guid),
    processType: intern(w.app.process?.type ?? 'web'),
    port: w.port ?? null,
    protocol: intern(w.protocol ?? null),
    weight: w.weight ?? null,
  }
}

export function decodeRoute(w: WireRoute): CcRoute {
  const o = w.options ?? {}
  return {
    guid: intern(w.guid),
    protocol: intern(w.protocol),
    host: w.host,
    path: intern(w.path),
    port: w.port ?? null,
    url: w.url,
    domainGuid: guidOf(w.relationships?.domain) ?? '',
    spaceGuid: guidOf(w.relationships?.space) ?? '',
    sharedSpaceGuids: [],
    destinations: (w.destinations ?? []).map((d) => decodeDestination(d)),
    options: {
      ...(o.loadbalancing !== undefined ? {loadbalancing: o.loadbalancing} : {}),
      ...(o.hash_header !== undefined ? {hashHeader: o.hash_header} : {}),
      ...(o.hash_balance !== undefined ? {hashBalance: String(o.hash_balance)} : {}),
    },
    createdAt: intern(w.created_at),
    updatedAt: intern(w.updated_at),
    labels: labelsOf(w.metadata),
    annotations: annotationsOf(w.metadata),
  }
}

export function decodeDomain(w: WireDomain): CcDomain {
  return {
    guid: intern(w.guid),
    name: w.name,
    internal: w.internal === true,
    routerGroupGuid: w.router_group?.guid ?? null,
    supportedProtocols: w.supported_protocols ?? ['http'],
    orgGuid: guidOf(w.relationships?.organization),
    sharedOrgGuids: (w.relationships?.shared_organizations?.data ?? []).map((d) => d.guid),
    enforceRoutePolicies: w.enforce_route_policies === true,
    routePoliciesScope: w.route_policies_scope ?? null,
    labels: labelsOf(w.metadata),
    annotations: annotationsOf(w.metadata),
  }
}

export function decodeRouteBinding(w: WireRouteBinding): CcRouteBinding {
  return {
    guid: intern(w.guid),
    routeGuid: guidOf(w.relationships?.route) ?? '',
    serviceInstanceGuid: guidOf(w.relationships?.service_instance) ?? '',
    routeServiceUrl: w.route_service_url ?? null,
    lastOperation: decodeLastOperation(w.last_operation),
    createdAt: intern(w.created_at),
    updatedAt: intern(w.updated_at),
    labels: labelsOf(w.metadata),
    annotations: annotationsOf(w.metadata),
  }
}

export function decodeRoutePolicy(w: WireRoutePolicy): CcRoutePolicy {
  return {
    guid: intern(w.guid),
    routeGuid: guidOf(w.relationships?.route) ?? '',
    source: w.source,
    createdAt: intern(w.created_at),
    updatedAt: intern(w.updated_at),
    labels: labelsOf(w.metadata),
    annotations: annotationsOf(w.metadata),
  }
}
