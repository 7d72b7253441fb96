/**
 * Route reservations for `identity/redirect-uri-takeover` in scoped runs: a UAA client's redirect
 * URI whose host lies on a foundation domain but that no *visible* route serves may still be
 * served from a space outside the scope. `GET /v3/domains/:guid/route_reservations?host=&path=`
 * answers for every space (docs/platform-facts.md §4.4), so each such host is asked once per path prefix
 * (`""`, `/login`, `/login/callback`: a route with a shorter path serves longer ones).
 */
import type {CcCore} from '../cf/ccv3/core.js'
import {enc} from '../cf/ccv3/core.js'
import type {Domain, Route, RouteReservation, UaaClient} from '../model/snapshot.js'
import type {Limiter} from './limiter.js'

export interface ReservationQuery {
  domainGuid: string
  host: string
  path: string
}

/** Path prefixes asked for at most (after the empty path). */
const MAX_PATH_DEPTH = 3

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

function pathServes(routePath: string, path: string): boolean {
  return routePath === '' || path === routePath || path.startsWith(`${routePath}/`)
}

/** The questions to ask (pure): one per unserved redirect host and path prefix, deduplicated. */
export function reservationQueries(
  clients: readonly UaaClient[],
  domains: readonly Domain[],
  routes: readonly Route[],
): ReservationQuery[] {
  const candidates = domains.filter((d) => !d.internal && d.routerGroupGuid === null)
  const out = new Map<string, ReservationQuery>()
  for (const client of clients) {
    for (const uri of client.redirectUris) {
      let url: URL
      try {
        url = new URL(uri.replace(/\*/g, 'x-wildcard-x'))
      } catch {
        continue
      }
      if (!/^https?:$/.test(url.protocol) || uri.split('/')[2]?.includes('*')) continue
      const host = url.hostname.toLowerCase()
      if (isLoopback(host)) continue
      let best: Domain | null = null
      for (const d of candidates) {
        const name = d.name.toLowerCase()
        if ((host === name || host.endsWith(`.${name}`)) && (!best || name.length > best.name.length))
          best = d
      }
      if (!best) continue
      const label = host === best.name.toLowerCase() ? '' : host.slice(0, -(best.name.length + 1))
      if (label.includes('.')) continue
      const rawPath = decodeURIComponent(url.pathname).replace(/x-wildcard-x/g, '*')
      const star = rawPath.indexOf('*')
      const path = (star === -1 ? rawPath : rawPath.slice(0, star)).replace(/\/+$/, '')
      const onHost = routes.filter(
        (r) => r.domainGuid === best.guid && (r.host === '*' || r.host.toLowerCase() === label),
      )
      if (onHost.some((r) => r.host === '*' || pathServes(r.path, path))) continue
      const segments = path.split('/').filter((s) => s !== '')
      const prefixes = ['']
      for (let i = 1; i <= Math.min(segments.length, MAX_PATH_DEPTH); i++) {
        prefixes.push(`/${segments.slice(0, i).join('/')}`)
      }
      for (const p of prefixes) {
        const q = {domainGuid: best.guid, host: label, path: p}
        out.set(`${q.domainGuid}\u0000${q.host}\u0000${q.path}`, q)
      }
    }
  }
  return [...out.values()].sort(
    (a, b) =>
      a.domainGuid.localeCompare(b.domainGuid) ||
      a.host.localeCompare(b.host) ||
      a.path.localeCompare(b.path),
  )
}

export async function readReservations(
  core: CcCore,
  queries: readonly ReservationQuery[],
  limiter: Limiter,
): Promise<RouteReservation[]> {
  const answers = await Promise.all(
    queries.map((q) =>
      limiter.run(async () => {
        const body = await core.get<{matching_route?: boolean}>(
          `/v3/domains/${enc(q.domainGuid)}/route_reservations`,
          {host: q.host, ...(q.path ? {path: q.path} : {})},
        )
        return {...q, matchingRoute: body?.matching_route === true}
      }),
    ),
  )
  return answers
}
