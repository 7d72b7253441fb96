/** The CF audit events a rotation caused, listed at the end of its result. */

import {CfguardError} from '../../errors.js'
import type {RunContext} from '../../context.js'
import type {RotationConnection} from './platform.js'

/** A CF audit event the run caused (no data: CC censors secrets there, we keep only who/what/when). */
export interface CausedAuditEvent {
  guid: string
  type: string
  createdAt: string
  actor: {guid: string; type: string; name: string}
  target: {guid: string; type: string; name: string}
}

/** CF audit events by this token since `since` (CC keeps seconds): what the run caused. */
export async function causedAuditEvents(
  ctx: RunContext,
  conn: RotationConnection,
  since: Date,
): Promise<CausedAuditEvent[]> {
  const from = new Date(Math.floor(since.getTime() / 1000) * 1000)
  try {
    const events = await conn.session.cc.auditEvents.listAll({createdAts: {gte: from}, orderBy: 'created_at'})
    return events
      .filter((e) => conn.actorGuid === null || e.actor.guid === conn.actorGuid)
      .map((e) => ({
        guid: e.guid,
        type: e.type,
        createdAt: e.createdAt,
        actor: {...e.actor},
        target: {...e.target},
      }))
  } catch (err) {
    ctx.warn(
      `could not list the audit events this run caused: ${err instanceof CfguardError ? err.message : String(err)}`,
    )
    return []
  }
}
