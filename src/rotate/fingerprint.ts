import {createHmac, randomBytes} from 'node:crypto'

/**
 * Keyed fingerprints of secrets for events and audit records (DESIGN.md: HMAC with a
 * per-installation salt, never a plain hash a short secret could be brute-forced from).
 */
export type Fingerprint = (secret: string) => string

export function hmacFingerprint(salt: string | Buffer): Fingerprint {
  return (secret) => `hmac:${createHmac('sha256', salt).update(secret, 'utf8').digest('hex').slice(0, 16)}`
}

/** For callers without an installation salt: comparable within this process only. */
export function processFingerprint(): Fingerprint {
  return hmacFingerprint(randomBytes(32))
}
