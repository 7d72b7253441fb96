/**
 * What every scenario starts with: the `cf` UAA client and the simulator's admin client, one
 * user per role (in org `acme` / space `dev`), the shared/internal/TCP/identity-aware domains,
 * and a small service catalogue.
 */
import {randomBytes} from 'node:crypto'

import type {Domain, Org, ServicePlan, Space} from '../core/model.js'
import type {SimState} from '../core/state.js'
import type {SimUserName} from '../types.js'
import {Builder} from './builder.js'

/** cf-deployment's `cf` client scopes (§9.1). */
export const CF_CLIENT_SCOPES = [
  'network.admin',
  'network.write',
  'cloud_controller.read',
  'cloud_controller.write',
  'openid',
  'password.write',
  'cloud_controller.admin',
  'scim.read',
  'scim.write',
  'doppler.firehose',
  'uaa.user',
  'routing.router_groups.read',
  'routing.router_groups.write',
  'cloud_controller.admin_read_only',
  'cloud_controller.global_auditor',
  'perm.admin',
  'clients.read',
]

const DEFAULT_GROUPS = [
  'openid',
  'cloud_controller.read',
  'cloud_controller.write',
  'password.write',
  'uaa.user',
  'scim.me',
  'profile',
  'roles',
  'user_attributes',
  'uaa.offline_token',
  'cloud_controller_service_permissions.read',
  'approvals.me',
  'oauth.approvals',
]

export const ADMIN_CLIENT_ID = 'cfguard-sim-admin'

export interface BaseFoundation {
  b: Builder
  acme: Org
  dev: Space
  domains: {apps: Domain; internal: Domain; tcp: Domain; secure: Domain}
  plans: {sso: ServicePlan; redis: ServicePlan; routeService: ServicePlan; legacy: ServicePlan}
  users: Record<SimUserName, {username: string; password: string}>
  userIds: Record<SimUserName, string>
  admin: {clientId: string; clientSecret: string}
}

const secret = () => randomBytes(18).toString('base64url')

export function buildBase(state: SimState): BaseFoundation {
  const b = new Builder(state)
  const adminSecret = secret()
  b.uaaClient({
    clientId: 'cf',
    secrets: [''],
    name: 'cf CLI',
    authorizedGrantTypes: ['password', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
    scope: CF_CLIENT_SCOPES,
    authorities: ['uaa.none'],
    autoapprove: true,
    accessTokenValidity: state.config.accessTokenValiditySeconds,
    refreshTokenValidity: state.config.refreshTokenValiditySeconds,
  })
  b.uaaClient({
    clientId: ADMIN_CLIENT_ID,
    secrets: [adminSecret],
    name: 'cfguard simulator admin',
    authorities: [
      'cloud_controller.admin',
      'cloud_controller.read',
      'cloud_controller.write',
      'clients.admin',
      'clients.secret',
      'clients.read',
      'clients.write',
      'network.admin',
      'doppler.firehose',
      'routing.router_groups.read',
      'scim.read',
    ],
    accessTokenValidity: state.config.accessTokenValiditySeconds,
  })

  const acme = b.org('acme')
  const dev = b.space(acme, 'dev')

  const specs: Record<
    SimUserName,
    {username: string; groups: string[]; role: 'space_developer' | 'space_supporter' | 'space_auditor' | null}
  > = {
    admin: {
      username: 'admin',
      groups: [
        'cloud_controller.admin',
        'scim.read',
        'scim.write',
        'clients.read',
        'network.admin',
        'network.write',
        'doppler.firehose',
        'routing.router_groups.read',
        'routing.router_groups.write',
      ],
      role: null,
    },
    adminReadOnly: {username: 'admin-read-only', groups: ['cloud_controller.admin_read_only'], role: null},
    globalAuditor: {username: 'global-auditor', groups: ['cloud_controller.global_auditor'], role: null},
    spaceDeveloper: {username: 'dev@acme.test', groups: [], role: 'space_developer'},
    spaceSupporter: {username: 'supporter@acme.test', groups: [], role: 'space_supporter'},
    spaceAuditor: {username: 'auditor@acme.test', groups: [], role: 'space_auditor'},
  }
  const users = {} as BaseFoundation['users']
  const userIds = {} as BaseFoundation['userIds']
  for (const [key, spec] of Object.entries(specs) as [SimUserName, (typeof specs)[SimUserName]][]) {
    const password = secret()
    const user = b.uaaUser(spec.username, password, [...DEFAULT_GROUPS, ...spec.groups])
    users[key] = {username: spec.username, password}
    userIds[key] = user.id
    if (spec.role) {
      b.role(user.id, 'organization_user', acme)
      b.role(user.id, spec.role, dev)
    }
  }

  b.actor = {guid: userIds.admin, type: 'user', name: users.admin.username}

  const domains = {
    apps: b.domain({name: 'apps.cfguard.test'}),
    internal: b.domain({name: 'apps.internal', internal: true}),
    tcp: b.domain({name: 'tcp.cfguard.test', routerGroupGuid: 'f7b6c4a8-0d3e-4b1a-9c2d-5e6f7a8b9c0d'}),
    secure: b.domain({name: 'secure.cfguard.test', enforceRoutePolicies: true, routePoliciesScope: 'space'}),
  }

  const sso = b.offering({
    name: 'p-identity',
    brokerGuid: b.broker('sso-broker').guid,
    tags: ['sso', 'oidc'],
    credentialStyle: 'sso',
    bindingsRetrievable: true,
    instancesRetrievable: true,
  })
  const redis = b.offering({
    name: 'p.redis',
    brokerGuid: b.broker('redis-broker').guid,
    tags: ['redis', 'cache'],
    credentialStyle: 'credhub-ref',
  })
  const rs = b.offering({
    name: 'rate-limiter',
    brokerGuid: b.broker('route-service-broker').guid,
    tags: ['route-service'],
    requires: ['route_forwarding'],
  })
  const legacy = b.offering({
    name: 'legacy-db',
    brokerGuid: b.broker('legacy-broker').guid,
    tags: ['database'],
    credentialStyle: 'static',
  })
  const plans = {
    sso: b.plan(sso, 'standard'),
    redis: b.plan(redis, 'cache-small'),
    routeService: b.plan(rs, 'default'),
    legacy: b.plan(legacy, 'shared'),
  }
  return {
    b,
    acme,
    dev,
    domains,
    plans,
    users,
    userIds,
    admin: {clientId: ADMIN_CLIENT_ID, clientSecret: adminSecret},
  }
}
