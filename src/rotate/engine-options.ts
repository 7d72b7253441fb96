/** What a caller tunes of the engine, and the checked values the steps and the planner read. */

import {processFingerprint, type Fingerprint} from '../model/fingerprint.js'
import type {HolderFinder} from './holders.js'
import type {PlanOptions} from './plan.js'
import type {KeySink} from './sink.js'
import type {ResolvedOptions} from './steps/state.js'

export interface EngineOptions {
  /** Who acts: lease owner and `rotated-by` (e.g. `admin@cron-host-1`). */
  owner: string
  /** Instances replaced at once per app (deployment `max_in_flight`). Default 1. */
  maxInFlight?: number
  /** Apps rolled at the same time. Default 4. */
  parallelApps?: number
  /** Keep the old secret / bindings / keys valid this long; null or 0 = retire at once. */
  graceMs?: number | null
  /** Bound on each wait (deployments, binding jobs). Default 15 minutes. */
  timeoutMs?: number
  /** Managed bindings: delete-then-create where a second binding is not allowed. */
  allowDowntime?: boolean
  /** Retire before retire-after; rotate again within `minIntervalMs` of the last rotation. */
  force?: boolean
  /** Default 10 minutes. */
  minIntervalMs?: number
  /** Plan only; change nothing. */
  dryRun?: boolean
  leaseTtlMs?: number
  /** Pause between writing the lease and re-reading it (lets a concurrent writer show). */
  leaseSettleMs?: number
  pollIntervalMs?: number
  fingerprint?: Fingerprint
  newRotationId?: () => string
  /** The new secret for a UPS of another identity provider (stdin / --secret-file). */
  secretSource?: (() => Promise<string>) | null
  /** Where new service key credentials go. */
  keySink?: KeySink | null
  /**
   * Finds every other holder of a user-provided service's client (the blast radius). Without it
   * nothing is searched: only scripts and unit tests that know there is no other holder omit it.
   */
  findHolders?: HolderFinder | null
  /** Rotate the other user-provided services holding the client too (else refuse while any exist). */
  includeShared?: boolean
  /**
   * While deployments roll, read each app's instances at every poll to report instances replaced
   * out of total (a live display asks; one more read per app and poll). Default false.
   */
  countInstances?: boolean
}

const MINUTE = 60_000

export function resolveOptions(options: EngineOptions): ResolvedOptions {
  const int = (v: number | undefined, def: number, what: string, min = 1) => {
    const n = v ?? def
    if (!Number.isInteger(n) || n < min) throw new TypeError(`${what} must be an integer >= ${min}`)
    return n
  }
  if (typeof options.owner !== 'string' || options.owner.trim() === '')
    throw new TypeError('owner is required')
  const graceMs = options.graceMs ?? null
  if (graceMs !== null && (!Number.isFinite(graceMs) || graceMs < 0))
    throw new TypeError('graceMs must be >= 0')
  const timeoutMs = int(options.timeoutMs, 15 * MINUTE, 'timeoutMs')
  return {
    owner: options.owner,
    maxInFlight: int(options.maxInFlight, 1, 'maxInFlight'),
    parallelApps: int(options.parallelApps, 4, 'parallelApps'),
    graceMs,
    timeoutMs,
    allowDowntime: options.allowDowntime ?? false,
    force: options.force ?? false,
    leaseTtlMs: int(options.leaseTtlMs, 10 * MINUTE, 'leaseTtlMs'),
    leaseSettleMs: int(options.leaseSettleMs, 2000, 'leaseSettleMs', 0),
    pollIntervalMs: int(options.pollIntervalMs, 5000, 'pollIntervalMs'),
    fingerprint: options.fingerprint ?? processFingerprint(),
    keySink: options.keySink ?? null,
    countInstances: options.countInstances ?? false,
  }
}

export function planOptions(o: ResolvedOptions, options: EngineOptions): PlanOptions {
  return {
    owner: o.owner,
    maxInFlight: o.maxInFlight,
    parallelApps: o.parallelApps,
    graceMs: o.graceMs,
    timeoutMs: o.timeoutMs,
    allowDowntime: o.allowDowntime,
    force: o.force,
    secretSupplied: typeof options.secretSource === 'function',
    keySinkGiven: o.keySink !== null,
    minIntervalMs: options.minIntervalMs ?? 10 * MINUTE,
    includeShared: options.includeShared ?? false,
  }
}
