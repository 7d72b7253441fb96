/**
 * Headers for the adapter (adapter.ts), as plain objects: what axios's AxiosHeaders would hold,
 * without its per-header search and sanitising when Node already did that work.
 */
import type {AxiosStatic} from 'axios'

/**
 * The response headers as the `AxiosHeaders` axios would make of them (`AxiosHeaders.from`, which
 * axios applies to every response and returns as is when given one), without its per-header
 * case-insensitive search and value sanitising: Node's parser already gives lower-case names, one
 * value per name, trimmed and free of control characters. Anything else (an array value, a
 * `__proto__` name, a value the sanitiser would change) goes through `AxiosHeaders.from`.
 */
const UNSANITARY = /[\u0000-\u0008\u000a-\u001f\u007f]|^[\t ]|[\t ]$/
export function responseHeaders(
  AxiosHeaders: AxiosStatic['AxiosHeaders'],
  raw: Record<string, string | string[] | undefined>,
): InstanceType<AxiosStatic['AxiosHeaders']> {
  const out = new AxiosHeaders()
  const slots = out as unknown as Record<string, string>
  for (const name in raw) {
    const value = raw[name]
    if (typeof value !== 'string' || name === '__proto__' || UNSANITARY.test(value))
      return AxiosHeaders.from(raw as Record<string, string>)
    slots[name] = value
  }
  return out
}

/** The request headers as Node takes them: one plain object, no AxiosHeaders round trip. */
export function plainRequestHeaders(source: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (source === null || typeof source !== 'object') return out
  const entries =
    typeof (source as {toJSON?: unknown}).toJSON === 'function'
      ? ((source as {toJSON(): Record<string, unknown>}).toJSON() as Record<string, unknown>)
      : (source as Record<string, unknown>)
  for (const key in entries) {
    const value = entries[key]
    if (value === undefined || value === null || value === false) continue
    out[key] = Array.isArray(value) ? value.join(', ') : String(value)
  }
  return out
}

/** `first`'s headers, then those of `then` whose name (any case) `first` does not have. */
export function withHeaders(
  first: Record<string, string>,
  then: Record<string, string>,
): Record<string, string> {
  const out = {...first}
  for (const key in then) if (!hasHeader(out, key.toLowerCase())) out[key] = then[key] as string
  return out
}

export function hasHeader(headers: Record<string, string>, lowerName: string): boolean {
  for (const key in headers) if (key.toLowerCase() === lowerName) return true
  return false
}
