/**
 * The simulated wall clock: real time plus an offset that tests move forward. Paused, it stands
 * still (only `advance` moves it), so deployments, startups and jobs wait for the test, not for
 * however fast the machine happens to be.
 */
export interface SimClock {
  now(): Date
  /** Milliseconds since the epoch, simulated. */
  ms(): number
  advance(ms: number): void
  pause(): void
  resume(): void
}

export function createClock(): SimClock {
  let offset = 0
  let pausedAt: number | null = null
  const ms = () => (pausedAt ?? Date.now()) + offset
  return {
    now: () => new Date(ms()),
    ms,
    advance: (by: number) => {
      if (!Number.isFinite(by) || by < 0) throw new Error('clock.advance needs a non-negative number of ms')
      offset += by
    },
    pause: () => {
      pausedAt ??= Date.now()
    },
    resume: () => {
      // Carry on from where it stood: no jump over the time spent paused.
      if (pausedAt !== null) offset -= Date.now() - pausedAt
      pausedAt = null
    },
  }
}

/** CC timestamps: ISO 8601 UTC with second precision, `2026-01-01T00:00:00Z`. */
export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

export const DAY_MS = 86_400_000
