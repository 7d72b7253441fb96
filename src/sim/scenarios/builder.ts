/**
 * Builds foundation state directly (no HTTP): scenarios use it, and so can tests that need a
 * particular shape. Times are "ms ago" relative to the simulated clock at build time. The
 * platform part (orgs, users, apps, routes) is `PlatformBuilder`; this adds brokers, offerings,
 * plans, service instances, bindings, route bindings and route policies.
 */
import type {
  App,
  CredentialBinding,
  Route,
  RouteBinding,
  RoutePolicy,
  ServiceInstance,
  ServiceOffering,
  ServicePlan,
  Space,
} from '../core/model.js'
import {PRIVATE, recordEvent} from '../runtime/audit.js'
import {brokerCredentials} from '../runtime/broker.js'
import {emptyMetadata} from '../cc/metadata.js'
import {lastOp} from '../cc/service-instance-writes.js'
import {PlatformBuilder} from './platform-builder.js'

export type {AppSpec} from './platform-builder.js'

export class Builder extends PlatformBuilder {
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
}
