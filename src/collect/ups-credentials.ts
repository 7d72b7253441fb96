/**
 * Reads the credentials of chosen user-provided services (docs/platform-facts.md §5.2) for the credential
 * commands, which otherwise read no secret: a service whose name, tags and labels carry no
 * identity word (`ignition-config`) can only be judged by what it holds. One
 * `GET /v3/service_instances/:guid/credentials` per service, each writing one
 * `audit.user_provided_service_instance.show` event; gated per space like the collector's reads
 * (a denial skips the rest of that space). Values are classified on arrival, their secret parts
 * registered for redaction, and dropped: only views and keyed fingerprints leave this file.
 */
import type {Session} from '../cf/session.js'
import type {CredentialView, ReadState} from '../model/snapshot.js'
import {classifyCredentials} from '../derive/classify/index.js'
import {Gates} from './gates.js'
import {createLimiter} from './limiter.js'
import {tokenScopes} from './lists.js'
import {roleHint} from './read-errors.js'
import {registerSecretValues} from './secret-values.js'

export interface UpsCredentialRead {
  read: Extract<ReadState, 'read' | 'denied' | 'failed'>
  view: CredentialView | null
  why: string | null
}

export interface UpsCredentialReads {
  /** By service instance guid. */
  reads: Map<string, UpsCredentialRead>
  /** Successful reads: each wrote one `audit.user_provided_service_instance.show` event. */
  auditEventsCreated: number
}

export async function readUpsCredentials(
  session: Session,
  instances: readonly {guid: string; spaceGuid: string}[],
  salt: Buffer,
  concurrency = 8,
): Promise<UpsCredentialReads> {
  const hint = roleHint(tokenScopes(session) ?? [])
  const gates = new Gates(createLimiter(concurrency), () => hint)
  const reads = new Map<string, UpsCredentialRead>()
  let auditEventsCreated = 0
  await Promise.all(
    instances.map(async (si) => {
      const outcome = await gates.run('credentials', si.spaceGuid, () =>
        session.cc.serviceInstances.credentials(si.guid),
      )
      if (!outcome.ok) {
        reads.set(si.guid, {read: outcome.read, view: null, why: outcome.why})
        return
      }
      auditEventsCreated++
      const view = classifyCredentials(outcome.value, salt)
      registerSecretValues(outcome.value, new Set(view.secretKeys))
      reads.set(si.guid, {read: 'read', view, why: null})
    }),
  )
  return {reads, auditEventsCreated}
}
