/**
 * Root discovery: `GET /` of the API (no auth) names every other endpoint and the CC version
 * (docs/platform-facts.md §1). UAA and the rest are always taken from here, never from configuration.
 */
import {ApiError, TRACE_HINT} from '../http/errors.js'
import type {Transport} from '../http/transport.js'
import {normalizeApiUrl, parseSafeUrl} from '../http/url.js'
import type {WireInfo, WireRoot} from './wire.js'

export interface RootInfo {
  /** The API URL as given (normalised): where CC requests go. */
  api: string
  ccV3: string
  /** `links.cloud_controller_v3.meta.version`, e.g. `3.228.0`. */
  ccVersion: string
  /** Token endpoint host (`/oauth/token`, `/oauth/token/revoke`). */
  login: string
  /** User and client management (`/oauth/clients`, `/token_keys`). */
  uaa: string
  logCache: string | null
  networkPolicyV1: string | null
  routing: string | null
  credhub: string | null
}

export async function discoverRoot(transport: Transport, apiUrl: string): Promise<RootInfo> {
  const api = normalizeApiUrl(apiUrl)
  const url = `${api}/`
  const res = await transport.request<WireRoot>({
    method: 'GET',
    url,
    auth: 'none',
    service: 'Cloud Controller',
    allowStatus: [404],
  })
  const notCf = (why: string) =>
    new ApiError(
      'BAD_RESPONSE',
      `${api} does not look like a Cloud Foundry API: ${why}`,
      {method: 'GET', url, service: 'Cloud Controller', status: res.status},
      ['check the API URL (--api / CFGUARD_API): it is the `api.` host of the foundation', TRACE_HINT],
    )
  if (res.status === 404) throw notCf('GET / answered 404')
  const links = (res.data as {links?: unknown} | null | undefined)?.links as WireRoot['links'] | undefined
  if (!links || typeof links !== 'object' || Array.isArray(links)) throw notCf('GET / has no links')
  // A server may send anything: only a non-empty string is a link.
  const link = (name: string): string | null => {
    const entry = links[name]
    const href = entry !== null && typeof entry === 'object' ? entry.href : undefined
    return typeof href === 'string' && href !== '' ? href : null
  }
  const v3 = link('cloud_controller_v3')
  const version = links.cloud_controller_v3?.meta?.version
  if (!v3 || typeof version !== 'string')
    throw notCf('no cloud_controller_v3 link with a version (CC API v3 is required)')
  const login = link('login') ?? link('uaa')
  const uaa = link('uaa') ?? link('login')
  if (!login || !uaa) throw notCf('no login/uaa link')
  const safe = (href: string | null, name: string) =>
    href === null ? null : stripSlash(parseSafeUrl(href, `${name} link`).toString())
  return {
    api,
    ccV3: safe(v3, 'cloud_controller_v3') as string,
    ccVersion: version,
    login: safe(login, 'login') as string,
    uaa: safe(uaa, 'uaa') as string,
    logCache: safe(link('log_cache'), 'log_cache'),
    networkPolicyV1: safe(link('network_policy_v1'), 'network_policy_v1'),
    routing: safe(link('routing'), 'routing'),
    credhub: safe(link('credhub'), 'credhub'),
  }
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

export async function getInfo(transport: Transport, api: string): Promise<WireInfo> {
  return (
    (
      await transport.request<WireInfo>({
        method: 'GET',
        url: `${api}/v3/info`,
        auth: 'none',
        service: 'Cloud Controller',
      })
    ).data ?? {}
  )
}
