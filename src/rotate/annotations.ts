/**
 * What the rotation engine keeps in labels and annotations (the keys: model/annotations.ts). The identity audit reads
 * `CREDENTIALS_UPDATED_AT` (drift) and `SECRET_SET_AT` (age), never `ROTATED_AT` (a record of
 * when a rotation finished, after its apps were rolled); `credentials list` reads
 * the lease, the retire-after mark and the rotation-state label. Keys follow CC's rules
 * (prefix + name of 1–63 characters, docs/platform-facts.md §6); values are plain text, no secrets.
 */
import {ANNOTATION} from '../model/annotations.js'

/** The annotations a finished rotation records, which a rollback restores to their earlier values. */
export const ROTATION_RECORD = [
  ANNOTATION.rotatedAt,
  ANNOTATION.rotatedBy,
  ANNOTATION.rotatedKind,
  ANNOTATION.rotationId,
] as const

/** The rotation record of `annotations` as the JSON kept on the rotation state (absent keys left out). */
export function encodeRotationRecord(annotations: Record<string, string>): string {
  return JSON.stringify(
    Object.fromEntries(
      ROTATION_RECORD.flatMap((k) => (annotations[k] === undefined ? [] : [[k, annotations[k]]])),
    ),
  )
}

/**
 * The annotation patch that puts a kept rotation record back: every record key, null where the
 * record had none (deleted). null when the kept value cannot be read (then nothing is restored).
 */
export function decodeRotationRecord(value: string | undefined): Record<string, string | null> | null {
  if (value === undefined) return null
  try {
    const raw = JSON.parse(value) as Record<string, unknown>
    return Object.fromEntries(ROTATION_RECORD.map((k) => [k, typeof raw[k] === 'string' ? raw[k] : null]))
  } catch {
    return null
  }
}

/** A credential change written outside cfguard this long after its mark is a later change. */
export const SAME_WRITE_MS = 60_000

/**
 * When the secret a user-provided service holds was put in place (ISO, or `unknown`), from
 * cfguard's marks and the newest audit event that carried credentials (null: none visible). The
 * identity audit derives the same from a snapshot (derive/identity.ts lastCredentialChange).
 */
export function secretSetAtOf(
  annotations: Record<string, string>,
  newestCredentialEvent: string | null,
): string {
  const valid = (v: string | undefined) => (v === undefined || Number.isNaN(Date.parse(v)) ? null : v)
  const marked = valid(annotations[ANNOTATION.credentialsUpdatedAt])
  const event = valid(newestCredentialEvent ?? undefined)
  if (marked === null || (event !== null && Date.parse(event) > Date.parse(marked) + SAME_WRITE_MS)) {
    return event ?? 'unknown'
  }
  const setAt = annotations[ANNOTATION.secretSetAt]
  if (setAt === undefined) return event !== null && Date.parse(event) > Date.parse(marked) ? event : marked
  return valid(setAt) ?? 'unknown'
}

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
