/**
 * Reads what the platform says about one rotation target (read-only calls only) and turns it into
 * facts for the pure phase derivation and plan. Secret values stay in `ObservedSecrets`, in
 * memory; the `Observation` carries fingerprints at most and may be printed.
 */

import {noMatchMessage} from '../util/suggest.js'
import {decodeJournal, decodeLease, type Lease} from './annotations.js'
import {ANNOTATION, LABEL} from '../model/annotations.js'
import {locateSecret, secretLeaves, type SecretLocator} from './credentials.js'
import type {Fingerprint} from '../model/fingerprint.js'
import {followerAppGuids, observeFollowers} from './followers.js'
import {followersOf, type Follower, type HolderFinder, type HolderScan} from './holders.js'
import {
  bindingRollTarget,
  isAppRolled,
  upsRollTarget,
  type BindingFacts,
  type KeyFacts,
  type UpsFacts,
} from './phase.js'
import type {
  AppInfo,
  BindingInfo,
  DeploymentInfo,
  ProbeResult,
  RotationPlatform,
  ServiceInstanceInfo,
  UaaClientInfo,
} from './platform.js'
import {lookAtStore, readStore} from './store.js'
import type {RotationKind} from './types.js'
import {CfguardError, isCfguardError} from '../errors.js'
import {registerSecret} from '../redact.js'

export interface RotationTarget {
  serviceInstanceGuid: string
  /** Service-key rotation: the key family (name of the key being replaced). */
  keyName?: string | null
  /** A secret source was given: the UPS holds a secret of another identity provider. */
  externalSecret?: boolean
  /** Managed bindings: only these apps (a rotation in progress keeps its journal's apps). */
  appGuids?: string[] | null
}

export interface UpsObservation extends UpsFacts {
  /** null only in a dry run when no cfguard annotation names it (read at run time). */
  clientId: string | null
  /** null in a dry run (no secret read). */
  currentFingerprint: string | null
  pendingFingerprint: string | null
  previousFingerprint: string | null
  tokenEndpoint: string | null
  issuer: string | null
  uaaClient: UaaClientInfo | null | 'forbidden' | 'not-checked'
  callerScopes: string[] | null
  storeGuid: string | null
  /** A service with the companion's name that is not cfguard's rotation state. */
  foreignStore: boolean
  /** Other user-provided services holding the client; they follow the target (see followers.ts). */
  followers: Follower[]
}

export interface BindingObservation extends BindingFacts {
  bindings: BindingInfo[]
}

export interface KeyObservation extends KeyFacts {
  keyName: string
  family: BindingInfo[]
}

export interface Observation {
  target: ServiceInstanceInfo
  ccVersion: string
  /** undefined = no lease; null = unreadable lease annotation. */
  lease: Lease | null | undefined
  kind: RotationKind | null
  /** Why the target cannot be rotated (when kind is null). */
  problem: string | null
  /** Apps bound to the target and to its followers (or recorded in the journal), with their instances. */
  apps: AppInfo[]
  /** Everyone else holding the target's client (null when not searched: no finder, or not a UPS). */
  shared: HolderScan | null
  activeDeployments: DeploymentInfo[]
  /** Deployments cfguard made for a credential change (labelled), any status. */
  changeDeployments: DeploymentInfo[]
  rotatedAt: string | null
  /** `rotated-kind` of that rotation (null on marks written before it existed). */
  rotatedKind: string | null
  ups: UpsObservation | null
  binding: BindingObservation | null
  key: KeyObservation | null
}

/** Secret values seen while observing: never printed, never part of the plan. */
export interface ObservedSecrets {
  credentials: Record<string, unknown> | null
  locator: SecretLocator | null
  pending: string | null
  previous: string | null
}

export interface ObserveOptions {
  fingerprint: Fingerprint
  /** Probe secrets at the token endpoint (off only for plans that must not reach UAA). */
  probe?: boolean
  /**
   * Read secrets (UPS credentials, the rotation state). Off for dry runs: reading them writes
   * `*.show` audit events, and a dry run must leave the audit trail as it was.
   */
  secrets?: boolean
  /** Finds the other holders of a user-provided service's client (null: not searched). */
  findHolders?: HolderFinder | null
}

export async function observe(
  platform: RotationPlatform,
  target: RotationTarget,
  options: ObserveOptions,
): Promise<{observation: Observation; secrets: ObservedSecrets}> {
  const si = await platform.getServiceInstance(target.serviceInstanceGuid)
  if (si === null) {
    throw new CfguardError('NOT_FOUND', `service instance ${target.serviceInstanceGuid} not found`, {
      suggestions: ['check the name or guid with `cfguard credentials list`'],
    })
  }
  const base: Observation = {
    target: si,
    ccVersion: await platform.ccVersion(),
    lease: decodeLease(si.annotations[ANNOTATION.lease]),
    kind: null,
    problem: null,
    apps: [],
    shared: null,
    activeDeployments: [],
    changeDeployments: [],
    rotatedAt: si.annotations[ANNOTATION.rotatedAt] ?? null,
    rotatedKind: si.annotations[ANNOTATION.rotatedKind] ?? null,
    ups: null,
    binding: null,
    key: null,
  }
  const secrets: ObservedSecrets = {credentials: null, locator: null, pending: null, previous: null}
  if (si.type === 'user-provided') {
    if (target.keyName) {
      return {observation: {...base, problem: 'user-provided services have no service keys'}, secrets}
    }
    if (options.secrets === false)
      return {observation: await observeUpsWithoutSecrets(platform, target, base, options), secrets}
    return observeUps(platform, target, base, secrets, options)
  }
  if (target.keyName) return {observation: await observeKey(platform, base, target.keyName), secrets}
  return {observation: await observeBindings(platform, base, target.appGuids ?? null), secrets}
}

async function loadApps(platform: RotationPlatform, appGuids: string[]) {
  const unique = [...new Set(appGuids)].sort()
  if (unique.length === 0) return {apps: [], activeDeployments: [], changeDeployments: []}
  const [apps, activeDeployments, changeDeployments] = await Promise.all([
    platform.listApps(unique),
    platform.listDeployments({appGuids: unique, statusValues: ['ACTIVE']}),
    platform.listDeployments({appGuids: unique, labelSelector: LABEL.credentialsChange}),
  ])
  return {apps: [...apps].sort((a, b) => a.guid.localeCompare(b.guid)), activeDeployments, changeDeployments}
}

async function observeUps(
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
  const kind: 'ups-uaa' | 'ups-external' =
    stored?.kind ?? (target.externalSecret ? 'ups-external' : 'ups-uaa')
  secrets.pending = stored?.pending ?? null
  secrets.previous = stored?.previous ?? null

  const shared = options.findHolders ? await options.findHolders(si.guid) : null
  const places = followersOf(shared)
  const followers = await observeFollowers(platform, places, {
    pending: stored?.pending ?? null,
    previous: stored?.previous ?? locator.secret,
  })
  const bindings = await platform.listBindings(si.guid, 'app')
  const loaded = await loadApps(platform, [
    ...bindings.flatMap((b) => (b.appGuid ? [b.appGuid] : [])),
    ...(await followerAppGuids(platform, places)),
  ])
  const apps = loaded.apps

  const probe = async (secret: string | null): Promise<ProbeResult | null> => {
    if (secret === null || options.probe === false) return null
    if (kind === 'ups-external' && locator.tokenEndpoint === null && locator.issuer === null) return null
    return platform.probeClientSecret({
      clientId: locator.clientId,
      secret,
      tokenEndpoint: kind === 'ups-uaa' ? null : locator.tokenEndpoint,
      issuer: kind === 'ups-uaa' ? null : locator.issuer,
    })
  }
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

  let uaaClient: UpsObservation['uaaClient'] = 'not-checked'
  let callerScopes: string[] | null = null
  if (kind === 'ups-uaa') {
    try {
      uaaClient = await platform.getUaaClient(locator.clientId)
    } catch (err) {
      if (!(isCfguardError(err) && err.code === 'FORBIDDEN')) throw err
      uaaClient = 'forbidden'
    }
    callerScopes = await platform.uaaCallerScopes()
  }
  const credentialsUpdatedAt = si.annotations[ANNOTATION.credentialsUpdatedAt] ?? null
  const fp = options.fingerprint
  const ups: UpsObservation = {
    kind,
    store: stored ? {rotationId: stored.rotationId, startedAt: stored.startedAt} : null,
    current,
    currentProbe,
    pendingProbe,
    previousProbe,
    credentialsUpdatedAt,
    instancesFresh: apps.every((a) =>
      isAppRolled(a, upsRollTarget(credentialsUpdatedAt), loaded.changeDeployments),
    ),
    recordedRotationId: si.annotations[ANNOTATION.rotationId] ?? null,
    retireAfter: si.annotations[ANNOTATION.retireAfter] ?? null,
    secretsRead: true,
    clientId: locator.clientId,
    currentFingerprint: fp(locator.secret),
    pendingFingerprint: stored ? fp(stored.pending) : null,
    previousFingerprint: stored ? fp(stored.previous) : null,
    tokenEndpoint: locator.tokenEndpoint,
    issuer: locator.issuer,
    uaaClient,
    callerScopes,
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
async function observeUpsWithoutSecrets(
  platform: RotationPlatform,
  target: RotationTarget,
  base: Observation,
  options: ObserveOptions,
): Promise<Observation> {
  const si = base.target
  const store = await lookAtStore(platform, si)
  const present = store.status === 'present' ? store : null
  const kind: 'ups-uaa' | 'ups-external' =
    present?.kind ?? (target.externalSecret ? 'ups-external' : 'ups-uaa')
  const shared = options.findHolders ? await options.findHolders(si.guid) : null
  const places = followersOf(shared)
  const bindings = await platform.listBindings(si.guid, 'app')
  const loaded = await loadApps(platform, [
    ...bindings.flatMap((b) => (b.appGuid ? [b.appGuid] : [])),
    ...(await followerAppGuids(platform, places)),
  ])
  const credentialsUpdatedAt = si.annotations[ANNOTATION.credentialsUpdatedAt] ?? null
  const startedAt = present?.startedAt ?? null
  const clientId = present?.clientId ?? si.annotations[ANNOTATION.clientId] ?? shared?.clientId ?? null
  let uaaClient: UpsObservation['uaaClient'] = 'not-checked'
  let callerScopes: string[] | null = null
  if (kind === 'ups-uaa') {
    if (clientId !== null) {
      try {
        uaaClient = await platform.getUaaClient(clientId)
      } catch (err) {
        if (!(isCfguardError(err) && err.code === 'FORBIDDEN')) throw err
        uaaClient = 'forbidden'
      }
    }
    callerScopes = await platform.uaaCallerScopes()
  }
  const ups: UpsObservation = {
    kind,
    store: present
      ? {rotationId: present.rotationId ?? 'unknown', startedAt: startedAt ?? si.updatedAt}
      : null,
    current:
      present === null
        ? 'no-store'
        : credentialsUpdatedAt !== null &&
            startedAt !== null &&
            Date.parse(credentialsUpdatedAt) >= Date.parse(startedAt)
          ? 'pending'
          : 'previous',
    currentProbe: null,
    pendingProbe: null,
    previousProbe: null,
    credentialsUpdatedAt,
    instancesFresh: loaded.apps.every((a) =>
      isAppRolled(a, upsRollTarget(credentialsUpdatedAt), loaded.changeDeployments),
    ),
    recordedRotationId: si.annotations[ANNOTATION.rotationId] ?? null,
    retireAfter: si.annotations[ANNOTATION.retireAfter] ?? null,
    secretsRead: false,
    clientId,
    currentFingerprint: null,
    pendingFingerprint: null,
    previousFingerprint: null,
    tokenEndpoint: null,
    issuer: null,
    uaaClient,
    callerScopes,
    storeGuid: store.status === 'absent' ? null : store.guid,
    foreignStore: store.status === 'foreign',
    followers: await observeFollowers(platform, places, null),
    followersOn: countHolds([]),
  }
  return {...base, ...loaded, shared, kind, ups}
}

async function observeBindings(
  platform: RotationPlatform,
  base: Observation,
  only: string[] | null,
): Promise<Observation> {
  const si = base.target
  const journal = decodeJournal(si.annotations[ANNOTATION.journal])
  const rotationId = journal?.kind === 'managed-binding' ? journal.rotationId : null
  const bindings = await platform.listBindings(si.guid, 'app')
  // A rotation in progress covers the apps its journal recorded (even if one is unbound right now).
  const bound = bindings.flatMap((b) => (b.appGuid ? [b.appGuid] : []))
  const appGuids = rotationId && journal ? journal.apps : only ? bound.filter((g) => only.includes(g)) : bound
  const loaded = await loadApps(platform, appGuids)
  const facts = loaded.apps.map((app) => {
    const live = bindings.filter((b) => b.appGuid === app.guid && !createFailed(b))
    const ours =
      rotationId === null
        ? null
        : (live
            .filter((b) => b.annotations[ANNOTATION.rotationId] === rotationId)
            .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null)
    // Without a rotation in progress (grace), the binding apps use is the newest usable one.
    const newest = rotationId === null ? newestUsable(live) : ours
    return {
      appGuid: app.guid,
      ours,
      older: live.filter((b) => b.guid !== newest?.guid),
      fresh: isAppRolled(app, bindingRollTarget(newest), loaded.changeDeployments),
    }
  })
  const binding: BindingObservation = {
    journal: rotationId ? {rotationId} : null,
    retireAfter: si.annotations[ANNOTATION.retireAfter] ?? null,
    apps: facts,
    bindings,
  }
  return {...base, ...loaded, kind: 'managed-binding', binding}
}

function countHolds(followers: Follower[]): UpsFacts['followersOn'] {
  const n = (h: Follower['holds']) => followers.filter((f) => f.holds === h).length
  return {previous: n('previous'), pending: n('pending')}
}

const createFailed = (b: BindingInfo) =>
  b.lastOperation.type === 'create' && b.lastOperation.state === 'failed'

function newestUsable(bindings: BindingInfo[]): BindingInfo | null {
  return (
    bindings
      .filter((b) => b.lastOperation.type === 'create' && b.lastOperation.state === 'succeeded')
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null
  )
}

/** Keys of one family: the key named `keyName`, and keys cfguard created to replace it. */
export function keyFamily(keys: BindingInfo[], keyName: string): BindingInfo[] {
  return keys.filter((k) => k.name === keyName || k.annotations[ANNOTATION.keyFamily] === keyName)
}

async function observeKey(
  platform: RotationPlatform,
  base: Observation,
  keyName: string,
): Promise<Observation> {
  const si = base.target
  const journal = decodeJournal(si.annotations[ANNOTATION.journal])
  const rotationId =
    journal?.kind === 'service-key' && journal.keyName === keyName ? journal.rotationId : null
  const keys = await platform.listBindings(si.guid, 'key')
  const family = keyFamily(keys, keyName)
  const live = family.filter((k) => !createFailed(k))
  const ours =
    rotationId === null
      ? null
      : (live.find((k) => k.annotations[ANNOTATION.rotationId] === rotationId) ?? null)
  const newest = rotationId === null ? newestUsable(live) : ours
  const key: KeyObservation = {
    journal: rotationId ? {rotationId} : null,
    retireAfter: si.annotations[ANNOTATION.retireAfter] ?? null,
    ours,
    delivered: ours !== null && ours.annotations[ANNOTATION.deliveredAt] !== undefined,
    older: live.filter((k) => k.guid !== newest?.guid),
    keyName,
    family,
  }
  const problem =
    family.length === 0 && rotationId === null
      ? noMatchMessage(
          `service key named "${keyName}"`,
          keyName,
          keys.map((k) => k.annotations[ANNOTATION.keyFamily] ?? k.name ?? ''),
        ).replace(/^no /, 'it has no ')
      : null
  return {...base, kind: problem ? null : 'service-key', problem, key}
}
