const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i
/** A dotted host name (`authentication.eu10.hana.ondemand.com`), optional port and path. */
const HOST_LIKE = /^([A-Za-z0-9-]+\.)+[A-Za-z0-9-]+(:\d+)?(\/[^\s?#]*)?$/
const WELL_KNOWN = /\/\.well-known\/(openid-configuration|oauth-authorization-server)\/?$/

/**
 * An issuer / token endpoint / auth domain as it may be kept in a snapshot: a URL without
 * userinfo, query or fragment (those can carry secrets), or a bare host (`uaadomain`). Anything
 * else is not an endpoint and yields null. An already clean URL is returned unchanged, so it
 * still compares equal to what discovery reports.
 */
export function sanitizeEndpoint(raw: string): string | null {
  const value = raw.trim()
  if (value === '') return null
  if (SCHEME.test(value)) {
    let url: URL
    try {
      url = new URL(value)
    } catch {
      return null
    }
    if (
      url.username === '' &&
      url.password === '' &&
      url.search === '' &&
      url.hash === '' &&
      !value.includes('@')
    ) {
      return value
    }
    const path = url.pathname === '/' ? '' : url.pathname
    return `${url.protocol}//${url.host}${path}`
  }
  return HOST_LIKE.test(value) ? value : null
}

/** The issuer named by a discovery URL (`…/.well-known/openid-configuration` stripped). */
export function issuerOfDiscoveryUrl(url: string): string {
  return url.replace(WELL_KNOWN, '')
}
