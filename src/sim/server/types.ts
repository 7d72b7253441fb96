import type {IncomingHttpHeaders} from 'node:http'

import type {Origin} from '../types.js'

export interface SimRequest {
  origin: Origin
  method: string
  /** Path without the query string. */
  path: string
  /** The raw query string without `?`. */
  rawQuery: string
  headers: IncomingHttpHeaders
  params: Record<string, string>
  body: Buffer
  remoteAddress: string
}

export interface SimResponse {
  status: number
  headers?: Record<string, string | string[]>
  body?: string | Buffer
}

export interface OriginApp {
  handle(req: SimRequest): Promise<SimResponse>
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): SimResponse {
  return {
    status,
    headers: {'Content-Type': 'application/json; charset=utf-8', ...headers},
    body: JSON.stringify(body),
  }
}

export function empty(status: number, headers: Record<string, string | string[]> = {}): SimResponse {
  return {status, headers}
}

/** Splits a raw query string into decoded keys and raw (still percent-encoded) values. */
export function rawQueryPairs(rawQuery: string): [string, string][] {
  if (rawQuery === '') return []
  return rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((pair) => {
      const eq = pair.indexOf('=')
      const key = eq < 0 ? pair : pair.slice(0, eq)
      const value = eq < 0 ? '' : pair.slice(eq + 1)
      return [formDecode(key), value]
    })
}

/** application/x-www-form-urlencoded decoding (`+` is a space). */
export function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}
