/**
 * `credentials list`: every rotatable credential in scope with kind, bound apps, age, drift,
 * rotation state and due date — collected from bulk lists without reading a secret, judged by
 * the pure `rotationCandidates`.
 */
import {ALL_RULES} from '../checks/index.js'
import {loadPolicy} from '../config/policy.js'
import type {RunContext} from './context.js'
import {rotationCandidates, type RotationCandidate} from './credentials-candidates.js'
import {collectCredentialSnapshot} from './credentials-snapshot.js'
import {openSession, type SessionOptions} from './session.js'

export interface ListOptions {
  maxAgeMs: number | null
  olderThanMs: number | null
  selector?: string
  policyPath?: string
}

export interface CredentialList {
  target: {api: string; org: string | null; space: string | null}
  generatedAt: string
  /** The age after which a credential is due. */
  maxAgeDays: number
  credentials: RotationCandidate[]
  /** What could not be read (e.g. UAA clients without clients.read). */
  gaps: {what: string; why: string}[]
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
    const snapshot = await collectCredentialSnapshot(s, ctx, session)
    const credentials = rotationCandidates(snapshot, policy, now, {
      maxAgeMs: o.maxAgeMs,
      olderThanMs: o.olderThanMs,
      selector: o.selector ?? null,
    })
    const gaps: CredentialList['gaps'] = []
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
    const maxAgeMs = o.olderThanMs ?? o.maxAgeMs ?? policy.maxCredentialAgeDays * 86_400_000
    return {
      target: snapshot.target,
      generatedAt: now.toISOString(),
      maxAgeDays: Math.round((maxAgeMs / 86_400_000) * 100) / 100,
      credentials,
      gaps,
    }
  } finally {
    s.close()
  }
}
