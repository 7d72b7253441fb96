/**
 * Builds foundation state directly (no HTTP): scenarios use it, and so can tests that need a
 * particular shape. Times are "ms ago" relative to the simulated clock at build time.
 */
import type {
  App,
  CredentialBinding,
  Domain,
  Org,
  Process,
  Role,
  RoleType,
  Route,
  RouteBinding,
  RoutePolicy,
  ServiceInstance,
  ServiceOffering,
  ServicePlan,
  Space,
  UaaClient,
  UaaUser,
} from '../core/model.js'
import type {SimState} from '../core/state.js'
import {PRIVATE, recordEvent, type AuditActor} from '../runtime/audit.js'
import {brokerCredentials} from '../runtime/broker.js'
import {placeInstance, redesire} from '../runtime/diego.js'
import {createAppRecord, newProcess} from '../cc/apps.js'
import {emptyMetadata} from '../cc/metadata.js'
import {lastOp} from '../cc/service-instance-writes.js'

export interface AppSpec {
  space: Space
  name: string
  instances?: number
  /** Extra processes (workers). */
  processes?: {type: string; instances: number}[]
  env?: Record<string, string>
  createdAgoMs?: number
  labels?: Record<string, string>
}

export class Builder {
  readonly now: number

  constructor(
    readonly state: SimState,
    public actor: AuditActor = {guid: 'admin', type: 'user', name: 'admin'},
  ) {
    this.now = state.now()
  }

  ago(ms: number | undefined): number {
    return this.now - (ms ?? 0)
  }

  org(name: string): Org {
    return this.state.orgs.create(this.state.row(this.ago(400 * 86_400_000)), {
      name,
      metadata: emptyMetadata(),
    })
  }

  space(org: Org, name: string): Space {
    return this.state.spaces.create(this.state.row(this.ago(400 * 86_400_000)), {
      name,
      orgGuid: org.guid,
      metadata: emptyMetadata(),
    })
  }

  uaaUser(userName: string, password: string, groups: string[]): UaaUser {
    const user: UaaUser = {
      id: this.state.guid(),
      userName,
      password,
      email: userName.includes('@') ? userName : `${userName}@cfguard.test`,
      origin: 'uaa',
      groups,
    }
    this.state.uaa.users.set(user.id, user)
    this.state.uaa.usersByName.set(user.userName, user)
    this.state.users.create(this.state.row(this.ago(400 * 86_400_000)), {
      guid: user.id,
      username: userName,
      origin: 'uaa',
      metadata: emptyMetadata(),
    })
    return user
  }

  uaaClient(input: Partial<UaaClient> & {clientId: string}): UaaClient {
    const client: UaaClient = {
      secrets: [],
      name: null,
      authorizedGrantTypes: ['client_credentials'],
      scope: [],
      authorities: [],
      resourceIds: [],
      redirectUris: [],
      autoapprove: false,
      allowPublic: false,
      accessTokenValidity: null,
      refreshTokenValidity: null,
      requiredUserGroups: [],
      lastModified: this.now,
      createdWith: null,
      ...input,
    }
    this.state.uaa.clients.set(client.clientId, client)
    return client
  }

  /** A CC user row for a client (§2.1), so it can hold roles. */
  clientUser(clientId: string): void {
    if (!this.state.users.get(clientId)) {
      this.state.users.create(this.state.row(), {
        guid: clientId,
        username: null,
        origin: null,
        metadata: emptyMetadata(),
      })
    }
  }

  role(userGuid: string, type: RoleType, where: Space | Org): Role {
    const isSpace = type.startsWith('space_')
    return this.state.roles.create(this.state.row(), {
      type,
      userGuid,
      spaceGuid: isSpace ? where.guid : null,
      orgGuid: isSpace ? null : where.guid,
    })
  }

  domain(input: Partial<Domain> & {name: string}): Domain {
    return this.state.domains.create(this.state.row(this.ago(400 * 86_400_000)), {
      internal: false,
      routerGroupGuid: null,
      orgGuid: null,
      sharedOrgGuids: [],
      enforceRoutePolicies: false,
      routePoliciesScope: null,
      metadata: emptyMetadata(),
      ...input,
    })
  }

  app(spec: AppSpec): App {
    const at = this.ago(spec.createdAgoMs ?? 120 * 86_400_000)
    const app = createAppRecord(this.state, {
      name: spec.name,
      spaceGuid: spec.space.guid,
      env: spec.env,
      at,
      instances: spec.instances ?? 1,
    })
    if (spec.labels) app.metadata.labels = {...spec.labels}
    for (const p of spec.processes ?? [])
      this.state.processes.add(newProcess(this.state, app, p.type, p.instances, at))
    return app
  }

  processes(app: App): Process[] {
    return this.state.processes.lookup('app', app.guid)
  }

  web(app: App): Process {
    return this.processes(app).find((p) => p.type === 'web')!
  }

  /** Marks the app STARTED with RUNNING instances that started `agoMs` ago, holding the current bindings. */
  start(app: App, agoMs = 3 * 86_400_000): App {
    const at = this.ago(agoMs)
    app.state = 'STARTED'
    for (const p of this.processes(app)) {
      redesire(this.state, app, p, at)
      p.actual = []
      for (let i = 0; i < p.instances; i++) placeInstance(this.state, p, i, at, p.lrpEnv, true)
    }
    return app
  }

  route(
    space: Space,
    domain: Domain,
    host: string,
    extra: {path?: string; port?: number; options?: Record<string, string>; createdAgoMs?: number} = {},
  ): Route {
    return this.state.routes.create(this.state.row(this.ago(extra.createdAgoMs ?? 100 * 86_400_000)), {
      host,
      path: extra.path ?? '',
      port: extra.port ?? null,
      domainGuid: domain.guid,
      spaceGuid: space.guid,
      sharedSpaceGuids: [],
      destinations: [],
      options: {...(extra.options ?? {})},
      metadata: emptyMetadata(),
    })
  }

  map(
    route: Route,
    app: App,
    extra: {processType?: string; port?: number; protocol?: 'http1' | 'http2' | 'tcp'; weight?: number} = {},
  ): void {
    const domain = this.state.domains.get(route.domainGuid)
    route.destinations.push({
      guid: this.state.guid(),
      appGuid: app.guid,
      processType: extra.processType ?? 'web',
      port: extra.port ?? 8080,
      protocol: extra.protocol ?? (domain?.routerGroupGuid ? 'tcp' : 'http1'),
      weight: extra.weight ?? null,
      createdAt: route.createdAt,
      updatedAt: route.createdAt,
    })
    this.state.routes.reindex(route)
  }

  broker(name: string) {
    return this.state.brokers.create(this.state.row(this.ago(400 * 86_400_000)), {
      name,
      url: `https://${name}.brokers.cfguard.test`,
    })
  }

  offering(input: Partial<ServiceOffering> & {name: string; brokerGuid: string}): ServiceOffering {
    return this.state.offerings.create(this.state.row(this.ago(400 * 86_400_000)), {
      description: `${input.name} service`,
      tags: [],
      requires: [],
      shareable: true,
      bindingsRetrievable: false,
      instancesRetrievable: false,
      credentialStyle: 'static',
      brokerFails: false,
      metadata: emptyMetadata(),
      ...input,
    })
  }

  plan(offering: ServiceOffering, name: string): ServicePlan {
    return this.state.plans.create(this.state.row(this.ago(400 * 86_400_000)), {
      name,
      offeringGuid: offering.guid,
      free: true,
      metadata: emptyMetadata(),
    })
  }

  ups(
    space: Space,
    name: string,
    credentials: Record<string, unknown>,
    extra: {tags?: string[]; createdAgoMs?: number; routeServiceUrl?: string; syslogDrainUrl?: string} = {},
  ): ServiceInstance {
    const at = this.ago(extra.createdAgoMs ?? 90 * 86_400_000)
    const si = this.state.serviceInstances.create(this.state.row(at), {
      name,
      type: 'user-provided',
      spaceGuid: space.guid,
      planGuid: null,
      tags: extra.tags ?? [],
      credentials: {...credentials},
      syslogDrainUrl: extra.syslogDrainUrl ?? null,
      routeServiceUrl: extra.routeServiceUrl ?? null,
      dashboardUrl: null,
      parameters: {},
      sharedSpaceGuids: [],
      lastOperation: lastOp('create', 'succeeded', at),
      metadata: emptyMetadata(),
    })
    recordEvent(this.state, {
      type: 'audit.user_provided_service_instance.create',
      actor: this.actor,
      target: {guid: si.guid, type: 'user_provided_service_instance', name},
      data: {
        request: {
          name,
          type: 'user-provided',
          credentials: PRIVATE,
          tags: si.tags,
          relationships: {space: {data: {guid: space.guid}}},
        },
      },
      spaceGuid: space.guid,
      at,
    })
    return si
  }

  /** Changes UPS credentials as a PATCH would, `agoMs` ago (bindings get the new object; running instances do not). */
  updateUps(si: ServiceInstance, credentials: Record<string, unknown> | null, agoMs: number): void {
    const at = this.ago(agoMs)
    if (credentials) {
      si.credentials = {...credentials}
      for (const b of this.state.bindings.lookup('instance', si.guid)) {
        b.credentials = si.credentials
        b.updatedAt = at
      }
    }
    si.lastOperation = lastOp('update', 'succeeded', at)
    si.updatedAt = at
    recordEvent(this.state, {
      type: 'audit.user_provided_service_instance.update',
      actor: this.actor,
      target: {guid: si.guid, type: 'user_provided_service_instance', name: si.name},
      data: {request: credentials ? {credentials: PRIVATE} : {metadata: {annotations: {note: 'touched'}}}},
      spaceGuid: si.spaceGuid,
      at,
    })
  }

  managed(space: Space, name: string, plan: ServicePlan, createdAgoMs = 90 * 86_400_000): ServiceInstance {
    const at = this.ago(createdAgoMs)
    const si = this.state.serviceInstances.create(this.state.row(at), {
      name,
      type: 'managed',
      spaceGuid: space.guid,
      planGuid: plan.guid,
      tags: [],
      credentials: {},
      syslogDrainUrl: null,
      routeServiceUrl: null,
      dashboardUrl: `https://dashboard.cfguard.test/instances/${name}`,
      parameters: {},
      sharedSpaceGuids: [],
      lastOperation: lastOp('create', 'succeeded', at),
      metadata: emptyMetadata(),
    })
    recordEvent(this.state, {
      type: 'audit.service_instance.create',
      actor: this.actor,
      target: {guid: si.guid, type: 'service_instance', name},
      data: {request: {name, type: 'managed', parameters: PRIVATE}},
      spaceGuid: space.guid,
      at,
    })
    return si
  }

  bind(
    app: App | null,
    si: ServiceInstance,
    extra: {name?: string | null; createdAgoMs?: number} = {},
  ): CredentialBinding {
    const at = this.ago(extra.createdAgoMs ?? 60 * 86_400_000)
    const issued =
      si.type === 'managed'
        ? brokerCredentials(this.state, si, at)
        : {credentials: si.credentials, clientId: null}
    const binding = this.state.bindings.create(this.state.row(at), {
      name: extra.name ?? null,
      type: app ? 'app' : 'key',
      appGuid: app?.guid ?? null,
      serviceInstanceGuid: si.guid,
      credentials: issued.credentials,
      syslogDrainUrl: si.syslogDrainUrl,
      parameters: {},
      lastOperation: lastOp('create', 'succeeded', at),
      brokerClientId: issued.clientId,
      metadata: emptyMetadata(),
    })
    recordEvent(this.state, {
      type: app ? 'audit.service_binding.create' : 'audit.service_key.create',
      actor: this.actor,
      target: {guid: binding.guid, type: app ? 'service_binding' : 'service_key', name: binding.name ?? ''},
      data: {
        request: {
          type: binding.type,
          name: binding.name,
          relationships: {
            service_instance: {data: {guid: si.guid}},
            ...(app ? {app: {data: {guid: app.guid}}} : {}),
          },
        },
      },
      spaceGuid: app?.spaceGuid ?? si.spaceGuid,
      at,
    })
    return binding
  }

  routeBinding(route: Route, si: ServiceInstance): RouteBinding {
    return this.state.routeBindings.create(this.state.row(this.ago(30 * 86_400_000)), {
      routeGuid: route.guid,
      serviceInstanceGuid: si.guid,
      routeServiceUrl: si.routeServiceUrl,
      lastOperation: lastOp('create', 'succeeded', this.ago(30 * 86_400_000)),
      metadata: emptyMetadata(),
    })
  }

  routePolicy(route: Route, source: string): RoutePolicy {
    return this.state.routePolicies.create(this.state.row(this.ago(20 * 86_400_000)), {
      routeGuid: route.guid,
      source,
      metadata: emptyMetadata(),
    })
  }

  networkPolicy(source: App, destination: App, port: number): void {
    this.state.networkPolicies.push({
      sourceAppGuid: source.guid,
      destinationAppGuid: destination.guid,
      protocol: 'tcp',
      portStart: port,
      portEnd: port,
    })
  }
}
