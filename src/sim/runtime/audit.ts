/** Writes CC audit events (docs/platform-facts.md §7). */
import type {AuditEvent} from '../core/model.js'
import type {SimState} from '../core/state.js'

export interface AuditActor {
  guid: string
  type: 'user' | 'system' | 'app'
  name: string
}

export interface EventInput {
  type: string
  actor: AuditActor
  target: {guid: string; type: string; name: string}
  data?: Record<string, unknown>
  spaceGuid: string | null
  orgGuid?: string | null
  at?: number
}

export const SYSTEM_ACTOR: AuditActor = {guid: 'system', type: 'system', name: 'system'}

export function recordEvent(state: SimState, input: EventInput): AuditEvent {
  const at = input.at ?? state.now()
  const orgGuid =
    input.orgGuid !== undefined
      ? input.orgGuid
      : input.spaceGuid
        ? (state.spaces.get(input.spaceGuid)?.orgGuid ?? null)
        : null
  return state.events.create(state.row(at), {
    type: input.type,
    actor: {...input.actor},
    target: {...input.target},
    data: input.data ?? {},
    spaceGuid: input.spaceGuid,
    orgGuid,
  })
}

/** `[PRIVATE DATA HIDDEN]` in place of secret request values, as CC writes them. */
export const PRIVATE = '[PRIVATE DATA HIDDEN]'
