/**
 * The platform half of the scenario builder: orgs, spaces, UAA users and clients, roles, domains,
 * apps and their processes, routes and network policies. `Builder` adds the service half.
 * Times are "ms ago" relative to the simulated clock at build time.
 */
import type {
  App,
  Domain,
  Org,
  Process,
  Role,
  RoleType,
  Route,
  Space,
  UaaClient,
  UaaUser,
} from '../core/model.js'
import type {SimState} from '../core/state.js'
import type {AuditActor} from '../runtime/audit.js'
import {placeInstance, redesire} from '../runtime/diego.js'
import {createAppRecord, newProcess} from '../cc/apps.js'
import {emptyMetadata} from '../cc/metadata.js'

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

export class PlatformBuilder {
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
