/** Service instances: reads, the UPS credentials and their last change, companions, deletes. */

import type {CcClient} from '../../cf/ccv3/client.js'
import {isApiError} from '../../cf/http/errors.js'
import type {RotationPlatform} from '../platform.js'
import {isNotFound, nameTaken} from './cc-errors.js'
import {serviceInstanceInfo} from './decode.js'

export type ServiceInstanceOps = Pick<
  RotationPlatform,
  | 'getServiceInstance'
  | 'findServiceInstance'
  | 'lastCredentialsEvent'
  | 'readUpsCredentials'
  | 'updateServiceInstance'
  | 'createUserProvidedService'
  | 'deleteServiceInstance'
>

export function serviceInstanceOps(cc: CcClient): ServiceInstanceOps {
  return {
    async getServiceInstance(guid) {
      try {
        return serviceInstanceInfo(await cc.serviceInstances.get(guid))
      } catch (err) {
        if (isNotFound(err)) return null
        throw err
      }
    },

    async findServiceInstance(spaceGuid, name) {
      const si = await cc.serviceInstances.first({spaceGuids: [spaceGuid], names: [name]})
      return si ? serviceInstanceInfo(si) : null
    },

    async lastCredentialsEvent(guid) {
      const events = await cc.auditEvents.listAll({
        types: ['audit.user_provided_service_instance.create', 'audit.user_provided_service_instance.update'],
        targetGuids: [guid],
      })
      const changes = events.filter((e) => e.requestKeys.includes('credentials')).map((e) => e.createdAt)
      return changes.sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? null
    },

    async readUpsCredentials(guid) {
      return cc.serviceInstances.credentials(guid)
    },

    async updateServiceInstance(guid, update) {
      await cc.serviceInstances.update(guid, {
        ...(update.credentials !== undefined ? {credentials: update.credentials} : {}),
        ...(update.metadata !== undefined ? {metadata: update.metadata} : {}),
      })
    },

    async createUserProvidedService(input) {
      try {
        const si = await cc.serviceInstances.createUserProvided({
          name: input.name,
          spaceGuid: input.spaceGuid,
          credentials: input.credentials,
          metadata: input.metadata,
        })
        return {status: 'created', guid: si.guid}
      } catch (err) {
        if (isApiError(err) && (err.hasTitle('CF-ServiceInstanceNameTaken') || nameTaken(err)))
          return {status: 'name-taken'}
        throw err
      }
    },

    async deleteServiceInstance(guid) {
      try {
        const job = await cc.serviceInstances.delete(guid)
        if (job) await cc.jobs.poll(job, {timeoutMs: 5 * 60_000, intervalMs: 1000})
      } catch (err) {
        if (!isNotFound(err)) throw err
      }
    },
  }
}
