/** Orgs, spaces, apps, their env, processes, instance stats and deployments. Pure functions (see ../decode.ts). */
import type {HealthCheck, Instance} from '../../../model/snapshot.js'
import type {CcApp, CcAppEnv, CcDeployment, CcInstanceStats, CcOrg, CcProcess, CcSpace} from '../types.js'
import type {
  WireApp,
  WireAppEnv,
  WireDeployment,
  WireHealthCheck,
  WireOrg,
  WireProcess,
  WireProcessStat,
  WireSpace,
} from '../wire.js'
import {intern, labelsOf, annotationsOf, guidOf, instanceState, sharedRecord} from './common.js'

export function decodeOrg(w: WireOrg): CcOrg {
  return {
    guid: intern(w.guid),
    name: w.name,
    suspended: w.suspended === true,
    createdAt: intern(w.created_at),
    updatedAt: intern(w.updated_at),
    labels: labelsOf(w.metadata),
    annotations: annotationsOf(w.metadata),
  }
}

export function decodeSpace(w: WireSpace): CcSpace {
  return {
    guid: intern(w.guid),
    name: w.name,
    orgGuid: guidOf(w.relationships?.organization) ?? '',
    createdAt: intern(w.created_at),
    updatedAt: intern(w.updated_at),
    labels: labelsOf(w.metadata),
    annotations: annotationsOf(w.metadata),
  }
}

export function decodeApp(w: WireApp): CcApp {
  const data = w.lifecycle?.data ?? {}
  // map, not filter: an exact-size array (filter's grows with ~16 spare slots per app).
  const buildpacks = Array.isArray(data.buildpacks)
    ? (data.buildpacks.every((b) => typeof b === 'string')
        ? data.buildpacks
        : data.buildpacks.filter((b): b is string => typeof b === 'string')
      ).map((b) => intern(b))
    : []
  return {
    guid: intern(w.guid),
    name: w.name,
    state: intern(w.state),
    spaceGuid: guidOf(w.relationships?.space) ?? '',
    lifecycleType: intern(w.lifecycle?.type ?? 'buildpack'),
    createdAt: intern(w.created_at),
    updatedAt: intern(w.updated_at),
    currentDropletGuid: guidOf(w.relationships?.current_droplet),
    buildpacks,
    stack: typeof data.stack === 'string' ? intern(data.stack) : null,
    labels: labelsOf(w.metadata),
    annotations: annotationsOf(w.metadata),
  }
}

export function decodeAppEnv(w: WireAppEnv): CcAppEnv {
  return {
    environmentVariables: w.environment_variables ?? {},
    stagingEnv: w.staging_env_json ?? {},
    runningEnv: w.running_env_json ?? {},
    systemEnv: w.system_env_json ?? {},
    applicationEnv: w.application_env_json ?? {},
  }
}

export function decodeHealthCheck(w: WireHealthCheck | null | undefined): HealthCheck | null {
  if (!w) return null
  const type = w.type
  const endpoint = w.data?.endpoint ?? null
  const timeout = w.data?.timeout ?? null
  const invocationTimeout = w.data?.invocation_timeout ?? null
  // Most processes have one of a few health checks: shared while a collection interns.
  return sharedRecord(`hc\u0000${type}\u0000${endpoint}\u0000${timeout}\u0000${invocationTimeout}`, () => ({
    type,
    endpoint,
    timeout,
    invocationTimeout,
  }))
}

const portCheck = (): HealthCheck => ({type: 'port', endpoint: null, timeout: null, invocationTimeout: null})

/** `process_instances` (embed) carry seconds in the current state; `now` turns them into times. */
export function decodeProcess(w: WireProcess, now: Date): CcProcess {
  const actual: Instance[] | null = Array.isArray(w.process_instances)
    ? w.process_instances.map((i) => ({
        index: i.index,
        instanceGuid: null,
        state: instanceState(i.state),
        routable: null,
        since:
          typeof i.since === 'number' ? intern(new Date(now.getTime() - i.since * 1000).toISOString()) : null,
      }))
    : null
  return {
    guid: intern(w.guid),
    appGuid: guidOf(w.relationships?.app) ?? '',
    type: intern(w.type),
    instances: w.instances,
    healthCheck: decodeHealthCheck(w.health_check) ?? sharedRecord('hc-default', portCheck),
    readinessCheck: decodeHealthCheck(w.readiness_health_check),
    actual,
    command: intern(w.command ?? null),
    version: w.version ?? null,
    memoryInMb: w.memory_in_mb ?? null,
    diskInMb: w.disk_in_mb ?? null,
    createdAt: intern(w.created_at),
    updatedAt: intern(w.updated_at),
    labels: labelsOf(w.metadata),
    annotations: annotationsOf(w.metadata),
  }
}

export function decodeInstanceStats(w: WireProcessStat, now: Date): CcInstanceStats {
  return {
    type: w.type,
    index: w.index,
    instanceGuid: w.instance_guid ?? null,
    state: instanceState(w.state),
    routable: typeof w.routable === 'boolean' ? w.routable : null,
    host: w.host || null,
    internalIp: w.instance_internal_ip || null,
    ports: (w.instance_ports ?? []).map((p) => ({
      external: p.external ?? null,
      internal: p.internal ?? null,
      externalTlsProxy: p.external_tls_proxy_port ?? null,
      internalTlsProxy: p.internal_tls_proxy_port ?? null,
    })),
    uptimeSeconds: typeof w.uptime === 'number' ? w.uptime : null,
    since: typeof w.uptime === 'number' ? new Date(now.getTime() - w.uptime * 1000).toISOString() : null,
    isolationSegment: w.isolation_segment ?? null,
    details: w.details ?? null,
  }
}

export function decodeDeployment(w: WireDeployment): CcDeployment {
  return {
    guid: intern(w.guid),
    appGuid: guidOf(w.relationships?.app) ?? '',
    statusValue: w.status?.value ?? '',
    statusReason: w.status?.reason ?? '',
    strategy: w.strategy,
    createdAt: intern(w.created_at),
    updatedAt: intern(w.updated_at),
    dropletGuid: w.droplet?.guid ?? null,
    previousDropletGuid: w.previous_droplet?.guid ?? null,
    newProcesses: (w.new_processes ?? []).map((p) => ({guid: p.guid, type: p.type})),
    revision: w.revision ? {guid: w.revision.guid, version: w.revision.version} : null,
    error: w.status?.details?.error ?? null,
    lastStatusChange: w.status?.details?.last_status_change ?? null,
    maxInFlight: w.options?.max_in_flight ?? null,
    labels: labelsOf(w.metadata),
    annotations: annotationsOf(w.metadata),
  }
}
