/** `/v3/service_credential_bindings` (+ details, strategy) — docs/platform-facts.md §5.5–5.6. */
import {type CcCore, enc} from './core.js'
import {decodeBindingDetails, decodeCredentialBinding} from './decode.js'
import type {MetadataPatch} from './metadata.js'
import type {CommonListOptions} from './query.js'
import type {CcBindingDetails, CcCredentialBinding, JobRef} from './types.js'
import type {WireBindingDetails, WireCredentialBinding} from './wire.js'

export interface CredentialBindingListOptions extends CommonListOptions {
  names?: readonly string[]
  type?: 'app' | 'key'
  appGuids?: readonly string[]
  appNames?: readonly string[]
  serviceInstanceGuids?: readonly string[]
  serviceInstanceNames?: readonly string[]
  servicePlanGuids?: readonly string[]
  servicePlanNames?: readonly string[]
  serviceOfferingGuids?: readonly string[]
  serviceOfferingNames?: readonly string[]
  include?: 'app' | 'service_instance' | readonly ('app' | 'service_instance')[]
}

export interface CredentialBindingCreate {
  type: 'app' | 'key'
  serviceInstanceGuid: string
  /** Required for `app` bindings. */
  appGuid?: string
  /** With `strategy: multiple` it must equal the existing bindings' name (both may be null). */
  name?: string | null
  /** `multiple` (CC ≥ 3.205.0, MIN_CC_VERSION.bindingStrategyMultiple) keeps the older bindings. */
  strategy?: 'single' | 'multiple'
  /** Managed instances only. */
  parameters?: Record<string, unknown>
  metadata?: MetadataPatch
}

export function credentialBindingsResource(core: CcCore) {
  const path = (guid: string, rest = '') => `/v3/service_credential_bindings/${enc(guid)}${rest}`
  return {
    ...core.lister<WireCredentialBinding, CcCredentialBinding, CredentialBindingListOptions>(
      '/v3/service_credential_bindings',
      decodeCredentialBinding,
      'service credential binding',
    ),
    get: async (guid: string): Promise<CcCredentialBinding> =>
      decodeCredentialBinding(await core.get<WireCredentialBinding>(path(guid))),
    /**
     * Credentials (admin, admin_read_only, space developer; 404 for others). Secret; writes
     * `audit.service_binding.show` / `audit.service_key.show` on every call.
     */
    async details(guid: string): Promise<CcBindingDetails> {
      return decodeBindingDetails(await core.get<WireBindingDetails>(path(guid, '/details')))
    },
    /** UPS: 201 with the binding. Managed: 202 + job (the binding is visible at once, `in progress`). */
    async create(input: CredentialBindingCreate): Promise<{binding?: CcCredentialBinding; job?: JobRef}> {
      const relationships = {
        service_instance: {data: {guid: input.serviceInstanceGuid}},
        ...(input.appGuid ? {app: {data: {guid: input.appGuid}}} : {}),
      }
      const body = {
        type: input.type,
        relationships,
        ...(input.name !== undefined ? {name: input.name} : {}),
        ...(input.strategy ? {strategy: input.strategy} : {}),
        ...(input.parameters ? {parameters: input.parameters} : {}),
        ...(input.metadata ? {metadata: input.metadata} : {}),
      }
      const {resource, job} = await core.sendMaybeJob<WireCredentialBinding>(
        'POST',
        '/v3/service_credential_bindings',
        body,
      )
      return {binding: resource ? decodeCredentialBinding(resource) : undefined, job}
    },
    async update(guid: string, patch: {metadata: MetadataPatch}): Promise<CcCredentialBinding> {
      return decodeCredentialBinding(await core.patch<WireCredentialBinding>(path(guid), patch))
    },
    /** UPS: 204. Managed: 202 + job. */
    async delete(guid: string): Promise<JobRef | null> {
      return (await core.sendMaybeJob('DELETE', path(guid))).job ?? null
    },
  }
}
