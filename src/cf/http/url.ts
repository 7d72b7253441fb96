import {isIP} from 'node:net'

import {CfguardError} from '../../errors.js'
import {redactText} from '../../redact.js'

/** 127.0.0.0/8, ::1 and localhost: the only hosts plain http is accepted for. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true
  if (isIP(host) === 4) return host.startsWith('127.')
  // IPv4-mapped IPv6 (::ffff:127.0.0.1)
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)
  return mapped !== null && (mapped[1] as string).startsWith('127.')
}

/**
 * Parses a URL given by a person or a server and enforces the transport rule: https anywhere,
 * plain http only on loopback. Throws INSECURE_URL (exit 2) or USAGE for a malformed URL.
 */
export function parseSafeUrl(input: string, what = 'URL'): URL {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    throw new CfguardError('USAGE', `invalid ${what} "${redactText(input)}": expected https://host[:port]`, {
      suggestions: ['give the full URL, e.g. --api https://api.sys.example.com'],
    })
  }
  return checkSafeUrl(url, what, input)
}

/** The transport rule of `parseSafeUrl` for a URL already parsed. */
export function checkSafeUrl(url: URL, what = 'URL', input: string = url.href): URL {
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return url
    throw new CfguardError(
      'INSECURE_URL',
      `refusing plain http to ${url.host}: tokens would travel unencrypted (http is allowed only for loopback hosts)`,
      {suggestions: [`use https://${url.host}${url.pathname === '/' ? '' : url.pathname}`]},
    )
  }
  throw new CfguardError(
    'USAGE',
    `invalid ${what} "${redactText(input)}": only https:// URLs are supported`,
    {
      suggestions: ['give the full URL, e.g. --api https://api.sys.example.com'],
    },
  )
}

/** `https://api.example.com` for `https://api.example.com:443/v3?x` (default ports dropped). */
export function originOf(url: string | URL): string {
  return (typeof url === 'string' ? new URL(url) : url).origin
}

/** Normalises an API URL for comparison and storage: no trailing slash, no query, lower-case host. */
export function normalizeApiUrl(input: string): string {
  const url = parseSafeUrl(input, 'API URL')
  const path = url.pathname.replace(/\/+$/, '')
  return `${url.origin}${path}`
}

/** Appends `path` (starting with `/`) to `base`, keeping a base path such as `/networking/v1/external`. */
export function joinUrl(base: string, path: string): string {
  const b = base.replace(/\/+$/, '')
  return path.startsWith('/') ? `${b}${path}` : `${b}/${path}`
}

/** Path and query of a URL with secret-looking parameters masked: what error messages show. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url)
    return redactText(`${u.pathname}${u.search}`)
  } catch {
    return redactText(url)
  }
}
