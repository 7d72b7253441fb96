/**
 * The minimum number of requests for a foundation, from the collector's own documented formula
 * (`minimumRequests` in src/collect/cost.ts, loaded from the built lib/), fed with the counts the
 * simulator reports (ground truth).
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {FoundationCounts} from './protocol.js'

export interface Minimum {
  total: number
  /** Reads of one item each (no list endpoint): the part concurrency has to carry. */
  perItem: number
  /** Bulk list pages (per_page=5000) and the fixed requests (root, token, …). */
  bulk: number
  /** The collector's own breakdown, as it returns it. */
  breakdown: unknown
}

export async function minimumFor(
  root: string,
  counts: FoundationCounts,
  _ccVersion: string,
): Promise<Minimum> {
  const file = join(root, 'lib/collect/cost.js')
  if (!existsSync(file)) throw new Error('lib/collect/cost.js is not built (the collector has not landed)')
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  if (typeof module.minimumRequests !== 'function')
    throw new Error('lib/collect/cost.js has no minimumRequests')
  const breakdown = (module.minimumRequests as (c: FoundationCounts) => unknown)(counts)
  return {total: Number.NaN, perItem: Number.NaN, bulk: Number.NaN, breakdown}
}
