/**
 * The Cloud Controller v3 client: one object per resource, each with the same verbs
 * (list / listAll / listWithIncluded / single / first / get, and create / update / delete where
 * CC has them). Built by the session (actions/session.ts) or, from a script, with `createCcClient`.
 */
import type {Transport} from '../http/transport.js'
import {appsResource} from './apps.js'
import {auditEventsResource} from './audit-events.js'
import {CcCore, type CcCoreOptions} from './core.js'
import {deploymentsResource} from './deployments.js'
import {domainsResource} from './domains.js'
import {featureFlagsResource} from './feature-flags.js'
import {jobsResource} from './jobs.js'
import {metadataResource} from './metadata.js'
import {type CcFeature, requireVersion, supports, versionAtLeast} from './minimum-version.js'
import {orgsResource} from './orgs.js'
import {processesResource} from './processes.js'
import {getInfo} from './root.js'
import {routePoliciesResource} from './route-policies.js'
import {routesResource} from './routes.js'
import {credentialBindingsResource} from './service-credential-bindings.js'
import {serviceInstancesResource} from './service-instances.js'
import {serviceOfferingsResource, servicePlansResource} from './service-offerings.js'
import {routeBindingsResource} from './service-route-bindings.js'
import {spacesResource} from './spaces.js'

export interface CcClientOptions extends CcCoreOptions {
  /** From root discovery (`links.cloud_controller_v3.meta.version`). */
  version: string
}

export function createCcClient(options: CcClientOptions) {
  const core = new CcCore(options)
  return {
    core,
    apiUrl: core.apiUrl,
    version: options.version,
    versionAtLeast: (minimum: string) => versionAtLeast(options.version, minimum),
    supports: (feature: CcFeature) => supports(options.version, feature),
    requireVersion: (feature: CcFeature) => requireVersion(options.version, feature),
    info: () => getInfo(options.transport, core.apiUrl),

    orgs: orgsResource(core),
    spaces: spacesResource(core),
    apps: appsResource(core),
    processes: processesResource(core),
    deployments: deploymentsResource(core),
    routes: routesResource(core),
    domains: domainsResource(core),
    serviceOfferings: serviceOfferingsResource(core),
    servicePlans: servicePlansResource(core),
    serviceInstances: serviceInstancesResource(core),
    serviceCredentialBindings: credentialBindingsResource(core),
    serviceRouteBindings: routeBindingsResource(core),
    routePolicies: routePoliciesResource(core),
    metadata: metadataResource(core),
    auditEvents: auditEventsResource(core),
    featureFlags: featureFlagsResource(core),
    jobs: jobsResource(core),
  }
}

export type CcClient = ReturnType<typeof createCcClient>

export type {Transport}
