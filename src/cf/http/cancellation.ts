/**
 * The run's signal, fanned out to the attempts and waits in flight, and the waits themselves.
 */
import type {ActivityListener} from './activity.js'
import type {Pause} from './connection.js'

export interface Cancellation {
  /** Cancelled with the run's signal until closed (at once when it is already aborted). */
  open<C extends {abort(reason?: unknown): void}>(c: C): C
  close(c: {abort(reason?: unknown): void}): void
}

/**
 * The run's signal fanned out to the attempts and waits in flight: one listener on it while any
 * is open, none otherwise. Each request attempt or wait listening on the run's signal itself
 * passed Node's limit of 10 listeners (MaxListenersExceededWarning) as soon as more than ten were
 * in flight; `AbortSignal.any` per attempt also grew the run signal's dependants.
 */
export function createCancellation(run: AbortSignal | undefined): Cancellation {
  const open = new Set<{abort(reason?: unknown): void}>()
  const fanOut = () => {
    for (const c of open) c.abort(run?.reason)
    open.clear()
  }
  return {
    open<C extends {abort(reason?: unknown): void}>(c: C): C {
      if (!run) return c
      if (run.aborted) {
        c.abort(run.reason)
        return c
      }
      if (open.size === 0) run.addEventListener('abort', fanOut, {once: true})
      open.add(c)
      return c
    },
    close(c: {abort(reason?: unknown): void}): void {
      if (open.delete(c) && open.size === 0) run?.removeEventListener('abort', fanOut)
    },
  }
}

/** A wait told to the activity listener, cancelled with the run. */
export function createPause(
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  cancellation: Cancellation,
  tell: ActivityListener,
): Pause {
  return async (ms, service, reason) => {
    if (ms <= 0) return
    if (service) tell({type: 'wait', ms, service, reason})
    const waiting = cancellation.open(new AbortController())
    try {
      await sleep(ms, waiting.signal)
    } finally {
      cancellation.close(waiting)
    }
  }
}
