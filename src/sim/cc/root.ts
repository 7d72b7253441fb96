/** `GET /`, `GET /v3`, `GET /v3/info` (§1). No auth. */
import type {SimState} from '../core/state.js'
import {json, type SimResponse} from '../server/types.js'

export function globalRoot(state: SimState): SimResponse {
  const api = state.urls.api
  const href = (h: string) => ({href: h})
  return json(200, {
    links: {
      self: href(api),
      bits_service: null,
      cloud_controller_v2: null,
      cloud_controller_v3: {href: `${api}/v3`, meta: {version: state.config.ccVersion}},
      network_policy_v0: href(`${api}/networking/v0/external`),
      network_policy_v1: href(`${api}/networking/v1/external`),
      login: href(state.urls.uaa),
      uaa: href(state.urls.uaa),
      credhub: null,
      routing: null,
      logging: null,
      log_cache: href(state.urls.logCache),
      log_stream: null,
      app_ssh: {
        href: 'ssh.sys.cfguard.test:2222',
        meta: {host_key_fingerprint: 'sim-host-key', oauth_client: 'ssh-proxy'},
      },
    },
  })
}

const V3_LINKS = [
  'app_usage_events',
  'apps',
  'audit_events',
  'buildpacks',
  'builds',
  'deployments',
  'domains',
  'droplets',
  'environment_variable_groups',
  'feature_flags',
  'info',
  'isolation_segments',
  'organizations',
  'organization_quotas',
  'packages',
  'processes',
  'resource_matches',
  'roles',
  'routes',
  'security_groups',
  'service_brokers',
  'service_instances',
  'service_credential_bindings',
  'service_offerings',
  'service_plans',
  'service_route_bindings',
  'service_usage_events',
  'spaces',
  'space_quotas',
  'stacks',
  'tasks',
  'users',
]

export function v3Root(state: SimState): SimResponse {
  const api = state.urls.api
  const links: Record<string, {href: string}> = {self: {href: `${api}/v3`}}
  for (const name of V3_LINKS) links[name] = {href: `${api}/v3/${name}`}
  return json(200, {links})
}

export function info(state: SimState, rateLimit: {limit: number; resetSeconds: number} | null): SimResponse {
  const api = state.urls.api
  return json(200, {
    build: 'sim-3bbba90',
    cli_version: {minimum: '6.22.0', recommended: 'latest'},
    custom: {},
    description: 'cfguard foundation simulator',
    name: 'cfguard-sim',
    version: 0,
    osbapi_version: '2.15',
    rate_limits: {
      enabled: rateLimit !== null,
      general_limit: rateLimit?.limit ?? 2000,
      reset_interval_in_minutes: rateLimit ? Math.max(1, Math.round(rateLimit.resetSeconds / 60)) : 60,
    },
    links: {self: {href: `${api}/v3/info`}, support: {href: ''}},
  })
}
