/**
 * Reads what the platform says about one rotation target (read-only calls only) and turns it into
 * facts for the pure phase derivation and plan. Secret values stay in `ObservedSecrets`, in
 * memory; the `Observation` carries fingerprints at most and may be printed.
 */

import {ANNOTATION} from '../model/annotations.js'
import type {Fingerprint} from '../model/fingerprint.js'
import {CfguardError} from '../errors.js'
import {decodeLease, type Lease} from './annotations.js'
import type {SecretLocator} from './credentials.js'
import type {Follower, HolderFinder, HolderScan} from './holders.js'
import {observeBindings, observeKey} from './observe-managed.js'
import {observeUps, observeUpsWithoutSecrets} from './observe-ups.js'
import type {BindingFacts, KeyFacts, UpsFacts} from './phase.js'
import type {
  AppInfo,
  BindingInfo,
  DeploymentInfo,
  RotationPlatform,
  ServiceInstanceInfo,
  UaaClientInfo,
} from './platform.js'
import type {RotationKind} from './types.js'

// The parts: observe-ups.ts (user-provided), observe-managed.ts (bindings, keys), observe-apps.ts.
export {keyFamily} from './observe-managed.js'

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
