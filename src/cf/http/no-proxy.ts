/**
 * NO_PROXY: which hosts agents.ts connects to directly although a proxy is set.
 */
import {BlockList, isIP} from 'node:net'

export type NoProxyRule =
  | {kind: 'all'}
  | {kind: 'ip'; list: BlockList; port: number | null}
  | {kind: 'domain'; suffix: string; matchHost: boolean; port: number | null}

/**
 * NO_PROXY as Go's net/http reads it: comma-separated; `*` = everything; an IP or CIDR (v4 or v6);
 * `example.com` = that host and its subdomains, `.example.com` (or `*.example.com`) = subdomains
 * only; any entry may end in `:port`.
 */
export function parseNoProxy(value: string): NoProxyRule[] {
  const rules: NoProxyRule[] = []
  for (const raw of value.split(',')) {
    let entry = raw.trim().toLowerCase()
    if (entry === '') continue
    if (entry === '*') {
      rules.push({kind: 'all'})
      continue
    }
    if (entry.includes('/')) {
      const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry)
      if (!cidr) continue
      const addr = (cidr[1] as string).replace(/^\[|\]$/g, '')
      const family = isIP(addr)
      const prefix = Number(cidr[2])
      if (family !== 0 && prefix <= (family === 4 ? 32 : 128)) {
        const list = new BlockList()
        list.addSubnet(addr, prefix, family === 4 ? 'ipv4' : 'ipv6')
        rules.push({kind: 'ip', list, port: null})
      }
      continue
    }
    let port: number | null = null
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry)
    if (bracketed) {
      entry = bracketed[1] as string
      port = bracketed[2] ? Number(bracketed[2]) : null
    } else if (isIP(entry) === 0) {
      const withPort = /^(.*):(\d+)$/.exec(entry)
      if (withPort) {
        entry = withPort[1] as string
        port = Number(withPort[2])
      }
    }
    const family = isIP(entry)
    if (family !== 0) {
      const list = new BlockList()
      list.addAddress(entry, family === 4 ? 'ipv4' : 'ipv6')
      rules.push({kind: 'ip', list, port})
      continue
    }
    if (entry.startsWith('*.')) entry = entry.slice(1)
    const matchHost = !entry.startsWith('.')
    const suffix = matchHost ? `.${entry}` : entry
    if (suffix.length > 1) rules.push({kind: 'domain', suffix, matchHost, port})
  }
  return rules
}

export function noProxyMatches(host: string, port: number, rules: NoProxyRule[]): boolean {
  const h = host
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '')
  const family = isIP(h)
  for (const rule of rules) {
    if (rule.kind === 'all') return true
    if (rule.port !== null && rule.port !== port) continue
    if (rule.kind === 'ip') {
      if (family !== 0 && rule.list.check(h, family === 4 ? 'ipv4' : 'ipv6')) return true
      continue
    }
    if (family === 0 && (h.endsWith(rule.suffix) || (rule.matchHost && h === rule.suffix.slice(1))))
      return true
  }
  return false
}
