/**
 * All simulator state: the CC tables, the UAA store, the policy server, Log Cache traffic, and
 * the timer queue that moves instances and deployments forward in simulated time.
 */
import {createClock, type SimClock} from './clock.js'
import type {
  App,
  AuditEvent,
  CcUser,
  CredentialBinding,
  Deployment,
  Domain,
  Droplet,
  FeatureFlag,
  Job,
  NetworkPolicy,
  Org,
  Process,
  Role,
  Route,
  RouteBinding,
  RoutePolicy,
  ServiceBroker,
  ServiceInstance,
  ServiceOffering,
  ServicePlan,
  Space,
  UaaClient,
  UaaUser,
} from './model.js'
import {Random} from './random.js'
import {Table} from './table.js'
import type {TrafficProfile} from '../types.js'

export interface SimConfig {
  ccVersion: string
  accessTokenValiditySeconds: number
  refreshTokenValiditySeconds: number
  instanceStartupMs: number
  maxBindingsPerAppServiceInstance: number
  jobDurationMs: number
  seed: number
  /** Access tokens of grants that do not send `token_format` (default jwt). */
  accessTokenFormat?: 'jwt' | 'opaque'
}

export interface RefreshTokenRecord {
  jti: string
  clientId: string
  userId: string | null
  scopes: string[]
  expiresAt: number
}

interface Timer {
  at: number
  seq: number
  run: (at: number) => void
}

export interface TrafficEntry {
  profile: TrafficProfile
  rawLines: string[]
  /**
   * The instance set the logs were generated for and the end of their window. Envelopes are
   * regenerated from these (deterministically) when they fall out of the small LRU cache.
   */
  cache: {instanceKey: string; anchorMs: number} | null
}

export const DEFAULT_FEATURE_FLAGS: Record<string, boolean> = {
  app_bits_upload: true,
  app_scaling: true,
  diego_docker: false,
  env_var_visibility: true,
  hash_based_routing: false,
  private_domain_creation: true,
  route_creation: true,
  route_sharing: false,
  service_instance_creation: true,
  service_instance_sharing: false,
  set_roles_by_username: true,
  space_developer_env_var_visibility: true,
  space_scoped_private_broker_creation: true,
  task_creation: true,
  unset_roles_by_username: true,
  user_org_creation: false,
}

export interface SecretChangeRecord {
  clientId: string
  changeMode: string
  /** HTTP status UAA answered (200 applied; 400 refused, e.g. "only one secret"). */
  status: number
  at: string
}

export class SimState {
  readonly config: SimConfig
  readonly clock: SimClock
  readonly random: Random
  urls = {api: 'http://127.0.0.1', uaa: 'http://127.0.0.1', logCache: 'http://127.0.0.1'}
  private seqCounter = 0
  private readonly timers: Timer[] = []

  readonly orgs = new Table<Org>()
  readonly spaces = new Table<Space>().index('org', (s) => [s.orgGuid])
  readonly users = new Table<CcUser>()
  readonly roles = new Table<Role>()
    .index('user', (r) => [r.userGuid])
    .index('space', (r) => (r.spaceGuid ? [r.spaceGuid] : []))
    .index('org', (r) => (r.orgGuid ? [r.orgGuid] : []))
  readonly apps = new Table<App>().index('space', (a) => [a.spaceGuid])
  readonly processes = new Table<Process>().index('app', (p) => [p.appGuid])
  readonly droplets = new Table<Droplet>()
  readonly deployments = new Table<Deployment>()
    .index('app', (d) => [d.appGuid])
    .index('active', (d) => (d.statusValue === 'ACTIVE' ? ['yes'] : []))
  readonly domains = new Table<Domain>()
  readonly routes = new Table<Route>()
    .index('space', (r) => [r.spaceGuid, ...r.sharedSpaceGuids])
    .index('domain', (r) => [r.domainGuid])
    .index('app', (r) => [...new Set(r.destinations.map((d) => d.appGuid))])
  readonly routePolicies = new Table<RoutePolicy>().index('route', (p) => [p.routeGuid])
  readonly brokers = new Table<ServiceBroker>()
  readonly offerings = new Table<ServiceOffering>()
  readonly plans = new Table<ServicePlan>().index('offering', (p) => [p.offeringGuid])
  readonly serviceInstances = new Table<ServiceInstance>().index('space', (s) => [
    s.spaceGuid,
    ...s.sharedSpaceGuids,
  ])
  readonly bindings = new Table<CredentialBinding>()
    .index('app', (b) => (b.appGuid ? [b.appGuid] : []))
    .index('instance', (b) => [b.serviceInstanceGuid])
  readonly routeBindings = new Table<RouteBinding>()
    .index('route', (b) => [b.routeGuid])
    .index('instance', (b) => [b.serviceInstanceGuid])
  readonly jobs = new Table<Job>()
  readonly events = new Table<AuditEvent>().index('target', (e) => [e.target.guid])
  readonly featureFlags = new Map<string, FeatureFlag>()
  networkPolicies: NetworkPolicy[] = []
  /**
   * Diego (BBS) does not answer: CC's instance reads (`/stats`, `/process_instances`) fail with
   * 503 CF-InstancesUnavailable (§2.5: 503 = internal upstream such as Diego unavailable).
   */
  diegoUnavailable = false

  readonly uaa = {
    clients: new Map<string, UaaClient>(),
    users: new Map<string, UaaUser>(),
    usersByName: new Map<string, UaaUser>(),
    refreshTokens: new Map<string, RefreshTokenRecord>(),
    revoked: new Set<string>(),
    passcodes: new Map<string, {userId: string; expiresAt: number}>(),
    /** Path prefix → the `issuer` its discovery document names (planted mismatches). */
    discoveryOverrides: new Map<string, string>(),
    /** Every `PUT /oauth/clients/:id/secret` that reached the handler: mode and answer (no secrets). */
    secretChanges: [] as SecretChangeRecord[],
  }

  readonly traffic = new Map<string, TrafficEntry>()
  /** Recently read apps' envelopes (bounded: a 10,000-app traffic audit must not keep them all). */
  readonly trafficLru = new Map<string, {envelopes: unknown[]; ns: bigint[]}>()

  constructor(config: SimConfig, clock: SimClock = createClock()) {
    this.config = config
    this.clock = clock
    this.random = new Random(config.seed)
    for (const [name, enabled] of Object.entries(DEFAULT_FEATURE_FLAGS)) {
      this.featureFlags.set(name, {name, enabled, customErrorMessage: null, updatedAt: null})
    }
  }

  now(): number {
    return this.clock.ms()
  }

  guid(): string {
    return this.random.uuid()
  }

  nextSeq(): number {
    return ++this.seqCounter
  }

  /** Fields every row starts with. */
  row(createdAt = this.now()): {guid: string; seq: number; createdAt: number; updatedAt: number} {
    return {guid: this.guid(), seq: this.nextSeq(), createdAt, updatedAt: createdAt}
  }

  ccVersionAtLeast(version: string): boolean {
    return compareVersions(this.config.ccVersion, version) >= 0
  }

  flag(name: string): boolean {
    return this.featureFlags.get(name)?.enabled ?? false
  }

  /** Runs `run` at simulated time `at` (on the next sync at or after it). */
  schedule(at: number, run: (at: number) => void): void {
    const timer = {at, seq: this.nextSeq(), run}
    let i = this.timers.length
    while (i > 0 && this.timers[i - 1]!.at > at) i--
    this.timers.splice(i, 0, timer)
  }

  /** Runs every timer due by `now`, in time order (a timer may schedule more). */
  sync(now = this.now()): void {
    while (this.timers.length > 0 && this.timers[0]!.at <= now) {
      const timer = this.timers.shift()!
      timer.run(timer.at)
    }
  }

  pendingTimers(): number {
    return this.timers.length
  }
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => parseInt(n, 10) || 0)
  const pb = b.split('.').map((n) => parseInt(n, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
