/** The simulator's public, programmatic surface (tests, the demo and benchmarks code against it). */
import type {SecretChangeRecord, SimState} from './core/state.js'

export type {SecretChangeRecord}

export type ScenarioName = 'empty' | 'demo' | 'generated'
export type Origin = 'cc' | 'uaa' | 'logcache'
export type SimUserName =
  'admin' | 'adminReadOnly' | 'globalAuditor' | 'spaceDeveloper' | 'spaceSupporter' | 'spaceAuditor'

export interface SimulatorOptions {
  /** Default `empty` (an admin, the role users, org `acme` / space `dev`). */
  scenario?: ScenarioName
  /** Size of the `generated` scenario (default 100). */
  apps?: number
  /** Seed for everything random: scenario content, guids, fault decisions (default 1). */
  seed?: number
  /** `127.0.0.1` (default) or `::1`; anything else is refused. */
  host?: string
  /** 0 = a free port (default). */
  ports?: {cc?: number; uaa?: number; logCache?: number}
  /** Default `3.228.0`; drives version-gated behaviour. */
  ccVersion?: string
  accessTokenValiditySeconds?: number
  refreshTokenValiditySeconds?: number
  /**
   * UAA's access-token format for grants that do not send `token_format` (docs/platform-facts.md §9.1;
   * default `jwt`). `opaque`: as if every client asked `token_format=opaque`.
   */
  accessTokenFormat?: 'jwt' | 'opaque'
  /** Simulated ms a new instance needs to become RUNNING (default 300). */
  instanceStartupMs?: number
  /** CC `max_service_credential_bindings_per_app_service_instance` (default 5). */
  maxBindingsPerAppServiceInstance?: number
  /** Simulated ms an asynchronous (broker) job takes (default 200). */
  jobDurationMs?: number
  /**
   * CC rate limiting (off by default). Applies to admin tokens too unless `exemptAdmins`
   * (real CC exempts admins unless the operator sets admin limits).
   */
  rateLimit?: {limit: number; resetSeconds: number; exemptAdmins?: boolean} | null
  /** Latency added to every request, in real ms. */
  latencyMs?: number
  /**
   * Diego is unavailable: `/stats` and `/process_instances` answer 503 CF-InstancesUnavailable
   * (default false; also settable later as `sim.state.diegoUnavailable`).
   */
  diegoUnavailable?: boolean
  /**
   * Serve CC, UAA and Log Cache over HTTPS with a throwaway CA (`caPem` on the simulator).
   * `hostname` DOMAIN: the origins name themselves api.DOMAIN, uaa.DOMAIN and log-cache.DOMAIN in
   * every URL they return (the listening address stays loopback; the names must be resolved to it
   * by whoever connects, e.g. a proxy).
   */
  tls?: {hostname?: string}
}

export interface RequestRecord {
  origin: Origin
  method: string
  path: string
  query: string
  status: number
  at: string
}

export interface FaultSettings {
  latencyMs?: number
  /** 0..1: answer 500/502/503 instead of serving. */
  errorRate?: number
  /** 0..1: destroy the socket without an answer. */
  dropRate?: number
  /** 0..1: hold the request `stallMs` before serving. */
  stallRate?: number
  stallMs?: number
  /** The next `count` requests get 429 with `Retry-After`. */
  burst429?: {count: number; retryAfterSeconds: number}
  /** Which origins these settings apply to (default all). */
  origins?: Origin[]
}

export interface FailNthRule {
  method: string
  path: string | RegExp
  /** 1-based: the Nth matching call fails. */
  nth: number
  /**
   * `status`: answer `status` (default 500) without serving (no state change).
   * `cut`: serve the request (state changes), then cut the connection mid-response.
   */
  mode: 'status' | 'cut'
  status?: number
  origin?: Origin
}

export interface FaultController {
  set(settings: FaultSettings): void
  failNth(rule: FailNthRule): void
  clear(): void
  /** Rules of failNth that have not fired yet. */
  pending(): number
}

export interface SimInstanceView {
  instanceGuid: string
  index: number
  processGuid: string
  type: string
  state: string
  startedAt: string
  /** VCAP_SERVICES as this container holds it (frozen when its LRP was desired). */
  vcapServices: Record<string, unknown[]>
  environmentVariables: Record<string, string>
}

export interface AuditEventView {
  guid: string
  type: string
  createdAt: string
  actor: {guid: string; type: string; name: string}
  target: {guid: string; type: string; name: string}
  data: Record<string, unknown>
  spaceGuid: string | null
  orgGuid: string | null
}

/** Per app traffic that Log Cache serves as Gorouter (RTR) access logs. */
export interface TrafficProfile {
  /** Requests per route per instance over the window (default 30). */
  requestsPerInstance?: number
  /** Relative weight per instance index (default 1 each); `[1, 5]` makes index 1 five times busier. */
  instanceWeights?: number[]
  /** Fraction of 5xx answers per instance index (default 0.01). */
  errorRates?: number[]
  /** Mean response time in seconds (default 0.05). */
  meanResponseSeconds?: number
  /** Window the lines spread over, ending at the time of the first read (default 600). */
  windowSeconds?: number
  /** Lines in an older Gorouter format (no gorouter_time / instance_id). */
  olderFormatLines?: number
  /** Lines cut off in the middle (UDP truncation). */
  truncatedLines?: number
}

export interface TrafficController {
  set(app: string, profile: TrafficProfile): void
  /** Adds a raw access-log line (already formatted) to an app's RTR logs. */
  addRawLine(app: string, line: string): void
  clear(app: string): void
}

export interface Simulator {
  apiUrl: string
  uaaUrl: string
  logCacheUrl: string
  /** The throwaway CA's certificate (PEM) under `tls`; null over plain http. */
  caPem: string | null
  admin: {clientId: string; clientSecret: string}
  users: Record<SimUserName, {username: string; password: string}>
  /** `pause` stops simulated time (only `advance` moves it) until `resume`. */
  clock: {now(): Date; advance(ms: number): void; pause(): void; resume(): void}
  requests: RequestRecord[]
  resetRequests(): void
  faults: FaultController
  traffic: TrafficController
  state: SimState
  instances(app: string): SimInstanceView[]
  uaaAccepts(clientId: string, secret: string): boolean
  /** Every UAA secret change request that reached the handler (changeMode and status; no secrets). */
  readonly secretChanges: readonly SecretChangeRecord[]
  auditEvents(filter?: {type?: string; targetGuid?: string}): AuditEventView[]
  tokenFor(user: SimUserName | 'adminClient'): Promise<string>
  /** A one-time passcode for the password grant's `passcode` parameter (SSO login). */
  passcodeFor(user: SimUserName): string
  stop(): Promise<void>
}
