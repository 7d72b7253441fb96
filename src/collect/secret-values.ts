/**
 * The few things done with raw secret values while they are in memory, right after a read:
 * register them for redaction (so no error, warning or trace can print them), and — only for
 * `--verify-credentials` — find the client secret a fingerprint stands for.
 */
import {classifyValue, fingerprintSecret} from '../derive/classify/index.js'
import {isSecretKey, registerSecret} from '../redact.js'

const MAX_DEPTH = 10

/**
 * Registers the string values at the classifier's secret paths (`view.secretKeys`, dotted, array
 * indexes as segments — the paths classifyCredentials reports) and every value under a
 * secret-sounding key, at any depth. Values are not classified again.
 */
export function registerSecretValues(
  value: unknown,
  secretPaths: ReadonlySet<string> | 'all' = new Set(),
): void {
  walk(value, '', '', 0, secretPaths)
}

function walk(
  value: unknown,
  path: string,
  key: string,
  depth: number,
  paths: ReadonlySet<string> | 'all',
): void {
  if (depth > MAX_DEPTH) return
  if (typeof value === 'string') {
    // A secret-sounding key holding a reference (`token_endpoint: https://…/oauth/token`, a path)
    // holds no secret: registering it would redact that URL in every report.
    const byKey = isSecretKey(key) && classifyValue(key, value) !== 'reference'
    if (paths === 'all' || paths.has(path) || byKey) registerSecret(value)
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, path === '' ? String(i) : `${path}.${i}`, key, depth + 1, paths))
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, path === '' ? k : `${path}.${k}`, k, depth + 1, paths)
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
