/**
 * What every resource file builds on: requests relative to the API root, the paginator
 * (`pagination.next.href`, same origin only, no loops, bounded), the list verbs (`list`,
 * `listAll`, `listWithIncluded`, `single`, `first`) with GUID batching, and 201-vs-202 handling.
 */
import {abortableSleep} from '../../context.js'
import {noMatchMessage} from '../../util/suggest.js'
import {CfguardError} from '../../errors.js'
import {ApiError, TRACE_HINT} from '../http/errors.js'
import type {HttpMethod, HttpResponse, Transport} from '../http/transport.js'
import {describeUrl, joinUrl, originOf} from '../http/url.js'
import {decodeIncluded} from './decode.js'
import {
  batchGuidFilters,
  buildQuery,
  describeFilters,
  hasEmptyGuidFilter,
  MAX_PER_PAGE,
  type PagingOptions,
} from './query.js'
import type {Included, JobRef, ListResult} from './types.js'
import type {WireList, WirePagination} from './wire.js'

export const CC = 'Cloud Controller'

/** Safety cap on pages followed for one list (5000 per page ⇒ 50 million resources). */
export const DEFAULT_MAX_PAGES = 10_000
/**
 * Safety cap on the JSON read for one list, all pages together. The largest real lists (apps,
 * routes, bindings of a foundation with 100,000 of them) are around 150 MB; a server sending
 * fresh page after fresh page would otherwise grow memory until the process dies (exit 134).
 */
export const DEFAULT_MAX_LIST_MIB = 512

/** What one list (all its pages, batches and chains) has read so far, against its caps. */
export class ListBudget {
  pages = 0
  chars = 0
  constructor(
    readonly maxPages: number,
    readonly maxChars: number,
  ) {}

  /** Counts a page read; what was passed when a cap is, else null. */
  spend(size: number): {what: string; bySize: boolean} | null {
    this.pages++
    this.chars += size
    if (this.pages > this.maxPages) return {what: `more than ${this.maxPages} pages`, bySize: false}
    if (this.chars > this.maxChars) {
      const mib = Math.round(this.maxChars / 1024 / 1024)
      return {what: `more than ${mib} MiB of pages (${this.pages} pages)`, bySize: true}
    }
    return null
  }
}

export interface CcCoreOptions {
  transport: Transport
  /** The API root, e.g. `https://api.sys.example.com`. */
  apiUrl: string
  now?: () => Date
  /** Waits between job polls (injectable so tests do not wait). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  signal?: AbortSignal
  maxPages?: number
  /** Largest total of one list's pages, in MiB of JSON (CFGUARD_MAX_LIST_MIB). */
  maxListMib?: number
}

export interface Page<W> {
  resources: W[]
  included: Record<string, unknown[]>
  pagination: WirePagination
}

export interface SendOptions {
  query?: object
  json?: unknown
  accept?: 'json' | 'text' | 'none'
  allowStatus?: number[]
  sensitive?: boolean
}

export class CcCore {
  readonly transport: Transport
  readonly apiUrl: string
  readonly now: () => Date
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  readonly signal?: AbortSignal
  readonly maxPages: number
  readonly maxListMib: number

  constructor(options: CcCoreOptions) {
    this.transport = options.transport
    this.apiUrl = options.apiUrl.replace(/\/+$/, '')
    this.now = options.now ?? (() => new Date())
    this.sleep = options.sleep ?? ((ms) => abortableSleep(ms))
    this.signal = options.signal
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES
    this.maxListMib = options.maxListMib ?? DEFAULT_MAX_LIST_MIB
  }

  /** A budget for one list: share it between every request made for that list. */
  listBudget(): ListBudget {
    return new ListBudget(this.maxPages, this.maxListMib * 1024 * 1024)
  }

  url(path: string, query?: object): string {
    const qs = query ? buildQuery(query) : ''
    return `${joinUrl(this.apiUrl, path)}${qs ? `?${qs}` : ''}`
  }

  send<T>(method: HttpMethod, path: string, options: SendOptions = {}): Promise<HttpResponse<T>> {
    return this.transport.request<T>({
      method,
      url: this.url(path, options.query),
      json: options.json,
      accept: options.accept,
      allowStatus: options.allowStatus,
      sensitive: options.sensitive,
      service: CC,
    })
  }

  async get<T>(path: string, query?: object): Promise<T> {
    return (await this.send<T>('GET', path, {query})).data
  }

  async post<T>(path: string, json: unknown = {}): Promise<T> {
    return (await this.send<T>('POST', path, {json})).data
  }

  async patch<T>(path: string, json: unknown): Promise<T> {
    return (await this.send<T>('PATCH', path, {json})).data
  }

  /** POST/PATCH/DELETE that may answer 201/200 with a body or 202 with a job. */
  async sendMaybeJob<T>(
    method: HttpMethod,
    path: string,
    json?: unknown,
  ): Promise<{resource?: T; job?: JobRef}> {
    const res = await this.send<T>(method, path, {json})
    if (res.status === 202) return {job: this.jobRef(res, method, path)}
    if (res.status === 204 || res.data === undefined) return {}
    return {resource: res.data}
  }

  private jobRef(res: HttpResponse<unknown>, method: HttpMethod, path: string): JobRef {
    const location = res.headers.location
    const fail = (why: string) =>
      new ApiError(
        'BAD_RESPONSE',
        `${CC} answered 202 to ${method} ${path} ${why}`,
        {method, url: this.url(path), service: CC, status: 202},
        [TRACE_HINT],
      )
    if (!location) throw fail('without a job Location')
    const url = new URL(location, this.apiUrl).toString()
    if (originOf(url) !== originOf(this.apiUrl))
      throw fail(`with a job on another host (${new URL(url).host})`)
    const guid = /\/v3\/jobs\/([^/?#]+)/.exec(new URL(url).pathname)?.[1]
    if (!guid) throw fail('with a Location that is not a job')
    return {jobGuid: decodeURIComponent(guid), jobUrl: url}
  }

  /** Pages of one list request, following `pagination.next.href`. */
  async *pages<W>(path: string, query: object, budget = this.listBudget()): AsyncGenerator<Page<W>> {
    let url = this.url(path, query)
    const single = (query as PagingOptions).page !== undefined
    const origin = originOf(this.apiUrl)
    const seen = new Set<string>()
    let mostPages = 0
    for (let n = 0; ; n++) {
      if (n >= this.maxPages) throw this.badList(url, `more than ${this.maxPages} pages`)
      seen.add(url)
      const res = await this.transport.request<WireList<W>>({method: 'GET', url, service: CC})
      const over = budget.spend(res.size ?? 0)
      if (over) throw this.badList(url, over.what, over.bySize)
      const body = res.data
      if (
        !body ||
        !Array.isArray(body.resources) ||
        typeof body.pagination !== 'object' ||
        body.pagination === null
      ) {
        throw this.badList(url, 'a body that is not a CC list')
      }
      const malformed = body.resources.findIndex((r) => !isResource(r))
      if (malformed >= 0)
        throw this.badList(
          url,
          `a list whose resource #${malformed + 1} is malformed (guid and name must be strings)`,
        )
      const included =
        body.included !== null && typeof body.included === 'object' && !Array.isArray(body.included)
          ? body.included
          : {}
      yield {resources: body.resources, included, pagination: body.pagination}
      const next = body.pagination.next?.href
      if (single || !next) return
      if (typeof next !== 'string') throw this.badList(url, 'a pagination.next that is not a URL')
      // Pages may shift while they are walked (one page of slack), but an empty page that still
      // points further, or a chain far past total_pages, is a server looping us.
      const total = body.pagination.total_pages
      if (typeof total === 'number' && Number.isSafeInteger(total)) mostPages = Math.max(mostPages, total)
      if (body.resources.length === 0)
        throw this.badList(url, 'an empty page that still points at a next page')
      if (mostPages > 0 && n + 1 > mostPages + 1)
        throw this.badList(url, `more pages than its total_pages (${mostPages})`)
      let nextUrl: string
      try {
        nextUrl = new URL(next, url).toString()
      } catch {
        throw this.badList(url, 'a pagination.next that is not a URL')
      }
      if (originOf(nextUrl) !== origin)
        throw this.badList(url, `pagination.next pointing at another host (${new URL(nextUrl).host})`)
      if (seen.has(nextUrl)) throw this.badList(url, 'pagination.next pointing back at a page already read')
      url = nextUrl
    }
  }

  badList(url: string, what: string, capped = false): ApiError {
    return new ApiError(
      'BAD_RESPONSE',
      `${CC} sent ${what} for GET ${describeUrl(url)}; refusing to follow`,
      {method: 'GET', url, service: CC},
      capped
        ? ['if the foundation really holds that much, raise CFGUARD_MAX_LIST_MIB', TRACE_HINT]
        : [TRACE_HINT],
    )
  }

  /** The list verbs for one collection endpoint. */
  lister<W extends {guid: string}, T, O extends object>(
    path: string | ((options: O) => string),
    decode: (wire: W, now: Date) => T,
    noun: string,
    defaults: Partial<O> = {},
  ): Lister<T, O> {
    const fetchPages = (p: string, q: object, budget: ListBudget) => this.pages<W>(p, q, budget)
    const newBudget = () => this.listBudget()
    const clock = this.now
    const pathFor = (o: O) => (typeof path === 'string' ? path : path(o))

    async function* walk(options: O, included?: Map<string, Map<string, unknown>>): AsyncGenerator<T> {
      const merged = {perPage: MAX_PER_PAGE, ...defaults, ...options} as O
      if (hasEmptyGuidFilter(merged)) return
      const seen = new Set<string>()
      const budget = newBudget()
      for (const batch of batchGuidFilters(merged)) {
        for await (const page of fetchPages(pathFor(batch), batch, budget)) {
          if (included) mergeIncluded(included, page.included)
          const now = clock()
          for (const wire of page.resources) {
            // Pages can shift while they are walked; a resource seen twice is yielded once.
            if (seen.has(wire.guid)) continue
            seen.add(wire.guid)
            yield decode(wire, now)
          }
        }
      }
    }

    const listAll = async (options = {} as O) => {
      const out: T[] = []
      for await (const r of walk(options)) out.push(r)
      return out
    }

    return {
      list: (options = {} as O) => walk(options),
      listAll,
      async listWithIncluded(options = {} as O) {
        const raw = new Map<string, Map<string, unknown>>()
        const resources: T[] = []
        for await (const r of walk(options, raw)) resources.push(r)
        return {resources, included: decodeIncludedMap(raw)}
      },
      async single(options: O) {
        const found = await listAll({...options, perPage: 2, page: 1} as O)
        if (found.length === 1) return found[0] as T
        if (found.length === 0) {
          const suggestions = [
            `check the ${noun} name and that you may see it (\`cfguard target\` shows who you are)`,
          ]
          const {names, ...rest} = options as {names?: string[]}
          if (names?.length !== 1)
            throw new CfguardError('NOT_FOUND', `no ${noun} found for ${describeFilters(options)}`, {
              suggestions,
            })
          // A name that matched nothing: say it as a person would, with the closest names there are.
          const others = await listAll(rest as O).then(
            (rs) =>
              rs.map((r) => (r as {name?: unknown}).name).filter((n): n is string => typeof n === 'string'),
            () => [],
          )
          const what = `${noun} named "${names[0]}"${withinText(rest)}`
          throw new CfguardError('NOT_FOUND', noMatchMessage(what, names[0]!, others), {suggestions})
        }
        throw new CfguardError('USAGE', `more than one ${noun} matches ${describeFilters(options)}`, {
          suggestions: [`narrow the lookup (e.g. by space) so exactly one ${noun} matches`],
        })
      },
      async first(options = {} as O) {
        const found = await listAll({...options, perPage: 1, page: 1} as O)
        return found[0] ?? null
      },
    }
  }
}

export interface Lister<T, O> {
  /** Every matching resource, page after page (`per_page=5000`), GUID filters batched by 200. */
  list(options?: O): AsyncGenerator<T>
  listAll(options?: O): Promise<T[]>
  /** Resources plus the merged, decoded `included` block (use with `include: …`). */
  listWithIncluded(options?: O): Promise<ListResult<T>>
  /** Exactly one match, else NOT_FOUND (none) or USAGE (several): how name lookups fail. */
  single(options: O): Promise<T>
  first(options?: O): Promise<T | null>
}

/** A CC resource: an object with a non-empty string guid, and a string (or null) name if any. */
function isResource(r: unknown): r is {guid: string} {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return false
  const {guid, name} = r as {guid?: unknown; name?: unknown}
  return (
    typeof guid === 'string' &&
    guid !== '' &&
    (name === undefined || name === null || typeof name === 'string')
  )
}

function mergeIncluded(into: Map<string, Map<string, unknown>>, block: Record<string, unknown[]>): void {
  for (const [key, list] of Object.entries(block)) {
    if (!Array.isArray(list)) continue
    let byGuid = into.get(key)
    if (!byGuid) into.set(key, (byGuid = new Map()))
    for (const item of list) {
      const guid = (item as {guid?: unknown} | null)?.guid
      if (typeof guid === 'string') byGuid.set(guid, item)
    }
  }
}

function decodeIncludedMap(raw: Map<string, Map<string, unknown>>): Included {
  const block: Record<string, unknown[]> = {}
  for (const [key, byGuid] of raw) block[key] = [...byGuid.values()]
  return decodeIncluded(block)
}

export function enc(guid: string): string {
  return encodeURIComponent(guid)
}

/** ` in that organization` for the GUID filters a name lookup was narrowed by (messages only). */
function withinText(filters: object): string {
  const f = filters as {organizationGuids?: unknown; spaceGuids?: unknown; domainGuids?: unknown}
  if (Array.isArray(f.spaceGuids)) return ' in that space'
  if (Array.isArray(f.organizationGuids)) return ' in that organization'
  if (Array.isArray(f.domainGuids)) return ' on that domain'
  return ''
}
