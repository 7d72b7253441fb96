/**
 * Decoding `GET /v3/apps/:guid/env` (pure; docs/platform-facts.md §3.2): the app's own variables, and the
 * bindings VCAP_SERVICES shows — or why it shows none (file-based bindings, service-binding-k8s,
 * a space supporter's redaction). Values are returned as read; the caller classifies and drops
 * them at once.
 */

export type VcapVisibility =
  | 'visible'
  /** app feature `file-based-vcap-services`: VCAP_SERVICES_FILE_PATH only */
  | 'file-based-vcap-services'
  /** app feature `service-binding-k8s`: SERVICE_BINDING_ROOT only */
  | 'service-binding-k8s'
  /** space supporter: `{"redacted_message": "[PRIVATE DATA HIDDEN]"}` */
  | 'redacted'

export interface VcapEntry {
  /** `binding_guid` (CC ≥ 3.95); null on older foundations. */
  bindingGuid: string | null
  /** `instance_guid` (CC ≥ 3.95); null on older foundations. */
  instanceGuid: string | null
  instanceName: string | null
  bindingName: string | null
  /** Offering label, `user-provided` for UPSs. */
  label: string
  credentials: unknown
}

export interface DecodedVcap {
  visibility: VcapVisibility
  entries: VcapEntry[]
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

/** `system_env_json` → what VCAP_SERVICES shows. A JSON-string VCAP_SERVICES is parsed too. */
export function decodeVcap(systemEnv: Record<string, unknown>): DecodedVcap {
  if ('redacted_message' in systemEnv) return {visibility: 'redacted', entries: []}
  if ('VCAP_SERVICES_FILE_PATH' in systemEnv) return {visibility: 'file-based-vcap-services', entries: []}
  if ('SERVICE_BINDING_ROOT' in systemEnv) return {visibility: 'service-binding-k8s', entries: []}
  let vcap = systemEnv.VCAP_SERVICES
  if (typeof vcap === 'string') {
    try {
      vcap = JSON.parse(vcap)
    } catch {
      vcap = {}
    }
  }
  const entries: VcapEntry[] = []
  if (isObject(vcap)) {
    for (const [label, list] of Object.entries(vcap)) {
      if (!Array.isArray(list)) continue
      for (const item of list) {
        if (!isObject(item)) continue
        entries.push({
          bindingGuid: str(item.binding_guid) ?? str(item.binding_id),
          instanceGuid: str(item.instance_guid) ?? str(item.instance_id),
          instanceName: str(item.instance_name) ?? str(item.name),
          bindingName: str(item.binding_name),
          label: str(item.label) ?? label,
          credentials: item.credentials ?? {},
        })
      }
    }
  }
  return {visibility: 'visible', entries}
}

export interface BindingRef {
  guid: string
  serviceInstanceGuid: string
}

/**
 * Which binding (of this app) a VCAP entry is: by `binding_guid`, else by `instance_guid`, else
 * (CC < 3.95) by instance name within the app's visible instances. The app's env shows the newest
 * succeeded binding per instance, so `activeByInstance` maps instance guid → that binding.
 */
export function matchEntry(
  entry: VcapEntry,
  bindings: ReadonlyMap<string, BindingRef>,
  activeByInstance: ReadonlyMap<string, BindingRef>,
  instanceGuidByName: ReadonlyMap<string, string>,
): BindingRef | null {
  if (entry.bindingGuid) {
    const b = bindings.get(entry.bindingGuid)
    if (b) return b
  }
  const instanceGuid =
    entry.instanceGuid ?? (entry.instanceName ? (instanceGuidByName.get(entry.instanceName) ?? null) : null)
  return instanceGuid ? (activeByInstance.get(instanceGuid) ?? null) : null
}
