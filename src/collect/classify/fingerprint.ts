import {createHmac} from 'node:crypto'

/** Hex characters kept: 24 hex = 96 bits, plenty to tell secrets apart, short enough to read. */
const FINGERPRINT_HEX = 24

/** A salt shorter than this is not a key worth the name (16 bytes = 128 bits). */
const MIN_SALT_LENGTH = 16

/**
 * Keyed fingerprint of a secret: `hmac:<24 hex>` = HMAC-SHA256(salt, value), truncated.
 * Keyed with the per-installation salt so that a short secret (a 6-character password) cannot be
 * recovered from a report by hashing guesses; equal secrets still get equal fingerprints within
 * one installation, which is what shared-secret detection needs.
 */
export function fingerprintSecret(value: string, salt: string | Buffer): string {
  if (salt.length < MIN_SALT_LENGTH) {
    throw new Error(`fingerprint salt must be at least ${MIN_SALT_LENGTH} bytes (got ${salt.length})`)
  }
  const hex = createHmac('sha256', salt).update(value, 'utf8').digest('hex')
  return `hmac:${hex.slice(0, FINGERPRINT_HEX)}`
}
