/**
 * CC list responses (§2.2–2.4): parameter validation, filters, timestamps, label selectors,
 * ordering, pagination links and `include`.
 */
import {iso} from '../core/clock.js'
import type {Labels} from '../core/model.js'
import type {CcCtx} from './context.js'
import {badQuery} from './errors.js'
import {matchesSelector, parseLabelSelector} from './label-selector.js'

export const PER_PAGE_DEFAULT = 50
export const PER_PAGE_MAX = 5000

interface ListRow {
  guid: string
  seq: number
  createdAt: number
  updatedAt: number
}

export type Filter<T> = (row: T, values: string[]) => boolean
export type Included = Record<string, {guid: string}[]>

export interface ListSpec<T extends ListRow> {
  path: string
  /** Filter parameter → predicate (values are the decoded comma-separated list). */
  filters?: Record<string, Filter<T>>
  /** Extra accepted parameters handled by the caller (e.g. `embed`, `fields`). */
  extraParams?: string[]
  /** `order_by` values besides created_at/updated_at. */
  orderBy?: Record<string, (row: T) => string | number>
  /** Enables `label_selector`. */
  labels?: (row: T) => Labels
  /** `include` name → the related resources per plural key. */
  includes?: Record<string, (rows: T[]) => Included>
  /** `created_ats`/`updated_ats` (default true). */
  timestamps?: boolean
}

export interface PageResult<T> {
  rows: T[]
  pagination: Record<string, unknown>
  included: Included | null
}

/** Filters, orders and pages `candidates` (which must already be visibility-filtered). */
export function listRows<T extends ListRow>(
  ctx: CcCtx,
  candidates: Iterable<T>,
  spec: ListSpec<T>,
): PageResult<T> {
  const q = ctx.query
  const filters = spec.filters ?? {}
  const orderBy = {
    created_at: (r: T) => r.createdAt,
    updated_at: (r: T) => r.updatedAt,
    ...(spec.orderBy ?? {}),
  }
  const timestamps = spec.timestamps !== false
  const allowed = [
    'page',
    'per_page',
    'order_by',
    ...Object.keys(filters),
    ...(spec.labels ? ['label_selector'] : []),
    ...(timestamps ? ['created_ats', 'updated_ats'] : []),
    ...(spec.includes ? ['include'] : []),
    ...(spec.extraParams ?? []),
  ]
  q.validate(allowed)

  const perPage = intParam(q.single('per_page'), PER_PAGE_DEFAULT)
  if (perPage === null || perPage < 1 || perPage > PER_PAGE_MAX) {
    throw badQuery(`Per page must be between 1 and ${PER_PAGE_MAX}`)
  }
  const page = intParam(q.single('page'), 1)
  if (page === null || page < 1) throw badQuery('Page must be greater than 0')

  const order = q.single('order_by')
  let sorter: ((r: T) => string | number) | null = null
  let descending = false
  if (order !== null) {
    descending = order.startsWith('-')
    const field = order.replace(/^[-+]/, '')
    sorter = (orderBy as Record<string, (r: T) => string | number>)[field] ?? null
    if (!sorter) throw badQuery(`Order by can only be: '${Object.keys(orderBy).join("', '")}'`)
  }

  const includeNames = includeList(ctx, spec)
  const predicates: ((row: T) => boolean)[] = []
  for (const [name, fn] of Object.entries(filters)) {
    const values = q.list(name)
    if (values !== null) predicates.push((row) => fn(row, values))
  }
  if (spec.labels) {
    const selector = q.single('label_selector')
    if (selector !== null) {
      const reqs = parseLabelSelector(selector)
      const labels = spec.labels
      predicates.push((row) => matchesSelector(labels(row), reqs))
    }
  }
  if (timestamps) {
    predicates.push(...timestampPredicates<T>(ctx, 'created_ats', (r) => r.createdAt))
    predicates.push(...timestampPredicates<T>(ctx, 'updated_ats', (r) => r.updatedAt))
  }

  const matched: T[] = []
  for (const row of candidates) if (predicates.every((p) => p(row))) matched.push(row)
  if (sorter) {
    const key = sorter
    const dir = descending ? -1 : 1
    matched.sort((a, b) => {
      const ka = key(a)
      const kb = key(b)
      if (ka < kb) return -dir
      if (ka > kb) return dir
      return (a.seq - b.seq) * dir
    })
  }

  const total = matched.length
  const totalPages = Math.max(1, Math.ceil(total / perPage))
  const rows = matched.slice((page - 1) * perPage, page * perPage)
  const link = (p: number) => {
    const params = [...q.rawExcept(['page', 'per_page']), `page=${p}`, `per_page=${perPage}`]
    return {href: `${ctx.api}${spec.path}?${params.join('&')}`}
  }
  const pagination = {
    total_results: total,
    total_pages: totalPages,
    first: link(1),
    last: link(totalPages),
    next: page < totalPages ? link(page + 1) : null,
    previous: page > 1 ? link(Math.min(page - 1, totalPages)) : null,
  }
  return {
    rows,
    pagination,
    included: includeNames.length > 0 ? buildIncluded(spec, includeNames, rows) : null,
  }
}

export function listResponse<T extends ListRow>(
  ctx: CcCtx,
  candidates: Iterable<T>,
  spec: ListSpec<T>,
  present: (row: T) => unknown,
): Record<string, unknown> {
  const result = listRows(ctx, candidates, spec)
  const body: Record<string, unknown> = {pagination: result.pagination, resources: result.rows.map(present)}
  if (result.included) body.included = result.included
  return body
}

function intParam(text: string | null, fallback: number): number | null {
  if (text === null) return fallback
  if (!/^-?\d+$/.test(text)) return null
  return parseInt(text, 10)
}

export function includeList<T extends ListRow>(ctx: CcCtx, spec: ListSpec<T>): string[] {
  const names = ctx.query.list('include')
  if (names === null) return []
  const valid = Object.keys(spec.includes ?? {})
  const bad = names.filter((n) => !valid.includes(n))
  if (bad.length > 0) {
    throw badQuery(
      `Invalid included resource: '${bad.join("', '")}'. Valid included resources are: '${valid.join("', '")}'`,
    )
  }
  return names
}

export function buildIncluded<T extends ListRow>(spec: ListSpec<T>, names: string[], rows: T[]): Included {
  const out: Record<string, Map<string, {guid: string}>> = {}
  for (const name of names) {
    const produced = spec.includes![name]!(rows)
    for (const [plural, items] of Object.entries(produced)) {
      const map = (out[plural] ??= new Map())
      for (const item of items) if (!map.has(item.guid)) map.set(item.guid, item)
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, m]) => [k, [...m.values()]]))
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

function timestampPredicates<T>(ctx: CcCtx, name: string, field: (r: T) => number): ((r: T) => boolean)[] {
  const out: ((r: T) => boolean)[] = []
  const label = name === 'created_ats' ? 'Created ats' : 'Updated ats'
  const parse = (v: string) => {
    if (!TIMESTAMP.test(v) || Number.isNaN(Date.parse(v))) {
      throw badQuery(
        `${label} has an invalid timestamp format. Timestamps should be formatted as 'YYYY-MM-DDThh:mm:ssZ'`,
      )
    }
    return Date.parse(v)
  }
  const seconds = (r: T) => Math.floor(field(r) / 1000) * 1000
  const eq = ctx.query.list(name)
  if (eq !== null) {
    const set = new Set(eq.map(parse))
    out.push((r) => set.has(seconds(r)))
  }
  const ops: Record<string, (a: number, b: number) => boolean> = {
    lt: (a, b) => a < b,
    lte: (a, b) => a <= b,
    gt: (a, b) => a > b,
    gte: (a, b) => a >= b,
  }
  for (const key of ctx.query.keys()) {
    if (!key.startsWith(`${name}[`)) continue
    const op = key.slice(name.length + 1, -1)
    const cmp = ops[op]
    if (!cmp || !key.endsWith(']')) throw badQuery(`Invalid ${label.toLowerCase()} operator: '${op}'`)
    const values = ctx.query.list(key) ?? []
    if (values.length !== 1) throw badQuery(`${label} with an operator takes a single timestamp`)
    const bound = parse(values[0]!)
    out.push((r) => cmp(seconds(r), bound))
  }
  return out
}

/** Common filter helpers. */
export const inList =
  <T>(get: (row: T) => string | null | undefined): Filter<T> =>
  (row, values) => {
    const v = get(row)
    return v !== null && v !== undefined && values.includes(v)
  }

export const inListCaseInsensitive =
  <T>(get: (row: T) => string): Filter<T> =>
  (row, values) => {
    const v = get(row).toLowerCase()
    return values.some((x) => x.toLowerCase() === v)
  }

export function stamps(row: {guid: string; createdAt: number; updatedAt: number}) {
  return {guid: row.guid, created_at: iso(row.createdAt), updated_at: iso(row.updatedAt)}
}

/** `include` on a single-resource GET (validates the query too). */
export function withIncluded<T extends ListRow>(
  ctx: CcCtx,
  spec: ListSpec<T>,
  row: T,
  body: Record<string, unknown>,
  extraParams: string[] = [],
): Record<string, unknown> {
  ctx.query.validate([...(spec.includes ? ['include'] : []), ...extraParams])
  const names = includeList(ctx, spec)
  if (names.length > 0) body.included = buildIncluded(spec, names, [row])
  return body
}
