/**
 * Keys of the collection cache (pure). A key names everything the cached answer depends on, by
 * guid and `updated_at`, so a changed key means "read again":
 * - an app's `/env`: the app (its own variables bump its `updated_at`), each of its live bindings
 *   (a new or deleted binding changes the set), and each bound service instance — a UPS
 *   credentials update bumps the instance's `updated_at`, not the app's or the binding's;
 * - UPS `/credentials`: the instance;
 * - binding `/details`: the binding and its instance.
 */
import {createHash, createHmac} from 'node:crypto'

interface Stamped {
  guid: string
  updatedAt: string
}

interface BindingLike extends Stamped {
  serviceInstanceGuid: string
  lastOperation: {type: string; state: string}
}

const KEY_VERSION = 1

function digest(parts: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([KEY_VERSION, parts]))
    .digest('hex')
    .slice(0, 32)
}

const stamp = (x: Stamped) => `${x.guid}@${x.updatedAt}`

export function envKey(
  app: Stamped,
  bindings: readonly BindingLike[],
  instances: readonly Stamped[],
): string {
  return digest([
    'env',
    stamp(app),
    bindings.map((b) => `${stamp(b)}/${b.lastOperation.type}:${b.lastOperation.state}`).sort(),
    instances.map(stamp).sort(),
  ])
}

export function upsKey(instance: Stamped): string {
  return digest(['ups', stamp(instance)])
}

export function detailsKey(binding: BindingLike, instance: Stamped | undefined): string {
  return digest(['details', stamp(binding), instance ? stamp(instance) : null])
}

/** Names the salt in cache files without revealing it: fingerprints made with another salt never match. */
export function saltId(salt: Buffer): string {
  return createHmac('sha256', salt).update('cfguard collection cache').digest('hex').slice(0, 16)
}
