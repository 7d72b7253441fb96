/**
 * Bulk lists with the shortest dependent chain: page 1 at `per_page=5000` tells how many pages
 * there are, then pages 2..N are fetched at once (cf-java-client's strategy) instead of following
 * `pagination.next` one after another. GUID filters longer than 200 go in batches (in parallel).
 * Every page request runs through the collection's limiter. Resources seen twice (pages can shift
 * while they are read) are kept once. `included` blocks are merged raw, by guid.
 */
import pLimit from 'p-limit'

import type {CcCore, ListBudget, Page} from '../cf/ccv3/core.js'
import {ApiError, TRACE_HINT} from '../cf/http/errors.js'
import {describeUrl} from '../cf/http/url.js'
import {batchGuidFilters, hasEmptyGuidFilter, MAX_PER_PAGE} from '../cf/ccv3/query.js'
import type {Limiter} from './limiter.js'

/**
 * List pages in flight at once, across all lists of a collection. A 5000-resource page is about
 * 3 MB of JSON and 25 MB once parsed; capping the pages held at once keeps memory flat however big
 * the foundation (10,000 apps are ~17 such pages), for a few round trips more on the chain.
 */
export const PAGE_CONCURRENCY = 3

export type PageLimit = ReturnType<typeof pLimit>

export function createPageLimit(): PageLimit {
  return pLimit(PAGE_CONCURRENCY)
}

export interface PagedList<T> {
  items: T[]
  /** `included.<plural>` merged over every page and batch, raw wire objects, one per guid. */
  included: Record<string, unknown[]>
}

async function onePage<W>(core: CcCore, path: string, query: object, budget: ListBudget): Promise<Page<W>> {
  for await (const page of core.pages<W>(path, query, budget)) return page
  throw new Error(`no page returned for ${path}`)
}

/**
 * Follows `pagination.next` (when a server does not report `total_pages`), digesting each page as
 * it arrives: holding the raw pages of an endless chain grew memory by ~18 MB/s.
 */
async function followPages<W, D>(
  core: CcCore,
  path: string,
  query: object,
  budget: ListBudget,
  digest: (page: Page<W>) => D,
): Promise<D[]> {
  const out: D[] = []
  for await (const page of core.pages<W>(path, query, budget)) out.push(digest(page))
  return out
}

/** A page as soon as it arrives: decoded resources and raw `included` (the page itself is dropped). */
interface DecodedPage<T> {
  items: {guid: string; value: T}[]
  included: Record<string, unknown[]>
}

async function batchPages<W extends {guid: string}, T>(
  core: CcCore,
  limiter: Limiter,
  pageLimit: PageLimit,
  path: string,
  query: object,
  decode: (wire: W, now: Date) => T,
  budget: ListBudget,
): Promise<DecodedPage<T>[]> {
  // Decode each page when it arrives, so a 5000-resource page's raw JSON is garbage at once
  // (lists are read in parallel: holding every raw page would cost hundreds of MB at 10,000 apps).
  const digest = (page: Page<W>): DecodedPage<T> => {
    const now = core.now()
    return {
      items: page.resources.map((w) => ({guid: w.guid, value: decode(w, now)})),
      included: page.included,
    }
  }
  let total: number | undefined
  const first = await pageLimit(() =>
    limiter.run(async () => {
      const page = await onePage<W>(core, path, {...query, page: 1}, budget)
      total = pageCount(core, path, page.pagination.total_pages)
      return {page: total !== undefined || !page.pagination.next ? digest(page) : null}
    }),
  )
  if (first.page === null) {
    return pageLimit(() => limiter.run(() => followPages(core, path, query, budget, digest)))
  }
  const rest = await Promise.all(
    Array.from({length: Math.max(0, (total ?? 1) - 1)}, (_, i) =>
      pageLimit(() =>
        limiter.run(async () => digest(await onePage<W>(core, path, {...query, page: i + 2}, budget))),
      ),
    ),
  )
  return [first.page, ...rest]
}

/**
 * `total_pages` when it is usable; undefined (follow `pagination.next` instead) when it is missing
 * or not a whole number ≥ 0. More pages than the paginator's cap is a server answering nonsense:
 * fetching a billion pages by number would never end.
 */
function pageCount(core: CcCore, path: string, total: unknown): number | undefined {
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) return undefined
  if (total > core.maxPages) {
    const url = core.url(path)
    throw new ApiError(
      'BAD_RESPONSE',
      `Cloud Controller sent total_pages ${total} (more than ${core.maxPages}) for GET ${describeUrl(url)}; refusing to follow`,
      {method: 'GET', url, service: 'Cloud Controller'},
      [TRACE_HINT],
    )
  }
  return total
}

export async function listPaged<W extends {guid: string}, T>(
  core: CcCore,
  limiter: Limiter,
  pageLimit: PageLimit,
  path: string,
  options: object,
  decode: (wire: W, now: Date) => T,
): Promise<PagedList<T>> {
  const query = {perPage: MAX_PER_PAGE, ...options}
  if (hasEmptyGuidFilter(query)) return {items: [], included: {}}
  // One budget for the whole list: every batch and page counts against the same caps.
  const budget = core.listBudget()
  const batches = await Promise.all(
    batchGuidFilters(query).map((batch) =>
      batchPages<W, T>(core, limiter, pageLimit, path, batch, decode, budget),
    ),
  )
  const seen = new Set<string>()
  const items: T[] = []
  const included = new Map<string, Map<string, unknown>>()
  for (const page of batches.flat()) {
    for (const {guid, value} of page.items) {
      if (seen.has(guid)) continue
      seen.add(guid)
      items.push(value)
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
