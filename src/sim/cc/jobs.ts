/** Asynchronous jobs (§2.7): 202 + Location, PROCESSING → (POLLING) → COMPLETE | FAILED. */
import {iso} from '../core/clock.js'
import type {Job} from '../core/model.js'
import type {SimState} from '../core/state.js'
import type {CcCtx} from './context.js'
import type {SimResponse} from '../server/types.js'
import {notFound} from './errors.js'
import {actorEvent} from './events.js'
import {accepted, link, ok, type CcRoutes} from './respond.js'

export interface JobInput {
  operation: string
  /** A broker operation: it shows `POLLING` while CC polls the broker. */
  brokered: boolean
  resourceLink?: {name: string; path: string}
  onComplete: (at: number) => {ok: true} | {ok: false; detail: string}
}

export function createJob(state: SimState, input: JobInput): Job {
  const now = state.now()
  const job = state.jobs.create(state.row(now), {
    operation: input.operation,
    state: 'PROCESSING',
    brokered: input.brokered,
    completeAt:
      now + (input.brokered ? state.config.jobDurationMs : Math.ceil(state.config.jobDurationMs / 4)),
    errors: [],
    warnings: [],
    resourceLink: input.resourceLink ?? null,
    onComplete: input.onComplete,
  })
  state.schedule(job.completeAt, (at) => {
    const result = job.onComplete ? job.onComplete(at) : {ok: true as const}
    job.onComplete = null
    job.updatedAt = at
    if (result.ok) job.state = 'COMPLETE'
    else {
      job.state = 'FAILED'
      job.errors.push({code: 10009, title: 'CF-UnableToPerform', detail: result.detail})
    }
  })
  return job
}

function currentState(state: SimState, job: Job): Job['state'] {
  if (job.state === 'COMPLETE' || job.state === 'FAILED') return job.state
  const elapsed = state.now() - job.createdAt
  return job.brokered && elapsed >= (job.completeAt - job.createdAt) / 3 ? 'POLLING' : 'PROCESSING'
}

export function presentJob(ctx: CcCtx, job: Job) {
  const links: Record<string, unknown> = {self: link(ctx, `/v3/jobs/${job.guid}`)}
  if (job.resourceLink) links[job.resourceLink.name] = link(ctx, job.resourceLink.path)
  return {
    guid: job.guid,
    created_at: iso(job.createdAt),
    updated_at: iso(job.updatedAt),
    operation: job.operation,
    state: currentState(ctx.state, job),
    errors: job.errors,
    warnings: job.warnings,
    links,
  }
}

export function registerJobs(r: CcRoutes): void {
  r.add('GET', '/v3/jobs/:guid', (ctx) => {
    const job = ctx.state.jobs.get(ctx.req.params.guid!)
    if (!job) throw notFound('Job')
    return ok(presentJob(ctx, job))
  })
}

/**
 * A DELETE that CC finishes in a job (apps, routes): the `delete-request` audit event now, then a
 * non-brokered job whose completion runs `remove`; answers 202 + Location.
 */
export function acceptRecursiveDelete(
  ctx: CcCtx,
  input: {
    operation: string
    eventType: string
    target: {guid: string; type: string; name: string}
    spaceGuid: string
    remove: () => void
  },
): SimResponse {
  actorEvent(ctx, input.eventType, input.target, {request: {recursive: true}}, input.spaceGuid)
  const job = createJob(ctx.state, {
    operation: input.operation,
    brokered: false,
    onComplete: () => {
      input.remove()
      return {ok: true}
    },
  })
  return accepted(ctx, job.guid)
}
