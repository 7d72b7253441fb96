/**
 * The cf CLI's session, `$CF_HOME/.cf/config.json` (CF_HOME defaults to the home directory).
 * Read-only: cfguard never writes it (tokens it refreshes from it stay in memory). Fields from
 * the cf CLI's util/configv3/json_config.go; `AccessToken` is stored as "bearer <jwt>".
 */
import {readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {CfguardError} from '../errors.js'
import {registerSecret} from '../redact.js'
import type {NamedRef} from './store.js'

export interface CfCliSession {
  path: string
  api: string | null
  accessToken: string | null
  refreshToken: string | null
  /** The OAuth client the cf CLI used (`cf` with an empty secret unless configured). */
  oauthClient: {id: string; secret: string}
  /** `UAAGrantType`: "" for password logins, `client_credentials` for `cf auth --client-credentials`. */
  grantType: string
  skipSslValidation: boolean
  org: NamedRef | null
  space: NamedRef | null
}

export function cfCliConfigPath(env: NodeJS.ProcessEnv): string {
  const home = env.CF_HOME && env.CF_HOME !== '' ? env.CF_HOME : homedir()
  return join(home, '.cf', 'config.json')
}

/** The cf CLI session, or null when there is no config file. Malformed files are a usage error. */
export function readCfCliConfig(env: NodeJS.ProcessEnv): CfCliSession | null {
  const path = cfCliConfigPath(env)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    throw invalid(path, `cannot be read (${code})`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw invalid(path, 'is not valid JSON')
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw invalid(path, 'is not a JSON object')
  const c = raw as Record<string, unknown>
  const str = (key: string): string | null => {
    const v = c[key]
    if (v === undefined || v === null || v === '') return null
    if (typeof v !== 'string') throw invalid(path, `has a ${key} that is not a string`)
    return v
  }
  const ref = (key: string): NamedRef | null => {
    const v = c[key]
    if (v === undefined || v === null) return null
    if (typeof v !== 'object') throw invalid(path, `has a ${key} that is not an object`)
    const f = v as Record<string, unknown>
    const name = typeof f.Name === 'string' ? f.Name : ''
    const guid = typeof f.GUID === 'string' && f.GUID !== '' ? f.GUID : null
    return name === '' && guid === null ? null : {name, guid}
  }
  const accessToken = str('AccessToken')?.replace(/^bearer\s+/i, '') ?? null
  const refreshToken = str('RefreshToken')
  const clientSecret = str('UAAOAuthClientSecret') ?? ''
  registerSecret(accessToken)
  registerSecret(refreshToken)
  registerSecret(clientSecret)
  return {
    path,
    api: str('Target'),
    accessToken: accessToken === '' ? null : accessToken,
    refreshToken,
    oauthClient: {id: str('UAAOAuthClient') ?? 'cf', secret: clientSecret},
    grantType: str('UAAGrantType') ?? '',
    skipSslValidation: c.SSLDisabled === true,
    org: ref('OrganizationFields'),
    space: ref('SpaceFields'),
  }
}

function invalid(path: string, why: string): CfguardError {
  return new CfguardError('CONFIG_INVALID', `the cf CLI config ${path} ${why}`, {
    suggestions: ['run `cf login` again to rewrite it, or log in with `cfguard login`'],
  })
}
