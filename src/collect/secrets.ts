/**
 * The secret-bearing reads, the cheapest way (docs/platform-facts.md §3.2, §5.2, §5.5):
 * 1. one `GET /v3/apps/:guid/env` per app in scope: its own variables and every bound credential
 *    at once (VCAP_SERVICES shows the newest succeeded binding per instance); at the same time UPS
 *    `/credentials` for user-provided services bound to no app in scope, and `/details` for
 *    service keys;
 * 2. then only what the env reads could not show: `/details` of managed app bindings whose app
 *    hides VCAP_SERVICES (file-based bindings, service-binding-k8s, supporter redaction, feature
 *    flag off) or that are superseded, and `/credentials` of UPSs no env read showed.
 * Every value is classified on arrival (classify/, with the installation salt), registered for
 * redaction, and dropped: only views and keyed fingerprints leave this file. Each successful read
 * wrote one `*.show` audit event on the platform; they are counted. Reads are gated per space
 * (gates.ts) and cached by key (cache-keys.ts).
 */
import type {Session} from '../cf/session.js'
import type {CcApp, CcCredentialBinding, CcServiceInstance} from '../cf/ccv3/types.js'
import type {CacheStore} from '../config/cache.js'
import type {CredentialView, EnvVarView, ReadState} from '../model/snapshot.js'
import {classifyCredentials, classifyEnvVars} from '../derive/classify/index.js'
import {detailsKey, envKey, upsKey} from './cache-keys.js'
import {Gates, type GateResult} from './gates.js'
import type {Limiter} from './limiter.js'
import {isSecretKey} from '../redact.js'
import {intern} from '../util/intern.js'
import {registerSecretValues, secretForFingerprint} from './secret-values.js'
import {decodeVcap, matchEntry, type BindingRef, type VcapVisibility} from './vcap.js'

export interface ItemRead<V> {
  read: ReadState
  value: V | null
  why?: string
  /** Space the item belongs to (for gap messages). */
  space: string
}

export interface EnvCacheValue {
  variables: EnvVarView[]
  visibility: VcapVisibility
  entries: {bindingGuid: string; instanceGuid: string; view: CredentialView}[]
}

export interface Caches {
  env: CacheStore<EnvCacheValue>
  ups: CacheStore<CredentialView>
  details: CacheStore<CredentialView>
}

/** A client secret held in memory for --verify-credentials only (never cached, never output). */
export interface RawClientSecret {
  clientId: string
  fingerprint: string
  secret: string
  tokenEndpoint: string | null
  issuer: string | null
}

export interface SecretReadResult {
  env: Map<string, ItemRead<EnvVarView[]>>
  /** User-provided services (by instance guid). */
  ups: Map<string, ItemRead<CredentialView>>
  /** Managed app bindings and service keys (by binding guid). */
  bindings: Map<string, ItemRead<CredentialView>>
  /** Fresh reads that succeeded, by kind: each wrote one `*.show` audit event. */
  fresh: {env: number; credentials: number; details: number}
  cacheHits: number
  rawSecrets: Map<string, RawClientSecret>
}

export interface SecretReadInput {
  session: Session
  apps: CcApp[]
  serviceInstances: CcServiceInstance[]
  bindings: CcCredentialBinding[]
  salt: Buffer
  limiter: Limiter
  caches: Caches | null
  /** Keep raw client secrets for the token-grant probes (and bypass the cache to get them). */
  keepClientSecrets: boolean
  roleHint: string
}

export function isLive(b: {lastOperation: {type: string; state: string}}): boolean {
  const {type, state} = b.lastOperation
  return !(type === 'create' && state === 'failed') && !(type === 'delete' && state === 'succeeded')
}

export function isSucceeded(b: {lastOperation: {type: string; state: string}}): boolean {
  return b.lastOperation.state === 'succeeded' && b.lastOperation.type !== 'delete'
}

/** Newest succeeded binding per instance: what VCAP_SERVICES shows (created_at, then guid). */
export function activeBindings<B extends CcCredentialBinding>(bindings: readonly B[]): Map<string, B> {
  const newest = new Map<string, B>()
  for (const b of bindings) {
    if (!isSucceeded(b)) continue
    const current = newest.get(b.serviceInstanceGuid)
    if (
      !current ||
      b.createdAt > current.createdAt ||
      (b.createdAt === current.createdAt && b.guid > current.guid)
    ) {
      newest.set(b.serviceInstanceGuid, b)
    }
  }
  return newest
}

/** One run of the reads: its input, its result, and the lookups every read uses. */
interface Reader {
  input: SecretReadInput
  /** null with --verify-credentials (raw secrets are needed: no cache). */
  caches: Caches | null
  result: SecretReadResult
  gates: Gates
  supporterSpaces: Set<string>
  appsByGuid: Map<string, CcApp>
  siByGuid: Map<string, CcServiceInstance>
  /** Live app bindings of the apps in scope, by app guid. */
  appBindings: Map<string, CcCredentialBinding[]>
}

function emptyResult(): SecretReadResult {
  return {
    env: new Map(),
    ups: new Map(),
    bindings: new Map(),
    fresh: {env: 0, credentials: 0, details: 0},
    cacheHits: 0,
    rawSecrets: new Map(),
  }
}

function newReader(input: SecretReadInput): Reader {
  const supporterSpaces = new Set<string>()
  const gates = new Gates(input.limiter, (space) =>
    supporterSpaces.has(space) ? 'space supporter: service credentials hidden' : input.roleHint,
  )
  const appsByGuid = new Map(input.apps.map((a) => [a.guid, a]))
  const appBindings = new Map<string, CcCredentialBinding[]>()
  for (const b of input.bindings) {
    if (b.type !== 'app' || !b.appGuid || !appsByGuid.has(b.appGuid) || !isLive(b)) continue
    const list = appBindings.get(b.appGuid) ?? []
    list.push(b)
    appBindings.set(b.appGuid, list)
  }
  return {
    input,
    caches: input.keepClientSecrets ? null : input.caches,
    result: emptyResult(),
    gates,
    supporterSpaces,
    appsByGuid,
    siByGuid: new Map(input.serviceInstances.map((si) => [si.guid, si])),
    appBindings,
  }
}

/** --verify-credentials: the client secret behind a view, held in memory for the token probes. */
function keepSecret(r: Reader, credentials: unknown, view: CredentialView): void {
  const {input, result} = r
  if (!input.keepClientSecrets || !view.clientId || !view.secretFingerprint) return
  const key = `${view.clientId}\u0000${view.secretFingerprint}`
  if (result.rawSecrets.has(key)) return
  const secret = secretForFingerprint(credentials, view.secretFingerprint, input.salt)
  if (secret === null) return
  result.rawSecrets.set(key, {
    clientId: view.clientId,
    fingerprint: view.secretFingerprint,
    secret,
    tokenEndpoint: view.tokenEndpoint,
    issuer: view.issuer,
  })
}

function classify(r: Reader, credentials: unknown): CredentialView {
  const view = classifyCredentials(credentials, r.input.salt)
  registerSecretValues(credentials, new Set(view.secretKeys))
  keepSecret(r, credentials, view)
  // Many credentials name the same UAA: one copy of each endpoint for the whole run.
  view.issuer = intern(view.issuer)
  view.tokenEndpoint = intern(view.tokenEndpoint)
  view.authDomain = intern(view.authDomain)
  return view
}

function applyEnv(r: Reader, app: CcApp, value: EnvCacheValue): void {
  const {result} = r
  result.env.set(app.guid, {read: 'read', value: value.variables, space: app.spaceGuid})
  for (const e of value.entries) {
    const si = r.siByGuid.get(e.instanceGuid)
    if (si?.type === 'user-provided') {
      if (result.ups.get(si.guid)?.read !== 'read') {
        result.ups.set(si.guid, {read: 'read', value: e.view, space: si.spaceGuid})
      }
    } else {
      result.bindings.set(e.bindingGuid, {read: 'read', value: e.view, space: app.spaceGuid})
    }
  }
}

async function readEnv(r: Reader, app: CcApp): Promise<void> {
  const {result, gates, caches} = r
  const bindings = r.appBindings.get(app.guid) ?? []
  const bound = bindings.map((b) => r.siByGuid.get(b.serviceInstanceGuid)).filter((x) => x !== undefined)
  const key = envKey(app, bindings, bound)
  const cached = caches?.env.get(app.guid, key)
  if (cached) {
    result.cacheHits++
    applyEnv(r, app, cached)
    return
  }
  const outcome = await gates.run('env', app.spaceGuid, () => r.input.session.cc.apps.env(app.guid))
  if (!outcome.ok) {
    result.env.set(app.guid, {read: outcome.read, value: null, why: outcome.why, space: app.spaceGuid})
    // The roles that may not read env may not read UPS credentials or binding details either
    // (a feature-flag denial, by contrast, leaves those reads open).
    if (outcome.read === 'denied' && !outcome.why.includes('CF-FeatureDisabled')) {
      gates.deny('credentials', app.spaceGuid, outcome.why)
      gates.deny('details', app.spaceGuid, outcome.why)
    }
    return
  }
  result.fresh.env++
  const env = outcome.value
  const variables = classifyEnvVars(env.environmentVariables, r.input.salt)
  for (const v of variables) {
    // Apps share variable names (JAVA_OPTS, SPRING_PROFILES_ACTIVE…): one copy of each.
    v.name = intern(v.name)
    const raw = env.environmentVariables[v.name]
    // TOKEN_URL=<uaa>/oauth/token is a reference under a secret-sounding name, not a secret.
    if (v.fingerprint !== null || (isSecretKey(v.name) && v.class !== 'reference'))
      registerSecretValues(raw, 'all')
  }
  const vcap = decodeVcap(env.systemEnv)
  if (vcap.visibility === 'redacted') r.supporterSpaces.add(app.spaceGuid)
  const refs = new Map<string, BindingRef>(bindings.map((b) => [b.guid, b]))
  const active = activeBindings(bindings)
  const byName = new Map(bound.map((si) => [si.name, si.guid]))
  const entries: EnvCacheValue['entries'] = []
  for (const entry of vcap.entries) {
    const binding = matchEntry(entry, refs, active, byName)
    const view = classify(r, entry.credentials)
    if (binding) entries.push({bindingGuid: binding.guid, instanceGuid: binding.serviceInstanceGuid, view})
  }
  // slice(): an exact-size copy (the pushed array keeps ~16 spare slots for as long as it lives).
  const value: EnvCacheValue = {variables, visibility: vcap.visibility, entries: entries.slice()}
  caches?.env.put(app.guid, key, value)
  applyEnv(r, app, value)
}

async function readUps(r: Reader, si: CcServiceInstance): Promise<void> {
  const {result, caches} = r
  const key = upsKey(si)
  const cached = caches?.ups.get(si.guid, key)
  if (cached) {
    result.cacheHits++
    result.ups.set(si.guid, {read: 'read', value: cached, space: si.spaceGuid})
    return
  }
  const outcome = await r.gates.run('credentials', si.spaceGuid, () =>
    r.input.session.cc.serviceInstances.credentials(si.guid),
  )
  result.ups.set(
    si.guid,
    settled(outcome, si.spaceGuid, (credentials) => {
      result.fresh.credentials++
      const view = classify(r, credentials)
      caches?.ups.put(si.guid, key, view)
      return view
    }),
  )
}

async function readDetails(r: Reader, b: CcCredentialBinding, space: string): Promise<void> {
  const {result, caches} = r
  const si = r.siByGuid.get(b.serviceInstanceGuid)
  const key = detailsKey(b, si)
  const cached = caches?.details.get(b.guid, key)
  if (cached) {
    result.cacheHits++
    result.bindings.set(b.guid, {read: 'read', value: cached, space})
    return
  }
  const outcome = await r.gates.run('details', space, () =>
    r.input.session.cc.serviceCredentialBindings.details(b.guid),
  )
  result.bindings.set(
    b.guid,
    settled(outcome, space, (details) => {
      result.fresh.details++
      const view = classify(r, details.credentials)
      caches?.details.put(b.guid, key, view)
      return view
    }),
  )
}

/** Phase 1: env of every app; UPSs bound to no app in scope; service keys. */
function phase1(r: Reader, boundInScope: Set<string>): Promise<void>[] {
  const {input, siByGuid} = r
  const keys = input.bindings.filter(
    (b) => b.type === 'key' && siByGuid.has(b.serviceInstanceGuid) && isLive(b),
  )
  const reads: Promise<void>[] = []
  for (const app of input.apps) reads.push(readEnv(r, app))
  for (const si of input.serviceInstances) {
    if (si.type === 'user-provided' && !boundInScope.has(si.guid)) reads.push(readUps(r, si))
  }
  for (const key of keys) {
    const space = siByGuid.get(key.serviceInstanceGuid)!.spaceGuid
    if (isSucceeded(key)) reads.push(readDetails(r, key, space))
    else r.result.bindings.set(key.guid, {read: 'not-applicable', value: null, space})
  }
  return reads
}

/** Phase 2: what the env reads could not show. */
function phase2(r: Reader, boundInScope: Set<string>): Promise<void>[] {
  const {input, result} = r
  const reads: Promise<void>[] = []
  for (const si of input.serviceInstances) {
    if (si.type !== 'user-provided' || !boundInScope.has(si.guid)) continue
    if (result.ups.get(si.guid)?.read === 'read') continue
    reads.push(readUps(r, si))
  }
  for (const [appGuid, list] of r.appBindings) {
    const app = r.appsByGuid.get(appGuid)!
    for (const b of list) {
      const si = r.siByGuid.get(b.serviceInstanceGuid)
      if (!si || si.type === 'user-provided' || result.bindings.get(b.guid)?.read === 'read') continue
      if (!isSucceeded(b)) {
        result.bindings.set(b.guid, {read: 'not-applicable', value: null, space: app.spaceGuid})
        continue
      }
      // Hidden VCAP_SERVICES, an env that could not be read, a superseded binding, or one the
      // env did not list: only its details tell (a denied space answers without a request).
      reads.push(readDetails(r, b, app.spaceGuid))
    }
  }
  return reads
}

export async function readSecrets(input: SecretReadInput): Promise<SecretReadResult> {
  const r = newReader(input)
  const boundInScope = new Set<string>()
  for (const list of r.appBindings.values()) for (const b of list) boundInScope.add(b.serviceInstanceGuid)
  await Promise.all(phase1(r, boundInScope))
  await Promise.all(phase2(r, boundInScope))
  return r.result
}

function settled<T, V>(outcome: GateResult<T>, space: string, use: (value: T) => V): ItemRead<V> {
  if (!outcome.ok) return {read: outcome.read, value: null, why: outcome.why, space}
  return {read: 'read', value: use(outcome.value), space}
}

/** --no-secrets: every item that would have been read, `skipped` with the reason. */
export function skippedReads(
  apps: readonly CcApp[],
  serviceInstances: readonly CcServiceInstance[],
  bindings: readonly CcCredentialBinding[],
  why: string,
): SecretReadResult {
  const result = emptyResult()
  const skipped = <V>(space: string): ItemRead<V> => ({read: 'skipped', value: null, why, space})
  const appsByGuid = new Map(apps.map((a) => [a.guid, a]))
  const siByGuid = new Map(serviceInstances.map((si) => [si.guid, si]))
  for (const app of apps) result.env.set(app.guid, skipped(app.spaceGuid))
  for (const si of serviceInstances)
    if (si.type === 'user-provided') result.ups.set(si.guid, skipped(si.spaceGuid))
  for (const b of bindings) {
    const si = siByGuid.get(b.serviceInstanceGuid)
    if (!si || si.type === 'user-provided' || !isLive(b)) continue
    const app = b.appGuid ? appsByGuid.get(b.appGuid) : undefined
    if (b.type === 'key') result.bindings.set(b.guid, skipped(si.spaceGuid))
    else if (app) result.bindings.set(b.guid, skipped(app.spaceGuid))
  }
  return result
}
