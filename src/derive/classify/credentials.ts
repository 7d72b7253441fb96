import type {CredentialView} from '../../model/snapshot.js'
import {fingerprintSecret} from '../../model/fingerprint.js'
import {
  AUTH_DOMAIN_FIELDS,
  CLIENT_ID_FIELDS,
  CLIENT_KEY_FIELDS,
  CLIENT_SECRET_FIELDS,
  DISCOVERY_FIELDS,
  IDENTITY_BLOCK_NAMES,
  ISSUER_FIELDS,
  TLS_SKIP_FIELDS,
  TLS_VERIFY_FIELDS,
  TOKEN_ENDPOINT_FIELDS,
  WEAK_AUTH_DOMAIN_FIELDS,
  isFalsy,
  isTruthy,
} from './identity-fields.js'
import {fieldName} from './key-names.js'
import {issuerOfDiscoveryUrl, sanitizeEndpoint} from './url.js'
import {classifyValue, isSecretClass} from './value.js'

type Json = Record<string, unknown>

/** Deeper nesting than this is not credentials any broker hands out; stop walking there. */
const MAX_LEAF_DEPTH = 8
/** Identity blocks are searched this deep (`credentials.uaa`, `credentials.sso.oauth`…). */
const MAX_BLOCK_DEPTH = 4

interface Leaf {
  path: string
  key: string
  value: unknown
}

interface Candidate {
  path: string
  depth: number
  clientId: string | null
  secret: {path: string; value: string} | null
  issuer: string | null
  tokenEndpoint: string | null
  authDomain: string | null
  isPublic: boolean
}

function emptyView(): CredentialView {
  return {
    shape: 'empty',
    path: '',
    clientId: null,
    hasSecret: false,
    secretFingerprint: null,
    issuer: null,
    tokenEndpoint: null,
    authDomain: null,
    isPublic: false,
    tlsVerifyDisabled: false,
    secretKeys: [],
  }
}

/**
 * Classifies a credentials object (UPS credentials, binding or key details) by shape into a
 * value-free view: identity client credentials (top level or nested, e.g. XSUAA's `uaa` block)
 * with the client secret fingerprinted, a CredHub reference, other secret-bearing credentials
 * (key names only), anything else, or empty.
 */
export function classifyCredentials(credentials: unknown, salt: string | Buffer): CredentialView {
  if (credentials === null || credentials === undefined) return emptyView()
  if (!isObject(credentials)) {
    const secret = typeof credentials === 'string' && isSecretClass(classifyValue('', credentials))
    return {...emptyView(), shape: secret ? 'secret-bearing' : 'other', secretKeys: secret ? ['(value)'] : []}
  }
  if (Object.keys(credentials).length === 0) return emptyView()

  const leaves: Leaf[] = []
  collectLeaves(credentials, '', '', 0, leaves)
  const secretKeys = new Set(
    leaves
      .filter((l) => typeof l.value === 'string' && isSecretClass(classifyValue(l.key, l.value)))
      .map((l) => l.path),
  )
  const tlsVerifyDisabled = leaves.some((l) => turnsTlsVerificationOff(l.key, l.value))

  const block = bestIdentityBlock(credentials)
  if (block) {
    if (block.secret) secretKeys.add(block.secret.path)
    return {
      shape: 'oidc-client',
      path: block.path,
      clientId: block.clientId,
      hasSecret: block.secret !== null,
      secretFingerprint: block.secret ? fingerprintSecret(block.secret.value, salt) : null,
      issuer: block.issuer,
      tokenEndpoint: block.tokenEndpoint,
      authDomain: block.authDomain,
      isPublic: block.isPublic,
      tlsVerifyDisabled,
      secretKeys: [...secretKeys].sort(),
    }
  }
  const base = {...emptyView(), tlsVerifyDisabled, secretKeys: [...secretKeys].sort()}
  if (typeof credentials['credhub-ref'] === 'string') return {...base, shape: 'credhub-ref'}
  return {...base, shape: secretKeys.size > 0 ? 'secret-bearing' : 'other'}
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}

/** Array elements keep their parent's key name, so `passwords: ["…"]` still reads as secret. */
function collectLeaves(value: unknown, path: string, key: string, depth: number, out: Leaf[]): void {
  if (depth > MAX_LEAF_DEPTH) return
  if (Array.isArray(value)) {
    value.forEach((v, i) => collectLeaves(v, join(path, String(i)), key, depth + 1, out))
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) collectLeaves(v, join(path, k), k, depth + 1, out)
  } else {
    out.push({path, key, value})
  }
}

function turnsTlsVerificationOff(key: string, value: unknown): boolean {
  const name = fieldName(key)
  return (TLS_SKIP_FIELDS.has(name) && isTruthy(value)) || (TLS_VERIFY_FIELDS.has(name) && isFalsy(value))
}

function bestIdentityBlock(root: Json): Candidate | null {
  const candidates: Candidate[] = []
  const visit = (obj: Json, path: string, depth: number) => {
    const c = readBlock(obj, path, depth)
    if (c) candidates.push(c)
    if (depth >= MAX_BLOCK_DEPTH) return
    for (const [k, v] of Object.entries(obj)) if (isObject(v)) visit(v, join(path, k), depth + 1)
  }
  visit(root, '', 0)
  const preference = (c: Candidate) => {
    const i = IDENTITY_BLOCK_NAMES.indexOf((c.path.split('.').pop() ?? '').toLowerCase())
    return i === -1 ? IDENTITY_BLOCK_NAMES.length : i
  }
  const score = (c: Candidate) =>
    (c.clientId ? 4 : 0) + (c.secret ? 2 : 0) + (c.issuer || c.tokenEndpoint || c.authDomain ? 1 : 0)
  candidates.sort(
    (a, b) =>
      score(b) - score(a) ||
      a.depth - b.depth ||
      preference(a) - preference(b) ||
      a.path.localeCompare(b.path),
  )
  return candidates[0] ?? null
}

/** Reads one object as a possible identity block; null unless it is identity-shaped. */
function readBlock(obj: Json, path: string, depth: number): Candidate | null {
  const fields = new Map<string, {key: string; value: unknown}>()
  for (const key of Object.keys(obj).sort()) {
    const name = fieldName(key)
    if (!fields.has(name)) fields.set(name, {key, value: obj[key]})
  }
  const text = (names: string[]): {key: string; value: string} | null => {
    for (const name of names) {
      const f = fields.get(name)
      if (f && typeof f.value === 'string' && f.value.trim() !== '') return {key: f.key, value: f.value}
      if (f && typeof f.value === 'number') return {key: f.key, value: String(f.value)}
    }
    return null
  }
  // Keycloak adapter config names the client `resource` next to `realm`.
  const clientId = text(CLIENT_ID_FIELDS) ?? (fields.has('realm') ? text(['resource']) : null)
  const explicitSecret = text(CLIENT_SECRET_FIELDS)
  let secret = explicitSecret ? {path: join(path, explicitSecret.key), value: explicitSecret.value} : null
  if (!secret && clientId) secret = looseSecret(fields, path)

  const endpoint = (names: string[]) => {
    const f = text(names)
    return f ? sanitizeEndpoint(f.value) : null
  }
  const discovery = endpoint(DISCOVERY_FIELDS)
  const issuer = endpoint(ISSUER_FIELDS) ?? (discovery ? issuerOfDiscoveryUrl(discovery) : null)
  const tokenEndpoint = endpoint(TOKEN_ENDPOINT_FIELDS)
  const strongAuthDomain = firstEndpoint(fields, AUTH_DOMAIN_FIELDS)
  const authDomain = firstEndpoint(fields, [
    ...AUTH_DOMAIN_FIELDS,
    ...(clientId ? WEAK_AUTH_DOMAIN_FIELDS : []),
  ])
  const isPublic = marksPublic(fields)
  const strongEndpoint = Boolean(issuer || tokenEndpoint || strongAuthDomain)

  const identityShaped = clientId
    ? Boolean(secret || isPublic || strongEndpoint)
    : Boolean(explicitSecret && strongEndpoint)
  if (!identityShaped) return null
  return {
    path,
    depth,
    clientId: clientId?.value ?? null,
    secret,
    issuer,
    tokenEndpoint,
    authDomain,
    isPublic,
  }
}

/** With a client id present: Keycloak's `credentials.secret`, a plain `secret`, or a private key. */
function looseSecret(
  fields: Map<string, {key: string; value: unknown}>,
  path: string,
): {path: string; value: string} | null {
  const nested = fields.get('credentials')
  if (nested && isObject(nested.value)) {
    const s = nested.value['secret']
    if (typeof s === 'string' && s !== '') return {path: join(join(path, nested.key), 'secret'), value: s}
  }
  const plain = fields.get('secret')
  if (plain && typeof plain.value === 'string' && plain.value !== '') {
    return {path: join(path, plain.key), value: plain.value}
  }
  for (const name of CLIENT_KEY_FIELDS) {
    const f = fields.get(name)
    if (f && typeof f.value === 'string' && classifyValue(f.key, f.value) === 'pem-private-key') {
      return {path: join(path, f.key), value: f.value}
    }
  }
  return null
}

function marksPublic(fields: Map<string, {key: string; value: unknown}>): boolean {
  const value = (name: string) => fields.get(name)?.value
  const method = value('tokenendpointauthmethod')
  const type = value('clienttype')
  return (
    (typeof method === 'string' && method.trim().toLowerCase() === 'none') ||
    (typeof type === 'string' && type.trim().toLowerCase() === 'public') ||
    isTruthy(value('public')) ||
    isTruthy(value('allowpublic')) ||
    isTruthy(value('publicclient'))
  )
}

/** The first URL among `names` (XSUAA: `url` over the bare `uaadomain`), else the first bare host. */
function firstEndpoint(fields: Map<string, {key: string; value: unknown}>, names: string[]): string | null {
  const found: string[] = []
  for (const name of names) {
    const v = fields.get(name)?.value
    const endpoint = typeof v === 'string' ? sanitizeEndpoint(v) : null
    if (endpoint) found.push(endpoint)
  }
  return found.find((e) => /^[a-z][a-z0-9+.-]*:\/\//i.test(e)) ?? found[0] ?? null
}
