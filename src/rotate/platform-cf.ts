/**
 * The rotation port over the real API layer (`src/cf`): one Cloud Controller / UAA call per port
 * method where CC has one, bulk lists elsewhere (`listApps`: apps, their processes with embedded
 * instances, and stats only on foundations older than CC 3.211). Thin on purpose: the engine
 * decides, this file translates.
 *
 * Errors: transport, auth and API failures stay `CfguardError`s (exit 4/5). The outcomes the
 * engine branches on come back as values: a taken companion name, CC's refusals of a second
 * binding (docs/platform-facts.md §5.6, by CC's detail text — CC sends all of them as
 * CF-UnprocessableEntity), UAA's "already has two secrets" / "only one secret" 400s (§9.5).
 *
 * Secret changes are sent once (`uaa.changeClientSecret` is never retried by the transport: a
 * repeated DELETE after a cut response would drop the next-older secret), so a lost answer fails
 * the step and the engine decides from platform state on the re-run.
 */

import {randomBytes} from 'node:crypto'

import type {CcClient} from '../cf/ccv3/client.js'
import type {CcCredentialBinding, CcDeployment, CcServiceInstance} from '../cf/ccv3/types.js'
import {isApiError} from '../cf/http/errors.js'
import {scopesOf, type TokenManager} from '../cf/http/tokens.js'
import type {Transport} from '../cf/http/transport.js'
import {joinUrl} from '../cf/http/url.js'
import type {UaaClient} from '../cf/uaa/client.js'
import {probeClientSecret} from '../cf/uaa/probe.js'
import {CfguardError, isCfguardError} from '../errors.js'
import {registerSecret} from '../redact.js'
import type {
  AppInfo,
  BindingCreateOutcome,
  BindingInfo,
  BindingRefusal,
  DeploymentInfo,
  InstanceInfo,
  OperationState,
  ProbeResult,
  RotationPlatform,
  SecretChangeOutcome,
  ServiceInstanceInfo,
} from './platform.js'

export interface CfPlatformDeps {
  cc: CcClient
  /** The session's UAA client (token endpoint, client reads, secret changes). */
  uaa: UaaClient
  transport: Transport
  tokens: Pick<TokenManager, 'current'>
  ccVersion: string
  now(): Date
  sleep(ms: number): Promise<void>
}

/** CC's embedded process instances (CC ≥ 3.211): instances of many processes in one list call. */
const EMBED_MIN = 'embeddedProcessInstances'

export function createCfRotationPlatform(deps: CfPlatformDeps): RotationPlatform {
  const {cc} = deps
  const discovered = new Map<string, Promise<string>>()

  /** The token endpoint an issuer names in its discovery document; the issuer itself otherwise. */
  const tokenEndpointOf = (issuer: string): Promise<string> => {
    let found = discovered.get(issuer)
    if (!found) {
      found = (async () => {
        try {
          const res = await deps.transport.request<{token_endpoint?: unknown}>({
            method: 'GET',
            url: joinUrl(issuer, '/.well-known/openid-configuration'),
            auth: 'none',
            allowStatus: [404],
            service: 'identity provider',
          })
          const endpoint = res.status === 200 ? res.data?.token_endpoint : undefined
          return typeof endpoint === 'string' && endpoint !== '' ? endpoint : issuer
        } catch {
          return issuer
        }
      })()
      discovered.set(issuer, found)
    }
    return found
  }

  return {
    async ccVersion() {
      return deps.ccVersion
    },

    async getServiceInstance(guid) {
      try {
        return serviceInstanceInfo(await cc.serviceInstances.get(guid))
      } catch (err) {
        if (isNotFound(err)) return null
        throw err
      }
    },

    async findServiceInstance(spaceGuid, name) {
      const si = await cc.serviceInstances.first({spaceGuids: [spaceGuid], names: [name]})
      return si ? serviceInstanceInfo(si) : null
    },

    async lastCredentialsEvent(guid) {
      const events = await cc.auditEvents.listAll({
        types: ['audit.user_provided_service_instance.create', 'audit.user_provided_service_instance.update'],
        targetGuids: [guid],
      })
      const changes = events.filter((e) => e.requestKeys.includes('credentials')).map((e) => e.createdAt)
      return changes.sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? null
    },

    async readUpsCredentials(guid) {
      return cc.serviceInstances.credentials(guid)
    },

    async updateServiceInstance(guid, update) {
      await cc.serviceInstances.update(guid, {
        ...(update.credentials !== undefined ? {credentials: update.credentials} : {}),
        ...(update.metadata !== undefined ? {metadata: update.metadata} : {}),
      })
    },

    async createUserProvidedService(input) {
      try {
        const si = await cc.serviceInstances.createUserProvided({
          name: input.name,
          spaceGuid: input.spaceGuid,
          credentials: input.credentials,
          metadata: input.metadata,
        })
        return {status: 'created', guid: si.guid}
      } catch (err) {
        if (isApiError(err) && (err.hasTitle('CF-ServiceInstanceNameTaken') || nameTaken(err)))
          return {status: 'name-taken'}
        throw err
      }
    },

    async deleteServiceInstance(guid) {
      try {
        const job = await cc.serviceInstances.delete(guid)
        if (job) await cc.jobs.poll(job, {timeoutMs: 5 * 60_000, intervalMs: 1000})
      } catch (err) {
        if (!isNotFound(err)) throw err
      }
    },

    async listBindings(serviceInstanceGuid, type) {
      const list = await cc.serviceCredentialBindings.listAll({
        serviceInstanceGuids: [serviceInstanceGuid],
        type,
      })
      return list.map(bindingInfo)
    },

    async getBinding(guid) {
      try {
        return bindingInfo(await cc.serviceCredentialBindings.get(guid))
      } catch (err) {
        if (isNotFound(err)) return null
        throw err
      }
    },

    async createAppBinding(input): Promise<BindingCreateOutcome> {
      try {
        const {binding} = await cc.serviceCredentialBindings.create({
          type: 'app',
          serviceInstanceGuid: input.serviceInstanceGuid,
          appGuid: input.appGuid,
          name: input.name,
          // `strategy` is unknown to CC before 3.205.0: send it only when it means something.
          ...(input.strategy === 'multiple' ? {strategy: 'multiple' as const} : {}),
          metadata: input.metadata,
        })
        if (binding) return {status: 'created', binding: bindingInfo(binding)}
        // Managed: 202 + job; the binding is visible at once (docs/platform-facts.md §5.5). CC allows one
        // create in progress per (app, instance), so the pair's newest binding is this one.
        const pair = await cc.serviceCredentialBindings.listAll({
          serviceInstanceGuids: [input.serviceInstanceGuid],
          appGuids: [input.appGuid],
          type: 'app',
        })
        const created = newest(pair.filter((b) => b.lastOperation.type === 'create'))
        if (!created) throw lostCreate('binding', input.appGuid)
        return {status: 'created', binding: bindingInfo(created)}
      } catch (err) {
        const reason = isApiError(err) && err.status === 422 ? bindingRefusal(err) : null
        if (reason) return {status: 'refused', reason, message: ccDetail(err)}
        throw err
      }
    },

    async createServiceKey(input) {
      const {binding} = await cc.serviceCredentialBindings.create({
        type: 'key',
        serviceInstanceGuid: input.serviceInstanceGuid,
        name: input.name,
        metadata: input.metadata,
      })
      if (binding) return bindingInfo(binding)
      // Key names are unique per instance: look the new one up by name.
      const key = await cc.serviceCredentialBindings.first({
        serviceInstanceGuids: [input.serviceInstanceGuid],
        names: [input.name],
        type: 'key',
      })
      if (!key) throw lostCreate('key', input.name)
      return bindingInfo(key)
    },

    async readBindingDetails(guid) {
      const details = await cc.serviceCredentialBindings.details(guid)
      return details.credentials
    },

    async updateBindingMetadata(guid, metadata) {
      await cc.serviceCredentialBindings.update(guid, {metadata})
    },

    async deleteBinding(guid) {
      try {
        await cc.serviceCredentialBindings.delete(guid)
      } catch (err) {
        if (!isNotFound(err)) throw err
      }
    },

    async listApps(appGuids) {
      if (appGuids.length === 0) return []
      const embed = cc.supports(EMBED_MIN)
      const [apps, processes] = await Promise.all([
        cc.apps.listAll({guids: appGuids}),
        cc.processes.listAll({appGuids, ...(embed ? {embed: 'process_instances' as const} : {})}),
      ])
      const started = new Set(apps.filter((a) => a.state === 'STARTED').map((a) => a.guid))
      // During a deployment an app has two web processes (old and new): every instance of both counts.
      const webInstances = new Map<string, InstanceInfo[]>()
      const unknown = new Map<string, string>()
      for (const p of processes.filter((x) => x.type === 'web')) {
        let instances: InstanceInfo[]
        if (embed) {
          instances = (p.actual ?? []).map((i) => ({
            index: i.index,
            instanceGuid: i.instanceGuid,
            state: i.state,
            since: i.state === 'DOWN' ? null : i.since,
          }))
        } else if (!started.has(p.appGuid) || p.instances === 0) {
          // Nothing runs: nothing to ask Diego about (and nothing lost when it cannot answer).
          instances = []
        } else {
          try {
            instances = (await cc.processes.stats(p.guid)).map((s) => ({
              index: s.index,
              instanceGuid: s.instanceGuid,
              state: s.state,
              since: s.state === 'DOWN' ? null : s.since,
            }))
          } catch (err) {
            const why = instancesUnavailable(err, deps.ccVersion)
            if (why === null) throw err
            unknown.set(p.appGuid, why)
            instances = []
          }
        }
        webInstances.set(p.appGuid, [...(webInstances.get(p.appGuid) ?? []), ...instances])
      }
      return apps.map((a): AppInfo => {
        const why = unknown.get(a.guid)
        return {
          guid: a.guid,
          name: a.name,
          state: a.state,
          spaceGuid: a.spaceGuid,
          processTypes: [...new Set(processes.filter((p) => p.appGuid === a.guid).map((p) => p.type))].sort(),
          webInstances: why === undefined ? (webInstances.get(a.guid) ?? []) : [],
          ...(why === undefined ? {} : {instancesUnknown: why}),
        }
      })
    },

    async createDeployment(input) {
      return deploymentInfo(
        await cc.deployments.create({
          appGuid: input.appGuid,
          strategy: 'rolling',
          maxInFlight: input.maxInFlight,
          metadata: input.metadata,
        }),
      )
    },

    async getDeployment(guid) {
      return deploymentInfo(await cc.deployments.get(guid))
    },

    async listDeployments(query) {
      if (query.appGuids.length === 0) return []
      const list = await cc.deployments.listAll({
        appGuids: query.appGuids,
        ...(query.statusValues ? {statusValues: query.statusValues} : {}),
        ...(query.labelSelector ? {labelSelector: query.labelSelector} : {}),
      })
      return list.map(deploymentInfo)
    },

    async getUaaClient(clientId) {
      try {
        const client = await deps.uaa.getClient(clientId)
        return {clientId: client.clientId, authorizedGrantTypes: client.grantTypes}
      } catch (err) {
        if (isCfguardError(err) && err.code === 'NOT_FOUND') return null
        throw err
      }
    },

    async uaaCallerScopes() {
      // The JWT's claim, else the grant response's scope (opaque tokens).
      return scopesOf(deps.tokens.current()) ?? []
    },

    async changeClientSecret(request): Promise<SecretChangeOutcome> {
      try {
        await deps.uaa.changeClientSecret(request.clientId, {
          changeMode: request.changeMode,
          ...(request.secret !== undefined ? {secret: request.secret} : {}),
          ...(request.oldSecret !== undefined ? {oldSecret: request.oldSecret} : {}),
        })
        return 'ok'
      } catch (err) {
        if (isCfguardError(err) && err.code === 'UNPROCESSABLE' && err.status === 400) {
          if (/two secrets/i.test(err.message)) return 'two-secrets'
          if (/only one secret/i.test(err.message)) return 'one-secret'
        }
        throw err
      }
    },

    async probeClientSecret(request): Promise<ProbeResult> {
      const endpoint =
        request.tokenEndpoint ??
        (request.issuer !== null ? await tokenEndpointOf(request.issuer) : deps.uaa.tokenUrl)
      const result = await probeClientSecret(deps.transport, endpoint, request.clientId, request.secret)
      return result.outcome
    },

    generateSecret() {
      // 32 random bytes (256 bits), URL-safe: fits UAA's secret policy and any credentials JSON.
      const secret = randomBytes(32).toString('base64url')
      registerSecret(secret)
      return secret
    },

    now: () => deps.now(),
    sleep: (ms) => deps.sleep(ms),
  }
}

// ---- decoding ---------------------------------------------------------------------------------

function serviceInstanceInfo(si: CcServiceInstance): ServiceInstanceInfo {
  return {
    guid: si.guid,
    name: si.name,
    type: si.type,
    spaceGuid: si.spaceGuid,
    labels: {...si.labels},
    annotations: {...si.annotations},
    updatedAt: si.updatedAt,
  }
}

const OPERATION_STATES: OperationState[] = ['initial', 'in progress', 'succeeded', 'failed']

function bindingInfo(b: CcCredentialBinding): BindingInfo {
  const op = b.lastOperation
  const type = op.type === 'delete' || op.type === 'update' ? op.type : 'create'
  const state = (OPERATION_STATES as string[]).includes(op.state) ? (op.state as OperationState) : 'succeeded'
  return {
    guid: b.guid,
    name: b.name,
    type: b.type,
    appGuid: b.appGuid,
    serviceInstanceGuid: b.serviceInstanceGuid,
    createdAt: b.createdAt,
    lastOperation: {type, state, updatedAt: op.updatedAt ?? b.updatedAt ?? b.createdAt},
    labels: {...b.labels},
    annotations: {...b.annotations},
  }
}

function deploymentInfo(d: CcDeployment): DeploymentInfo {
  return {
    guid: d.guid,
    appGuid: d.appGuid,
    statusValue: d.statusValue === 'FINALIZED' ? 'FINALIZED' : 'ACTIVE',
    statusReason: d.statusReason,
    createdAt: d.createdAt,
    labels: {...d.labels},
    annotations: {...d.annotations},
    error: d.error,
  }
}

function newest(bindings: CcCredentialBinding[]): CcCredentialBinding | undefined {
  return [...bindings].sort(
    (a, b) => b.createdAt.localeCompare(a.createdAt) || b.guid.localeCompare(a.guid),
  )[0]
}

// ---- errors -----------------------------------------------------------------------------------

function isNotFound(err: unknown): boolean {
  return isCfguardError(err) && (err.code === 'NOT_FOUND' || err.status === 404)
}

function ccDetail(err: unknown): string {
  if (isApiError(err)) {
    const detail = err.ccErrors.map((e) => e.detail).find((d) => typeof d === 'string' && d !== '')
    if (detail) return detail
  }
  return err instanceof Error ? err.message : String(err)
}

function nameTaken(err: unknown): boolean {
  return /name is taken/i.test(ccDetail(err))
}

/**
 * CC's 422s on a binding create (docs/platform-facts.md §5.6; all CF-UnprocessableEntity, told apart by
 * detail).
 */
function bindingRefusal(err: unknown): BindingRefusal | null {
  const detail = ccDetail(err)
  if (/too many bindings/i.test(detail)) return 'limit'
  if (/already bound/i.test(detail)) return 'already-bound'
  if (/in progress|delete.*(failed|progress)/i.test(detail)) return 'in-progress'
  if (/name cannot be changed/i.test(detail)) return 'name-mismatch'
  return null
}

/**
 * Why `/stats` could not say (docs/platform-facts.md §2.5: 503 = an internal upstream such as Diego is
 * unavailable, CC's `CF-InstancesUnavailable`), or null for failures that are not about the
 * instances (auth, a vanished process, a bug) and must stay errors.
 */
function instancesUnavailable(err: unknown, ccVersion: string): string | null {
  if (!isCfguardError(err) || err.status !== 503) return null
  return `Cloud Controller ${ccVersion} answered 503${err.apiTitle ? ` ${err.apiTitle}` : ''} to /stats`
}

function lostCreate(what: string, ref: string): CfguardError {
  return new CfguardError(
    'BAD_RESPONSE',
    `Cloud Controller accepted the new ${what} (${ref}) but does not list it`,
    {suggestions: ['re-run: the rotation resumes from what the platform shows']},
  )
}
