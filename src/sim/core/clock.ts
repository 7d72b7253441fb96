/** The simulated wall clock: real time plus an offset that tests move forward. */
export interface SimClock {
  now(): Date
  /** Milliseconds since the epoch, simulated. */
  ms(): number
  advance(ms: number): void
}

export function createClock(): SimClock {
  let offset = 0
  return {
    now: () => new Date(Date.now() + offset),
    ms: () => Date.now() + offset,
    advance: (ms: number) => {
      if (!Number.isFinite(ms) || ms < 0) throw new Error('clock.advance needs a non-negative number of ms')
      offset += ms
    },
  }
}

/** CC timestamps: ISO 8601 UTC with second precision, `2026-01-01T00:00:00Z`. */
export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

export const DAY_MS = 86_400_000
