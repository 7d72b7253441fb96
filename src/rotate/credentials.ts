/**
 * Where the client id and secret sit inside a user-provided service's credentials object, and how
 * to produce the same object with only the secret changed (docs/platform-facts.md §5.3: a PATCH replaces the
 * whole object). Pure.
 */

import {isSecretKey} from '../redact.js'

export interface SecretLocator {
  /** Keys from the top to the object holding the pair; [] = top level (XSUAA: ['uaa']). */
  path: string[]
  idKey: string
  secretKey: string
  clientId: string
  /** The secret value now held there. */
  secret: string
  tokenEndpoint: string | null
  issuer: string | null
}

const ID_KEYS = ['client_id', 'clientid', 'clientId', 'CLIENT_ID']
const SECRET_KEYS = ['client_secret', 'clientsecret', 'clientSecret', 'CLIENT_SECRET']
const TOKEN_ENDPOINT_KEYS = ['token_endpoint', 'tokenEndpoint', 'token_url', 'tokenUrl', 'token_uri']
// Only keys that name an identity provider: a probe sends the secret there.
const ISSUER_KEYS = ['issuer', 'issuer_uri', 'issuerUri', 'auth_domain']

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)

function firstString(obj: Json, keys: string[]): [string, string] | null {
  for (const key of keys) {
    const v = obj[key]
    if (typeof v === 'string' && v !== '') return [key, v]
  }
  return null
}

/** The first object (breadth-first, top level first) holding both a client id and a secret. */
export function locateSecret(credentials: Json): SecretLocator | null {
  const queue: {path: string[]; obj: Json}[] = [{path: [], obj: credentials}]
  while (queue.length > 0) {
    const {path, obj} = queue.shift()!
    const id = firstString(obj, ID_KEYS)
    const secret = firstString(obj, SECRET_KEYS)
    if (id && secret) {
      return {
        path,
        idKey: id[0],
        secretKey: secret[0],
        clientId: id[1],
        secret: secret[1],
        tokenEndpoint: firstString(obj, TOKEN_ENDPOINT_KEYS)?.[1] ?? null,
        issuer: firstString(obj, ISSUER_KEYS)?.[1] ?? null,
      }
    }
    if (path.length < 4) {
      for (const [key, value] of Object.entries(obj))
        if (isObject(value)) queue.push({path: [...path, key], obj: value})
    }
  }
  return null
}

/** The secret at the locator's place in `credentials`, or null when the shape changed. */
export function secretAt(
  credentials: Json,
  locator: Pick<SecretLocator, 'path' | 'secretKey'>,
): string | null {
  let obj: unknown = credentials
  for (const key of locator.path) obj = isObject(obj) ? obj[key] : undefined
  if (!isObject(obj)) return null
  const v = obj[locator.secretKey]
  return typeof v === 'string' ? v : null
}

/** A deep copy of `credentials` with only the secret replaced. */
export function withSecret(
  credentials: Json,
  locator: Pick<SecretLocator, 'path' | 'secretKey'>,
  secret: string,
): Json {
  const copy = structuredClone(credentials)
  let obj: Json = copy
  for (const key of locator.path) {
    const next = obj[key]
    if (!isObject(next)) throw new TypeError(`credentials have no object at ${locator.path.join('.')}`)
    obj = next
  }
  obj[locator.secretKey] = secret
  return copy
}

/** String values under secret-sounding keys, at any depth (to register before anything prints). */
export function secretLeaves(value: unknown, underSecretKey = false, depth = 0): string[] {
  if (depth > 16) return []
  if (typeof value === 'string') return underSecretKey ? [value] : []
  if (Array.isArray(value)) return value.flatMap((v) => secretLeaves(v, underSecretKey, depth + 1))
  if (isObject(value)) {
    return Object.entries(value).flatMap(([k, v]) =>
      secretLeaves(v, underSecretKey || isSecretKey(k), depth + 1),
    )
  }
  return []
}
