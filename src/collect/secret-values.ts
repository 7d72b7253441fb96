/**
 * The few things done with raw secret values while they are in memory, right after a read:
 * register them for redaction (so no error, warning or trace can print them), and — only for
 * `--verify-credentials` — find the client secret a fingerprint stands for.
 */
import {classifyValue, fingerprintSecret, isSecretClass} from './classify/index.js'
import {isSecretKey, registerSecret} from '../redact.js'

const MAX_DEPTH = 10

/** Registers every string that is secret by shape or by key name, at any depth. */
export function registerSecretValues(value: unknown, key = '', depth = 0): void {
  if (depth > MAX_DEPTH) return
  if (typeof value === 'string') {
    if (isSecretKey(key) || isSecretClass(classifyValue(key, value))) registerSecret(value)
  } else if (Array.isArray(value)) {
    for (const v of value) registerSecretValues(v, key, depth + 1)
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) registerSecretValues(v, k, depth + 1)
  }
}

/** The string leaf of `credentials` whose keyed fingerprint is `fingerprint`, or null. */
export function secretForFingerprint(
  credentials: unknown,
  fingerprint: string,
  salt: Buffer,
  depth = 0,
): string | null {
  if (depth > MAX_DEPTH) return null
  if (typeof credentials === 'string') {
    return fingerprintSecret(credentials, salt) === fingerprint ? credentials : null
  }
  const children = Array.isArray(credentials)
    ? credentials
    : credentials !== null && typeof credentials === 'object'
      ? Object.values(credentials)
      : []
  for (const child of children) {
    const found = secretForFingerprint(child, fingerprint, salt, depth + 1)
    if (found !== null) return found
  }
  return null
}
