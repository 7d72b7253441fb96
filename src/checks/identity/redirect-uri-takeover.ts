import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Domain, Route, Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {identityUnits, unitApps, orderFindings} from '../../derive/identity.js'
import {isLoopbackHost, parseEndpoint} from './_url.js'

interface RedirectTarget {
  domain: Domain
  /** The part before the domain: `billing`, `*`, or `` for the bare domain. */
  host: string
  /** Literal path up to the first wildcard. */
  path: string
  pathWildcard: boolean
}

export const redirectUriTakeover: Rule = {
  id: 'identity/redirect-uri-takeover',
  family: 'identity',
  severity: 'high',
  title: 'OAuth redirect URI on a foundation domain that no route serves',
  docs:
    "A UAA client allows a `redirect_uri` whose host lies on one of this foundation's domains (the domain " +
    'itself or a host on it), but no route serves that host and path, or the URI is a wildcard pattern ' +
    '(`https://*.apps.example.com/**`) on a shared domain. Anyone who may create a route there (any space ' +
    'developer, for a shared domain) can claim it and receive authorization codes and tokens meant for the ' +
    'app. Remove the URI (`uaa update-client billing-client --redirect_uri https://billing.apps.example.com/login`) ' +
    'or map the route to the app that owns the client (`cf map-route billing-api apps.example.com --hostname ' +
    'billing`). Routes outside the audited scope are invisible: a scoped run (or a token without foundation-' +
    'wide read) reports medium unless Cloud Controller route reservations confirmed the host is free. Needs ' +
    'UAA `clients.read`.',
  needs: ['uaaClients'],
  soc2: ['CC6.1', 'CC6.6'],
  run(s) {
    const domains = s.domains.filter((d) => !d.internal && d.routerGroupGuid === null)
    if (domains.length === 0) return []
    const scoped = s.target.org !== null || s.target.space !== null
    const holders = clientHolders(s)
    const findings: Finding[] = []
    for (const client of [...s.uaaClients].sort((a, b) => a.clientId.localeCompare(b.clientId))) {
      for (const uri of [...new Set(client.redirectUris)].sort()) {
        const target = redirectTarget(uri, domains)
        if (!target || served(s, target)) continue
        const wildcardHost = target.host.includes('*')
        const confirmed = !wildcardHost && reservationSaysFree(s, target)
        const severity = wildcardHost || confirmed || !scoped ? 'high' : 'medium'
        const hostName = target.host ? `${target.host}.${target.domain.name}` : target.domain.name
        findings.push(
          makeFinding(redirectUriTakeover, {
            resource: {kind: 'uaa_client', guid: client.clientId, name: client.clientId},
            key: uri,
            severity,
            message: wildcardHost
              ? `UAA client ${client.clientId} accepts redirects to any host on ${target.domain.name} (${uri}): ` +
                `whoever creates a route there receives its codes`
              : `UAA client ${client.clientId} redirects to ${hostName}${target.path}, which no ` +
                `${scoped && !confirmed ? 'visible ' : ''}route serves: whoever maps it receives the codes`,
            evidence: {
              redirectUri: uri,
              host: hostName,
              domain: target.domain.name,
              sharedDomain: target.domain.orgGuid === null,
              wildcardHost,
              routesSeen: scoped ? 'audited scope' : 'all visible',
              confirmedByReservation: confirmed,
              apps: holders.get(client.clientId) ?? [],
            },
            remediation: remediation(client.clientId, target, wildcardHost),
          }),
        )
      }
    }
    return orderFindings(findings)
  },
}

function remediation(clientId: string, target: RedirectTarget, wildcardHost: boolean): string {
  const remove = `remove the redirect URI (uaa update-client ${clientId} --redirect_uri <the URIs still in use>)`
  if (wildcardHost) return remove
  const hostname = target.host ? ` --hostname ${target.host}` : ''
  const path = target.path ? ` --path ${target.path}` : ''
  return `${remove} or map the route to the app that owns the client (cf map-route APP ${target.domain.name}${hostname}${path})`
}

/** Client id → names of apps holding its credentials. */
function clientHolders(s: Snapshot): Map<string, string[]> {
  const map = new Map<string, Set<string>>()
  for (const unit of identityUnits(s)) {
    const id = unit.view?.clientId
    if (!id) continue
    const set = map.get(id) ?? new Set()
    for (const a of unitApps(s, unit)) set.add(a.name)
    map.set(id, set)
  }
  return new Map([...map].map(([id, set]) => [id, [...set].sort()]))
}

/**
 * Where a redirect URI lands on this foundation: its host is a domain (longest match) or one label
 * on it. Hosts two labels deep cannot be routed (route hosts have no dots); loopback, custom
 * schemes and other domains are not this rule's business.
 */
function redirectTarget(uri: string, domains: Domain[]): RedirectTarget | null {
  const e = parseEndpoint(uri)
  if (!e || !e.scheme || !/^https?\*?$/.test(e.scheme) || isLoopbackHost(e.host)) return null
  let best: Domain | null = null
  for (const d of domains) {
    const name = d.name.toLowerCase()
    if ((e.host === name || e.host.endsWith(`.${name}`)) && (!best || name.length > best.name.length))
      best = d
  }
  if (!best) return null
  const host = e.host === best.name.toLowerCase() ? '' : e.host.slice(0, -(best.name.length + 1))
  if (host.includes('.')) return null
  const star = e.path.indexOf('*')
  const literal = star === -1 ? e.path : e.path.slice(0, star)
  return {domain: best, host, path: literal.replace(/\/+$/, ''), pathWildcard: star !== -1}
}

function pathServes(routePath: string, path: string): boolean {
  return routePath === '' || path === routePath || path.startsWith(`${routePath}/`)
}

function served(s: Snapshot, t: RedirectTarget): boolean {
  const onDomain = s.routes.filter((r) => r.domainGuid === t.domain.guid)
  // A wildcard route holds every host of the domain; a wildcard redirect needs one to be safe.
  if (onDomain.some((r) => r.host === '*')) return true
  if (t.host.includes('*')) return false
  const sameHost = onDomain.filter((r: Route) => r.host.toLowerCase() === t.host)
  if (sameHost.some((r) => pathServes(r.path, t.path))) return true
  if (t.pathWildcard && sameHost.length > 0) return true
  return (s.routeReservations ?? []).some(
    (r) =>
      r.domainGuid === t.domain.guid &&
      r.host.toLowerCase() === t.host &&
      r.matchingRoute &&
      pathServes(r.path, t.path),
  )
}

/** Cloud Controller confirmed (across all spaces) that no route holds this host. */
function reservationSaysFree(s: Snapshot, t: RedirectTarget): boolean {
  const answers = (s.routeReservations ?? []).filter(
    (r) => r.domainGuid === t.domain.guid && r.host.toLowerCase() === t.host,
  )
  return answers.length > 0 && answers.every((r) => !r.matchingRoute)
}
