import type {RouteOptions} from './snapshot.js'

/**
 * The route map: how traffic reaches each app through Gorouter, grouped domain → route →
 * destinations → instances. Built from a Snapshot (pure), rendered as the `routes report` table,
 * carried in its --json result and drawn as a picture in the HTML report.
 */
export interface RouteMap {
  domains: RouteMapDomain[]
}

export interface RouteMapDomain {
  guid: string
  name: string
  internal: boolean
  /** TCP (router group) domain */
  tcp: boolean
  enforceRoutePolicies: boolean
  routes: RouteMapRoute[]
}

export interface RouteMapRoute {
  guid: string
  url: string
  host: string
  path: string
  port: number | null
  protocol: string
  options: RouteOptions
  space: string | null
  org: string | null
  /** Bound route service, if any. */
  routeService: {url: string | null; serviceInstance: string} | null
  /** Route policy sources (`cf:app:…`, `cf:any`), when the domain enforces them. */
  policies: string[]
  destinations: RouteMapDestination[]
  /** Rule ids with findings on this route (filled by the action after checks). */
  findings: string[]
}

export interface InstanceCounts {
  desired: number
  running: number
  crashed: number
  starting: number
  down: number
  unroutable: number
  /** Instances of unknown state (e.g. missing from a short embedded list); absent means 0. */
  unknown?: number
  /** false when instance state could not be read */
  known: boolean
}

export interface RouteMapDestination {
  appGuid: string
  appName: string
  appState: string
  space: string | null
  org: string | null
  processType: string
  port: number | null
  protocol: string | null
  weight: number | null
  instances: InstanceCounts
  /** e.g. `http /health`, `port`, `process` */
  healthCheck: string
  readinessCheck: string | null
}

/**
 * `--traffic`: what Gorouter's access logs in Log Cache say about each request host over the
 * window, per app instance. Hosts are compared, not routes: several routes (paths) share a host
 * and Gorouter logs the host.
 */
export interface TrafficReport {
  windowSeconds: number
  /** RTR lines read and lines skipped (malformed, truncated, or naming no app). */
  linesRead: number
  linesSkipped: number
  hosts: TrafficHost[]
}

export interface TrafficHost {
  host: string
  /** Urls of this foundation's routes on the host (empty: traffic to a host with no route now). */
  routes: string[]
  /** Requests served by an app instance (router errors with no instance are not counted here). */
  requests: number
  status5xx: number
  /** `x_cf_routererror` values and their counts, for the whole host. */
  routerErrors: Record<string, number>
  instances: TrafficInstance[]
}

export interface TrafficInstance {
  appGuid: string
  appName: string
  index: number
  instanceGuid: string | null
  requests: number
  /** requests / host requests (0..1). */
  share: number
  status5xx: number
  /** status5xx / requests (0..1). */
  errorRate: number
  p95ResponseSeconds: number | null
  routerErrors: Record<string, number>
}
