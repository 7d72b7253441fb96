/** Apps and their web instances (bulk lists; `/stats` only before CC 3.211), rolling deployments. */

import type {CcClient} from '../../cf/ccv3/client.js'
import type {AppInfo, InstanceInfo, RotationPlatform} from '../platform.js'
import {instancesUnavailable} from './cc-errors.js'
import {deploymentInfo} from './decode.js'

/** CC's embedded process instances (CC ≥ 3.211): instances of many processes in one list call. */
const EMBED_MIN = 'embeddedProcessInstances'

export type AppOps = Pick<
  RotationPlatform,
  'listApps' | 'createDeployment' | 'getDeployment' | 'listDeployments'
>

export function appOps(cc: CcClient, ccVersion: string): AppOps {
  return {
    async listApps(appGuids) {
      if (appGuids.length === 0) return []
      const embed = cc.supports(EMBED_MIN)
      const [apps, processes] = await Promise.all([
        cc.apps.listAll({guids: appGuids}),
        cc.processes.listAll({appGuids, ...(embed ? {embed: 'process_instances' as const} : {})}),
      ])
      const started = new Set(apps.filter((a) => a.state === 'STARTED').map((a) => a.guid))
      // During a deployment an app has two web processes (old and new): every instance of both counts.
      const webInstances = new Map<string, InstanceInfo[]>()
      const unknown = new Map<string, string>()
      for (const p of processes.filter((x) => x.type === 'web')) {
        let instances: InstanceInfo[]
        if (embed) {
          instances = (p.actual ?? []).map((i) => ({
            index: i.index,
            instanceGuid: i.instanceGuid,
            state: i.state,
            since: i.state === 'DOWN' ? null : i.since,
          }))
        } else if (!started.has(p.appGuid) || p.instances === 0) {
          // Nothing runs: nothing to ask Diego about (and nothing lost when it cannot answer).
          instances = []
        } else {
          try {
            instances = (await cc.processes.stats(p.guid)).map((s) => ({
              index: s.index,
              instanceGuid: s.instanceGuid,
              state: s.state,
              since: s.state === 'DOWN' ? null : s.since,
            }))
          } catch (err) {
            const why = instancesUnavailable(err, ccVersion)
            if (why === null) throw err
            unknown.set(p.appGuid, why)
            instances = []
          }
        }
        webInstances.set(p.appGuid, [...(webInstances.get(p.appGuid) ?? []), ...instances])
      }
      return apps.map((a): AppInfo => {
        const why = unknown.get(a.guid)
        return {
          guid: a.guid,
          name: a.name,
          state: a.state,
          spaceGuid: a.spaceGuid,
          processTypes: [...new Set(processes.filter((p) => p.appGuid === a.guid).map((p) => p.type))].sort(),
          webInstances: why === undefined ? (webInstances.get(a.guid) ?? []) : [],
          ...(why === undefined ? {} : {instancesUnknown: why}),
        }
      })
    },

    async createDeployment(input) {
      return deploymentInfo(
        await cc.deployments.create({
          appGuid: input.appGuid,
          strategy: 'rolling',
          maxInFlight: input.maxInFlight,
          metadata: input.metadata,
        }),
      )
    },

    async getDeployment(guid) {
      return deploymentInfo(await cc.deployments.get(guid))
    },

    async listDeployments(query) {
      if (query.appGuids.length === 0) return []
      const list = await cc.deployments.listAll({
        appGuids: query.appGuids,
        ...(query.statusValues ? {statusValues: query.statusValues} : {}),
        ...(query.labelSelector ? {labelSelector: query.labelSelector} : {}),
      })
      return list.map(deploymentInfo)
    },
  }
}
