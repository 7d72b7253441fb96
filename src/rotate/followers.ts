/**
 * Other user-provided services that hold the client being rotated (`--include-shared`, and always
 * for retire and rollback). They follow the target: the credentials step moves each one from the
 * old secret to the new (rollback: back), the roll and verify steps cover their bound apps, and
 * UAA is never told to drop a secret while one of them still holds it. Each move re-reads the
 * service and changes only the secret at its own locator, so a re-run after a crash moves only
 * those left behind.
 */

import {ANNOTATION} from '../model/annotations.js'
import {locateSecret, secretLeaves, withSecret} from './credentials.js'
import {halted, NeedsHumanError} from './halt.js'
import type {Follower} from './holders.js'
import {appGuidsOf} from './bindings.js'
import type {RotationPlatform} from './platform.js'
import {registerSecret} from '../redact.js'

type Place = Pick<Follower, 'guid' | 'name' | 'space'>

async function readSecret(platform: RotationPlatform, guid: string) {
  const credentials = await platform.readUpsCredentials(guid)
  for (const s of secretLeaves(credentials)) registerSecret(s)
  const locator = locateSecret(credentials)
  return {credentials, locator}
}

/** Which of the rotation's secrets each follower holds (reads their credentials). */
export async function observeFollowers(
  platform: RotationPlatform,
  places: Place[],
  secrets: {pending: string | null; previous: string | null} | null,
): Promise<Follower[]> {
  const out: Follower[] = []
  for (const place of places) {
    if (secrets === null) {
      out.push({...place, holds: 'unknown'})
      continue
    }
    const {locator} = await readSecret(platform, place.guid)
    const secret = locator?.secret ?? null
    const holds =
      secret !== null && secret === secrets.pending
        ? 'pending'
        : secret !== null && secret === secrets.previous
          ? 'previous'
          : 'other'
    out.push({...place, holds})
  }
  return out
}

/** App guids bound to any of the followers. */
export async function followerAppGuids(platform: RotationPlatform, places: Place[]): Promise<string[]> {
  const lists = await Promise.all(places.map((p) => platform.listBindings(p.guid, 'app')))
  return appGuidsOf(lists.flat())
}

/**
 * Moves every follower holding `from` to `to` (only the secret changes; the credentials-updated
 * mark is set so the roll can prove its apps run it). Followers already on `to` are left alone;
 * one holding anything else stops the run for a person.
 */
export async function moveFollowers(
  platform: RotationPlatform,
  places: Place[],
  from: string,
  to: string,
  /** When `to` was first put in place (its age; the same secret's time on the target). */
  setAt: string,
): Promise<string[]> {
  const moved: string[] = []
  for (const place of places) {
    const {credentials, locator} = await readSecret(platform, place.guid)
    if (locator?.secret === to) continue
    if (!locator || locator.secret !== from) throw strayFollower(place)
    await platform.updateServiceInstance(place.guid, {
      credentials: withSecret(credentials, locator, to),
      metadata: {
        annotations: {
          [ANNOTATION.credentialsUpdatedAt]: platform.now().toISOString(),
          [ANNOTATION.secretSetAt]: setAt,
          [ANNOTATION.clientId]: locator.clientId,
        },
      },
    })
    moved.push(`${place.name} (${place.space})`)
  }
  return moved
}

/** Before UAA drops a secret: every follower must hold `kept` (the one that stays valid). */
export async function assertFollowersHold(
  platform: RotationPlatform,
  places: Place[],
  kept: string,
  what: string,
  /** What to do about it (a command that moves the followers, or how to align them). */
  next: string,
): Promise<void> {
  for (const place of places) {
    const {locator} = await readSecret(platform, place.guid)
    if (locator?.secret === kept) continue
    throw halted(
      `not ${what}: ${place.name} in ${place.space} does not hold the secret that stays valid`,
      next,
    )
  }
}

function strayFollower(place: Place): NeedsHumanError {
  return new NeedsHumanError(
    `${place.name} in ${place.space} holds neither the old nor the new secret of the client: it was changed outside this rotation`,
    ['align it by hand with the secret UAA accepts, then re-run'],
  )
}
