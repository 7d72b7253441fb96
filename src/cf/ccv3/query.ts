/**
 * List options → CC query strings. Option keys are CC's filter names in camelCase
 * (`appGuids` → `app_guids`, `labelSelector` → `label_selector`), so the docs' names work as-is.
 *
 * Lists are comma-separated; a comma or `%` inside one value is escaped first (CC splits the
 * decoded value on commas, then unescapes each item), then the whole value is URL-encoded with the
 * separating commas left literal — 200 GUIDs stay under nginx's 8 KB URI limit.
 */

/** `created_ats[gt]=…` and friends. */
export interface Relational {
  lt?: string | Date
  lte?: string | Date
  gt?: string | Date
  gte?: string | Date
}

/** `target_guids[not]=…` */
export interface Not {
  not: readonly string[]
}

export type FilterValue = string | number | boolean | readonly string[] | Relational | Not | undefined

export interface PagingOptions {
  /** 1–5000; the client asks for 5000 unless told otherwise. */
  perPage?: number
  /** One page only (no following of `next`). */
  page?: number
  orderBy?: string
}

export interface CommonListOptions extends PagingOptions {
  guids?: readonly string[]
  /** Requirements ANDed (an array is joined with commas). */
  labelSelector?: string | readonly string[]
  createdAts?: readonly string[] | Relational
  updatedAts?: readonly string[] | Relational
}

/** GUID filters longer than this are sent in batches (cf CLI util/batcher). */
export const GUID_BATCH_SIZE = 200

export const MAX_PER_PAGE = 5000

export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}

function escapeItem(item: string): string {
  return encodeURIComponent(item.replace(/%/g, '%25').replace(/,/g, '%2C'))
}

function stamp(v: string | Date): string {
  return v instanceof Date ? v.toISOString().replace(/\.\d{3}Z$/, 'Z') : v
}

function isRelational(v: unknown): v is Relational {
  return (
    v !== null && typeof v === 'object' && !Array.isArray(v) && ['lt', 'lte', 'gt', 'gte'].some((k) => k in v)
  )
}

function isNot(v: unknown): v is Not {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'not' in v
}

/**
 * Builds the query string (without `?`). `fields` is `{space: ['guid', 'name']}` →
 * `fields[space]=guid,name`; `include` and `embed` take a value or a list.
 */
export function buildQuery(options: object): string {
  const parts: string[] = []
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || value === null) continue
    if (key === 'fields') {
      for (const [path, keys] of Object.entries(value as Record<string, readonly string[]>)) {
        parts.push(`fields[${encodeURIComponent(path)}]=${keys.map(escapeItem).join(',')}`)
      }
      continue
    }
    const name = snakeCase(key)
    if (key === 'labelSelector') {
      const selector = Array.isArray(value) ? value.join(',') : String(value)
      parts.push(`${name}=${encodeURIComponent(selector)}`)
    } else if (Array.isArray(value)) {
      parts.push(`${name}=${(value as string[]).map(escapeItem).join(',')}`)
    } else if (isNot(value)) {
      parts.push(`${name}[not]=${value.not.map(escapeItem).join(',')}`)
    } else if (isRelational(value)) {
      for (const op of ['lt', 'lte', 'gt', 'gte'] as const) {
        const v = value[op]
        if (v !== undefined) parts.push(`${name}[${op}]=${encodeURIComponent(stamp(v))}`)
      }
    } else {
      parts.push(`${name}=${encodeURIComponent(String(value))}`)
    }
  }
  return parts.join('&')
}

/**
 * Splits options whose `*Guids` filters exceed the batch size into several option sets that
 * together cover the same resources (cartesian over every oversized filter).
 */
export function batchGuidFilters<O extends object>(options: O, size = GUID_BATCH_SIZE): O[] {
  const entry = Object.entries(options).find(
    ([k, v]) => /Guids$/.test(k) && Array.isArray(v) && v.length > size,
  )
  if (!entry) return [options]
  const [key, values] = entry as [string, string[]]
  const unique = [...new Set(values)]
  const out: O[] = []
  for (let i = 0; i < unique.length; i += size) {
    out.push(...batchGuidFilters({...options, [key]: unique.slice(i, i + size)} as O, size))
  }
  return out
}

/** True when a GUID filter is present but empty: CC would ignore it and list everything. */
export function hasEmptyGuidFilter(options: object): boolean {
  return Object.entries(options).some(([k, v]) => /Guids$/.test(k) && Array.isArray(v) && v.length === 0)
}

/** `names=a, spaceGuids=(3)` for messages. */
export function describeFilters(options: object): string {
  const parts: string[] = []
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined || ['perPage', 'page', 'orderBy', 'include', 'fields', 'embed'].includes(k)) continue
    if (Array.isArray(v))
      parts.push(v.length <= 3 ? `${snakeCase(k)}=${v.join(',')}` : `${snakeCase(k)}=(${v.length})`)
    else if (typeof v !== 'object') parts.push(`${snakeCase(k)}=${String(v)}`)
  }
  return parts.join(' ') || 'no filter'
}
