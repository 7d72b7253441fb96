/** Audit events written on behalf of the request's actor (docs/platform-facts.md §7). */
import type {AuditEvent} from '../core/model.js'
import {recordEvent, type EventInput} from '../runtime/audit.js'
import type {CcCtx} from './context.js'

export function actorEvent(
  ctx: CcCtx,
  type: string,
  target: EventInput['target'],
  data: Record<string, unknown>,
  spaceGuid: string | null,
): AuditEvent {
  return recordEvent(ctx.state, {type, actor: ctx.actor.auditActor, target, data, spaceGuid})
}
