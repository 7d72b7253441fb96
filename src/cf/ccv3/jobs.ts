/** `/v3/jobs`: the other half of every 202 Accepted (docs/platform-facts.md §2.7). */
import {CfguardError, type CfguardErrorCode} from '../../errors.js'
import {type CcCore, enc} from './core.js'
import {decodeJob} from './decode.js'
import type {CcJob, JobRef} from './types.js'
import type {WireJob} from './wire.js'

export interface PollOptions {
  /** Give up after this long (default 5 min); the job keeps running on the platform. */
  timeoutMs?: number
  /** Between polls (default 2 s). */
  intervalMs?: number
  /** Called after every poll (progress rendering). */
  onPoll?: (job: CcJob) => void
}

const FAILED_JOB_CODES: Record<string, CfguardErrorCode> = {
  'CF-UnprocessableEntity': 'UNPROCESSABLE',
  'CF-NotAuthorized': 'FORBIDDEN',
  'CF-ResourceNotFound': 'NOT_FOUND',
}

export function jobsResource(core: CcCore) {
  const get = async (guid: string): Promise<CcJob> =>
    decodeJob(await core.get<WireJob>(`/v3/jobs/${enc(guid)}`))

  return {
    get,
    /**
     * Polls until COMPLETE (returns the job) or FAILED (throws with CC's error). Job warnings go
     * to the transport's warning sink. Times out with API_UNAVAILABLE naming the job to check.
     */
    async poll(job: JobRef | string, options: PollOptions = {}): Promise<CcJob> {
      const guid = typeof job === 'string' ? job : job.jobGuid
      const timeoutMs = options.timeoutMs ?? 5 * 60_000
      const intervalMs = options.intervalMs ?? 2000
      const started = core.now().getTime()
      for (;;) {
        const current = await get(guid)
        for (const w of current.warnings) core.transport.addWarning(w)
        options.onPoll?.(current)
        if (current.state === 'COMPLETE') return current
        if (current.state === 'FAILED') {
          const first = current.errors[0]
          throw new CfguardError(
            (first && FAILED_JOB_CODES[first.title]) ?? 'API_ERROR',
            `job ${current.operation} (${guid}) failed${first ? `: ${first.detail || first.title} (${first.title})` : ''}`,
            {apiTitle: first?.title, apiCode: first?.code},
          )
        }
        if (core.now().getTime() - started >= timeoutMs) {
          throw new CfguardError(
            'API_UNAVAILABLE',
            `job ${current.operation} (${guid}) is still ${current.state} after ${Math.round(timeoutMs / 1000)} s`,
            {suggestions: [`it keeps running on the platform; check it later with GET /v3/jobs/${guid}`]},
          )
        }
        await core.sleep(intervalMs, core.signal)
      }
    },
  }
}
