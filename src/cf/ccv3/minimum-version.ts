/**
 * CC API version gates as data (like the cf CLI's ccversion/minimum_version.go), from
 * docs/platform-facts.md §1.3. The version is `links.cloud_controller_v3.meta.version` of `GET /`.
 */
import {CfguardError} from '../../errors.js'

export const MIN_CC_VERSION = {
  /** `binding_guid`/`instance_guid` in VCAP_SERVICES */
  vcapServicesGuids: '3.95.0',
  /** destination `protocol: http2` */
  http2Routing: '3.104.0',
  readinessHealthChecks: '3.144.0',
  /** `routable` in process stats */
  routableStats: '3.151.0',
  /** per-route `options.loadbalancing` (`round-robin`, `least-connections`) */
  perRouteOptions: '3.183.0',
  /** `least-connections` renamed `least-connection` */
  leastConnectionRename: '3.187.0',
  /** deployment `options.canary.steps` */
  canarySteps: '3.189.0',
  /** credential bindings `strategy: multiple` (rotation without unbinding) */
  bindingStrategyMultiple: '3.205.0',
  /** `loadbalancing: hash`, `hash_header`, `hash_balance` */
  hashLoadBalancing: '3.210.0',
  /** `embed=process_instances`, `/v3/processes/:guid/process_instances` */
  embeddedProcessInstances: '3.211.0',
  /** `/v3/route_policies`, identity-aware domains */
  routePolicies: '3.224.0',
} as const

export type CcFeature = keyof typeof MIN_CC_VERSION

const FEATURE_NAMES: Record<CcFeature, string> = {
  vcapServicesGuids: 'binding GUIDs in VCAP_SERVICES',
  http2Routing: 'HTTP/2 route destinations',
  readinessHealthChecks: 'readiness health checks',
  routableStats: 'instance readiness in process stats',
  perRouteOptions: 'per-route load-balancing options',
  leastConnectionRename: 'the `least-connection` load-balancing name',
  canarySteps: 'canary deployment steps',
  bindingStrategyMultiple: 'several bindings per app and service instance (strategy: multiple)',
  hashLoadBalancing: 'hash-based load balancing',
  embeddedProcessInstances: 'embedded process instances',
  routePolicies: 'route policies',
}

/** Numeric parts of `3.228.0` (pre-release and build suffixes ignored). */
export function parseVersion(version: string): number[] {
  return version
    .trim()
    .replace(/^v/i, '')
    .split(/[-+]/)[0]!
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : 0))
}

export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a)
  const pb = parseVersion(b)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return 0
}

export function versionAtLeast(actual: string, minimum: string): boolean {
  return compareVersions(actual, minimum) >= 0
}

export function supports(ccVersion: string, feature: CcFeature): boolean {
  return versionAtLeast(ccVersion, MIN_CC_VERSION[feature])
}

/** Fails with VERSION_UNSUPPORTED (exit 2) naming the feature and both versions. */
export function requireVersion(ccVersion: string, feature: CcFeature): void {
  if (supports(ccVersion, feature)) return
  throw new CfguardError(
    'VERSION_UNSUPPORTED',
    `${FEATURE_NAMES[feature]} needs Cloud Controller API ${MIN_CC_VERSION[feature]} or newer; this foundation runs ${ccVersion}`,
    {suggestions: ['ask the platform team to upgrade CAPI, or run without this option']},
  )
}
