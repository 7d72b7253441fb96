/**
 * A user-provided service holding a client secret: its credentials and rotation state, the other
 * services holding the client (followers), the apps bound to all of them, the probes of each
 * known secret and the UAA client. A dry run reads no secret (`observeUpsWithoutSecrets`).
 */

import {ANNOTATION} from '../model/annotations.js'
import {isCfguardError} from '../errors.js'
import {registerSecret} from '../redact.js'
import {appGuidsOf} from './bindings.js'
import {locateSecret, secretLeaves} from './credentials.js'
import {followerAppGuids, observeFollowers} from './followers.js'
import {followersOf, type Follower, type HolderScan} from './holders.js'
import {loadApps, type LoadedApps} from './observe-apps.js'
import type {Observation, ObservedSecrets, ObserveOptions, RotationTarget, UpsObservation} from './observe.js'
import {isAppRolled, upsRollTarget, type UpsFacts} from './phase.js'
import type {ProbeResult, RotationPlatform, ServiceInstanceInfo} from './platform.js'
import {probeSecret} from './probe.js'
import {lookAtStore, readStore} from './store.js'

type UpsKind = 'ups-uaa' | 'ups-external'
/** A follower as the holder search found it (name and place, no state yet). */
type FollowerPlace = ReturnType<typeof followersOf>[number]

export async function observeUps(
  platform: RotationPlatform,
  target: RotationTarget,
  base: Observation,
  secrets: ObservedSecrets,
  options: ObserveOptions,
): Promise<{observation: Observation; secrets: ObservedSecrets}> {
  const si = base.target
  const credentials = await platform.readUpsCredentials(si.guid)
  for (const s of secretLeaves(credentials)) registerSecret(s)
  const locator = locateSecret(credentials)
  if (locator) registerSecret(locator.secret)
  secrets.credentials = credentials
  secrets.locator = locator
  if (locator === null) {
    return {
      observation: {...base, problem: 'its credentials hold no client id and client secret to rotate'},
      secrets,
    }
  }
  const store = await readStore(platform, si)
  const stored = store.status === 'present' ? store.state : null
  const kind = stored?.kind ?? upsKindOf(target)
  secrets.pending = stored?.pending ?? null
  secrets.previous = stored?.previous ?? null

  const {shared, places} = await holdersOf(si, options)
  const followers = await observeFollowers(platform, places, {
    pending: stored?.pending ?? null,
    previous: stored?.previous ?? locator.secret,
  })
  const loaded = await appsOf(platform, si, places)

  const probe = async (secret: string | null): Promise<ProbeResult | null> =>
    secret === null || options.probe === false ? null : probeSecret(platform, kind, locator, secret)
  const current: UpsFacts['current'] =
    stored === null
      ? 'no-store'
      : locator.secret === stored.pending
        ? 'pending'
        : locator.secret === stored.previous
          ? 'previous'
          : 'other'
  const [currentProbe, pendingProbe, previousProbe] =
    stored === null
      ? [await probe(locator.secret), null, null]
      : [null, await probe(stored.pending), kind === 'ups-uaa' ? await probe(stored.previous) : null]

  const fp = options.fingerprint
  const ups: UpsObservation = {
    kind,
    store: stored ? {rotationId: stored.rotationId, startedAt: stored.startedAt} : null,
    current,
    currentProbe,
    pendingProbe,
    previousProbe,
    ...marksOf(si, loaded),
    secretsRead: true,
    clientId: locator.clientId,
    currentFingerprint: fp(locator.secret),
    pendingFingerprint: stored ? fp(stored.pending) : null,
    previousFingerprint: stored ? fp(stored.previous) : null,
    tokenEndpoint: locator.tokenEndpoint,
    issuer: locator.issuer,
    ...(await uaaFacts(platform, kind, locator.clientId)),
    storeGuid: store.status === 'absent' ? null : store.guid,
    foreignStore: store.status === 'foreign',
    followers,
    followersOn: countHolds(followers),
  }
  return {observation: {...base, ...loaded, shared, kind, ups}, secrets}
}

/**
 * A UPS as a dry run sees it, without reading a secret: the rotation state from the companion's
 * labels and annotations, the client id from cfguard's `client-id` annotation (when an earlier
 * rotation wrote it), whether the service already holds the new secret from the
 * credentials-updated-at mark. The UAA client and the caller's scopes are read (no audit event).
 */
export async function observeUpsWithoutSecrets(
  platform: RotationPlatform,
  target: RotationTarget,
  base: Observation,
  options: ObserveOptions,
): Promise<Observation> {
  const si = base.target
  const store = await lookAtStore(platform, si)
  const present = store.status === 'present' ? store : null
  const kind = present?.kind ?? upsKindOf(target)
  const {shared, places} = await holdersOf(si, options)
  const loaded = await appsOf(platform, si, places)
  const marks = marksOf(si, loaded)
  const startedAt = present?.startedAt ?? null
  const clientId = present?.clientId ?? si.annotations[ANNOTATION.clientId] ?? shared?.clientId ?? null
  const uaa = await uaaFacts(platform, kind, clientId)
  const ups: UpsObservation = {
    kind,
    store: present
      ? {rotationId: present.rotationId ?? 'unknown', startedAt: startedAt ?? si.updatedAt}
      : null,
    current:
      present === null
        ? 'no-store'
        : marks.credentialsUpdatedAt !== null &&
            startedAt !== null &&
            Date.parse(marks.credentialsUpdatedAt) >= Date.parse(startedAt)
          ? 'pending'
          : 'previous',
    currentProbe: null,
    pendingProbe: null,
    previousProbe: null,
    ...marks,
    secretsRead: false,
    clientId,
    currentFingerprint: null,
    pendingFingerprint: null,
    previousFingerprint: null,
    tokenEndpoint: null,
    issuer: null,
    ...uaa,
    storeGuid: store.status === 'absent' ? null : store.guid,
    foreignStore: store.status === 'foreign',
    followers: await observeFollowers(platform, places, null),
    followersOn: countHolds([]),
  }
  return {...base, ...loaded, shared, kind, ups}
}

/** A new rotation's kind: a secret source was given only for another identity provider's secret. */
const upsKindOf = (target: RotationTarget): UpsKind => (target.externalSecret ? 'ups-external' : 'ups-uaa')

/** Everyone else holding the client (when a finder was given) and the services among them that follow. */
async function holdersOf(
  si: ServiceInstanceInfo,
  options: ObserveOptions,
): Promise<{shared: HolderScan | null; places: FollowerPlace[]}> {
  const shared = options.findHolders ? await options.findHolders(si.guid) : null
  return {shared, places: followersOf(shared)}
}

/** The apps bound to the service and to its followers. */
async function appsOf(
  platform: RotationPlatform,
  si: ServiceInstanceInfo,
  places: FollowerPlace[],
): Promise<LoadedApps> {
  const bindings = await platform.listBindings(si.guid, 'app')
  return loadApps(platform, [...appGuidsOf(bindings), ...(await followerAppGuids(platform, places))])
}

/** cfguard's marks on the service, and whether every app runs the credentials they name. */
function marksOf(si: ServiceInstanceInfo, loaded: LoadedApps) {
  const credentialsUpdatedAt = si.annotations[ANNOTATION.credentialsUpdatedAt] ?? null
  return {
    credentialsUpdatedAt,
    instancesFresh: loaded.apps.every((a) =>
      isAppRolled(a, upsRollTarget(credentialsUpdatedAt), loaded.changeDeployments),
    ),
    recordedRotationId: si.annotations[ANNOTATION.rotationId] ?? null,
    retireAfter: si.annotations[ANNOTATION.retireAfter] ?? null,
  }
}

/** This foundation's UAA client (a UAA secret only) and the caller's scopes; 'forbidden' when unreadable. */
async function uaaFacts(
  platform: RotationPlatform,
  kind: UpsKind,
  clientId: string | null,
): Promise<Pick<UpsObservation, 'uaaClient' | 'callerScopes'>> {
  if (kind !== 'ups-uaa') return {uaaClient: 'not-checked', callerScopes: null}
  let uaaClient: UpsObservation['uaaClient'] = 'not-checked'
  if (clientId !== null) {
    try {
      uaaClient = await platform.getUaaClient(clientId)
    } catch (err) {
      if (!(isCfguardError(err) && err.code === 'FORBIDDEN')) throw err
      uaaClient = 'forbidden'
    }
  }
  return {uaaClient, callerScopes: await platform.uaaCallerScopes()}
}

function countHolds(followers: Follower[]): UpsFacts['followersOn'] {
  const n = (h: Follower['holds']) => followers.filter((f) => f.holds === h).length
  return {previous: n('previous'), pending: n('pending')}
}
