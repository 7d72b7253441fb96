/**
 * How wide and how colourful stdout may be. Width: `COLUMNS` when set, else the terminal's width,
 * else (a pipe, a file) a fixed 120 so logs and diffs do not depend on who ran the command.
 * Colour: never with --no-color (CFGUARD_NO_COLOR); FORCE_COLOR (not 0/false) forces it, as in
 * Node; NO_COLOR (any non-empty value) turns it off; otherwise only at a terminal (not TERM=dumb).
 * Files, JSON, SARIF and JUnit never get colour: only the table on stdout asks.
 */
export const PIPED_WIDTH = 120
export const MIN_WIDTH = 40
export const MAX_WIDTH = 400

export interface OutputStream {
  isTTY?: boolean
  columns?: number
}

export function outputWidth(env: NodeJS.ProcessEnv, stream: OutputStream): number {
  const raw = env.COLUMNS?.trim()
  if (raw && /^\d+$/.test(raw)) return clampWidth(Number(raw))
  if (stream.isTTY && stream.columns && stream.columns > 0) return clampWidth(stream.columns)
  return PIPED_WIDTH
}

function clampWidth(n: number): number {
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, n))
}

export function colorEnabled(env: NodeJS.ProcessEnv, stream: OutputStream, noColorFlag = false): boolean {
  if (noColorFlag) return false
  const force = env.FORCE_COLOR
  if (force !== undefined) return !/^(0|false)$/i.test(force.trim())
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return Boolean(stream.isTTY) && env.TERM !== 'dumb'
}
