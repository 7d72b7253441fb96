/** `/v3/service_instances` (+ UPS credentials) — docs/platform-facts.md §5.1–5.4. */
import {registerCredentialValues} from '../../redact.js'
import {type CcCore, enc} from './core.js'
import {decodeServiceInstance} from './decode.js'
import type {MetadataPatch} from './metadata.js'
import type {CommonListOptions} from './query.js'
import type {CcServiceInstance, JobRef} from './types.js'
import type {WireServiceInstance} from './wire.js'

export interface ServiceInstanceListOptions extends CommonListOptions {
  names?: readonly string[]
  type?: 'managed' | 'user-provided'
  spaceGuids?: readonly string[]
  organizationGuids?: readonly string[]
  servicePlanGuids?: readonly string[]
  servicePlanNames?: readonly string[]
  /** e.g. `{space: ['guid', 'name'], 'space.organization': ['name']}` */
  fields?: Record<string, readonly string[]>
}

export interface UserProvidedCreate {
  name: string
  spaceGuid: string
  credentials?: Record<string, unknown>
  tags?: string[]
  syslogDrainUrl?: string
  routeServiceUrl?: string
  metadata?: MetadataPatch
}

export interface ServiceInstanceUpdate {
  name?: string
  /** Replaces the whole object (no merge) and is copied into every binding at once. */
  credentials?: Record<string, unknown>
  tags?: string[]
  syslogDrainUrl?: string | null
  routeServiceUrl?: string | null
  parameters?: Record<string, unknown>
  metadata?: MetadataPatch
}

export function serviceInstancesResource(core: CcCore) {
  const path = (guid: string, rest = '') => `/v3/service_instances/${enc(guid)}${rest}`
  return {
    ...core.lister<WireServiceInstance, CcServiceInstance, ServiceInstanceListOptions>(
      '/v3/service_instances',
      decodeServiceInstance,
      'service instance',
    ),
    get: async (guid: string): Promise<CcServiceInstance> =>
      decodeServiceInstance(await core.get<WireServiceInstance>(path(guid))),
    /**
     * UPS credentials (admin, admin_read_only, space developer; 403 for others, 404 for managed).
     * Secret; writes `audit.user_provided_service_instance.show` on every call.
     */
    async credentials(guid: string): Promise<Record<string, unknown>> {
      const body = await core.get<Record<string, unknown> | undefined>(path(guid, '/credentials'))
      return body ?? {}
    },
    async createUserProvided(input: UserProvidedCreate): Promise<CcServiceInstance> {
      // Whatever is sent may come back in an error body or warning: mask it from here on.
      registerCredentialValues(input.credentials)
      return decodeServiceInstance(
        await core.post<WireServiceInstance>('/v3/service_instances', {
          type: 'user-provided',
          name: input.name,
          relationships: {space: {data: {guid: input.spaceGuid}}},
          ...(input.credentials ? {credentials: input.credentials} : {}),
          ...(input.tags ? {tags: input.tags} : {}),
          ...(input.syslogDrainUrl ? {syslog_drain_url: input.syslogDrainUrl} : {}),
          ...(input.routeServiceUrl ? {route_service_url: input.routeServiceUrl} : {}),
          ...(input.metadata ? {metadata: input.metadata} : {}),
        }),
      )
    },
    /** UPS: synchronous (200). Managed: 202 + job when parameters/plan change. */
    async update(
      guid: string,
      patch: ServiceInstanceUpdate,
    ): Promise<{instance?: CcServiceInstance; job?: JobRef}> {
      registerCredentialValues(patch.credentials)
      const body = {
        ...(patch.name !== undefined ? {name: patch.name} : {}),
        ...(patch.credentials !== undefined ? {credentials: patch.credentials} : {}),
        ...(patch.tags !== undefined ? {tags: patch.tags} : {}),
        ...(patch.syslogDrainUrl !== undefined ? {syslog_drain_url: patch.syslogDrainUrl} : {}),
        ...(patch.routeServiceUrl !== undefined ? {route_service_url: patch.routeServiceUrl} : {}),
        ...(patch.parameters !== undefined ? {parameters: patch.parameters} : {}),
        ...(patch.metadata !== undefined ? {metadata: patch.metadata} : {}),
      }
      const {resource, job} = await core.sendMaybeJob<WireServiceInstance>('PATCH', path(guid), body)
      return {instance: resource ? decodeServiceInstance(resource) : undefined, job}
    },
    /** UPS: 204 (its bindings go too). Managed: 202 + job. */
    async delete(guid: string): Promise<JobRef | null> {
      return (await core.sendMaybeJob('DELETE', path(guid))).job ?? null
    },
  }
}
