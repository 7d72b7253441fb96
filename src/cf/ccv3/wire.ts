/**
 * Cloud Controller v3 JSON as it arrives (docs/platform-facts.md §§2–7). Optional where CC omits a field on
 * older versions or for some roles. Nothing outside `cf/ccv3` should need these: the `decode*`
 * functions in each resource file map them to flat shapes.
 */

export interface WireLink {
  href: string
  method?: string
}

export interface WireToOne {
  data: {guid: string} | null
}

export interface WireToMany {
  data: {guid: string}[]
}

export interface WireMetadata {
  labels?: Record<string, string | null>
  annotations?: Record<string, string | null>
}

export interface WireResource {
  guid: string
  created_at: string
  updated_at: string
  metadata?: WireMetadata
  links?: Record<string, WireLink | undefined>
}

export interface WirePagination {
  total_results: number
  total_pages: number
  first?: WireLink | null
  last?: WireLink | null
  next: WireLink | null
  previous?: WireLink | null
}

export interface WireList<T> {
  pagination: WirePagination
  resources: T[]
  included?: Record<string, unknown[]>
}

export interface WireRoot {
  links: Record<string, (WireLink & {meta?: {version?: string; [k: string]: unknown}}) | null | undefined>
}

export interface WireInfo {
  build?: string
  name?: string
  version?: number | string
  description?: string
  cli_version?: {minimum?: string; recommended?: string}
  rate_limits?: {enabled?: boolean; general_limit?: number; reset_interval_in_minutes?: number}
  custom?: Record<string, unknown>
}

export interface WireOrg extends WireResource {
  name: string
  suspended?: boolean
  relationships?: {quota?: WireToOne}
}

export interface WireSpace extends WireResource {
  name: string
  relationships: {organization: WireToOne; quota?: WireToOne}
}

export interface WireApp extends WireResource {
  name: string
  state: 'STARTED' | 'STOPPED'
  lifecycle?: {type: string; data?: Record<string, unknown>}
  relationships: {space: WireToOne; current_droplet?: WireToOne}
}

export interface WireAppEnv {
  environment_variables?: Record<string, unknown>
  staging_env_json?: Record<string, unknown>
  running_env_json?: Record<string, unknown>
  system_env_json?: Record<string, unknown>
  application_env_json?: Record<string, unknown>
}

export interface WireEnvironmentVariables {
  var: Record<string, string>
}

export interface WireAppPermissions {
  read_basic_data: boolean
  read_sensitive_data: boolean
}

export interface WireHealthCheck {
  type: string
  data?: {
    timeout?: number | null
    invocation_timeout?: number | null
    interval?: number | null
    endpoint?: string | null
  }
}

export interface WireProcessInstance {
  index: number
  state: string
  /** Seconds in the current state (not an epoch). */
  since: number
}

export interface WireProcess extends WireResource {
  type: string
  command?: string | null
  instances: number
  memory_in_mb?: number
  disk_in_mb?: number
  health_check: WireHealthCheck
  readiness_health_check?: WireHealthCheck | null
  relationships: {app: WireToOne; revision?: WireToOne}
  version?: string
  process_instances?: WireProcessInstance[]
}

export interface WireInstancePort {
  external: number | null
  internal: number | null
  external_tls_proxy_port?: number | null
  internal_tls_proxy_port?: number | null
}

export interface WireProcessStat {
  type: string
  index: number
  state: string
  instance_guid?: string
  routable?: boolean | null
  host?: string
  instance_internal_ip?: string
  instance_ports?: WireInstancePort[]
  uptime?: number
  usage?: {time?: string; cpu?: number; mem?: number; disk?: number; log_rate?: number}
  mem_quota?: number | null
  disk_quota?: number | null
  isolation_segment?: string | null
  details?: string | null
}

export interface WireDeployment extends WireResource {
  state?: string
  status: {
    value: string
    reason: string
    details?: {last_successful_healthcheck?: string; last_status_change?: string; error?: string | null}
    canary?: {steps?: {current: number; total: number}}
  }
  strategy: string
  options?: {max_in_flight?: number; web_instances?: number | null; canary?: unknown}
  droplet?: {guid: string} | null
  previous_droplet?: {guid: string} | null
  new_processes?: {guid: string; type: string}[]
  revision?: {guid: string; version: number} | null
  relationships: {app: WireToOne}
}

export interface WireDestination {
  guid: string
  app: {guid: string; process?: {type: string}}
  weight?: number | null
  port?: number | null
  protocol?: string | null
  created_at?: string
  updated_at?: string
}

export interface WireRoute extends WireResource {
  protocol: string
  host: string
  path: string
  port: number | null
  url: string
  destinations: WireDestination[]
  options?: {loadbalancing?: string; hash_header?: string; hash_balance?: string | number}
  relationships: {space: WireToOne; domain: WireToOne}
}

export interface WireDomain extends WireResource {
  name: string
  internal: boolean
  router_group?: {guid: string} | null
  supported_protocols?: string[]
  enforce_route_policies?: boolean
  route_policies_scope?: string | null
  relationships: {organization: WireToOne; shared_organizations?: WireToMany}
}

export interface WireServiceOffering extends WireResource {
  name: string
  description: string
  available?: boolean
  tags?: string[]
  requires?: string[]
  shareable?: boolean
  broker_catalog?: {id?: string; metadata?: Record<string, unknown>; features?: Record<string, unknown>}
  relationships: {service_broker: WireToOne}
}

export interface WireServicePlan extends WireResource {
  name: string
  description?: string
  free?: boolean
  available?: boolean
  visibility_type?: string
  relationships: {service_offering: WireToOne; space?: WireToOne}
}

export interface WireLastOperation {
  type: string
  state: string
  description?: string | null
  created_at?: string
  updated_at?: string
}

export interface WireServiceInstance extends WireResource {
  name: string
  type: 'managed' | 'user-provided'
  tags?: string[]
  last_operation?: WireLastOperation | null
  syslog_drain_url?: string | null
  route_service_url?: string | null
  dashboard_url?: string | null
  upgrade_available?: boolean
  relationships: {space: WireToOne; service_plan?: WireToOne}
}

export interface WireCredentialBinding extends WireResource {
  name: string | null
  type: 'app' | 'key'
  last_operation?: WireLastOperation | null
  relationships: {service_instance: WireToOne; app?: WireToOne}
}

export interface WireBindingDetails {
  credentials?: Record<string, unknown>
  syslog_drain_url?: string | null
  volume_mounts?: unknown[]
}

export interface WireRouteBinding extends WireResource {
  route_service_url: string | null
  last_operation?: WireLastOperation | null
  relationships: {service_instance: WireToOne; route: WireToOne}
}

export interface WireRoutePolicy extends WireResource {
  source: string
  relationships: {route: WireToOne; app?: WireToOne; space?: WireToOne; organization?: WireToOne}
}

export interface WireAuditEvent extends WireResource {
  type: string
  actor: {guid: string; type: string; name: string}
  target: {guid: string; type: string; name: string}
  data?: Record<string, unknown>
  space?: {guid: string} | null
  organization?: {guid: string} | null
}

export interface WireFeatureFlag {
  name: string
  enabled: boolean
  updated_at?: string | null
  custom_error_message?: string | null
}

export interface WireJob {
  guid: string
  created_at?: string
  updated_at?: string
  operation: string
  state: 'PROCESSING' | 'POLLING' | 'COMPLETE' | 'FAILED'
  errors?: {code: number; title: string; detail: string}[]
  warnings?: {detail: string}[]
  links?: Record<string, WireLink | undefined>
}

export interface WireUser extends WireResource {
  username?: string | null
  presentation_name?: string
  origin?: string | null
}
