/**
 * What a container sees of its service bindings: VCAP_SERVICES built from the newest
 * successfully created binding per service instance (`active_per_instance`, §3.2, §5.6).
 */
import type {App, CredentialBinding, EnvSnapshot, VcapEntry} from '../core/model.js'
import type {SimState} from '../core/state.js'

export function isActiveBinding(binding: CredentialBinding): boolean {
  const op = binding.lastOperation
  return op.state === 'succeeded' && (op.type === 'create' || op.type === 'update')
}

/** The binding per service instance an app's containers would get now. */
export function activeBindings(state: SimState, appGuid: string): CredentialBinding[] {
  const newest = new Map<string, CredentialBinding>()
  for (const b of state.bindings.lookup('app', appGuid)) {
    if (!isActiveBinding(b)) continue
    const current = newest.get(b.serviceInstanceGuid)
    if (
      !current ||
      b.createdAt > current.createdAt ||
      (b.createdAt === current.createdAt && b.seq > current.seq)
    ) {
      newest.set(b.serviceInstanceGuid, b)
    }
  }
  return [...newest.values()].sort((a, b) => a.seq - b.seq)
}

export function vcapEntries(state: SimState, appGuid: string): VcapEntry[] {
  const out: VcapEntry[] = []
  for (const binding of activeBindings(state, appGuid)) {
    const si = state.serviceInstances.get(binding.serviceInstanceGuid)
    if (!si) continue
    const plan = si.planGuid ? state.plans.get(si.planGuid) : undefined
    const offering = plan ? state.offerings.get(plan.offeringGuid) : undefined
    const managed = si.type === 'managed'
    out.push({
      bindingGuid: binding.guid,
      bindingName: binding.name,
      instanceGuid: si.guid,
      instanceName: si.name,
      label: managed ? (offering?.name ?? 'unknown') : 'user-provided',
      tags: managed ? [...(offering?.tags ?? []), ...si.tags] : [...si.tags],
      plan: managed ? (plan?.name ?? null) : null,
      credentials: binding.credentials,
      syslogDrainUrl: binding.syslogDrainUrl,
      managed,
    })
  }
  return out
}

/** Freezes the environment a new LRP gets (env vars copied, credentials by reference). */
export function snapshotEnv(state: SimState, app: App, at: number): EnvSnapshot {
  return {
    takenAt: at,
    vcap: vcapEntries(state, app.guid),
    environmentVariables: {...app.environmentVariables},
  }
}

export function renderVcap(entries: readonly VcapEntry[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {}
  for (const e of entries) {
    const item: Record<string, unknown> = {
      label: e.label,
      provider: null,
      plan: e.plan,
      name: e.bindingName ?? e.instanceName,
      tags: e.tags,
      instance_guid: e.instanceGuid,
      instance_name: e.instanceName,
      binding_guid: e.bindingGuid,
      binding_name: e.bindingName,
      credentials: e.credentials,
      syslog_drain_url: e.syslogDrainUrl,
      volume_mounts: [],
    }
    if (!e.managed) {
      delete item.provider
      delete item.plan
    }
    ;(out[e.label] ??= []).push(item)
  }
  return out
}
