/**
 * Peak memory of a large collection. A collection allocates fast for its whole length (thousands
 * of responses, each parsed, classified and dropped) while its live set stays near 100 MB at
 * 10,000 apps. With V8's default heap growth, garbage piles up to 3–4× the live set before a full
 * collection (about 450 MB RSS at 10,000 apps); a gentler growth factor keeps it under 300 MB for a
 * little more GC work, hidden behind network latency (measured: same wall time). The flag is read
 * at every heap resize, so setting it at run time takes effect; an operator's own setting
 * (NODE_OPTIONS or node flags) wins.
 */
import {setFlagsFromString} from 'node:v8'

export const HEAP_GROWING_PERCENT = 15

let applied = false

/** The operator already chose a heap growth (node flag or NODE_OPTIONS). */
export function heapGrowthGiven(env: NodeJS.ProcessEnv, execArgv: readonly string[]): boolean {
  return [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) =>
    a.includes('heap-growing-percent'),
  )
}

/** Sets the gentler growth once per process; false when it was already set or given. */
export function gentleHeapGrowth(
  env: NodeJS.ProcessEnv = process.env,
  execArgv: readonly string[] = process.execArgv,
): boolean {
  if (applied) return false
  applied = true
  if (heapGrowthGiven(env, execArgv)) return false
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  return true
}
