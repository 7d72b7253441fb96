/**
 * Bulk lists with the shortest dependent chain: page 1 at `per_page=5000` tells how many pages
 * there are, then pages 2..N are fetched at once (cf-java-client's strategy) instead of following
 * `pagination.next` one after another. GUID filters longer than 200 go in batches (in parallel).
 * Every page request runs through the collection's limiter. Resources seen twice (pages can shift
 * while they are read) are kept once. `included` blocks are merged raw, by guid.
 */
import type {CcCore, Page} from '../cf/ccv3/core.js'
import {batchGuidFilters, hasEmptyGuidFilter, MAX_PER_PAGE} from '../cf/ccv3/query.js'
import type {Limiter} from './limiter.js'

export interface PagedList<T> {
  items: T[]
  /** `included.<plural>` merged over every page and batch, raw wire objects, one per guid. */
  included: Record<string, unknown[]>
}

async function onePage<W>(core: CcCore, path: string, query: object): Promise<Page<W>> {
  for await (const page of core.pages<W>(path, query)) return page
  throw new Error(`no page returned for ${path}`)
}

/** Follows `pagination.next` (when a server does not report `total_pages`). */
async function followPages<W>(core: CcCore, path: string, query: object): Promise<Page<W>[]> {
  const out: Page<W>[] = []
  for await (const page of core.pages<W>(path, query)) out.push(page)
  return out
}

async function batchPages<W>(
  core: CcCore,
  limiter: Limiter,
  path: string,
  query: object,
): Promise<Page<W>[]> {
  const first = await limiter.run(() => onePage<W>(core, path, {...query, page: 1}))
  const total = first.pagination.total_pages
  if (typeof total !== 'number') {
    if (!first.pagination.next) return [first]
    return limiter.run(() => followPages<W>(core, path, query))
  }
  const rest = await Promise.all(
    Array.from({length: Math.max(0, total - 1)}, (_, i) =>
      limiter.run(() => onePage<W>(core, path, {...query, page: i + 2})),
    ),
  )
  return [first, ...rest]
}

export async function listPaged<W extends {guid: string}, T>(
  core: CcCore,
  limiter: Limiter,
  path: string,
  options: object,
  decode: (wire: W, now: Date) => T,
): Promise<PagedList<T>> {
  const query = {perPage: MAX_PER_PAGE, ...options}
  if (hasEmptyGuidFilter(query)) return {items: [], included: {}}
  const batches = await Promise.all(
    batchGuidFilters(query).map((batch) => batchPages<W>(core, limiter, path, batch)),
  )
  const seen = new Set<string>()
  const items: T[] = []
  const included = new Map<string, Map<string, unknown>>()
  const now = core.now()
  for (const page of batches.flat()) {
    for (const wire of page.resources) {
      if (seen.has(wire.guid)) continue
      seen.add(wire.guid)
      items.push(decode(wire, now))
    }
    for (const [key, list] of Object.entries(page.included)) {
      if (!Array.isArray(list)) continue
      let byGuid = included.get(key)
      if (!byGuid) included.set(key, (byGuid = new Map()))
      for (const item of list) {
        const guid = (item as {guid?: unknown} | null)?.guid
        if (typeof guid === 'string') byGuid.set(guid, item)
      }
    }
  }
  return {
    items,
    included: Object.fromEntries([...included].map(([key, byGuid]) => [key, [...byGuid.values()]])),
  }
}
