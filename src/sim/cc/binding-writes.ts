/**
 * What CC does alike for credential bindings (§5.6) and route bindings (§5.7) once the request is
 * authorised: a delete is at once for a user-provided instance and a broker job for a managed
 * one; a PATCH may change metadata only.
 */
import type {LastOperation, Metadata} from '../core/model.js'
import {recordEvent} from '../runtime/audit.js'
import type {CcCtx} from './context.js'
import {parseJsonBody} from './context.js'
import {unprocessable} from './errors.js'
import {createJob} from './jobs.js'
import {applyMetadata} from './metadata.js'
import {accepted, noContent} from './respond.js'
import {lastOp} from './service-instance-writes.js'
import type {SimResponse} from '../server/types.js'

interface DeletableBinding {
  lastOperation: LastOperation
}

/** 204 and gone (user-provided), or 202 with a job that removes it (managed, via the broker). */
export function deleteBinding(
  ctx: CcCtx,
  b: DeletableBinding,
  o: {
    managed: boolean
    /** The job's operation, e.g. `service_bindings.delete`. */
    operation: string
    remove: () => void
    /** Records `<prefix>.<kind>` (`start_delete`, `delete`). */
    event: (kind: string, at?: number) => void
  },
): SimResponse {
  if (!o.managed) {
    o.remove()
    o.event('delete')
    return noContent()
  }
  b.lastOperation = lastOp('delete', 'in progress', ctx.state.now())
  o.event('start_delete')
  const job = createJob(ctx.state, {
    operation: o.operation,
    brokered: true,
    onComplete: (at) => {
      o.remove()
      o.event('delete', at)
      return {ok: true}
    },
  })
  return accepted(ctx, job.guid)
}

/** The PATCH body applied (metadata only, else 422) and its `.update` event recorded. */
export function patchBindingMetadata(
  ctx: CcCtx,
  b: {metadata: Metadata; updatedAt: number},
  event: {type: string; target: {guid: string; type: string; name: string}; spaceGuid: string},
): void {
  const body = parseJsonBody(ctx.req)
  const unknown = Object.keys(body).filter((k) => k !== 'metadata')
  if (unknown.length > 0) throw unprocessable(`Unknown field(s): '${unknown.join("', '")}'`)
  applyMetadata(b.metadata, body.metadata)
  b.updatedAt = ctx.state.now()
  recordEvent(ctx.state, {...event, actor: ctx.actor.auditActor, data: {request: body}})
}
