/** The route map with the findings about each route marked (pure; the map itself: derive/route-map.ts). */
import type {Finding} from '../model/finding.js'
import type {RouteMap} from '../model/route-map.js'

/**
 * Returns a copy of the map with each route's `findings` set to the sorted, distinct rule ids of
 * the findings about it: findings whose resource is the route, and findings about a process or
 * app that name the route among their related resources (a health-check finding names the routes
 * that reach the process). A route finding's related routes (a route service's own route) are
 * not marked.
 */
export function attachFindings(map: RouteMap, findings: Finding[]): RouteMap {
  const byRoute = new Map<string, Set<string>>()
  for (const f of findings) {
    const refs = f.resource.kind === 'route' ? [f.resource] : f.related
    for (const ref of refs) {
      if (ref.kind !== 'route') continue
      const rules = byRoute.get(ref.guid) ?? new Set<string>()
      rules.add(f.rule)
      byRoute.set(ref.guid, rules)
    }
  }
  return {
    domains: map.domains.map((d) => ({
      ...d,
      routes: d.routes.map((r) => ({
        ...r,
        findings: [...new Set([...r.findings, ...(byRoute.get(r.guid) ?? [])])].sort(),
      })),
    })),
  }
}
