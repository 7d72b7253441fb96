/** `/v3/processes` (+ stats, process_instances, scale) — docs/platform-facts.md §3.4–3.5. */
import {type CcCore, enc} from './core.js'
import {decodeInstanceStats, decodeProcess} from './decode.js'
import type {MetadataPatch} from './metadata.js'
import type {CommonListOptions} from './query.js'
import type {CcInstanceStats, CcProcess} from './types.js'
import type {WireHealthCheck, WireProcess, WireProcessInstance, WireProcessStat} from './wire.js'

export interface ProcessListOptions extends CommonListOptions {
  types?: readonly string[]
  appGuids?: readonly string[]
  spaceGuids?: readonly string[]
  organizationGuids?: readonly string[]
  /** CC ≥ 3.211.0 (MIN_CC_VERSION.embeddedProcessInstances): instances without one /stats call each. */
  embed?: 'process_instances'
}

export interface ProcessUpdate {
  command?: string | null
  healthCheck?: WireHealthCheck
  readinessHealthCheck?: WireHealthCheck
  metadata?: MetadataPatch
}

export interface ProcessScale {
  instances?: number
  memoryInMb?: number
  diskInMb?: number
}

export function processesResource(core: CcCore) {
  const path = (guid: string, rest = '') => `/v3/processes/${enc(guid)}${rest}`
  return {
    ...core.lister<WireProcess, CcProcess, ProcessListOptions>('/v3/processes', decodeProcess, 'process'),
    async get(guid: string, options: {embed?: 'process_instances'} = {}): Promise<CcProcess> {
      return decodeProcess(await core.get<WireProcess>(path(guid), options), core.now())
    },
    /** Per-instance stats (one call per process; slow at scale — prefer `embed`). */
    async stats(guid: string): Promise<CcInstanceStats[]> {
      const body = await core.get<{resources?: WireProcessStat[]}>(path(guid, '/stats'))
      const now = core.now()
      return (body.resources ?? []).map((s) => decodeInstanceStats(s, now))
    },
    /** Light instance states (CC ≥ 3.211.0): `since` becomes a time. */
    async instances(guid: string): Promise<CcProcess['actual']> {
      const body = await core.get<WireProcessInstance[] | {resources?: WireProcessInstance[]}>(
        path(guid, '/process_instances'),
      )
      const list = Array.isArray(body) ? body : (body.resources ?? [])
      return decodeProcess({process_instances: list} as WireProcess, core.now()).actual
    },
    async update(guid: string, update: ProcessUpdate): Promise<CcProcess> {
      const body = {
        ...(update.command !== undefined ? {command: update.command} : {}),
        ...(update.healthCheck ? {health_check: update.healthCheck} : {}),
        ...(update.readinessHealthCheck ? {readiness_health_check: update.readinessHealthCheck} : {}),
        ...(update.metadata ? {metadata: update.metadata} : {}),
      }
      return decodeProcess(await core.patch<WireProcess>(path(guid), body), core.now())
    },
    async scale(guid: string, scale: ProcessScale): Promise<CcProcess> {
      const body = {
        ...(scale.instances !== undefined ? {instances: scale.instances} : {}),
        ...(scale.memoryInMb !== undefined ? {memory_in_mb: scale.memoryInMb} : {}),
        ...(scale.diskInMb !== undefined ? {disk_in_mb: scale.diskInMb} : {}),
      }
      return decodeProcess(await core.post<WireProcess>(path(guid, '/actions/scale'), body), core.now())
    },
  }
}
