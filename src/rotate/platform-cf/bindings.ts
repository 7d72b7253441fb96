/**
 * Credential bindings (app bindings and service keys): list, create (a second binding with
 * `strategy: multiple`, CC's refusals as values), details, metadata, delete.
 */

import type {CcClient} from '../../cf/ccv3/client.js'
import {isApiError} from '../../cf/http/errors.js'
import type {BindingCreateOutcome, RotationPlatform} from '../platform.js'
import {bindingRefusal, ccDetail, isNotFound, lostCreate} from './cc-errors.js'
import {bindingInfo, newest} from './decode.js'

export type BindingOps = Pick<
  RotationPlatform,
  | 'listBindings'
  | 'getBinding'
  | 'createAppBinding'
  | 'createServiceKey'
  | 'readBindingDetails'
  | 'updateBindingMetadata'
  | 'deleteBinding'
>

export function bindingOps(cc: CcClient): BindingOps {
  return {
    async listBindings(serviceInstanceGuid, type) {
      const list = await cc.serviceCredentialBindings.listAll({
        serviceInstanceGuids: [serviceInstanceGuid],
        type,
      })
      return list.map(bindingInfo)
    },

    async getBinding(guid) {
      try {
        return bindingInfo(await cc.serviceCredentialBindings.get(guid))
      } catch (err) {
        if (isNotFound(err)) return null
        throw err
      }
    },

    async createAppBinding(input): Promise<BindingCreateOutcome> {
      try {
        const {binding} = await cc.serviceCredentialBindings.create({
          type: 'app',
          serviceInstanceGuid: input.serviceInstanceGuid,
          appGuid: input.appGuid,
          name: input.name,
          // `strategy` is unknown to CC before 3.205.0: send it only when it means something.
          ...(input.strategy === 'multiple' ? {strategy: 'multiple' as const} : {}),
          metadata: input.metadata,
        })
        if (binding) return {status: 'created', binding: bindingInfo(binding)}
        // Managed: 202 + job; the binding is visible at once (docs/platform-facts.md §5.5). CC allows one
        // create in progress per (app, instance), so the pair's newest binding is this one.
        const pair = await cc.serviceCredentialBindings.listAll({
          serviceInstanceGuids: [input.serviceInstanceGuid],
          appGuids: [input.appGuid],
          type: 'app',
        })
        const created = newest(pair.filter((b) => b.lastOperation.type === 'create'))
        if (!created) throw lostCreate('binding', input.appGuid)
        return {status: 'created', binding: bindingInfo(created)}
      } catch (err) {
        const reason = isApiError(err) && err.status === 422 ? bindingRefusal(err) : null
        if (reason) return {status: 'refused', reason, message: ccDetail(err)}
        throw err
      }
    },

    async createServiceKey(input) {
      const {binding} = await cc.serviceCredentialBindings.create({
        type: 'key',
        serviceInstanceGuid: input.serviceInstanceGuid,
        name: input.name,
        metadata: input.metadata,
      })
      if (binding) return bindingInfo(binding)
      // Key names are unique per instance: look the new one up by name.
      const key = await cc.serviceCredentialBindings.first({
        serviceInstanceGuids: [input.serviceInstanceGuid],
        names: [input.name],
        type: 'key',
      })
      if (!key) throw lostCreate('key', input.name)
      return bindingInfo(key)
    },

    async readBindingDetails(guid) {
      const details = await cc.serviceCredentialBindings.details(guid)
      return details.credentials
    },

    async updateBindingMetadata(guid, metadata) {
      await cc.serviceCredentialBindings.update(guid, {metadata})
    },

    async deleteBinding(guid) {
      try {
        await cc.serviceCredentialBindings.delete(guid)
      } catch (err) {
        if (!isNotFound(err)) throw err
      }
    },
  }
}
