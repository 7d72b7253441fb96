/**
 * Redaction primitives shared by the transport's trace, error messages and every output path.
 * Redaction is by key name (allowlist thinking: anything secret-sounding is hidden), by value
 * shape (JWT, PEM, bearer token, URL userinfo, secret query params) anywhere in a string, and by
 * exact value for secrets cfguard itself handled in this process (registerSecret).
 */

export const REDACTED = '[REDACTED]'

/** Keys whose values are always hidden, at any depth. Compared on ASCII lower case. */
const SECRET_KEY =
  /(secret|passw(or)?d|pwd|passcode|token|credential|private|api[_-]?key|apikey|access[_-]?key|signing[_-]?key|(^|[_-])key$|^key$|cert(ificate)?$|authorization|assertion|cookie|session|salt|otp|pin$)/

const PEM = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g
const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi
const SECRET_PARAM =
  /([?&;\s"]|^)((?:client_)?secret|password|passcode|(?:access_|refresh_|id_)?token|code|assertion|client_assertion|api_key|apikey)=([^&\s"#]+)/gi

const MIN_SECRET = 6
const knownSecrets = new Set<string>()
/**
 * Known secrets by their first MIN_SECRET characters, longest first: an audit of a large
 * foundation registers thousands, and testing each one against every output string was
 * quadratic (seconds for one report).
 */
const byPrefix = new Map<string, string[]>()
/** Up to this many known secrets a plain search per secret is cheaper than a scan of the text. */
const SCAN_ABOVE = 16

/**
 * Remember a secret value handled in this process so it is masked wherever it would appear,
 * also in the forms an API echoing it back would use: JSON-escaped (`a"b\c` → `a\"b\\c`),
 * URL- and form-encoded, and base64 of it alone.
 */
export function registerSecret(value: string | null | undefined): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET || knownSecrets.has(value)) return
  for (const form of encodedForms(value)) addKnown(form)
}

function encodedForms(value: string): Set<string> {
  const json = JSON.stringify(value).slice(1, -1)
  const forms = new Set([
    value,
    json,
    // An error body quoting a JSON request inside a JSON string escapes it twice.
    JSON.stringify(json).slice(1, -1),
    encodeURIComponent(value),
    new URLSearchParams({v: value}).toString().slice(2),
    Buffer.from(value, 'utf8').toString('base64'),
    Buffer.from(value, 'utf8').toString('base64url'),
  ])
  return forms
}

function addKnown(value: string): void {
  if (value.length < MIN_SECRET || knownSecrets.has(value)) return
  knownSecrets.add(value)
  const prefix = value.slice(0, MIN_SECRET)
  const list = byPrefix.get(prefix)
  if (!list) byPrefix.set(prefix, [value])
  else {
    list.push(value)
    list.sort((a, b) => b.length - a.length)
  }
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(asciiLower(key))
}

/** Not locale-aware on purpose: `AUTHORIZATION` in a Turkish locale must still match. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32))
}

/**
 * Linear in the text's length: server strings can be huge and hostile, so the JWT and URL
 * userinfo shapes are found by scanning (as regexes they backtracked: 50K characters took 18 s).
 */
export function redactText(text: string): string {
  return redactUrlUserinfo(redactJwts(maskKnownSecrets(text).replace(PEM, REDACTED)))
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(SECRET_PARAM, (_m, lead: string, key: string) => `${lead}${key}=${REDACTED}`)
}

const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c)
const isSegmentChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_-]/.test(c)

/** End of the run of base64url characters starting at `from`. */
function segmentEnd(text: string, from: number): number {
  let i = from
  while (i < text.length && isSegmentChar(text[i])) i++
  return i
}

/**
 * `eyJ…` header `.` payload `.` signature (segments of ≥ 7, ≥ 4, ≥ 0 base64url characters),
 * starting at a word boundary. A failed candidate is skipped past its first segment, so no
 * character is scanned more than a few times.
 */
function redactJwts(text: string): string {
  let out = ''
  let copied = 0
  let from = 0
  for (;;) {
    const i = text.indexOf('eyJ', from)
    if (i < 0) break
    if (isWordChar(text[i - 1])) {
      from = i + 1
      continue
    }
    const end1 = segmentEnd(text, i)
    if (end1 - i < 7 || text[end1] !== '.') {
      from = Math.max(end1, i + 1)
      continue
    }
    const end2 = segmentEnd(text, end1 + 1)
    if (end2 - end1 - 1 < 4 || text[end2] !== '.') {
      from = end1 + 1
      continue
    }
    const end3 = segmentEnd(text, end2 + 1)
    out += text.slice(copied, i) + REDACTED
    copied = from = end3
  }
  return copied === 0 ? text : out + text.slice(copied)
}

const isSchemeChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9+.-]/.test(c)
const endsAuthority = (c: string) => c === '/' || c === '@' || /\s/.test(c)

/** `scheme://user:password@` → `scheme://[REDACTED]@`, one pass over the text. */
function redactUrlUserinfo(text: string): string {
  let out = ''
  let copied = 0
  let from = 0
  for (;;) {
    const sep = text.indexOf('://', from)
    if (sep < 0) break
    from = sep + 3
    if (!isSchemeChar(text[sep - 1])) continue
    // The authority runs to the first `/`, `@` or space; userinfo is there when `@` ends it.
    let end = from
    while (end < text.length && !endsAuthority(text[end] as string)) end++
    if (text[end] !== '@') continue
    const colon = text.indexOf(':', from)
    if (colon <= from || colon >= end - 1) continue
    out += text.slice(copied, from) + REDACTED
    copied = end
    from = end + 1
  }
  return copied === 0 ? text : out + text.slice(copied)
}

/**
 * Replaces every occurrence of a registered secret, the longest one where several start at the
 * same place (so no tail of a longer secret survives a shorter one's replacement).
 */
function maskKnownSecrets(text: string): string {
  if (knownSecrets.size === 0 || text.length < MIN_SECRET) return text
  if (knownSecrets.size <= SCAN_ABOVE) {
    let out = text
    for (const secret of [...knownSecrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED)
    }
    return out
  }
  let out = ''
  let copied = 0
  let i = 0
  while (i <= text.length - MIN_SECRET) {
    const candidates = byPrefix.get(text.slice(i, i + MIN_SECRET))
    const match = candidates?.find((secret) => text.startsWith(secret, i))
    if (match) {
      out += text.slice(copied, i) + REDACTED
      i += match.length
      copied = i
    } else i++
  }
  return copied === 0 ? text : out + text.slice(copied)
}

/** Deep copy with secret-keyed values replaced and every string scrubbed by shape. */
export function redactJson(value: unknown, depth = 0): unknown {
  if (depth > 64) return REDACTED
  if (typeof value === 'string') return redactText(value)
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) && v !== null && v !== '' ? REDACTED : redactJson(v, depth + 1)
    }
    return out
  }
  return value
}

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-vault-token',
  'x-auth-token',
  'x-api-key',
])

export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(headers)) {
    const lower = asciiLower(name)
    if (SECRET_HEADERS.has(lower) || /token|secret|signature|session/.test(lower)) out[name] = REDACTED
    else out[name] = typeof value === 'string' ? redactText(value) : value
  }
  return out
}

/** What a trace shows instead of a form-encoded body (UAA grants carry passwords and secrets). */
export const REDACTED_FORM_BODY = '[REDACTED form body]'

/**
 * Deep copy keeping only the shape: every leaf value is hidden, keys stay. For bodies that are
 * secret as a whole (UPS credentials, binding details, app env), where a key name says nothing.
 */
export function redactValues(value: unknown, depth = 0): unknown {
  if (depth > 64) return REDACTED
  if (Array.isArray(value)) return value.map((v) => redactValues(v, depth + 1))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = redactValues(v, depth + 1)
    return out
  }
  return value === null || value === undefined ? value : REDACTED
}

/** How much of one server-supplied string (error detail, warning, description) is kept. */
export const MAX_SERVER_TEXT = 2000

/** A bounded prefix of a server string, with an elision marker saying how much was dropped. */
export function boundText(text: string, max = MAX_SERVER_TEXT): string {
  return text.length > max ? `${text.slice(0, max)}… [${text.length - max} more characters]` : text
}

// Linear patterns (no nested quantifiers): OSC … BEL/ST (clipboard writes, titles), CSI … final
// (cursor moves, clear-screen), any other ESC sequence, C0/C1 controls, bidi overrides.
const OSC = /(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?/g
const CSI = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?/g
const ESC = /\x1b[^[\]]?/g
const LINE_BREAKS = /[\r\n\t\v\f]+/g
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g

/**
 * What may reach a terminal from a server: escape sequences and control characters removed
 * (OSC 52 writes the clipboard, a bare CR or cursor move fakes a line), line breaks as spaces.
 */
export function terminalSafe(text: string): string {
  return text
    .replace(OSC, '')
    .replace(CSI, '')
    .replace(ESC, '')
    .replace(LINE_BREAKS, ' ')
    .replace(CONTROLS, '')
}

/** Credential keys whose values cfguard shows on purpose (who the client is, where it logs in). */
const PUBLIC_CREDENTIAL_KEY =
  /^(client_?id|for_client|kind|cfguard_rotation_state|issuer|auth_?domain|realm|audience|ur[il]|.*_ur[il]s?|(.*_)?endpoint|tags?|scopes?|grant_?types?|authorities|name|type|label)$/i
/** Ids and timestamps are public unless the key also sounds secret (`access_key_id`). */
const PUBLIC_UNLESS_SECRET_KEY = /^((.*_)?id|(.*_)?guid|.*_at)$/i

/**
 * Registers every string value of a credentials object cfguard sends (a UPS's whole object:
 * `pass`, `hmac` or `passphrase` are secrets too, whatever the key says), except the public
 * identifiers above; URLs among them are still masked by shape where they carry userinfo.
 */
export function registerCredentialValues(value: unknown, key = '', depth = 0): void {
  if (depth > 32) return
  if (typeof value === 'string') {
    const isPublic =
      PUBLIC_CREDENTIAL_KEY.test(key) || (PUBLIC_UNLESS_SECRET_KEY.test(key) && !isSecretKey(key))
    if (!isPublic) registerSecret(value)
  } else if (Array.isArray(value)) {
    for (const v of value) registerCredentialValues(v, key, depth + 1)
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) registerCredentialValues(v, k, depth + 1)
  }
}
