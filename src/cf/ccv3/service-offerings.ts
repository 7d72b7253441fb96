/** `/v3/service_offerings` and `/v3/service_plans`. */
import {type CcCore, enc} from './core.js'
import {decodeServiceOffering, decodeServicePlan} from './decode.js'
import type {CommonListOptions} from './query.js'
import type {CcServiceOffering, CcServicePlan} from './types.js'
import type {WireServiceOffering, WireServicePlan} from './wire.js'

export interface ServiceOfferingListOptions extends CommonListOptions {
  names?: readonly string[]
  available?: boolean
  serviceBrokerGuids?: readonly string[]
  serviceBrokerNames?: readonly string[]
  spaceGuids?: readonly string[]
  organizationGuids?: readonly string[]
  fields?: Record<string, readonly string[]>
}

export interface ServicePlanListOptions extends CommonListOptions {
  names?: readonly string[]
  available?: boolean
  serviceOfferingGuids?: readonly string[]
  serviceOfferingNames?: readonly string[]
  serviceBrokerGuids?: readonly string[]
  spaceGuids?: readonly string[]
  organizationGuids?: readonly string[]
  include?: 'space.organization' | 'service_offering' | readonly ('space.organization' | 'service_offering')[]
  fields?: Record<string, readonly string[]>
}

export function serviceOfferingsResource(core: CcCore) {
  return {
    ...core.lister<WireServiceOffering, CcServiceOffering, ServiceOfferingListOptions>(
      '/v3/service_offerings',
      decodeServiceOffering,
      'service offering',
    ),
    get: async (guid: string): Promise<CcServiceOffering> =>
      decodeServiceOffering(await core.get<WireServiceOffering>(`/v3/service_offerings/${enc(guid)}`)),
  }
}

export function servicePlansResource(core: CcCore) {
  return {
    ...core.lister<WireServicePlan, CcServicePlan, ServicePlanListOptions>(
      '/v3/service_plans',
      decodeServicePlan,
      'service plan',
    ),
    get: async (guid: string): Promise<CcServicePlan> =>
      decodeServicePlan(await core.get<WireServicePlan>(`/v3/service_plans/${enc(guid)}`)),
  }
}
