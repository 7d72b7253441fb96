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

const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g
const PEM = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g
const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+):([^/\s@]+)@/gi
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

/** Remember a secret value handled in this process so it is masked wherever it would appear. */
export function registerSecret(value: string | null | undefined): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET || knownSecrets.has(value)) return
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

export function redactText(text: string): string {
  return maskKnownSecrets(text)
    .replace(PEM, REDACTED)
    .replace(JWT, REDACTED)
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(URL_USERINFO, (_m, scheme: string) => `${scheme}${REDACTED}@`)
    .replace(SECRET_PARAM, (_m, lead: string, key: string) => `${lead}${key}=${REDACTED}`)
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
