/** URL and host helpers shared by identity rules. */

export interface ParsedEndpoint {
  scheme: string | null
  host: string
  path: string
}

/** Parses a URL or a bare host (`uaadomain`); null when neither. Host is lower case without port. */
export function parseEndpoint(value: string): ParsedEndpoint | null {
  const m = /^(?:([a-z][a-z0-9+.*-]*):\/\/)?(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)(?::\d+)?([^?#]*)/i.exec(
    value.trim(),
  )
  if (!m || !m[2]) return null
  return {scheme: m[1]?.toLowerCase() ?? null, host: (m[2] as string).toLowerCase(), path: m[3] ?? ''}
}

/** 127.0.0.0/8, ::1 and localhost (the local simulator runs there): plain http is fine on loopback. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === '::1' ||
    /^0*:(0*:)*0*1$/.test(h) ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
  )
}

/** Strips one trailing slash so `https://x/` and `https://x` compare equal. */
export function normalizeUrl(url: string): string {
  return url.trim().replace(/\/$/, '')
}
