import type {Finding, ResourceRef} from '../../model/finding.js'
import type {Policy} from '../../model/policy.js'
import type {Rule} from '../../model/rule.js'
import type {Route, Snapshot, TrafficStat} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {appRef, routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {algorithmOf, appName, destinationProcess, hostnameOf} from '../../derive/routes.js'
import {pushTo} from '../../util/multimap.js'

/** Below this many requests on a host over the window, shares are noise. */
export const MIN_ROUTE_REQUESTS = 100
/** An instance (and its peers together) needs this many requests before its 5xx rate counts. */
export const MIN_INSTANCE_REQUESTS = 20
/** "Far above its peers": at least this many points above their combined 5xx rate … */
export const ERROR_RATE_MARGIN = 0.1
/** … and at least this multiple of it. */
export const ERROR_RATE_FACTOR = 3

export const trafficImbalanceRule: Rule = {
  id: 'routes/traffic-imbalance',
  family: 'routes',
  severity: 'medium',
  title: 'Instance taking an unfair share of traffic or errors',
  docs:
    'From Gorouter access logs over the window (`--traffic`), per request host: an instance that ' +
    'serves at least `routes.trafficImbalanceFactor` (default 2) times its fair share — host ' +
    'requests divided by the instances behind it, the larger of those seen in the logs and those ' +
    'RUNNING — is doing the work its peers should (peers unroutable, sticky sessions, a hash ' +
    'key that does not spread, a long-lived connection pinning). An instance whose 5xx rate is ' +
    "at least 10 points and 3× above its peers' combined rate is failing on its own (bad cell, " +
    'poisoned cache, old code during a stuck deployment). Hosts with fewer than 100 requests and ' +
    'instances with fewer than 20 are not judged; the share test is skipped on hash-balanced ' +
    'routes, where skew follows the header values. Look at `cf app APP` and `cf logs APP ' +
    '--recent`, restart the outlier with `cf restart-app-instance APP INDEX`, and review the ' +
    "route's load balancing (`cf update-route … --option loadbalancing=least-connection`).",
  needs: ['traffic'],
  soc2: ['A1.2', 'CC7.2'],
  optIn: 'traffic',
  run(s: Snapshot, policy: Policy): Finding[] {
    if (!s.traffic) return []
    const ix = indexSnapshot(s)
    const routesByHost = new Map<string, Route[]>()
    for (const route of s.routes) {
      const host = hostnameOf(ix, route)
      pushTo(routesByHost, host, route)
    }
    const byHost = new Map<string, TrafficStat[]>()
    for (const stat of s.traffic.stats) {
      if (stat.instanceIndex < 0) continue // router errors no instance served
      pushTo(byHost, stat.routeHost, stat)
    }
    const findings: Finding[] = []
    for (const [host, stats] of [...byHost].sort(([a], [b]) => a.localeCompare(b))) {
      const total = stats.reduce((n, st) => n + st.requests, 0)
      if (total < MIN_ROUTE_REQUESTS) continue
      const routes = (routesByHost.get(host) ?? []).sort((a, b) => a.guid.localeCompare(b.guid))
      const resource: ResourceRef = routes[0]
        ? routeRef(s, routes[0])
        : {kind: 'route', guid: `host:${host}`, name: host}
      const running = runningBehind(s, routes)
      const instances = Math.max(stats.length, running ?? 0)
      if (instances < 2) continue
      const hashed = routes.some((r) => algorithmOf(r) === 'hash')
      const fair = total / instances
      // A rolling deployment's new process reuses the indexes 0..n (docs/platform-facts.md §3.7): when an
      // index shows up for two instances, the instance guid tells them apart in the label and the key.
      const perIndex = new Map<string, number>()
      for (const st of stats) {
        const k = `${st.appGuid}:${st.instanceIndex}`
        perIndex.set(k, (perIndex.get(k) ?? 0) + 1)
      }
      for (const st of stats) {
        const app = ix.apps.get(st.appGuid)
        const repeated = (perIndex.get(`${st.appGuid}:${st.instanceIndex}`) ?? 0) > 1 && st.instanceGuid
        const instanceKey = repeated ? `${st.instanceIndex}:${st.instanceGuid}` : `${st.instanceIndex}`
        const who =
          `${appName(ix, st.appGuid)}/${st.instanceIndex}` + (repeated ? ` (${st.instanceGuid})` : '')
        const related = app ? [appRef(s, app)] : []
        const ratio = st.requests / fair
        if (!hashed && ratio >= policy.routes.trafficImbalanceFactor) {
          findings.push(
            makeFinding(trafficImbalanceRule, {
              resource,
              related,
              key: `${st.appGuid}:${instanceKey}:share`,
              message: `${host}: instance ${who} served ${st.requests} of ${total} requests, ${ratio.toFixed(1)}× its fair share across ${instances} instances`,
              remediation: `check why its peers get less: cf app ${appName(ix, st.appGuid)} (readiness, crashes), then review the route's load balancing`,
              evidence: {
                host,
                instance: who,
                instanceGuid: st.instanceGuid,
                requests: st.requests,
                hostRequests: total,
                instancesSeen: stats.length,
                instancesRunning: running,
                shareFactor: Number(ratio.toFixed(2)),
                windowSeconds: s.traffic.windowSeconds,
              },
            }),
          )
        }
        const peers = stats.filter((p) => p !== st)
        const peerRequests = peers.reduce((n, p) => n + p.requests, 0)
        if (st.requests < MIN_INSTANCE_REQUESTS || peerRequests < MIN_INSTANCE_REQUESTS) continue
        const rate = st.status5xx / st.requests
        const peerRate = peers.reduce((n, p) => n + p.status5xx, 0) / peerRequests
        if (rate >= peerRate + ERROR_RATE_MARGIN && rate >= ERROR_RATE_FACTOR * peerRate) {
          findings.push(
            makeFinding(trafficImbalanceRule, {
              resource,
              related,
              key: `${st.appGuid}:${instanceKey}:5xx`,
              message: `${host}: instance ${who} answered ${pct(rate)} of its requests with 5xx, its peers ${pct(peerRate)}`,
              remediation: `cf logs ${appName(ix, st.appGuid)} --recent; restart the outlier: cf restart-app-instance ${appName(ix, st.appGuid)} ${st.instanceIndex}`,
              evidence: {
                host,
                instance: who,
                instanceGuid: st.instanceGuid,
                requests: st.requests,
                status5xx: st.status5xx,
                errorRate: Number(rate.toFixed(3)),
                peerErrorRate: Number(peerRate.toFixed(3)),
                windowSeconds: s.traffic.windowSeconds,
              },
            }),
          )
        }
      }
    }
    return findings
  },
}

/** RUNNING instances behind the routes of a host; null when any of them is unknown. */
function runningBehind(s: Snapshot, routes: Route[]): number | null {
  if (routes.length === 0) return null
  const ix = indexSnapshot(s)
  let sum = 0
  const keys = new Set(routes.flatMap((r) => r.destinations.map((d) => `${d.appGuid}/${d.processType}`)))
  for (const key of keys) {
    const [appGuid, type] = key.split('/') as [string, string]
    const app = ix.apps.get(appGuid)
    if (app?.state === 'STOPPED') continue
    const actual = destinationProcess(ix, appGuid, type)?.actual
    if (!app || !actual) return null
    sum += actual.filter((i) => i.state === 'RUNNING').length
  }
  return sum
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(1)} %`
}
