/**
 * Where a pending secret lives between "generated" and "the UPS holds it": a companion
 * user-provided service in the target's space, named `cfguard-rotation-<target guid>`, labelled
 * `cfguard.io/role=rotation-state`, never bound to an app.
 *
 * Why there: it is on the platform (a re-run on another host resumes), it has exactly the access
 * rules of the secret it protects (UPS credentials are readable by admins and space developers
 * only, docs/platform-facts.md §5.2; every read leaves an `audit.user_provided_service_instance.show`), it
 * needs no extra service or local disk, and `POST /v3/service_instances` fails on a taken name, so
 * creating it is an atomic "only one pending secret per target". Annotations would be readable by
 * every space role; the target UPS itself would copy the pending secret into bindings.
 *
 * Its keys are not identity-shaped (no `client_id`/`client_secret` pair, no issuer) so identity
 * audits do not count it as an app credential, while the secret-carrying keys still match the
 * transport's redaction by key name (`..._credential`).
 */

import {ROLE_ROTATION_STATE, stateServiceName} from './annotations.js'
import {ANNOTATION, LABEL} from '../model/annotations.js'
import type {RotationPlatform, ServiceInstanceInfo} from './platform.js'
import {registerSecret} from '../redact.js'

export const STORE_VERSION = '1'

export interface StoredRotation {
  rotationId: string
  kind: 'ups-uaa' | 'ups-external'
  targetGuid: string
  clientId: string
  startedAt: string
  /** The new secret (the one being rolled out). */
  pending: string
  /** The secret the UPS held when the rotation started (kept for rollback until retirement). */
  previous: string
  /**
   * Not secret, kept as annotations only (a rollback reads them without a `*.show` event): when
   * `previous` was put in place (ISO or `unknown`), and the target's rotation record before this
   * rotation (annotations.ts encodeRotationRecord).
   */
  previousSecretSetAt?: string
  previousRotation?: string
}

export function encodeStore(s: StoredRotation): Record<string, unknown> {
  return {
    cfguard_rotation_state: STORE_VERSION,
    rotation_id: s.rotationId,
    kind: s.kind,
    target_guid: s.targetGuid,
    for_client: s.clientId,
    started_at: s.startedAt,
    pending_credential: s.pending,
    previous_credential: s.previous,
  }
}

/** null when the object is not a rotation state cfguard wrote (then nobody should act on it). */
export function decodeStore(raw: Record<string, unknown>): StoredRotation | null {
  const s = (k: string) => (typeof raw[k] === 'string' && raw[k] !== '' ? (raw[k] as string) : null)
  const kind = s('kind')
  const out = {
    rotationId: s('rotation_id'),
    targetGuid: s('target_guid'),
    clientId: s('for_client'),
    startedAt: s('started_at'),
    pending: s('pending_credential'),
    previous: s('previous_credential'),
  }
  if (s('cfguard_rotation_state') !== STORE_VERSION || (kind !== 'ups-uaa' && kind !== 'ups-external'))
    return null
  if (Object.values(out).some((v) => v === null)) return null
  return {...(out as Omit<StoredRotation, 'kind'>), kind}
}

export type StoreRead =
  | {status: 'absent'}
  | {status: 'present'; guid: string; state: StoredRotation}
  /** A service with the companion's name that cfguard cannot read as its own. */
  | {status: 'foreign'; guid: string}

export async function readStore(platform: RotationPlatform, target: ServiceInstanceInfo): Promise<StoreRead> {
  const si = await platform.findServiceInstance(target.spaceGuid, stateServiceName(target.guid))
  if (si === null) return {status: 'absent'}
  if (si.type !== 'user-provided' || si.labels[LABEL.role] !== ROLE_ROTATION_STATE) {
    return {status: 'foreign', guid: si.guid}
  }
  const raw = await platform.readUpsCredentials(si.guid)
  const state = decodeStore(raw)
  if (state === null || state.targetGuid !== target.guid) return {status: 'foreign', guid: si.guid}
  registerSecret(state.pending)
  registerSecret(state.previous)
  return {status: 'present', guid: si.guid, state}
}

export async function createStore(
  platform: RotationPlatform,
  target: ServiceInstanceInfo,
  state: StoredRotation,
): Promise<{status: 'created'; guid: string} | {status: 'name-taken'}> {
  return platform.createUserProvidedService({
    spaceGuid: target.spaceGuid,
    name: stateServiceName(target.guid),
    credentials: encodeStore(state),
    // The non-secret facts again as annotations: a dry run reads them without a `*.show` event.
    metadata: {
      labels: {[LABEL.role]: ROLE_ROTATION_STATE, [LABEL.rotationTarget]: target.guid},
      annotations: {
        [ANNOTATION.rotationId]: state.rotationId,
        [ANNOTATION.rotationKind]: state.kind,
        [ANNOTATION.clientId]: state.clientId,
        [ANNOTATION.startedAt]: state.startedAt,
        ...(state.previousSecretSetAt === undefined
          ? {}
          : {[ANNOTATION.previousSecretSetAt]: state.previousSecretSetAt}),
        ...(state.previousRotation === undefined
          ? {}
          : {[ANNOTATION.previousRotation]: state.previousRotation}),
      },
    },
  })
}

/** The companion as a dry run sees it: from its labels and annotations only (no secret read). */
export type StoreLook =
  | {status: 'absent'}
  | {status: 'foreign'; guid: string}
  | {
      status: 'present'
      guid: string
      rotationId: string | null
      kind: 'ups-uaa' | 'ups-external' | null
      clientId: string | null
      startedAt: string | null
      previousSecretSetAt: string | null
      previousRotation: string | null
    }

export async function lookAtStore(
  platform: RotationPlatform,
  target: ServiceInstanceInfo,
): Promise<StoreLook> {
  const si = await platform.findServiceInstance(target.spaceGuid, stateServiceName(target.guid))
  if (si === null) return {status: 'absent'}
  if (
    si.type !== 'user-provided' ||
    si.labels[LABEL.role] !== ROLE_ROTATION_STATE ||
    (si.labels[LABEL.rotationTarget] !== undefined && si.labels[LABEL.rotationTarget] !== target.guid)
  ) {
    return {status: 'foreign', guid: si.guid}
  }
  const a = si.annotations
  const kind = a[ANNOTATION.rotationKind]
  return {
    status: 'present',
    guid: si.guid,
    rotationId: a[ANNOTATION.rotationId] ?? null,
    kind: kind === 'ups-uaa' || kind === 'ups-external' ? kind : null,
    clientId: a[ANNOTATION.clientId] ?? null,
    startedAt: a[ANNOTATION.startedAt] ?? null,
    previousSecretSetAt: a[ANNOTATION.previousSecretSetAt] ?? null,
    previousRotation: a[ANNOTATION.previousRotation] ?? null,
  }
}
