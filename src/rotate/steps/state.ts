/** The working state of one run: derived from the platform at start, updated by each step. */

import type {Fingerprint} from '../../model/fingerprint.js'
import type {Observation, ObservedSecrets} from '../observe.js'
import type {ServiceInstanceInfo} from '../platform.js'
import type {KeySink} from '../sink.js'
import type {Phase, RotationAction, RotationKind} from '../types.js'

export interface ResolvedOptions {
  owner: string
  maxInFlight: number
  parallelApps: number
  graceMs: number | null
  timeoutMs: number
  allowDowntime: boolean
  force: boolean
  leaseTtlMs: number
  leaseSettleMs: number
  pollIntervalMs: number
  fingerprint: Fingerprint
  keySink: KeySink | null
  /** Read each rolling app's instances at every poll to report instances replaced (live display). */
  countInstances: boolean
}

export interface RunState {
  action: RotationAction
  kind: RotationKind
  /** The service instance, refreshed by every lease check. */
  target: ServiceInstanceInfo
  rotationId: string
  phase: Phase
  options: ResolvedOptions
  observation: Observation
  /** In memory only. */
  secrets: ObservedSecrets
  leaseToken: string | null
  leaseExpiresAt: number
  lastLeaseCheck: number
  // ---- UPS kinds ----
  storeGuid: string | null
  /** The new secret (from the companion, or just generated / supplied). */
  pending: string | null
  /** The secret the UPS held when the rotation started. */
  previous: string | null
  /** A secret supplied by the operator (ups-external). */
  supplied: string | null
  credentialsUpdatedAt: string | null
  /** Set by finalize when a grace period defers retirement. */
  retireAfter: string | null
  /** Anything this run changed on the platform (beyond its own lease). */
  changed: boolean
}

export const isGrace = (o: ResolvedOptions): boolean => o.graceMs !== null && o.graceMs > 0
