import type {EnvValueClass, EnvVarView} from '../../model/snapshot.js'
import {classifyCredentials} from './credentials.js'
import {fingerprintSecret} from '../../model/fingerprint.js'
import {classifyValue, isSecretClass, secretShape} from './value.js'

/**
 * Classifies an app's own environment variables (`environment_variables`, never VCAP_SERVICES)
 * into key names, value classes and — for secret-looking values only — keyed fingerprints.
 * Sorted by name. A JSON object value (`SPRING_APPLICATION_JSON`, a pasted VCAP_SERVICES block)
 * is classified like service credentials: secret-bearing JSON is a `secret-literal`, a CredHub
 * reference is a `reference`.
 */
export function classifyEnvVars(vars: Record<string, unknown>, salt: string | Buffer): EnvVarView[] {
  return Object.keys(vars)
    .sort()
    .map((name) => {
      const raw = vars[name]
      const value =
        typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : JSON.stringify(raw)
      const cls = classifyEnvValue(name, value, salt)
      return {name, class: cls, fingerprint: isSecretClass(cls) ? fingerprintSecret(value, salt) : null}
    })
}

export function classifyEnvValue(name: string, value: string, salt: string | Buffer): EnvValueClass {
  const trimmed = value.trim()
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    const json = parseObject(trimmed)
    if (json) {
      const shape = secretShape(trimmed)
      if (shape) return shape
      const view = classifyCredentials(json, salt)
      if (view.secretKeys.length > 0) return 'secret-literal'
      if (view.shape === 'credhub-ref') return 'reference'
      return view.shape === 'empty' ? 'empty' : 'plain'
    }
  }
  return classifyValue(name, value)
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}
