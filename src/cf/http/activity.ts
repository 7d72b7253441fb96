/**
 * What the transport is doing, for a progress display: a request went out (and what it reads), it
 * finished, a list page arrived (and how many pages the list has), or the transport waits (a 429's
 * Retry-After, a retry's back-off). Labels name resources, never a query, a guid or a token.
 */

import type {ActivityEvent, ActivityListener} from '../../context.js'

export type {ActivityEvent, ActivityListener}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Path segments that are not resources (versions, API prefixes). */
const NOISE = new Set(['v2', 'v3', 'v1', 'api', 'networking', 'external', 'policy_server'])

/**
 * `GET https://api…/v3/apps?page=2` → `apps`; `/v3/service_credential_bindings/:guid/details` →
 * `service credential binding details`; `/oauth/token` → `token`; `/` → `API root`.
 */
export function describeRequest(url: string): string {
  let path: string
  try {
    path = new URL(url).pathname
  } catch {
    return 'request'
  }
  const parts = path
    .split('/')
    .filter((p) => p !== '' && !NOISE.has(p.toLowerCase()))
    .map((p) => (GUID.test(p) || /^\d+$/.test(p) ? ':id' : p))
  if (parts.length === 0) return 'API root'
  const last = parts[parts.length - 1] as string
  if (last === ':id') {
    // `/v3/apps/:guid` → `app`
    const owner = parts[parts.length - 2]
    return owner ? singular(words(owner)) : 'resource'
  }
  const before = parts[parts.length - 2]
  if (before === ':id' && parts.length >= 3) {
    // `/v3/apps/:guid/env` → `app env`
    return `${singular(words(parts[parts.length - 3] as string))} ${words(last)}`
  }
  return words(last)
}

function words(segment: string): string {
  return segment.replace(/[_-]+/g, ' ').slice(0, 40)
}

function singular(plural: string): string {
  if (plural.endsWith('ies')) return `${plural.slice(0, -3)}y`
  if (plural.endsWith('sses')) return plural.slice(0, -2)
  if (plural.endsWith('s') && !plural.endsWith('ss')) return plural.slice(0, -1)
  return plural
}

/**
 * The page number and page count of a CC list answer (`pagination.total_pages`), when it is one;
 * the list is named by its URL without the `page` parameter.
 */
export function pageOf(url: string, data: unknown): {list: string; page: number; totalPages: number} | null {
  const pagination = (data as {pagination?: {total_pages?: unknown}} | null)?.pagination
  const total = pagination?.total_pages
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 1) return null
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  const page = Number(u.searchParams.get('page') ?? '1')
  u.searchParams.delete('page')
  return {list: u.toString(), page: Number.isInteger(page) && page > 0 ? page : 1, totalPages: total}
}
