import {createHmac, randomBytes} from 'node:crypto'

/**
 * Keyed fingerprints of secrets: the one function and the one format (`hmac:<24 hex>`) that every
 * report, event and audit record uses, so the same secret reads the same in `audit`, `identity
 * list` and `credentials rotate`. HMAC-SHA256 with the per-installation salt: a short secret (a
 * 6-character password) cannot be recovered from a report by hashing guesses, and equal secrets
 * still get equal fingerprints within one installation, which shared-secret detection and the
 * rotation's search for other holders need.
 */
export type Fingerprint = (secret: string) => string

/** Hex characters kept: 24 hex = 96 bits, plenty to tell secrets apart, short enough to read. */
const FINGERPRINT_HEX = 24

/** A salt shorter than this is not a key worth the name (16 bytes = 128 bits). */
const MIN_SALT_LENGTH = 16

export function fingerprintSecret(value: string, salt: string | Buffer): string {
  if (salt.length < MIN_SALT_LENGTH) {
    throw new Error(`fingerprint salt must be at least ${MIN_SALT_LENGTH} bytes (got ${salt.length})`)
  }
  const hex = createHmac('sha256', salt).update(value, 'utf8').digest('hex')
  return `hmac:${hex.slice(0, FINGERPRINT_HEX)}`
}

/** `fingerprintSecret` bound to one installation's salt. */
export function keyedFingerprint(salt: string | Buffer): Fingerprint {
  return (secret) => fingerprintSecret(secret, salt)
}

/** For callers without an installation salt: comparable within this process only. */
export function processFingerprint(): Fingerprint {
  return keyedFingerprint(randomBytes(32))
}
