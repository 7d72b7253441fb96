/**
 * The opt-in network checks, made with a short-timeout transport of their own (never the
 * session's bearer token):
 * - `--check-issuers`: OIDC discovery of each distinct issuer (`<issuer>/.well-known/openid-configuration`),
 *   the `issuer` it names, and how many keys its `jwks_uri` serves;
 * - `--verify-credentials`: one client-credentials grant per distinct (client id, secret
 *   fingerprint) at its token endpoint (probeClientSecret reads UAA's answers, docs/platform-facts.md §9.1).
 * Only https, or plain http to a loopback host, is ever contacted: a plain-http issuer elsewhere
 * is already `identity/insecure-issuer`, and a secret must not cross the network readable.
 */
import type {Transport} from '../cf/http/transport.js'
import {probeClientSecret} from '../cf/uaa/probe.js'
import {isCfguardError} from '../errors.js'
import type {CredentialProbe, CredentialView, IssuerProbe} from '../model/snapshot.js'
import type {Limiter} from './limiter.js'
import type {RawClientSecret} from './secrets.js'

export const PROBE_TIMEOUT_MS = 5000

/** https anywhere, http only to loopback; anything else (bare hosts, other schemes) is not probed. */
export function isProbeable(url: string): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.username !== '' || u.password !== '') return false
  if (u.protocol === 'https:') return true
  const host = u.hostname.replace(/^\[|\]$/g, '')
  return (
    u.protocol === 'http:' && (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host))
  )
}

/** The issuer a view names (issuer, else token endpoint, else auth domain), as configured. */
export function issuerOf(view: CredentialView): string | null {
  return view.issuer ?? view.tokenEndpoint ?? view.authDomain
}

/** Distinct probeable issuers of identity-shaped views (pure). */
export function distinctIssuers(views: Iterable<CredentialView | null>): string[] {
  const out = new Set<string>()
  for (const v of views) {
    if (!v || v.shape !== 'oidc-client') continue
    const issuer = issuerOf(v)
    if (issuer && isProbeable(issuer)) out.add(issuer)
  }
  return [...out].sort()
}

function describe(err: unknown): string {
  return isCfguardError(err) || err instanceof Error ? err.message : String(err)
}

export async function probeIssuer(transport: Transport, issuer: string): Promise<IssuerProbe> {
  const base = issuer.replace(/\/+$/, '')
  const probe: IssuerProbe = {issuer, discoveryOk: false, discoveredIssuer: null, jwksKeys: null, error: null}
  let doc: {issuer?: unknown; jwks_uri?: unknown}
  try {
    const res = await transport.request<{issuer?: unknown; jwks_uri?: unknown}>({
      method: 'GET',
      url: `${base}/.well-known/openid-configuration`,
      auth: 'none',
      service: 'issuer discovery',
    })
    doc = res.data ?? {}
  } catch (err) {
    probe.error = describe(err)
    return probe
  }
  if (typeof doc !== 'object' || doc === null) {
    probe.error = 'the discovery document is not a JSON object'
    return probe
  }
  probe.discoveryOk = true
  probe.discoveredIssuer = typeof doc.issuer === 'string' ? doc.issuer : null
  const jwks = typeof doc.jwks_uri === 'string' ? doc.jwks_uri : null
  if (!jwks) {
    probe.error = 'the discovery document names no jwks_uri'
    return probe
  }
  if (!isProbeable(jwks)) {
    probe.error = `jwks_uri ${jwks} is not https`
    return probe
  }
  try {
    const res = await transport.request<{keys?: unknown}>({
      method: 'GET',
      url: jwks,
      auth: 'none',
      service: 'JWKS',
    })
    probe.jwksKeys = Array.isArray(res.data?.keys) ? res.data.keys.length : 0
  } catch (err) {
    probe.error = describe(err)
  }
  return probe
}

export async function probeIssuers(
  transport: Transport,
  issuers: readonly string[],
  limiter: Limiter,
): Promise<IssuerProbe[]> {
  return Promise.all(issuers.map((issuer) => limiter.run(() => probeIssuer(transport, issuer))))
}

/** Where to ask for a token: the token endpoint, else the issuer (UAA-style `…/oauth/token`). */
export function tokenEndpointOf(secret: Pick<RawClientSecret, 'tokenEndpoint' | 'issuer'>): string | null {
  const endpoint = secret.tokenEndpoint ?? secret.issuer
  return endpoint && isProbeable(endpoint) ? endpoint : null
}

export async function probeCredentials(
  transport: Transport,
  secrets: Iterable<RawClientSecret>,
  limiter: Limiter,
): Promise<CredentialProbe[]> {
  const work: Promise<CredentialProbe>[] = []
  for (const s of secrets) {
    const endpoint = tokenEndpointOf(s)
    if (!endpoint) continue
    work.push(
      limiter.run(async () => {
        const r = await probeClientSecret(transport, endpoint, s.clientId, s.secret)
        return {
          clientId: s.clientId,
          secretFingerprint: s.fingerprint,
          tokenEndpoint: endpoint,
          outcome: r.outcome,
          detail: r.detail,
        }
      }),
    )
  }
  return Promise.all(work)
}
