/**
 * Is a variable or credentials key name secret-sounding? Names are split into words (separators
 * and camelCase: `clientSecret`, `DB_PASSWORD`, `spring.datasource.password`), so the match is
 * whole-word-ish: `TOKEN_URL`, `PASSWORD_POLICY_URL`, `MAX_TOKENS` and `ACCESS_KEY_ID` are not
 * secrets, `AWS_SECRET_ACCESS_KEY`, `clientsecret` and `JWT_SECRET` are.
 */

export type KeyTier = 'strong' | 'weak'

/** A word that is, or ends with, one of these names a secret outright. */
const STRONG_STEMS = [
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PWD',
  'PASSPHRASE',
  'TOKEN',
  'TOKENS',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'APIKEY',
  'PRIVATEKEY',
  'ACCESSKEY',
  'SECRETKEY',
]

/** `<word> KEY` pairs that name a secret outright (`API_KEY`, `ACCOUNT_KEY`, `SIGNING_KEY`). */
const STRONG_KEY_PREFIXES = new Set([
  'API',
  'PRIVATE',
  'ACCESS',
  'SECRET',
  'SIGNING',
  'ENCRYPTION',
  'MASTER',
  'CLIENT',
  'ACCOUNT',
])

/** Ambiguous words: a secret only when the value also looks randomly generated. */
const WEAK_STEMS = ['KEY', 'KEYS', 'AUTH', 'SALT', 'SIGNATURE', 'HMAC']

/** Whole words (not endings: `BYPASS`, `COMPASS`) that name a secret outright. */
const STRONG_WORDS = new Set(['PASS'])

function wordSet(text: string): Set<string> {
  return new Set(text.trim().split(/\s+/))
}

/** A word after the secret word that turns the name into configuration about the secret. */
const QUALIFIERS = wordSet(`
  URL URLS URI URIS ENDPOINT ENDPOINTS HOST HOSTNAME PORT PATH FILE FILENAME DIR DIRECTORY
  LOCATION NAME NAMES ID IDS TYPE HEADER TTL EXPIRY EXPIRES EXPIRATION VALIDITY LIFETIME TIMEOUT
  AGE DAYS HOURS MINUTES SECONDS LENGTH LEN MIN MAX SIZE LIMIT COUNT POLICY REF ARN ENABLED
  DISABLED ENABLE DISABLE REQUIRED MODE FORMAT ALGORITHM ALG ISSUER AUDIENCE SCOPE SCOPES PREFIX
  SUFFIX FIELD PARAM ROUNDS STORE PROVIDER SERVICE VERSION INTERVAL ROTATION CACHE STRATEGY METHOD
  SOURCE KIND LABEL CLAIM PATTERN REGEX RULES HINT QUESTION
`)

/** A word just before the secret word that makes it a setting (`MAX_TOKENS`, `REQUIRE_PASSWORD`). */
const LEADING_QUALIFIERS = wordSet(`
  MAX MIN NUM NUMBER COUNT LIMIT ENABLE DISABLE REQUIRE USE NO ALLOW SKIP IGNORE VALIDATE VERIFY
  CHECK
`)

/** Upper-case words of a key name: `JWTSecret` → JWT SECRET, `client-id` → CLIENT ID. */
export function keyWords(key: string): string[] {
  return (key.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []).map((w) => w.toUpperCase())
}

function endsWithAny(word: string, stems: string[]): boolean {
  return stems.some((stem) => word.endsWith(stem))
}

function wordTier(words: string[], i: number): KeyTier | null {
  const word = words[i] as string
  if (word.startsWith('PUBLI') || word.startsWith('VERIFICATION')) return null
  if (STRONG_WORDS.has(word) || endsWithAny(word, STRONG_STEMS)) return 'strong'
  if (endsWithAny(word, WEAK_STEMS)) {
    const prev = words[i - 1]
    return (word === 'KEY' || word === 'KEYS') && prev && STRONG_KEY_PREFIXES.has(prev) ? 'strong' : 'weak'
  }
  return null
}

/** `strong`: any non-reference value is a secret; `weak`: only random-looking values; null: not secret. */
export function secretKeyTier(key: string): KeyTier | null {
  const words = keyWords(key)
  if (words.some((w) => w.startsWith('PUBLI'))) return null
  for (let i = words.length - 1; i >= 0; i--) {
    const tier = wordTier(words, i)
    if (!tier) continue
    const after = words.slice(i + 1)
    if (after.some((w) => QUALIFIERS.has(w))) return null
    const before = words[i - 1]
    if (before && LEADING_QUALIFIERS.has(before)) return null
    return tier
  }
  return null
}

/** Key compared on its last dotted segment, lower case, letters and digits only: `issuer-uri` → `issueruri`. */
export function fieldName(key: string): string {
  const last = key.split('.').pop() ?? key
  return last.toLowerCase().replace(/[^a-z0-9]/g, '')
}
