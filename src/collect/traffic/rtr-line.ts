/**
 * Gorouter access-log lines (docs/platform-facts.md §12.1), parsed tolerantly. Pure; never throws.
 *
 *   <Host> - [<time>] "<METHOD> <URI> <PROTO>" <status> <bytes_received> <bytes_sent>
 *   "<Referer>" "<User-Agent>" "<remote>" "<backend>" key:value key:"value" …
 *
 * Current Gorouters quote values the Go way (strconv.Quote: `\"`, `\\`, `\xNN`, `\uNNNN`); old
 * ones printed some values bare (`10.0.0.1:5000`, `app_index:0`) and left quotes inside a value
 * unescaped, so a closing quote is the one followed by what must come next.
 */

export interface RtrRecord {
  host: string
  /** As printed between the brackets. */
  time: string
  method: string | null
  uri: string | null
  protocol: string | null
  status: number | null
  bytesReceived: number | null
  bytesSent: number | null
  referer: string | null
  userAgent: string | null
  remoteAddr: string | null
  backendAddr: string | null
  xForwardedFor: string | null
  xForwardedProto: string | null
  vcapRequestId: string | null
  /** Seconds, full round trip through Gorouter. */
  responseTime: number | null
  /** Seconds spent in Gorouter itself (newer Gorouters). */
  gorouterTime: number | null
  appId: string | null
  /** Serving app instance index (`app_index`). */
  appIndex: number | null
  /** Diego instance guid (`instance_id`, newer Gorouters). */
  instanceId: string | null
  routerError: string | null
  routeServiceUrl: string | null
  /** Every other key:value pair (attempt details, extra headers), `"-"` as null. */
  extra: Record<string, string | null>
}

/** A `cf logs` prefix: `2026-11-28T12:00:00.00+0000 [RTR/0] OUT `. */
const CF_LOGS_PREFIX = /^\S+\s+\[([A-Za-z]+)(?:\/[^\]]*)?\]\s+(?:OUT|ERR)\s+/

const HEAD = /^(\S+) - \[([^\]]*)\] /
const STATUS_AND_BYTES = /^ ("-"|-|\d{3}) ("-"|-|\d+) ("-"|-|\d+) /
/** A remote or backend address as printed: quoted, or bare `ip:port`/`[v6]:port`, or `-`. */
const ADDRESS = /^(?:"(?:[^"\\\s]|\\.)*"|-|[\w.-]+:\d+|\[[0-9A-Fa-f:.]+\]:\d+)(?=\s|$)/
const KEY = /^([A-Za-z_][\w.-]*):/

/**
 * Parses one access-log line (a `cf logs` `[RTR/n] OUT` prefix is accepted). Returns null for
 * anything that is not a complete RTR line: garbage, a truncated head, an unterminated quote.
 */
export function parseRtrLine(line: string): RtrRecord | null {
  try {
    return parse(line)
  } catch {
    return null
  }
}

function parse(input: string): RtrRecord | null {
  let text = input.replace(/\r?\n$/, '')
  const prefix = CF_LOGS_PREFIX.exec(text)
  if (prefix) {
    if (prefix[1]?.toUpperCase() !== 'RTR') return null
    text = text.slice(prefix[0].length)
  }
  const head = HEAD.exec(text)
  if (!head || !head[2]) return null
  let pos = head[0].length

  const request = readQuoted(text, pos, (rest) => STATUS_AND_BYTES.test(rest))
  if (!request) return null
  pos = request.end
  const numbers = STATUS_AND_BYTES.exec(text.slice(pos))
  if (!numbers) return null
  pos += numbers[0].length

  const referer = readQuoted(text, pos, (rest) => rest.startsWith(' "'))
  if (!referer) return null
  pos = referer.end + 1
  // The user agent ends at the quote followed by an address (remote).
  const userAgent = readQuoted(text, pos, (rest) => rest.startsWith(' ') && ADDRESS.test(rest.slice(1)))
  if (!userAgent) return null
  pos = userAgent.end

  const addresses: (string | null)[] = []
  while (addresses.length < 2 && text[pos] === ' ') {
    const m = ADDRESS.exec(text.slice(pos + 1))
    if (!m || KEY.test(m[0])) break
    addresses.push(dash(m[0].startsWith('"') ? unquoteGo(m[0].slice(1, -1)) : m[0]))
    pos += 1 + m[0].length
  }
  if (addresses.length === 0) return null

  const pairs = readPairs(text.slice(pos))
  if (!pairs) return null

  const {method, uri, protocol} = splitRequest(request.value)
  const take = (key: string): string | null => {
    if (!Object.hasOwn(pairs, key)) return null
    const value = pairs[key] ?? null
    delete pairs[key]
    return value
  }
  return {
    host: head[1] as string,
    time: head[2],
    method,
    uri,
    protocol,
    status: int(numbers[1]),
    bytesReceived: int(numbers[2]),
    bytesSent: int(numbers[3]),
    referer: dash(referer.value),
    userAgent: dash(userAgent.value),
    remoteAddr: addresses[0] ?? null,
    backendAddr: addresses[1] ?? null,
    xForwardedFor: take('x_forwarded_for'),
    xForwardedProto: take('x_forwarded_proto'),
    vcapRequestId: take('vcap_request_id'),
    responseTime: seconds(take('response_time')),
    gorouterTime: seconds(take('gorouter_time')),
    appId: take('app_id'),
    appIndex: int(take('app_index') ?? undefined),
    instanceId: take('instance_id'),
    routerError: take('x_cf_routererror'),
    routeServiceUrl: take('route_service_url'),
    extra: pairs,
  }
}

/**
 * Reads a quoted value starting at `text[start] === '"'`. Its closing quote is the first
 * unescaped `"` after which `accept(rest)` holds. Null when there is none (truncated line).
 */
function readQuoted(
  text: string,
  start: number,
  accept: (rest: string) => boolean,
): {value: string; end: number} | null {
  if (text[start] !== '"') return null
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]
    if (ch === '\\') {
      i++
      continue
    }
    if (ch === '"' && accept(text.slice(i + 1))) {
      return {value: unquoteGo(text.slice(start + 1, i)), end: i + 1}
    }
  }
  return null
}

/** `key:value` pairs in any order; a quoted value ends before the next key or the end of line. */
function readPairs(text: string): Record<string, string | null> | null {
  const pairs: Record<string, string | null> = {}
  let pos = 0
  const quotedEnd = (rest: string) => /^(?:\s+[A-Za-z_][\w.-]*:|\s+\.\.\.|\s*$)/.test(rest)
  while (pos < text.length) {
    while (text[pos] === ' ' || text[pos] === '\t') pos++
    if (pos >= text.length) break
    const key = KEY.exec(text.slice(pos))
    if (!key) {
      // Not a pair (a truncation marker, stray text): skip the token.
      while (pos < text.length && text[pos] !== ' ') pos++
      continue
    }
    pos += key[0].length
    let value: string | null
    if (text[pos] === '"') {
      const quoted = readQuoted(text, pos, quotedEnd)
      if (!quoted) return null // unterminated: the line was cut
      value = quoted.value
      pos = quoted.end
    } else {
      const start = pos
      while (pos < text.length && text[pos] !== ' ') pos++
      value = text.slice(start, pos)
      if (value === '' && pos >= text.length) return null // `key:` at the very end: cut
    }
    pairs[key[1] as string] = dash(value)
  }
  return pairs
}

function splitRequest(request: string): {method: string | null; uri: string | null; protocol: string | null} {
  const parts = request.split(' ').filter(Boolean)
  if (parts.length === 0 || (parts.length === 1 && parts[0] === '-')) {
    return {method: null, uri: null, protocol: null}
  }
  if (parts.length === 1) return {method: parts[0] ?? null, uri: null, protocol: null}
  const last = parts[parts.length - 1] as string
  const hasProto = parts.length >= 3 && /^HTTP\//i.test(last)
  return {
    method: parts[0] ?? null,
    uri: (hasProto ? parts.slice(1, -1) : parts.slice(1)).join(' ') || null,
    protocol: hasProto ? last : null,
  }
}

function dash(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null
  return value === '-' || value === '' ? null : value
}

function int(value: string | undefined): number | null {
  if (value === undefined) return null
  const text = value.replace(/^"|"$/g, '')
  return /^\d+$/.test(text) ? Number(text) : null
}

function seconds(value: string | null): number | null {
  if (value === null) return null
  const n = Number(value)
  return Number.isFinite(n) && n >= 0 ? n : null
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
}

/** Undoes Go's strconv.Quote escapes; leaves anything it does not know as written. */
export function unquoteGo(text: string): string {
  if (!text.includes('\\')) return text
  return text.replace(
    /\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0-7]{3}|.)/g,
    (whole, esc: string) => {
      const head = esc[0] as string
      if (head === 'x' || head === 'u' || head === 'U')
        return String.fromCodePoint(parseInt(esc.slice(1), 16))
      if (/^[0-7]{3}$/.test(esc)) return String.fromCharCode(parseInt(esc, 8))
      return SIMPLE_ESCAPES[esc] ?? whole
    },
  )
}
