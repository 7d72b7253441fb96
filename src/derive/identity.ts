/**
 * What the identity rules (and the credential commands) share: the credential units of a
 * snapshot — one per user-provided service, managed app binding and service key — with their
 * classified view, whether they carry identity, the apps that receive them, and when the
 * credential last changed. Pure.
 */
import {hasIdentityHint, isSsoOffering} from './classify/sso.js'
import type {Finding, ResourceRef} from '../model/finding.js'
import type {
  App,
  AuditEvent,
  CredentialBinding,
  CredentialView,
  ServiceInstance,
  Snapshot,
} from '../model/snapshot.js'
import {serviceInstanceRef} from './refs.js'
import {indexSnapshot, placeOf} from './lookup.js'
import {ANNOTATION} from '../model/annotations.js'
import {DAY_MS} from '../model/duration.js'

/** Annotation cfguard writes when a rotation finishes (ISO 8601): a record, not a credential change. */
export const ROTATED_AT_ANNOTATION = ANNOTATION.rotatedAt
/** Annotation cfguard writes in the same PATCH as new UPS credentials (ISO 8601): the change time. */
export const CREDENTIALS_UPDATED_AT_ANNOTATION = ANNOTATION.credentialsUpdatedAt
/**
 * Annotation written with it: when the secret the service now holds was first put in place (ISO
 * 8601, or `unknown`). After a rotation it equals the change time; after a rollback it is the
 * restored secret's original time.
 */
export const SECRET_SET_AT_ANNOTATION = ANNOTATION.secretSetAt
/** Annotation naming who (user or client) ran that rotation. */
export const ROTATED_BY_ANNOTATION = ANNOTATION.rotatedBy

/** UPS audit events that carry new credentials when their `data.request` has the key `credentials`. */
export const UPS_CREDENTIAL_EVENT_TYPES: readonly string[] = [
  'audit.user_provided_service_instance.create',
  'audit.user_provided_service_instance.update',
]

export type CredentialSource = 'user-provided' | 'binding' | 'key'

/** Does a credential carry identity? `unknown`: not read and nothing else tells. */
export type IdentityKnowledge = 'yes' | 'no' | 'unknown'

export interface CredentialUnit {
  /** The user-provided service's guid, or the binding's / key's guid. */
  guid: string
  source: CredentialSource
  instance: ServiceInstance
  /** The binding or key; null for a user-provided service (its bindings share its credentials). */
  binding: CredentialBinding | null
  /** Classified credentials; null when they were not read. */
  view: CredentialView | null
  identity: IdentityKnowledge
  /** Live app bindings that deliver this credential to apps (none for keys). */
  appBindings: CredentialBinding[]
  /**
   * Managed app binding: it is the newest succeeded binding of its (app, instance) pair, the one
   * VCAP_SERVICES shows (docs/platform-facts.md §5.6). Always true for user-provided services and keys.
   */
  active: boolean
}

const unitCache = new WeakMap<Snapshot, CredentialUnit[]>()

/** Every credential unit of the snapshot, sorted by guid. */
export function credentialUnits(s: Snapshot): CredentialUnit[] {
  const hit = unitCache.get(s)
  if (hit) return hit
  const ix = indexSnapshot(s)
  const plans = new Map(s.servicePlans.map((p) => [p.guid, p]))
  const offerings = new Map(s.serviceOfferings.map((o) => [o.guid, o]))
  const bindingsByInstance = new Map<string, CredentialBinding[]>()
  for (const b of [...s.bindings].sort(byGuid)) {
    const list = bindingsByInstance.get(b.serviceInstanceGuid) ?? []
    list.push(b)
    bindingsByInstance.set(b.serviceInstanceGuid, list)
  }
  const units: CredentialUnit[] = []
  for (const si of s.serviceInstances) {
    const bindings = bindingsByInstance.get(si.guid) ?? []
    const appBindings = bindings.filter(
      (b) => b.type === 'app' && isLiveBinding(b) && ix.apps.has(b.appGuid ?? ''),
    )
    const hinted = hasIdentityHint(si)
    if (si.type === 'user-provided') {
      const view = readView(si.credentials, si.credentialsRead) ?? firstReadBindingView(bindings)
      units.push({
        guid: si.guid,
        source: 'user-provided',
        instance: si,
        binding: null,
        view,
        identity: identityOf(view, false, hinted),
        appBindings,
        active: true,
      })
      continue
    }
    const plan = si.planGuid ? plans.get(si.planGuid) : undefined
    const sso = isSsoOffering(plan ? offerings.get(plan.offeringGuid) : undefined, plan)
    for (const b of bindings) {
      if (!isLiveBinding(b)) continue
      const view = readView(b.credentials, b.credentialsRead)
      const isKey = b.type === 'key'
      units.push({
        guid: b.guid,
        source: isKey ? 'key' : 'binding',
        instance: si,
        binding: b,
        view,
        identity: identityOf(view, sso, hinted),
        appBindings: isKey || !appBindings.includes(b) ? [] : [b],
        active: isKey || isActiveBinding(b, bindings),
      })
    }
  }
  units.sort(byGuid)
  unitCache.set(s, units)
  return units
}

/** Units known to carry identity (OIDC/OAuth client credentials or a managed SSO offering). */
export function identityUnits(s: Snapshot): CredentialUnit[] {
  return credentialUnits(s).filter((u) => u.identity === 'yes')
}

function byGuid(a: {guid: string}, b: {guid: string}): number {
  return a.guid.localeCompare(b.guid)
}

function readView(view: CredentialView | null, read: string): CredentialView | null {
  return read === 'read' && view ? view : null
}

function firstReadBindingView(bindings: CredentialBinding[]): CredentialView | null {
  for (const b of bindings) {
    const view = readView(b.credentials, b.credentialsRead)
    if (view) return view
  }
  return null
}

function identityOf(view: CredentialView | null, ssoOffering: boolean, hinted: boolean): IdentityKnowledge {
  if (view?.shape === 'oidc-client' || ssoOffering) return 'yes'
  // A CredHub reference hides the shape: trust the service's name and tags.
  if (view) return view.shape === 'credhub-ref' && hinted ? 'yes' : 'no'
  return hinted ? 'yes' : 'unknown'
}

/** A binding that exists or is being created (a failed create or a finished delete delivers nothing). */
export function isLiveBinding(b: CredentialBinding): boolean {
  const {type, state} = b.lastOperation
  return !(type === 'create' && state === 'failed') && !(type === 'delete' && state === 'succeeded')
}

function isSucceeded(b: CredentialBinding): boolean {
  return b.lastOperation.type === 'create' && b.lastOperation.state === 'succeeded'
}

/** Newest succeeded binding of the same (app, instance) pair, by created_at then guid. */
function isActiveBinding(b: CredentialBinding, siblings: CredentialBinding[]): boolean {
  if (!isSucceeded(b)) return false
  return !siblings.some(
    (o) =>
      o !== b &&
      o.type === 'app' &&
      o.appGuid === b.appGuid &&
      isSucceeded(o) &&
      (o.createdAt > b.createdAt || (o.createdAt === b.createdAt && o.guid > b.guid)),
  )
}

/** Apps that receive the credential, sorted by name. */
export function unitApps(s: Snapshot, unit: CredentialUnit): readonly App[] {
  const hit = unitAppsCache.get(unit)
  if (hit) return hit
  const ix = indexSnapshot(s)
  const apps = unit.appBindings.map((b) => ix.apps.get(b.appGuid ?? '')).filter((a): a is App => Boolean(a))
  const sorted = [...new Set(apps)].sort(
    (a, b) => a.name.localeCompare(b.name) || a.guid.localeCompare(b.guid),
  )
  unitAppsCache.set(unit, sorted)
  return sorted
}

/** `unitApps` once per unit: eight identity rules ask for the same units' apps (units are per snapshot). */
const unitAppsCache = new WeakMap<CredentialUnit, App[]>()

/** The resource a finding about this credential points at. */
export function unitRef(s: Snapshot, unit: CredentialUnit): ResourceRef {
  if (!unit.binding) return serviceInstanceRef(s, unit.instance)
  const ix = indexSnapshot(s)
  const place = placeOf(ix, unit.instance.spaceGuid)
  if (unit.source === 'key') {
    return {
      kind: 'service_key',
      guid: unit.binding.guid,
      name: `${unit.instance.name}/${unit.binding.name ?? unit.binding.guid}`,
      ...place,
    }
  }
  const app = ix.apps.get(unit.binding.appGuid ?? '')
  return {
    kind: 'binding',
    guid: unit.binding.guid,
    name: `${unit.instance.name}/${app?.name ?? unit.binding.appGuid}`,
    ...place,
  }
}

/** Where the credential's last change time came from. */
export type LastChangeSource = 'audit-event' | 'annotation' | 'created'

export interface LastChange {
  /**
   * When the credentials apps must hold were last written (ISO); an instance started before it
   * holds the previous value (drift). null when unknown (audit events pruned after 31 days and no
   * cfguard mark).
   */
  at: string | null
  source: LastChangeSource | null
  /**
   * When the secret held now was first put in place: the credential's age. It is `at`, except
   * after a rollback put an older secret back (cfguard's `secret-set-at`, kept from before the
   * rotation). null when unknown.
   */
  setAt: string | null
  setAtSource: LastChangeSource | null
}

/**
 * An audit event this close after cfguard's `credentials-updated-at` is the event of that same
 * PATCH: the annotation is the client's clock, the event Cloud Controller's.
 */
export const SAME_WRITE_MS = 60_000

/**
 * When the credential last changed. A binding or key: its `created_at` (binding credentials never
 * change in place). A user-provided service: the newest of the create/update audit events whose
 * request carried `credentials` and cfguard's `credentials-updated-at` (written in the same PATCH
 * as the credentials). Never `updated_at` (any metadata change bumps it), and never cfguard's
 * `rotated-at`: that records the end of a rotation, after the apps were rolled onto the new
 * credentials, so instances started during the roll would look older than their credentials.
 */
export function lastCredentialChange(s: Snapshot, unit: CredentialUnit): LastChange {
  if (unit.binding) {
    const at = Number.isNaN(Date.parse(unit.binding.createdAt)) ? null : unit.binding.createdAt
    return at === null
      ? {at: null, source: null, setAt: null, setAtSource: null}
      : {at, source: 'created', setAt: at, setAtSource: 'created'}
  }
  const annotations = unit.instance.annotations
  const marked = validTime(annotations[CREDENTIALS_UPDATED_AT_ANNOTATION])
  let best: {at: string; source: LastChangeSource; ms: number} | null =
    marked === null ? null : {at: marked, source: 'annotation', ms: Date.parse(marked)}
  let newestEventMs = -Infinity
  for (const e of credentialEventsByTarget(s.auditEvents).get(unit.instance.guid) ?? []) {
    const ms = Date.parse(e.createdAt)
    if (Number.isNaN(ms)) continue
    newestEventMs = Math.max(newestEventMs, ms)
    if (!best || ms > best.ms) best = {at: e.createdAt, source: 'audit-event', ms}
  }
  if (!best) return {at: null, source: null, setAt: null, setAtSource: null}
  const change = {at: best.at, source: best.source}
  // cfguard's mark describes the secret only when no later change was made outside cfguard.
  const ours = marked !== null && newestEventMs <= Date.parse(marked) + SAME_WRITE_MS
  const setAt = annotations[SECRET_SET_AT_ANNOTATION]
  if (!ours || setAt === undefined) return {...change, setAt: change.at, setAtSource: change.source}
  const restored = validTime(setAt)
  // `unknown`: a rollback restored a secret whose age nothing recorded.
  return restored === null
    ? {...change, setAt: null, setAtSource: null}
    : {...change, setAt: restored, setAtSource: 'annotation'}
}

function validTime(value: string | undefined): string | null {
  return value === undefined || Number.isNaN(Date.parse(value)) ? null : value
}

const credentialEventIndex = new WeakMap<readonly AuditEvent[], Map<string, AuditEvent[]>>()

/**
 * UPS credential-change events by target guid, built once per snapshot: looking through every
 * event for every credential was quadratic (thousands × thousands on a large foundation).
 * Snapshots are not changed after collection, so the index stays valid.
 */
function credentialEventsByTarget(events: readonly AuditEvent[]): Map<string, AuditEvent[]> {
  let index = credentialEventIndex.get(events)
  if (!index) {
    index = new Map()
    for (const e of events) {
      if (!UPS_CREDENTIAL_EVENT_TYPES.includes(e.type) || !e.requestKeys.includes('credentials')) continue
      const list = index.get(e.target.guid)
      if (list) list.push(e)
      else index.set(e.target.guid, [e])
    }
    credentialEventIndex.set(events, index)
  }
  return index
}

/** Whole days between `at` and `now` (floor). */
export function ageInDays(at: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(at)) / DAY_MS)
}

/** Apps' space names joined with org: `acme/prod`. */
export function spaceLabel(s: Snapshot, spaceGuid: string): string {
  const place = placeOf(indexSnapshot(s), spaceGuid)
  return `${place.org ?? '?'}/${place.space ?? spaceGuid}`
}

/** Deterministic, readable order for one rule's findings: resource name, resource guid, message. */
export function orderFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.resource.name.localeCompare(b.resource.name) ||
      a.resource.guid.localeCompare(b.resource.guid) ||
      a.message.localeCompare(b.message),
  )
}
