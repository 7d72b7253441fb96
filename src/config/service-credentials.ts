/**
 * Running as a CF task or scheduler job: the client credentials come from a service bound to the
 * app (`VCAP_SERVICES`), named by `CFGUARD_CREDENTIALS_SERVICE`, so no secret sits in a manifest
 * or on a command line. Pure: reads the given environment only.
 */
import {CfguardError} from '../errors.js'
import {registerSecret} from '../redact.js'

export interface ServiceCredentials {
  /** The bound service instance's name. */
  service: string
  clientId: string
  clientSecret: string
  /** The API URL, when the service carries one. */
  api: string | null
}

const CLIENT_ID = ['client_id', 'clientId', 'CLIENT_ID', 'CFGUARD_CLIENT_ID', 'clientid']
const CLIENT_SECRET = [
  'client_secret',
  'clientSecret',
  'CLIENT_SECRET',
  'CFGUARD_CLIENT_SECRET',
  'clientsecret',
]
const API = ['api', 'api_url', 'apiUrl', 'cf_api', 'CFGUARD_API']

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

function first(c: Record<string, unknown>, keys: string[]): string | null {
  for (const k of keys) {
    const v = c[k]
    if (typeof v === 'string' && v.trim() !== '') return v.trim()
  }
  return null
}

function problem(message: string, next: string): CfguardError {
  return new CfguardError('CONFIG_INVALID', message, {suggestions: [next]})
}

/** null when CFGUARD_CREDENTIALS_SERVICE is not set; otherwise the credentials or an error saying what is missing. */
export function serviceCredentials(env: NodeJS.ProcessEnv): ServiceCredentials | null {
  const name = env.CFGUARD_CREDENTIALS_SERVICE?.trim()
  if (!name) return null
  const raw = env.VCAP_SERVICES
  if (raw === undefined || raw.trim() === '') {
    throw problem(
      `CFGUARD_CREDENTIALS_SERVICE names "${name}" but VCAP_SERVICES is not set (not running in a CF app container?)`,
      `bind the service to the app (cf bind-service APP ${name}) and run cfguard as its task`,
    )
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw problem(
      'VCAP_SERVICES is not valid JSON',
      'unset CFGUARD_CREDENTIALS_SERVICE, or fix VCAP_SERVICES',
    )
  }
  if (!isObject(parsed)) throw problem('VCAP_SERVICES is not a JSON object', 'check the app environment')
  const names: string[] = []
  for (const instances of Object.values(parsed)) {
    if (!Array.isArray(instances)) continue
    for (const instance of instances) {
      if (!isObject(instance)) continue
      const instanceName = typeof instance.name === 'string' ? instance.name : null
      if (instanceName !== null) names.push(instanceName)
      if (instanceName !== name && instance.instance_name !== name) continue
      const creds = isObject(instance.credentials) ? instance.credentials : {}
      const clientId = first(creds, CLIENT_ID)
      const clientSecret = first(creds, CLIENT_SECRET)
      registerSecret(clientSecret)
      if (clientId === null || clientSecret === null) {
        throw problem(
          `the bound service "${name}" has no ${clientId === null ? 'client_id' : 'client_secret'} in its credentials`,
          `e.g. cf cups ${name} -p '{"client_id":"…","client_secret":"…"}'`,
        )
      }
      return {service: name, clientId, clientSecret, api: first(creds, API)}
    }
  }
  throw problem(
    `no service named "${name}" is bound (CFGUARD_CREDENTIALS_SERVICE)`,
    names.length > 0
      ? `bound services: ${[...new Set(names)].sort().join(', ')}`
      : 'bind it: cf bind-service APP NAME',
  )
}
