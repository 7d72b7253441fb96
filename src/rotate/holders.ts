/**
 * The blast radius of a secret change (docs/architecture.md "Rotation protocol"): every other place that
 * holds the client being rotated — user-provided services, managed bindings, service keys, plain
 * env vars — found by client id or by the same secret fingerprint, across every space the token
 * can see. Other user-provided services can be rotated together (`--include-shared`: they follow
 * the target through the same steps); anything else cfguard cannot update, so the run refuses
 * rather than retire a secret someone still uses. Pure.
 */

import type {Refusal} from './plan.js'
import type {RotationAction} from './types.js'
import {plural} from '../util/plural.js'

export type HolderKind = 'user-provided' | 'binding' | 'key' | 'env'

export interface Holder {
  kind: HolderKind
  /** Service instance guid (user-provided), binding or key guid, or the app guid (env). */
  guid: string
  /** Service instance name; `<instance>/<binding or key name>`; `<app>:<VARIABLE>` for env. */
  name: string
  /** `org/space` */
  space: string
  /** Apps that receive the credential (bound apps, or the app itself for env). */
  apps: string[]
  /** How it was found: it names the same client id, or holds a secret with the same fingerprint. */
  match: 'client-id' | 'secret'
  secretFingerprint: string | null
}

export interface HolderScan {
  /** The client the target holds (null when its credentials name none). */
  clientId: string | null
  /** Fingerprint of the target's secret now. */
  fingerprint: string | null
  /** Every other holder, sorted by space then name. */
  holders: Holder[]
  /** Places that could not be searched, each with why ("credentials of 3 services in dev: 403 …"). */
  unseen: string[]
  /** `org/space` of every space searched, by guid: a plan over several spaces says which app is where. */
  spaceNames: Record<string, string>
}

/** Finds the holders of a service instance's client (built by the action over a fresh snapshot). */
export type HolderFinder = (serviceInstanceGuid: string) => Promise<HolderScan>

/** Another user-provided service holding the client: it follows the target through the rotation. */
export interface Follower {
  guid: string
  name: string
  space: string
  /** Which of the rotation's secrets it holds now; unknown in a dry run (no secret read). */
  holds: 'previous' | 'pending' | 'other' | 'unknown'
}

export const followersOf = (scan: HolderScan | null): Pick<Follower, 'guid' | 'name' | 'space'>[] =>
  (scan?.holders ?? [])
    .filter((h) => h.kind === 'user-provided')
    .map((h) => ({guid: h.guid, name: h.name, space: h.space}))

export function describeHolder(h: Holder): string {
  const what =
    h.kind === 'user-provided'
      ? `user-provided service ${h.name}`
      : h.kind === 'binding'
        ? `binding ${h.name}`
        : h.kind === 'key'
          ? `service key ${h.name}`
          : `env var ${h.name}`
  const apps = h.kind === 'env' || h.apps.length === 0 ? '' : ` (apps ${h.apps.join(', ')})`
  return `${what} in ${h.space}${apps}`
}

/**
 * Why a run must not start because of other holders. `rotate` without `--include-shared` refuses
 * while anyone else holds the client; with it, only holders cfguard cannot update (env vars,
 * managed bindings, service keys) stop it, and only while they hold a secret the run retires or
 * replaces. `retire` and `rollback` carry every user-provided holder along; the other kinds stop
 * them unless they already hold the secret the run keeps. A follower holding a secret that is
 * neither of the rotation's needs a person.
 */
export function sharedRefusals(input: {
  action: RotationAction
  targetName: string
  scan: HolderScan | null
  followers: Follower[]
  includeShared: boolean
  /** Fingerprint of the secret the run leaves in place (pending for rotate/retire, previous for rollback). */
  keptFingerprint: string | null
}): Refusal[] {
  const {action, targetName, scan, followers, includeShared, keptFingerprint} = input
  if (!scan || scan.holders.length === 0) return []
  const client = scan.clientId ? `client ${scan.clientId}` : 'its secret'
  const list = (hs: Holder[]) => hs.map(describeHolder).join('; ')
  if (action === 'rotate' && !includeShared) {
    const onlyServices = scan.holders.every((h) => h.kind === 'user-provided')
    return [
      {
        code: 'ROTATION_REFUSED',
        message:
          `${client} of ${targetName} is also held by ${plural(scan.holders.length, 'other place')}: ` +
          `${list(scan.holders)}; rotating ${targetName} alone would leave them with a retired secret`,
        suggestions: [
          ...(onlyServices
            ? [`rotate them together: cfguard credentials rotate ${targetName} --include-shared`]
            : []),
          'or give each app its own UAA client (see identity/shared-client in `cfguard rules`)',
        ],
      },
    ]
  }
  const out: Refusal[] = []
  const fixed = scan.holders.filter(
    (h) =>
      h.kind !== 'user-provided' && (keptFingerprint === null || h.secretFingerprint !== keptFingerprint),
  )
  if (fixed.length > 0) {
    out.push({
      code: 'ROTATION_REFUSED',
      message:
        `${client} of ${targetName} is also held where cfguard cannot update it: ${list(fixed)}; ` +
        `${action === 'rollback' ? 'rolling back' : 'retiring the old secret'} would break them`,
      suggestions: [
        'move those credentials into a user-provided service (or give them their own client), then re-run',
      ],
    })
  }
  const strays = followers.filter((f) => f.holds === 'other')
  if (strays.length > 0) {
    out.push({
      code: 'ROTATION_REFUSED',
      needsHuman: true,
      message:
        `${strays.map((f) => `${f.name} in ${f.space}`).join(', ')} ${strays.length === 1 ? 'holds' : 'hold'} ` +
        `${client} with a secret that is neither the current nor the new one`,
      suggestions: ['find out which secret UAA accepts and align those services by hand, then re-run'],
    })
  }
  return out
}
