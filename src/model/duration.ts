import {CfguardError} from '../errors.js'

/** One day in milliseconds (the one definition). */
export const DAY_MS = 86_400_000

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: DAY_MS,
  w: 7 * DAY_MS,
}

/**
 * The longest duration accepted anywhere (100 years): beyond it `now + duration` is no longer a
 * date (JavaScript dates end at ±8.64e15 ms) and every later step would crash on "Invalid time".
 */
export const MAX_DURATION_MS = 36_500 * DAY_MS

/** Parses `90d`, `15m`, `2h30m`, `500ms`, `45s`. Throws a usage error naming the bad input. */
export function parseDuration(input: string, what = 'duration'): number {
  const text = input.trim()
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy
  let total = 0
  let matched = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) {
    total += Number(m[1]) * (UNITS[m[2] as string] as number)
    matched = re.lastIndex
  }
  if (text === '' || matched !== text.length || !Number.isFinite(total)) {
    throw new CfguardError(
      'USAGE',
      `invalid ${what} "${input}": use a number with a unit, e.g. 90d, 12h, 15m, 30s`,
    )
  }
  if (total > MAX_DURATION_MS) {
    throw new CfguardError('USAGE', `invalid ${what} "${input}": at most 36500d (100 years)`)
  }
  return total
}

export function formatDuration(ms: number): string {
  const abs = Math.abs(ms)
  if (abs >= UNITS.d!) return `${Math.floor(ms / UNITS.d!)}d`
  if (abs >= UNITS.h!) return `${Math.floor(ms / UNITS.h!)}h`
  if (abs >= UNITS.m!) return `${Math.floor(ms / UNITS.m!)}m`
  if (abs >= UNITS.s!) return `${Math.floor(ms / UNITS.s!)}s`
  return `${ms}ms`
}
