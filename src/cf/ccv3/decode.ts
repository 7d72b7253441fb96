/**
 * Wire → flat shapes. Pure functions; relationships are flattened (`relationships.space.data.guid`
 * → `spaceGuid`), missing optional fields become null, metadata values that CC sends as null are
 * dropped. One file per family of resources under `decode/`; this module is their one entry.
 */
import type {Included} from './types.js'
import {decodeApp} from './decode/apps.js'
import {decodeOrg, decodeSpace, decodeUser} from './decode/platform.js'
import {decodeDomain, decodeRoute, decodeRoutePolicy} from './decode/routes.js'
import {decodeServiceInstance, decodeServiceOffering, decodeServicePlan} from './decode/services.js'

export {decodeLastOperation, decodeMetadata} from './decode/common.js'
export {
  decodeApp,
  decodeAppEnv,
  decodeDeployment,
  decodeHealthCheck,
  decodeInstanceStats,
  decodeProcess,
} from './decode/apps.js'
export {
  decodeAuditEvent,
  decodeFeatureFlag,
  decodeJob,
  decodeOrg,
  decodeSpace,
  decodeUser,
} from './decode/platform.js'
export {decodeDestination, decodeDomain, decodeRoute, decodeRoutePolicy} from './decode/routes.js'
export {
  decodeBindingDetails,
  decodeCredentialBinding,
  decodeRouteBinding,
  decodeServiceInstance,
  decodeServiceOffering,
  decodeServicePlan,
} from './decode/services.js'

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
