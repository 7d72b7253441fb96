/** `/v3/audit_events` — always filter by `createdAts` on big foundations (docs/platform-facts.md §7). */
import {type CcCore, enc} from './core.js'
import {decodeAuditEvent} from './decode.js'
import type {CommonListOptions, Not} from './query.js'
import type {CcAuditEvent} from './types.js'
import type {WireAuditEvent} from './wire.js'

export interface AuditEventListOptions extends CommonListOptions {
  types?: readonly string[]
  targetGuids?: readonly string[] | Not
  spaceGuids?: readonly string[]
  organizationGuids?: readonly string[]
}

export function auditEventsResource(core: CcCore) {
  return {
    ...core.lister<WireAuditEvent, CcAuditEvent, AuditEventListOptions>(
      '/v3/audit_events',
      decodeAuditEvent,
      'audit event',
    ),
    get: async (guid: string): Promise<CcAuditEvent> =>
      decodeAuditEvent(await core.get<WireAuditEvent>(`/v3/audit_events/${enc(guid)}`)),
  }
}
