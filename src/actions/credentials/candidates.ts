/**
 * `rotationCandidates(snapshot, policy, now, options)`: every rotatable identity credential of a
 * snapshot — a user-provided service holding an OAuth client, the app bindings of a managed SSO
 * instance, a service key family — with its kind, bound apps, age, drift (instances that started
 * before the credential last changed), rotation state read from cfguard's marks on the platform,
 * and due date. Pure: the list command renders it, the cron run picks what to do from it.
 */
import {
  credentialUnits,
  lastCredentialChange,
  type CredentialUnit,
  type LastChangeSource,
} from '../../derive/identity.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {DAY_MS} from '../../model/duration.js'
import type {Policy} from '../../model/policy.js'
import {matchesLabels, parseLabelSelector} from '../../model/selector.js'
import {noMatchMessage} from '../../util/suggest.js'
import {usageError} from '../../errors.js'
import type {App, CredentialView, ReadState, ServiceInstance, Snapshot} from '../../model/snapshot.js'
import {decodeJournal, decodeLease, ROLE_ROTATION_STATE, stateServiceName} from '../../rotate/annotations.js'
import {ANNOTATION, LABEL} from '../../model/annotations.js'
import type {RotationKind} from '../../rotate/types.js'

export interface CandidateOptions {
  /** Maximum credential age (`--max-age`); default the policy's maxCredentialAgeDays. */
  maxAgeMs?: number | null
  /** Due threshold for this run (`--older-than`); default the maximum age. */
  olderThanMs?: number | null
  /** CC label selector on the service instance's labels. */
  selector?: string | null
}

export type RotationStateView =
  | {status: 'idle'}
  | {status: 'in-progress'; phase: string; rotationId: string | null}
  | {status: 'grace'; until: string; over: boolean}
  | {status: 'leased'; owner: string; until: string; rotationId: string}
  | {status: 'needs-human'; reason: string}

export interface RotationCandidate {
  serviceInstance: {guid: string; name: string; type: 'managed' | 'user-provided'}
  space: {guid: string; name: string | null; org: string | null}
  /** null: a user-provided service whose client could not be checked against UAA. */
  kind: RotationKind | null
  /** Service key family (kind service-key). */
  keyName: string | null
  clientId: string | null
  apps: {guid: string; name: string; state: App['state']}[]
  /** When the credential apps use last changed; null when unknown. */
  changedAt: string | null
  changedFrom: LastChangeSource | 'instance-created' | null
  ageDays: number | null
  dueAt: string | null
  due: boolean
  /** Running instances that started before the last change (they still hold the previous value). */
  drift: {instances: number; apps: string[]}
  state: RotationStateView
  /** Why an unattended run leaves it alone, when it does. */
  cronNote: string | null
}

/**
 * A service that may hold an identity credential but that nothing read so far can judge: its
 * name, tags, labels and offering carry no identity word and its credentials were not read
 * (`ignition-config` holding `client_id`/`client_secret` is an ordinary name). Listed, never
 * silently left out.
 */
export interface UnjudgedService {
  serviceInstance: {guid: string; name: string; type: 'managed' | 'user-provided'}
  space: {guid: string; name: string | null; org: string | null}
  /** How far the credentials got: `skipped` (not read by this command), `denied`, `failed`. */
  read: ReadState
  why: string
}

/** Can `--all-due` handle this one without a person? (Keys need a place for the new credentials.) */
export function cronCanRotate(c: RotationCandidate, keyOutput: boolean): string | null {
  if (c.kind === 'ups-external') return 'the new secret must come from its identity provider (--secret-file)'
  // kind null: the credentials were not read; the rotation reads them and refuses a foreign client.
  if (c.kind === 'service-key' && !keyOutput) return 'new key credentials need --output DIR'
  return null
}

export function rotationCandidates(
  snapshot: Snapshot,
  policy: Policy,
  now: Date,
  options: CandidateOptions = {},
): RotationCandidate[] {
  const ix = indexSnapshot(snapshot)
  const maxAge = options.maxAgeMs ?? policy.maxCredentialAgeDays * DAY_MS
  const threshold = options.olderThanMs ?? maxAge
  const selector = options.selector ? parseLabelSelector(options.selector) : null
  const uaaClients = new Set(snapshot.uaaClients.map((c) => c.clientId))
  const uaaKnown = snapshot.access.uaaClients.state === 'full'
  const companions = new Map(
    snapshot.serviceInstances
      .filter((si) => si.type === 'user-provided' && si.name.startsWith('cfguard-rotation-'))
      .map((si) => [si.name, si]),
  )

  // Group the credential units into what one rotation handles.
  const groups = new Map<
    string,
    {kind: 'ups' | RotationKind; keyName: string | null; units: CredentialUnit[]}
  >()
  for (const unit of credentialUnits(snapshot)) {
    const si = unit.instance
    if (si.labels[LABEL.role] === ROLE_ROTATION_STATE) continue
    if (unit.identity !== 'yes' && !isMarked(si)) continue
    if (selector && !matchesLabels(si.labels, selector)) continue
    let key: string
    let kind: 'ups' | RotationKind
    let keyName: string | null = null
    if (unit.source === 'user-provided') {
      key = si.guid
      kind = 'ups'
    } else if (unit.source === 'binding') {
      if (!unit.active) continue
      key = si.guid
      kind = 'managed-binding'
    } else {
      keyName = unit.binding?.annotations[ANNOTATION.keyFamily] ?? unit.binding?.name ?? unit.guid
      key = `${si.guid}/${keyName}`
      kind = 'service-key'
    }
    const g = groups.get(key) ?? {kind, keyName, units: []}
    g.units.push(unit)
    groups.set(key, g)
  }

  const out: RotationCandidate[] = []
  for (const g of groups.values()) {
    const si = g.units[0]!.instance
    const space = ix.spaces.get(si.spaceGuid)
    const clientId =
      g.units.find((u) => u.view?.clientId)?.view?.clientId ?? si.annotations[ANNOTATION.clientId] ?? null
    const kind: RotationKind | null =
      g.kind !== 'ups'
        ? g.kind
        : clientId !== null && uaaClients.has(clientId)
          ? 'ups-uaa'
          : uaaKnown && clientId !== null
            ? 'ups-external'
            : companionKind(companions.get(stateServiceName(si.guid)))
    // Age and due date follow the secret held now (a rollback's restored secret keeps its age).
    const change = changeOf(snapshot, g.kind, g.units)
    const changedAt = change.setAt ?? si.createdAt
    const changedFrom = change.setAt ? change.setAtSource : 'instance-created'
    const changedMs = Date.parse(changedAt)
    const dueMs = changedMs + threshold
    const apps = [
      ...new Map(
        g.units
          .flatMap((u) => u.appBindings)
          .map((b) => ix.apps.get(b.appGuid ?? ''))
          .filter((a): a is App => a !== undefined)
          .map((a) => [a.guid, a]),
      ).values(),
    ].sort((a, b) => a.name.localeCompare(b.name))
    const candidate: RotationCandidate = {
      serviceInstance: {guid: si.guid, name: si.name, type: si.type},
      space: {
        guid: si.spaceGuid,
        name: space?.name ?? null,
        org: space ? (ix.orgs.get(space.orgGuid)?.name ?? null) : null,
      },
      kind,
      keyName: g.keyName,
      clientId,
      apps: apps.map((a) => ({guid: a.guid, name: a.name, state: a.state})),
      changedAt,
      changedFrom,
      ageDays: Number.isNaN(changedMs) ? null : Math.floor((now.getTime() - changedMs) / DAY_MS),
      dueAt: Number.isNaN(dueMs) ? null : new Date(dueMs).toISOString(),
      due: Number.isNaN(dueMs) || now.getTime() >= dueMs,
      drift: drift(snapshot, g.kind, g.units, apps),
      state: stateOf(si.annotations, g.kind, g.keyName, companions.get(stateServiceName(si.guid)), now),
      cronNote: null,
    }
    out.push(candidate)
  }
  return out.sort(
    (a, b) =>
      a.serviceInstance.name.localeCompare(b.serviceInstance.name) ||
      a.serviceInstance.guid.localeCompare(b.serviceInstance.guid) ||
      (a.keyName ?? '').localeCompare(b.keyName ?? ''),
  )
}

/** cfguard rotated it before: its marks name the client, whatever the service is called. */
function isMarked(si: ServiceInstance): boolean {
  return (
    si.annotations[ANNOTATION.clientId] !== undefined || si.annotations[ANNOTATION.rotatedAt] !== undefined
  )
}

/**
 * The services in scope (after `selector`) that might hold an identity credential but could not
 * be judged: a user-provided service or a managed instance's binding or key whose credentials
 * were not read and whose names say nothing. One entry per service instance, sorted by name.
 */
export function unjudgedServices(snapshot: Snapshot, selector: string | null = null): UnjudgedService[] {
  const ix = indexSnapshot(snapshot)
  const wanted = selector ? parseLabelSelector(selector) : null
  const out = new Map<string, UnjudgedService>()
  for (const unit of credentialUnits(snapshot)) {
    const si = unit.instance
    if (unit.identity !== 'unknown' || isMarked(si) || out.has(si.guid)) continue
    if (si.labels[LABEL.role] === ROLE_ROTATION_STATE) continue
    if (wanted && !matchesLabels(si.labels, wanted)) continue
    const space = ix.spaces.get(si.spaceGuid)
    const read = unit.binding ? unit.binding.credentialsRead : si.credentialsRead
    out.set(si.guid, {
      serviceInstance: {guid: si.guid, name: si.name, type: si.type},
      space: {
        guid: si.spaceGuid,
        name: space?.name ?? null,
        org: space ? (ix.orgs.get(space.orgGuid)?.name ?? null) : null,
      },
      read,
      why: read === 'skipped' || read === 'read' ? 'credentials not read' : `credentials ${read}`,
    })
  }
  return [...out.values()].sort(
    (a, b) =>
      a.serviceInstance.name.localeCompare(b.serviceInstance.name) ||
      a.serviceInstance.guid.localeCompare(b.serviceInstance.guid),
  )
}

/**
 * The snapshot with the user-provided services' credentials read since (views by instance guid):
 * their units are then judged like any other. Pure; the snapshot passed in is not changed.
 */
export function withUpsCredentials(
  snapshot: Snapshot,
  reads: ReadonlyMap<string, {read: ReadState; view: CredentialView | null; why?: string | null}>,
): Snapshot {
  if (reads.size === 0) return snapshot
  return {
    ...snapshot,
    serviceInstances: snapshot.serviceInstances.map((si) => {
      const r = reads.get(si.guid)
      return r && si.type === 'user-provided'
        ? {...si, credentials: r.read === 'read' ? r.view : null, credentialsRead: r.read}
        : si
    }),
  }
}

function companionKind(companion: Snapshot['serviceInstances'][number] | undefined): RotationKind | null {
  const kind = companion?.annotations[ANNOTATION.rotationKind]
  return kind === 'ups-uaa' || kind === 'ups-external' ? kind : null
}

/**
 * The change the apps run: for a UPS the newest credentials change; for managed bindings the
 * oldest of the bindings apps use (the stalest credential in the group); for keys the newest key.
 */
function changeOf(s: Snapshot, kind: 'ups' | RotationKind, units: CredentialUnit[]) {
  const changes = units.map((u) => lastCredentialChange(s, u)).filter((c) => c.at !== null)
  if (changes.length === 0) return {at: null, source: null, setAt: null, setAtSource: null}
  const sorted = [...changes].sort((a, b) => Date.parse(a.at!) - Date.parse(b.at!))
  return kind === 'managed-binding' ? sorted[0]! : sorted[sorted.length - 1]!
}

/** Running web instances of the bound apps that started before their credential last changed. */
function drift(s: Snapshot, kind: 'ups' | RotationKind, units: CredentialUnit[], apps: App[]) {
  if (kind === 'service-key') return {instances: 0, apps: []}
  const ix = indexSnapshot(s)
  let instances = 0
  const behind: string[] = []
  for (const app of apps) {
    if (app.state !== 'STARTED') continue
    const mine = units.filter((u) => u.appBindings.some((b) => b.appGuid === app.guid))
    const change = changeOf(s, kind, mine).at ?? null
    if (change === null) continue
    const changed = Date.parse(change)
    const stale = (ix.processesByApp.get(app.guid) ?? [])
      .flatMap((p) => p.actual ?? [])
      .filter((i) => i.state === 'RUNNING' && i.since !== null && Date.parse(i.since) < changed).length
    if (stale > 0) {
      instances += stale
      behind.push(app.name)
    }
  }
  return {instances, apps: behind}
}

/** Where a rotation stands, from cfguard's marks only (lease, journal, companion, retire-after). */
function stateOf(
  annotations: Record<string, string>,
  kind: 'ups' | RotationKind,
  keyName: string | null,
  companion: Snapshot['serviceInstances'][number] | undefined,
  now: Date,
): RotationStateView {
  const lease = decodeLease(annotations[ANNOTATION.lease])
  if (lease === null) return {status: 'needs-human', reason: 'the rotation lease annotation cannot be read'}
  if (lease && Date.parse(lease.expiresAt) > now.getTime()) {
    return {status: 'leased', owner: lease.owner, until: lease.expiresAt, rotationId: lease.rotationId}
  }
  const retireAfter = annotations[ANNOTATION.retireAfter]
  const recorded = annotations[ANNOTATION.rotationId] ?? null
  if (kind === 'ups') {
    if (companion && companion.labels[LABEL.role] !== ROLE_ROTATION_STATE) {
      return {
        status: 'needs-human',
        reason: `a service named ${companion.name} is not cfguard's rotation state`,
      }
    }
    const storeId = companion?.annotations[ANNOTATION.rotationId] ?? null
    if (retireAfter && (!companion || storeId === recorded)) return grace(retireAfter, now)
    if (companion) {
      const updated = annotations[ANNOTATION.credentialsUpdatedAt]
      const started = companion.annotations[ANNOTATION.startedAt]
      const holdsNew =
        updated !== undefined && started !== undefined && Date.parse(updated) >= Date.parse(started)
      return {status: 'in-progress', phase: holdsNew ? 'updated' : 'generated', rotationId: storeId}
    }
    return {status: 'idle'}
  }
  const journal = decodeJournal(annotations[ANNOTATION.journal])
  const ours =
    journal !== null &&
    ((kind === 'managed-binding' && journal.kind === 'managed-binding') ||
      (kind === 'service-key' && journal.kind === 'service-key' && journal.keyName === keyName))
  if (ours) return {status: 'in-progress', phase: 'started', rotationId: journal.rotationId}
  if (retireAfter && journal === null) return grace(retireAfter, now)
  return {status: 'idle'}
}

function grace(until: string, now: Date): RotationStateView {
  return {status: 'grace', until, over: Date.parse(until) <= now.getTime()}
}

/**
 * `--selector` must match a service instance in scope: a typo (`team=paymnts`) is exit 2 naming
 * the closest labels there are, never an empty list or a cron run that rotates nothing. Pure.
 */
export function checkSelector(snapshot: Snapshot, selector: string | null | undefined): void {
  if (!selector) return
  const wanted = parseLabelSelector(selector)
  if (snapshot.serviceInstances.some((si) => matchesLabels(si.labels, wanted))) return
  const labels = [
    ...new Set(
      snapshot.serviceInstances.flatMap((si) =>
        Object.entries(si.labels).map(([k, v]) => (v ? `${k}=${v}` : k)),
      ),
    ),
  ].sort()
  throw usageError(
    noMatchMessage(
      `service instance in scope matches --selector ${selector} (${snapshot.serviceInstances.length} read)`,
      selector,
      labels,
    ),
    labels.length > 0
      ? `labels in scope: ${labels.slice(0, 10).join(', ')}${labels.length > 10 ? ', …' : ''}`
      : 'no service instance in scope has labels; widen the scope with -o/-s or --all',
  )
}
