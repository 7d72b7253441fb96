/**
 * Every label and annotation cfguard writes, in one place. The identity audit reads
 * `ROTATED_AT` (stale credentials) and `CREDENTIALS_UPDATED_AT` (drift); `credentials list` reads
 * the lease, the retire-after mark and the rotation-state label. Keys follow CC's rules
 * (prefix + name of 1–63 characters, cf-api.md §6); values are plain text, no secrets.
 */

export const ANNOTATION = {
  /** JSON Lease: who rotates this instance now, until when. */
  lease: 'cfguard.io/lease',
  /** ISO time the last rotation finished (apps run the new credentials). */
  rotatedAt: 'cfguard.io/rotated-at',
  rotatedBy: 'cfguard.io/rotated-by',
  /**
   * Which credential of the instance that rotation was (`ups-uaa`, `managed-binding`,
   * `service-key/<family>`…): a key rotation must not count as a recent binding rotation.
   */
  rotatedKind: 'cfguard.io/rotated-kind',
  rotationId: 'cfguard.io/rotation-id',
  /** ISO time after which the old secret / bindings / keys may be retired. */
  retireAfter: 'cfguard.io/retire-after',
  /** ISO time cfguard last changed the credentials; written in the same PATCH as the credentials. */
  credentialsUpdatedAt: 'cfguard.io/credentials-updated-at',
  /** JSON Journal of a binding or key rotation in progress (no secrets). */
  journal: 'cfguard.io/rotation-journal',
  rolledBackAt: 'cfguard.io/rolled-back-at',
  /** On service keys: the key family (name of the first key) a rotated key replaces. */
  keyFamily: 'cfguard.io/key-family',
  /** On service keys: when its credentials were handed to the output sink. */
  deliveredAt: 'cfguard.io/delivered-at',
  /**
   * The OAuth client id a UPS holds (written by cfguard on the UPS and on its rotation state), so
   * a dry run can name the UAA client without reading the credentials (no `*.show` audit event).
   */
  clientId: 'cfguard.io/client-id',
  /** On the rotation-state companion: `ups-uaa` or `ups-external`, and when the rotation started. */
  rotationKind: 'cfguard.io/rotation-kind',
  startedAt: 'cfguard.io/started-at',
} as const

export const LABEL = {
  /** `rotation-state` on the companion user-provided service that holds a pending secret. */
  role: 'cfguard.io/role',
  /** On the companion: guid of the service instance it belongs to. */
  rotationTarget: 'cfguard.io/rotation-target',
  /**
   * On deployments cfguard creates: which credential change they roll out (a compact time for a
   * UPS, the new binding's guid for managed bindings). A deployment takes its environment when it
   * is created, so only one labelled with the current change proves the app runs it.
   */
  credentialsChange: 'cfguard.io/credentials-change',
} as const

/** Label value for a credential change made at `iso` (label values allow [A-Za-z0-9-_.]). */
export function changeMarker(iso: string): string {
  return iso.replace(/[^0-9TZ]/g, '')
}

export const ROLE_ROTATION_STATE = 'rotation-state'

/** The value of `rotated-kind` for a rotation of `kind` (a key family is its own credential). */
export function rotatedKindOf(kind: string, keyName: string | null): string {
  return kind === 'service-key' && keyName ? `service-key/${keyName}` : kind
}

/** Name of the companion user-provided service of a target (unique per space: a natural lock). */
export function stateServiceName(targetGuid: string): string {
  return `cfguard-rotation-${targetGuid}`
}

export interface Lease {
  owner: string
  rotationId: string
  /** Random per acquisition: tells two runs of the same owner apart. */
  token: string
  acquiredAt: string
  expiresAt: string
}

export function encodeLease(lease: Lease): string {
  return JSON.stringify({
    owner: lease.owner,
    rotation_id: lease.rotationId,
    token: lease.token,
    acquired_at: lease.acquiredAt,
    expires_at: lease.expiresAt,
  })
}

/** undefined = no lease; null = a lease annotation that cannot be read (treated as held). */
export function decodeLease(value: string | undefined): Lease | null | undefined {
  if (value === undefined || value === '') return undefined
  try {
    const raw = JSON.parse(value) as Record<string, unknown>
    const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : null)
    const owner = str('owner')
    const rotationId = str('rotation_id')
    const token = str('token')
    const acquiredAt = str('acquired_at')
    const expiresAt = str('expires_at')
    if (!owner || !rotationId || !token || !acquiredAt || !expiresAt || Number.isNaN(Date.parse(expiresAt))) {
      return null
    }
    return {owner, rotationId, token, acquiredAt, expiresAt}
  } catch {
    return null
  }
}

/** What a binding or key rotation records on the instance before its first change. */
export interface Journal {
  rotationId: string
  kind: 'managed-binding' | 'service-key'
  startedAt: string
  /** Apps being rotated (binding kind): kept so a delete-then-create run can resume. */
  apps: string[]
  /** Key family (service-key kind). */
  keyName: string | null
}

export function encodeJournal(journal: Journal): string {
  return JSON.stringify({
    rotation_id: journal.rotationId,
    kind: journal.kind,
    started_at: journal.startedAt,
    apps: journal.apps,
    key_name: journal.keyName,
  })
}

export function decodeJournal(value: string | undefined): Journal | null {
  if (value === undefined || value === '') return null
  try {
    const raw = JSON.parse(value) as Record<string, unknown>
    const kind = raw.kind
    if (typeof raw.rotation_id !== 'string' || typeof raw.started_at !== 'string') return null
    if (kind !== 'managed-binding' && kind !== 'service-key') return null
    const apps = Array.isArray(raw.apps) ? raw.apps.filter((a): a is string => typeof a === 'string') : []
    return {
      rotationId: raw.rotation_id,
      kind,
      startedAt: raw.started_at,
      apps,
      keyName: typeof raw.key_name === 'string' ? raw.key_name : null,
    }
  } catch {
    return null
  }
}
