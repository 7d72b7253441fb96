import type {EnvValueClass} from '../../model/snapshot.js'
import {looksRandom} from './entropy.js'
import {secretKeyTier} from './key-names.js'

/** Classes that mean "this value is a secret": they are fingerprinted and reported. */
export const SECRET_VALUE_CLASSES: ReadonlySet<EnvValueClass> = new Set([
  'secret-literal',
  'jwt',
  'pem-private-key',
  'bearer-token',
  'high-entropy',
])

export function isSecretClass(cls: EnvValueClass): boolean {
  return SECRET_VALUE_CLASSES.has(cls)
}

const PEM_PRIVATE = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/
/** Certificates and public keys: not secrets. */
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----/
const JWT_CANDIDATE = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g
const BEARER = /\bbearer\s+([A-Za-z0-9._~+/-]{16,}=*)/i
const BASIC = /\bbasic\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/i
/** Well-known token formats, recognisable without a key name (GitHub, GitLab, Slack, Stripe, npm, Google). */
const KNOWN_TOKEN =
  /(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|[sr]k_live_[A-Za-z0-9]{16,}|npm_[A-Za-z0-9]{30,}|AIza[0-9A-Za-z_-]{35})/
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi
/** Query parameters that carry a secret even though their names are short (signed URLs). */
const SECRET_QUERY_PARAMS = new Set(['sig', 'signature', 'x-amz-signature', 'x-goog-signature', 'code'])

/** A value that stands for a secret kept elsewhere: `${VAR}`, `((cred))`, `<secret>`, `$VAR`, `%VAR%`. */
const PLACEHOLDER = /^(\$\{[^}]*\}|\(\([^)]*\)\)|<[^<>]+>|%[A-Za-z_][A-Za-z0-9_]*%|\$[A-Za-z_][A-Za-z0-9_]*)$/
/** Encrypted at rest by the app's config tooling: Spring Cloud Config, Vault transit, Jasypt. */
const ENCRYPTED = /^(\{cipher\}|vault:v\d+:|ENC\()/
const CREDHUB_REF = /^(credhub-ref\b|\(\(\/)/
const URL_VALUE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i
const PATH_VALUE = /^((~|\.{1,2})?\/[\w.@+-]+(\/[\w.@+-]*)*|[A-Za-z]:\\\S*)$/
/** Not a secret even under a secret-sounding name: switches, nulls and masks (`********`). */
const INERT =
  /^(true|false|yes|no|on|off|null|nil|none|undefined|redacted|\[redacted\]|\[private data hidden\])$/i

/**
 * A value whose shape alone makes it a secret, whatever its key: a PEM private key, an
 * `Authorization` header value, a JWT, HTTP Basic credentials, a well-known token format, or a URL
 * carrying a password or a secret query parameter.
 */
export function secretShape(value: string): EnvValueClass | null {
  if (PEM_PRIVATE.test(value)) return 'pem-private-key'
  const bearer = BEARER.exec(value)
  if (bearer && isMixed(bearer[1] as string)) return 'bearer-token'
  if (containsJwt(value)) return 'jwt'
  if (containsBasicCredentials(value) || KNOWN_TOKEN.test(value) || urlCarriesSecret(value)) {
    return 'secret-literal'
  }
  return null
}

/**
 * Classifies one value by its shape and its key name. Order: empty → secret shapes (any key) →
 * certificates/public keys (plain) → secrets inside option strings (`-Dx.password=…`,
 * `Password=…;` connection strings) → references (URL without userinfo, file path, CredHub,
 * placeholder, encrypted) → the key name: a strong secret name makes any other value a
 * `secret-literal`, a weak one (`*_KEY`, `SALT`, `AUTH`…) only a random-looking value (`high-entropy`).
 */
export function classifyValue(key: string, raw: string): EnvValueClass {
  const value = raw.trim()
  if (value === '') return 'empty'
  const shape = secretShape(value)
  if (shape) return shape
  if (PEM_BLOCK.test(value)) return 'plain'
  const embedded = embeddedSecret(value)
  if (embedded) return embedded
  if (isReference(value)) return 'reference'
  return byKeyName(key, value)
}

function byKeyName(key: string, value: string): EnvValueClass {
  const tier = secretKeyTier(key)
  if (tier === 'strong') return INERT.test(value) || /^(.)\1{2,}$/.test(value) ? 'plain' : 'secret-literal'
  if (tier === 'weak' && looksRandom(value)) return 'high-entropy'
  return 'plain'
}

export function isReference(value: string): boolean {
  return (
    PLACEHOLDER.test(value) ||
    ENCRYPTED.test(value) ||
    CREDHUB_REF.test(value) ||
    URL_VALUE.test(value) ||
    // A base64 secret may start with `/`: a path's segments read as names, not as generated text.
    (PATH_VALUE.test(value) && !looksRandom(value.replace(/[/\\.~]/g, '')))
  )
}

function isMixed(token: string): boolean {
  return /[0-9]/.test(token) || (/[a-z]/.test(token) && /[A-Z]/.test(token))
}

function containsJwt(value: string): boolean {
  for (const m of value.matchAll(JWT_CANDIDATE)) {
    const header = m[0].split('.')[0] as string
    try {
      const parsed: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))
      if (parsed !== null && typeof parsed === 'object' && 'alg' in parsed) return true
    } catch {
      // not a JWT header
    }
  }
  return false
}

function containsBasicCredentials(value: string): boolean {
  const m = BASIC.exec(value)
  if (!m) return false
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8')
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded)
}

function urlCarriesSecret(value: string): boolean {
  for (const m of value.matchAll(URL_IN_TEXT)) {
    let url: URL
    try {
      url = new URL(m[0])
    } catch {
      continue
    }
    const password = safeDecode(url.password)
    if (password !== '' && !PLACEHOLDER.test(password)) return true
    for (const [name, v] of url.searchParams) {
      if (v === '' || PLACEHOLDER.test(v)) continue
      if (SECRET_QUERY_PARAMS.has(name.toLowerCase()) || secretKeyTier(name) === 'strong') return true
    }
  }
  return false
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** `name=value` pairs inside option strings (`-Dk=v`, `--k=v`) and connection strings (`k=v;k=v`). */
function embeddedPairs(value: string): [string, string][] {
  const pairs: [string, string][] = []
  if (value.startsWith('-') || value.includes(' -')) {
    for (const m of value.matchAll(/(?:^|\s)(?:-D|--?)([A-Za-z][\w.-]*)=("[^"]*"|'[^']*'|\S*)/g)) {
      pairs.push([m[1] as string, (m[2] as string).replace(/^(["'])(.*)\1$/, '$2')])
    }
  }
  if (value.includes(';') && /^([^=;]+=[^;]*;?)+$/.test(value)) {
    for (const part of value.split(';')) {
      const eq = part.indexOf('=')
      if (eq > 0) pairs.push([part.slice(0, eq).trim(), part.slice(eq + 1)])
    }
  }
  return pairs
}

function embeddedSecret(value: string): EnvValueClass | null {
  for (const [name, raw] of embeddedPairs(value)) {
    const v = raw.trim()
    if (v === '' || isReference(v)) continue
    const cls = secretShape(v) ?? byKeyName(name, v)
    if (isSecretClass(cls)) return cls
  }
  return null
}
