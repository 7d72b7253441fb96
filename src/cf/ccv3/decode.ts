/**
 * Wire → flat shapes. Pure functions; relationships are flattened (`relationships.space.data.guid`
 * → `spaceGuid`), missing optional fields become null, metadata values that CC sends as null are
 * dropped.
 */
import type {Included} from './types.js'
import {decodeApp, decodeOrg, decodeSpace} from './decode/apps.js'
import {decodeUser} from './decode/events.js'
import {decodeDomain, decodeRoute, decodeRoutePolicy} from './decode/routes.js'
import {decodeServiceInstance, decodeServiceOffering, decodeServicePlan} from './decode/services.js'

export {decodeLastOperation, decodeMetadata} from './decode/common.js'
export {
  decodeApp,
  decodeAppEnv,
  decodeDeployment,
  decodeHealthCheck,
  decodeInstanceStats,
  decodeOrg,
  decodeProcess,
  decodeSpace,
} from './decode/apps.js'
export {
  decodeDestination,
  decodeDomain,
  decodeRoute,
  decodeRouteBinding,
  decodeRoutePolicy,
} from './decode/routes.js'
export {
  decodeBindingDetails,
  decodeCredentialBinding,
  decodeServiceInstance,
  decodeServiceOffering,
  decodeServicePlan,
} from './decode/services.js'
export {decodeAuditEvent, decodeFeatureFlag, decodeJob, decodeUser} from './decode/events.js'

/** Decodes a merged `included` block; unknown keys are ignored. */
export function decodeIncluded(raw: Record<string, unknown[]>): Included {
  const list = <W, T>(key: string, decode: (w: W) => T): T[] => ((raw[key] ?? []) as W[]).map(decode)
  return {
    organizations: list('organizations', decodeOrg),
    spaces: list('spaces', decodeSpace),
    apps: list('apps', decodeApp),
    domains: list('domains', decodeDomain),
    routes: list('routes', decodeRoute),
    serviceInstances: list('service_instances', decodeServiceInstance),
    serviceOfferings: list('service_offerings', decodeServiceOffering),
    servicePlans: list('service_plans', decodeServicePlan),
    routePolicies: list('route_policies', decodeRoutePolicy),
    users: list('users', decodeUser),
  }
}
