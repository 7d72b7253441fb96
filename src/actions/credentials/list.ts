/**
 * `credentials list`: every rotatable credential in scope with kind, bound apps, age, drift,
 * rotation state and due date — collected from bulk lists without reading a secret, judged by
 * the pure `rotationCandidates`. A service whose names say nothing (`ignition-config`) cannot be
 * judged that way: it is listed under `unjudged` with a coverage gap, or, with
 * `--read-credentials`, its credentials are read (one `.show` audit event each) and it is judged.
 */
import {DAY_MS} from '../../model/duration.js'
import {ALL_RULES} from '../../checks/index.js'
import {loadPolicy} from '../../config/policy.js'
import type {RunContext} from '../../context.js'
import {loadOrCreateSalt} from '../../config/salt.js'
import {readUpsCredentials} from '../../collect/ups-credentials.js'
import {
  rotationCandidates,
  unjudgedServices,
  withUpsCredentials,
  checkSelector,
  type RotationCandidate,
  type UnjudgedService,
} from './candidates.js'
import {collectCredentialSnapshot} from './snapshot.js'
import type {Snapshot} from '../../model/snapshot.js'
import {type Session} from '../../cf/session.js'
import {openSession, type SessionOptions} from '../session.js'

export interface ListOptions {
  maxAgeMs: number | null
  olderThanMs: number | null
  selector?: string
  policyPath?: string
  /** Read the credentials of user-provided services nothing else can judge (audit event each). */
  readCredentials?: boolean
}

export interface CredentialList {
  target: {api: string; org: string | null; space: string | null}
  generatedAt: string
  /** The age after which a credential is due. */
  maxAgeDays: number
  credentials: RotationCandidate[]
  /** Services that may hold identity credentials but could not be judged (also counted in gaps). */
  unjudged: UnjudgedService[]
  /** What could not be read (e.g. UAA clients without clients.read). */
  gaps: {what: string; why: string}[]
  /** `audit.user_provided_service_instance.show` events this run wrote (only with --read-credentials). */
  auditEventsCreated: number
}

export async function listCredentials(
  ctx: RunContext,
  session: SessionOptions,
  o: ListOptions,
): Promise<CredentialList> {
  const {policy} = await loadPolicy({
    cwd: process.cwd(),
    path: o.policyPath,
    knownRuleIds: ALL_RULES.map((r) => r.id),
    now: ctx.now(),
  })
  const s = await openSession(ctx, session)
  try {
    const now = ctx.now()
    const collected = await collectCredentialSnapshot(s, ctx, session)
    checkSelector(collected, o.selector)
    const {snapshot, unjudged, auditEventsCreated} = await judgeUnnamed(
      s,
      ctx,
      collected,
      o.selector ?? null,
      o.readCredentials ?? false,
    )
    const credentials = rotationCandidates(snapshot, policy, now, {
      maxAgeMs: o.maxAgeMs,
      olderThanMs: o.olderThanMs,
      selector: o.selector ?? null,
    })
    const gaps: CredentialList['gaps'] = unjudgedGaps(unjudged, {
      ups: o.readCredentials
        ? null
        : 'credentials not read: credentials list reads no secret; ' +
          '`cfguard credentials list --read-credentials` reads them (one audit event each)',
      managed: 'binding details not read (credentials list reads no binding details)',
    })
    if (snapshot.access.uaaClients.state !== 'full')
      gaps.push({
        what: 'UAA clients (UAA or another provider)',
        why: snapshot.access.uaaClients.why ?? 'not read',
      })
    if (snapshot.access.auditEvents.state !== 'full')
      gaps.push({
        what: 'credential change events (ages fall back to creation)',
        why: snapshot.access.auditEvents.why ?? 'not read',
      })
    const maxAgeMs = o.olderThanMs ?? o.maxAgeMs ?? policy.maxCredentialAgeDays * DAY_MS
    return {
      target: snapshot.target,
      generatedAt: now.toISOString(),
      maxAgeDays: Math.round((maxAgeMs / DAY_MS) * 100) / 100,
      credentials,
      unjudged,
      gaps,
      auditEventsCreated,
    }
  } finally {
    s.close()
  }
}

/**
 * The snapshot with what could be judged judged: with `read`, the credentials of the
 * user-provided services nothing else tells about are read (docs/platform-facts.md §5.2: one
 * `audit.user_provided_service_instance.show` event each) and classified; what stays unjudged is
 * returned with the reason.
 */
export async function judgeUnnamed(
  session: Session,
  ctx: RunContext,
  snapshot: Snapshot,
  selector: string | null,
  read: boolean,
): Promise<{snapshot: Snapshot; unjudged: UnjudgedService[]; auditEventsCreated: number}> {
  const before = unjudgedServices(snapshot, selector)
  const ups = before.filter((u) => u.serviceInstance.type === 'user-provided')
  if (!read || ups.length === 0) return {snapshot, unjudged: before, auditEventsCreated: 0}
  const r = await readUpsCredentials(
    session,
    ups.map((u) => ({guid: u.serviceInstance.guid, spaceGuid: u.space.guid})),
    loadOrCreateSalt(ctx.home),
  )
  const judged = withUpsCredentials(snapshot, r.reads)
  const unjudged = unjudgedServices(judged, selector).map((u) => {
    const why = r.reads.get(u.serviceInstance.guid)?.why
    return why ? {...u, why} : u
  })
  return {snapshot: judged, unjudged, auditEventsCreated: r.auditEventsCreated}
}

/**
 * One coverage gap per kind of unjudged service and reason. `notRead` explains credentials this
 * command chose not to read: `ups` null when it read what it could (only failures remain).
 */
export function unjudgedGaps(
  unjudged: UnjudgedService[],
  notRead: {ups: string | null; managed: string},
): CredentialList['gaps'] {
  const groups = new Map<string, {what: (n: number) => string; why: string; n: number}>()
  for (const u of unjudged) {
    const ups = u.serviceInstance.type === 'user-provided'
    const unread = u.read === 'skipped' || u.read === 'read'
    const why = !unread ? u.why : ups ? (notRead.ups ?? u.why) : notRead.managed
    const key = `${u.serviceInstance.type}\u0000${why}`
    const g = groups.get(key) ?? {
      what: (n: number) =>
        ups
          ? `${n} user-provided service(s) not judged (no identity word in name, tags or labels)`
          : `${n} managed service instance(s) not judged (offering not recognised as identity)`,
      why,
      n: 0,
    }
    g.n++
    groups.set(key, g)
  }
  return [...groups.values()].map((g) => ({what: g.what(g.n), why: g.why}))
}
