/**
 * An in-memory foundation behind the rotation engine's port, modelled on docs/platform-facts.md:
 *
 * - UAA (§8.6): at most two secrets per client; ADD appends (400 "two secrets" beyond that);
 *   DELETE drops the *older* secret and needs exactly two; UPDATE replaces all. Probes accept a
 *   listed secret (UAA's "Unauthorized grant type" counts as accepted). Several realms: the
 *   platform UAA and other identity providers keyed by token endpoint.
 * - UPS (§5.3): PATCH replaces the whole credentials object and copies it into every binding in
 *   the same step; metadata PATCHes merge (null deletes, §6); names are unique per space.
 * - Instances keep the VCAP values they started with; VCAP holds the newest `create succeeded`
 *   binding per instance (§5.6). A rolling deployment (§3.7) snapshots the env when created and
 *   replaces `max_in_flight` web instances per batch over fake time, then FINALIZED/DEPLOYED; a
 *   new deployment supersedes the active one; a stopped app is started and finalised at once.
 * - Managed bindings and keys are asynchronous (a broker job over fake time); `strategy:
 *   multiple` follows the limit and same-name rules; each binding/key gets its own broker-made
 *   UAA client, revoked when the binding is deleted.
 * - Audit-like records for every mutation and every secret read (§7).
 *
 * Faults: fail (the call throws an API error, before or after taking effect) or crash (throws
 * FakeCrash and the "process" is dead: every later call throws until `restart()`), on the Nth
 * call of an operation or the Nth call overall. Time only moves through `sleep` / `advance`.
 *
 * It does not import the engine's helpers: a misreading of the API in one must not hide in the other.
 */

import {CfguardError} from '../../src/errors.js'
import type {
  AppInfo,
  BindingCreateOutcome,
  BindingInfo,
  DeploymentInfo,
  MetadataPatch,
  ProbeResult,
  RotationPlatform,
  SecretChangeOutcome,
  ServiceInstanceInfo,
} from '../../src/rotate/platform.js'

export class FakeCrash extends Error {
  constructor(op: string) {
    super(`simulated process kill during ${op}`)
    this.name = 'FakeCrash'
  }
}

export type OpName = Exclude<keyof RotationPlatform, 'now' | 'generateSecret'>
export type FaultMode = 'fail-before' | 'fail-after' | 'crash-before' | 'crash-after'
export interface Fault {
  /** The Nth call of `op` (1-based) … */
  op?: OpName
  nth?: number
  /** … or the Nth call overall (1-based). */
  index?: number
  mode: FaultMode
  fired?: boolean
}

export interface CallRecord {
  index: number
  op: OpName
  /** Guids and modes only: never a secret. */
  args: string
  mutating: boolean
  result: 'ok' | 'failed' | 'crashed'
}

export interface AuditRecord {
  type: string
  targetGuid: string
  at: string
}

type Json = Record<string, unknown>

interface FakeSi {
  guid: string
  name: string
  type: 'managed' | 'user-provided'
  spaceGuid: string
  labels: Record<string, string>
  annotations: Record<string, string>
  credentials: Json | null
  updatedAt: number
}

interface FakeBinding {
  guid: string
  name: string | null
  type: 'app' | 'key'
  appGuid: string | null
  siGuid: string
  createdAt: number
  lastOperation: {type: 'create' | 'delete'; state: 'in progress' | 'succeeded' | 'failed'; updatedAt: number}
  labels: Record<string, string>
  annotations: Record<string, string>
  credentials: Json
  /** When the broker job finishes (managed). */
  jobDoneAt: number | null
  brokerFails: boolean
}

export interface FakeInstance {
  index: number
  instanceGuid: string
  state: 'RUNNING' | 'CRASHED' | 'DOWN'
  startedAt: number
  /** service instance guid → credentials the container started with */
  vcap: Map<string, Json>
}

interface FakeApp {
  guid: string
  name: string
  state: 'STARTED' | 'STOPPED'
  spaceGuid: string
  processTypes: string[]
  desired: number
  instances: FakeInstance[]
  /** Non-web process restarts at deployment finalisation. */
  restarts: number
}

interface FakeDeployment {
  guid: string
  appGuid: string
  createdAt: number
  maxInFlight: number
  statusValue: 'ACTIVE' | 'FINALIZED'
  statusReason: string
  labels: Record<string, string>
  annotations: Record<string, string>
  env: Map<string, Json>
  replaced: number
  nextBatchAt: number
}

interface FakeClient {
  secrets: string[]
}

export const PLATFORM_UAA = 'uaa'
const START = Date.parse('2026-11-28T12:00:00Z')

const clone = <T>(v: T): T => structuredClone(v)
const iso = (ms: number) => new Date(ms).toISOString()

export class FakePlatform implements RotationPlatform {
  clock = START
  version = '3.228.0'
  /** cc.max_service_credential_bindings_per_app_service_instance */
  bindingLimit = 5
  /** The broker fails a bind when the app already has a binding to the instance. */
  brokerRejectsSecondBinding = false
  brokerJobMs = 4_000
  deploymentBatchMs = 15_000
  /** Outcome of the next deployments per app guid (default DEPLOYED). */
  deploymentOutcome = new Map<string, 'DEPLOYED' | 'CANCELED'>()
  callerScopes = ['openid', 'cloud_controller.admin', 'clients.read', 'clients.secret']

  readonly instancesById = new Map<string, FakeSi>()
  readonly bindings = new Map<string, FakeBinding>()
  readonly apps = new Map<string, FakeApp>()
  readonly deployments = new Map<string, FakeDeployment>()
  /** realm → client id → client */
  readonly uaa = new Map<string, Map<string, FakeClient>>([[PLATFORM_UAA, new Map()]])
  readonly audit: AuditRecord[] = []
  readonly calls: CallRecord[] = []
  /** Secret changes that UAA applied (mode per change). */
  readonly secretChanges: {clientId: string; mode: string; at: string}[] = []
  /** Every secret this fake generated or was given: canaries for leak checks. */
  readonly knownSecrets: string[] = []
  faults: Fault[] = []
  dead = false
  /** Called after every call that took effect (for invariant checks at every step). */
  afterCall: ((op: OpName) => void) | null = null

  private seq = 0
  private opCounts = new Map<string, number>()

  // ---- setup (no call log, no audit) ---------------------------------------------------------

  guid(prefix: string): string {
    this.seq++
    return `${prefix}-${this.seq.toString(16).padStart(4, '0')}-0000-4000-8000-${(this.seq * 7919).toString(16).padStart(12, '0')}`
  }

  secret(label = 'secret'): string {
    const value = `${label}-${this.seq++}-${Math.random().toString(36).slice(2, 12)}`
    this.knownSecrets.push(value)
    return value
  }

  addClient(clientId: string, secrets: string[], realm = PLATFORM_UAA): void {
    if (!this.uaa.has(realm)) this.uaa.set(realm, new Map())
    this.uaa.get(realm)!.set(clientId, {secrets: [...secrets]})
    for (const s of secrets) if (!this.knownSecrets.includes(s)) this.knownSecrets.push(s)
  }

  client(clientId: string, realm = PLATFORM_UAA): FakeClient | undefined {
    return this.uaa.get(realm)?.get(clientId)
  }

  addUps(spaceGuid: string, name: string, credentials: Json): string {
    const guid = this.guid('ups')
    this.instancesById.set(guid, {
      guid,
      name,
      type: 'user-provided',
      spaceGuid,
      labels: {},
      annotations: {},
      credentials: clone(credentials),
      updatedAt: this.clock,
    })
    return guid
  }

  addManaged(spaceGuid: string, name: string): string {
    const guid = this.guid('msi')
    this.instancesById.set(guid, {
      guid,
      name,
      type: 'managed',
      spaceGuid,
      labels: {},
      annotations: {},
      credentials: null,
      updatedAt: this.clock,
    })
    return guid
  }

  addApp(
    spaceGuid: string,
    name: string,
    opts: {instances?: number; state?: 'STARTED' | 'STOPPED'; processTypes?: string[]} = {},
  ): string {
    const guid = this.guid('app')
    this.apps.set(guid, {
      guid,
      name,
      state: opts.state ?? 'STARTED',
      spaceGuid,
      processTypes: opts.processTypes ?? ['web'],
      desired: opts.instances ?? 2,
      instances: [],
      restarts: 0,
    })
    return guid
  }

  /** Binds at setup time, already succeeded (managed: a broker client is created). */
  bindAtSetup(appGuid: string, siGuid: string, name: string | null = null, ageMs = 0): string {
    const b = this.newBinding('app', siGuid, appGuid, name, {})
    b.createdAt = this.clock - ageMs
    b.lastOperation = {type: 'create', state: 'succeeded', updatedAt: b.createdAt}
    return b.guid
  }

  keyAtSetup(siGuid: string, name: string, ageMs = 0): string {
    const b = this.newBinding('key', siGuid, null, name, {})
    b.createdAt = this.clock - ageMs
    b.lastOperation = {type: 'create', state: 'succeeded', updatedAt: b.createdAt}
    return b.guid
  }

  /** Starts every started app's instances now, with the VCAP they would get. */
  startApps(ageMs = 86_400_000): void {
    for (const app of this.apps.values()) {
      app.instances =
        app.state === 'STARTED' ? this.freshInstances(app, this.vcapOf(app.guid), this.clock - ageMs) : []
    }
  }

  // ---- observation helpers for tests ---------------------------------------------------------

  advance(ms: number): void {
    this.clock += ms
    this.tick()
  }

  /** Running instances whose credentials (of any bound service) the identity provider rejects. */
  rejectedInstances(): {app: string; index: number; service: string}[] {
    const out: {app: string; index: number; service: string}[] = []
    for (const app of this.apps.values()) {
      if (app.state !== 'STARTED') continue
      for (const inst of app.instances) {
        if (inst.state !== 'RUNNING') continue
        for (const [siGuid, creds] of inst.vcap) {
          if (!this.credentialsAccepted(creds)) out.push({app: app.name, index: inst.index, service: siGuid})
        }
      }
    }
    return out
  }

  runningInstances(appGuid: string): FakeInstance[] {
    return this.apps.get(appGuid)?.instances.filter((i) => i.state === 'RUNNING') ?? []
  }

  instance(guid: string): FakeSi | undefined {
    return this.instancesById.get(guid)
  }

  app(guid: string): FakeApp | undefined {
    return this.apps.get(guid)
  }

  bindingsOf(siGuid: string, type: 'app' | 'key' = 'app'): FakeBinding[] {
    return [...this.bindings.values()].filter((b) => b.siGuid === siGuid && b.type === type)
  }

  changesOf(clientId: string, mode: string): number {
    return this.secretChanges.filter((c) => c.clientId === clientId && c.mode === mode).length
  }

  /** All state as JSON (for "nothing changed" comparisons). */
  snapshot(): string {
    const mapJson = (m: Map<string, unknown>) => [...m.entries()]
    return JSON.stringify({
      si: mapJson(this.instancesById),
      bindings: mapJson(this.bindings),
      apps: [...this.apps.values()].map((a) => ({
        ...a,
        instances: a.instances.map((i) => ({...i, vcap: mapJson(i.vcap)})),
      })),
      deployments: [...this.deployments.values()].map((d) => ({...d, env: mapJson(d.env)})),
      uaa: [...this.uaa.entries()].map(([r, m]) => [r, mapJson(m)]),
      audit: this.audit,
    })
  }

  restart(): void {
    this.dead = false
  }

  // ---- the port ------------------------------------------------------------------------------

  now(): Date {
    return new Date(this.clock)
  }

  generateSecret(): string {
    return this.secret('canary')
  }

  async sleep(ms: number): Promise<void> {
    await this.call('sleep', `${ms}ms`, false, () => {
      this.clock += ms
      this.tick()
    })
  }

  async ccVersion(): Promise<string> {
    return this.call('ccVersion', '', false, () => this.version)
  }

  async getServiceInstance(guid: string): Promise<ServiceInstanceInfo | null> {
    return this.call('getServiceInstance', guid, false, () => {
      const si = this.instancesById.get(guid)
      return si ? this.siInfo(si) : null
    })
  }

  async findServiceInstance(spaceGuid: string, name: string): Promise<ServiceInstanceInfo | null> {
    return this.call('findServiceInstance', `${spaceGuid} ${name}`, false, () => {
      const si = [...this.instancesById.values()].find((s) => s.spaceGuid === spaceGuid && s.name === name)
      return si ? this.siInfo(si) : null
    })
  }

  /** Credential-change audit events by instance guid (set by a test; none by default). */
  readonly credentialEvents = new Map<string, string>()

  async lastCredentialsEvent(guid: string): Promise<string | null> {
    return Promise.resolve(this.credentialEvents.get(guid) ?? null)
  }

  async readUpsCredentials(guid: string): Promise<Record<string, unknown>> {
    return this.call('readUpsCredentials', guid, false, () => {
      const si = this.requireSi(guid)
      if (si.type !== 'user-provided') throw notFound('Service instance not found')
      this.record('audit.user_provided_service_instance.show', guid)
      return clone(si.credentials ?? {})
    })
  }

  async updateServiceInstance(
    guid: string,
    update: {credentials?: Json; metadata?: MetadataPatch},
  ): Promise<void> {
    const what = [update.credentials ? 'credentials' : '', update.metadata ? 'metadata' : '']
      .filter(Boolean)
      .join('+')
    await this.call('updateServiceInstance', `${guid} ${what}`, true, () => {
      const si = this.requireSi(guid)
      if (update.credentials !== undefined) {
        if (si.type !== 'user-provided')
          throw unprocessable('credentials can only be set on user-provided services')
        si.credentials = clone(update.credentials)
        for (const b of this.bindings.values())
          if (b.siGuid === guid) b.credentials = clone(update.credentials)
      }
      if (update.metadata) mergeMetadata(si, update.metadata)
      si.updatedAt = this.clock
      this.record(
        si.type === 'user-provided'
          ? 'audit.user_provided_service_instance.update'
          : 'audit.service_instance.update',
        guid,
      )
    })
  }

  async createUserProvidedService(input: {
    spaceGuid: string
    name: string
    credentials: Json
    metadata: MetadataPatch
  }) {
    return this.call('createUserProvidedService', `${input.spaceGuid} ${input.name}`, true, () => {
      if (
        [...this.instancesById.values()].some((s) => s.spaceGuid === input.spaceGuid && s.name === input.name)
      ) {
        return {status: 'name-taken' as const}
      }
      const guid = this.guid('ups')
      const si: FakeSi = {
        guid,
        name: input.name,
        type: 'user-provided',
        spaceGuid: input.spaceGuid,
        labels: {},
        annotations: {},
        credentials: clone(input.credentials),
        updatedAt: this.clock,
      }
      mergeMetadata(si, input.metadata)
      this.instancesById.set(guid, si)
      this.record('audit.user_provided_service_instance.create', guid)
      return {status: 'created' as const, guid}
    })
  }

  async deleteServiceInstance(guid: string): Promise<void> {
    await this.call('deleteServiceInstance', guid, true, () => {
      const si = this.instancesById.get(guid)
      if (!si) return
      if (si.type !== 'user-provided') throw unprocessable('fake: only user-provided deletes are modelled')
      for (const b of [...this.bindings.values()]) if (b.siGuid === guid) this.bindings.delete(b.guid)
      this.instancesById.delete(guid)
      this.record('audit.user_provided_service_instance.delete', guid)
    })
  }

  async listBindings(serviceInstanceGuid: string, type: 'app' | 'key'): Promise<BindingInfo[]> {
    return this.call('listBindings', `${serviceInstanceGuid} ${type}`, false, () =>
      this.bindingsOf(serviceInstanceGuid, type).map((b) => this.bindingInfo(b)),
    )
  }

  async getBinding(guid: string): Promise<BindingInfo | null> {
    return this.call('getBinding', guid, false, () => {
      const b = this.bindings.get(guid)
      return b ? this.bindingInfo(b) : null
    })
  }

  async createAppBinding(input: {
    serviceInstanceGuid: string
    appGuid: string
    name: string | null
    strategy: 'single' | 'multiple'
    metadata: MetadataPatch
  }): Promise<BindingCreateOutcome> {
    return this.call(
      'createAppBinding',
      `${input.serviceInstanceGuid} ${input.appGuid} ${input.strategy}`,
      true,
      () => {
        const si = this.requireSi(input.serviceInstanceGuid)
        if (!this.apps.has(input.appGuid)) throw notFound('App not found')
        if (input.strategy === 'multiple' && cmpVersion(this.version, '3.205.0') < 0) {
          throw unprocessable('Unknown field(s): strategy')
        }
        // Bindings in `create failed` are deleted before counting (§5.6).
        for (const b of this.pairBindings(input.appGuid, si.guid)) {
          if (b.lastOperation.type === 'create' && b.lastOperation.state === 'failed') this.dropBinding(b)
        }
        const existing = this.pairBindings(input.appGuid, si.guid)
        if (existing.some((b) => b.lastOperation.state === 'in progress')) {
          return refusal(
            'in-progress',
            'There is already a binding in progress for this app and service instance',
          )
        }
        if (existing.some((b) => b.lastOperation.type === 'delete')) {
          return refusal(
            'in-progress',
            'A delete of a binding is in progress or failed for this app and service instance',
          )
        }
        if (existing.length > 0 && (input.strategy === 'single' || this.bindingLimit <= 1)) {
          return refusal('already-bound', 'The app is already bound to the service instance')
        }
        if (existing.length >= this.bindingLimit) {
          return refusal(
            'limit',
            `The app has too many bindings to this service instance (limit: ${this.bindingLimit})`,
          )
        }
        if (existing.some((b) => b.name !== input.name)) {
          return refusal(
            'name-mismatch',
            'The binding name cannot be changed for the same app and service instance',
          )
        }
        const b = this.newBinding('app', si.guid, input.appGuid, input.name, input.metadata)
        if (si.type === 'user-provided') {
          this.record('audit.service_binding.create', b.guid)
        } else {
          b.lastOperation = {type: 'create', state: 'in progress', updatedAt: this.clock}
          b.jobDoneAt = this.clock + this.brokerJobMs
          b.brokerFails = this.brokerRejectsSecondBinding && existing.length > 0
          this.record('audit.service_binding.start_create', b.guid)
        }
        return {status: 'created' as const, binding: this.bindingInfo(b)}
      },
    )
  }

  async createServiceKey(input: {
    serviceInstanceGuid: string
    name: string
    metadata: MetadataPatch
  }): Promise<BindingInfo> {
    return this.call('createServiceKey', `${input.serviceInstanceGuid} ${input.name}`, true, () => {
      const si = this.requireSi(input.serviceInstanceGuid)
      if (si.type !== 'managed')
        throw unprocessable('Service credential bindings of type key are only for managed instances')
      if (this.bindingsOf(si.guid, 'key').some((k) => k.name === input.name)) {
        throw unprocessable(
          `The binding name is invalid. Key binding names must be unique. The service instance already has a key binding with name '${input.name}'.`,
        )
      }
      const b = this.newBinding('key', si.guid, null, input.name, input.metadata)
      b.lastOperation = {type: 'create', state: 'in progress', updatedAt: this.clock}
      b.jobDoneAt = this.clock + this.brokerJobMs
      this.record('audit.service_key.start_create', b.guid)
      return this.bindingInfo(b)
    })
  }

  async readBindingDetails(guid: string): Promise<Record<string, unknown>> {
    return this.call('readBindingDetails', guid, false, () => {
      const b = this.bindings.get(guid)
      if (!b || b.lastOperation.type !== 'create' || b.lastOperation.state !== 'succeeded') {
        throw notFound('Service credential binding not found')
      }
      this.record(b.type === 'key' ? 'audit.service_key.show' : 'audit.service_binding.show', guid)
      return clone(b.credentials)
    })
  }

  async updateBindingMetadata(guid: string, metadata: MetadataPatch): Promise<void> {
    await this.call('updateBindingMetadata', guid, true, () => {
      const b = this.bindings.get(guid)
      if (!b) throw notFound('Service credential binding not found')
      mergeMetadata(b, metadata)
      this.record(b.type === 'key' ? 'audit.service_key.update' : 'audit.service_binding.update', guid)
    })
  }

  async deleteBinding(guid: string): Promise<void> {
    await this.call('deleteBinding', guid, true, () => {
      const b = this.bindings.get(guid)
      if (!b) return
      const si = this.requireSi(b.siGuid)
      const prefix = b.type === 'key' ? 'audit.service_key' : 'audit.service_binding'
      if (si.type === 'user-provided') {
        this.dropBinding(b)
        this.record(`${prefix}.delete`, guid)
        return
      }
      b.lastOperation = {type: 'delete', state: 'in progress', updatedAt: this.clock}
      b.jobDoneAt = this.clock + this.brokerJobMs
      this.record(`${prefix}.start_delete`, guid)
    })
  }

  async listApps(appGuids: string[]): Promise<AppInfo[]> {
    return this.call('listApps', appGuids.join(','), false, () =>
      appGuids.flatMap((g) => {
        const app = this.apps.get(g)
        if (!app) return []
        return [
          {
            guid: app.guid,
            name: app.name,
            state: app.state,
            spaceGuid: app.spaceGuid,
            processTypes: [...app.processTypes],
            webInstances: app.instances.map((i) => ({
              index: i.index,
              instanceGuid: i.instanceGuid,
              state: i.state,
              // stats report uptime in whole seconds: since = now − uptime
              since:
                i.state === 'DOWN'
                  ? null
                  : iso(this.clock - Math.floor((this.clock - i.startedAt) / 1000) * 1000),
            })),
          },
        ]
      }),
    )
  }

  async createDeployment(input: {
    appGuid: string
    maxInFlight: number
    metadata: MetadataPatch
  }): Promise<DeploymentInfo> {
    return this.call('createDeployment', `${input.appGuid} max_in_flight=${input.maxInFlight}`, true, () => {
      const app = this.apps.get(input.appGuid)
      if (!app) throw unprocessable('App not found')
      for (const d of this.deployments.values()) {
        if (d.appGuid === app.guid && d.statusValue === 'ACTIVE') {
          d.statusValue = 'FINALIZED'
          d.statusReason = 'SUPERSEDED'
        }
      }
      const d: FakeDeployment = {
        guid: this.guid('dep'),
        appGuid: app.guid,
        createdAt: this.clock,
        maxInFlight: input.maxInFlight,
        statusValue: 'ACTIVE',
        statusReason: 'DEPLOYING',
        labels: {},
        annotations: {},
        env: this.vcapOf(app.guid),
        replaced: 0,
        nextBatchAt: this.clock + this.deploymentBatchMs,
      }
      mergeMetadata(d, input.metadata)
      this.deployments.set(d.guid, d)
      this.record('audit.app.deployment.create', app.guid)
      if (app.state === 'STOPPED') {
        app.state = 'STARTED'
        app.instances = this.freshInstances(app, d.env, this.clock)
        d.statusValue = 'FINALIZED'
        d.statusReason = 'DEPLOYED'
      }
      return this.deploymentInfo(d)
    })
  }

  async getDeployment(guid: string): Promise<DeploymentInfo> {
    return this.call('getDeployment', guid, false, () => {
      const d = this.deployments.get(guid)
      if (!d) throw notFound('Deployment not found')
      return this.deploymentInfo(d)
    })
  }

  async listDeployments(query: {
    appGuids: string[]
    statusValues?: ('ACTIVE' | 'FINALIZED')[]
    labelSelector?: string
  }): Promise<DeploymentInfo[]> {
    const args = `${query.appGuids.join(',')} ${query.statusValues?.join(',') ?? ''} ${query.labelSelector ?? ''}`
    return this.call('listDeployments', args, false, () =>
      [...this.deployments.values()]
        .filter((d) => query.appGuids.includes(d.appGuid))
        .filter((d) => !query.statusValues || query.statusValues.includes(d.statusValue))
        .filter((d) => !query.labelSelector || matchesSelector(d.labels, query.labelSelector))
        .map((d) => this.deploymentInfo(d)),
    )
  }

  async getUaaClient(clientId: string) {
    return this.call('getUaaClient', clientId, false, () => {
      if (!this.callerScopes.some((s) => ['clients.read', 'clients.admin', 'uaa.admin'].includes(s))) {
        throw new CfguardError('FORBIDDEN', 'UAA: insufficient scope for this resource', {status: 403})
      }
      const c = this.client(clientId)
      return c ? {clientId, authorizedGrantTypes: ['authorization_code', 'refresh_token']} : null
    })
  }

  async uaaCallerScopes(): Promise<string[]> {
    return this.call('uaaCallerScopes', '', false, () => [...this.callerScopes])
  }

  async changeClientSecret(request: {
    clientId: string
    changeMode: 'ADD' | 'DELETE' | 'UPDATE'
    secret?: string
    oldSecret?: string
  }): Promise<SecretChangeOutcome> {
    return this.call('changeClientSecret', `${request.clientId} ${request.changeMode}`, true, () => {
      if (!this.callerScopes.some((s) => ['clients.secret', 'clients.admin', 'uaa.admin'].includes(s))) {
        throw new CfguardError('FORBIDDEN', 'UAA: insufficient scope for this resource', {status: 403})
      }
      const c = this.client(request.clientId)
      if (!c) throw notFound(`UAA: no client with id ${request.clientId}`)
      switch (request.changeMode) {
        case 'ADD':
          if (!request.secret || c.secrets.length >= 2) return 'two-secrets'
          c.secrets.push(request.secret)
          break
        case 'DELETE':
          if (c.secrets.length !== 2) return 'one-secret'
          c.secrets = [c.secrets[1]!]
          break
        case 'UPDATE':
          if (!request.secret)
            throw new CfguardError('API_ERROR', 'UAA: client secret is either empty', {status: 400})
          c.secrets = [request.secret]
          break
      }
      this.secretChanges.push({clientId: request.clientId, mode: request.changeMode, at: iso(this.clock)})
      return 'ok'
    })
  }

  async probeClientSecret(request: {
    clientId: string
    secret: string
    tokenEndpoint: string | null
    issuer: string | null
  }): Promise<ProbeResult> {
    const realm = request.tokenEndpoint ?? (request.issuer ? `${request.issuer}/oauth/token` : PLATFORM_UAA)
    return this.call('probeClientSecret', `${request.clientId} @${realm}`, false, () => {
      const clients = this.uaa.get(realm)
      if (!clients) return 'error'
      return clients.get(request.clientId)?.secrets.includes(request.secret) ? 'accepted' : 'rejected'
    })
  }

  // ---- internals -----------------------------------------------------------------------------

  private async call<T>(op: OpName, args: string, mutating: boolean, fn: () => T): Promise<T> {
    // Let concurrent callers interleave, as with real I/O.
    await new Promise((resolve) => setImmediate(resolve))
    if (this.dead) throw new FakeCrash(`${op} (after the kill)`)
    this.tick()
    const nth = (this.opCounts.get(op) ?? 0) + 1
    this.opCounts.set(op, nth)
    const index = this.calls.length + 1
    const fault = this.faults.find(
      (f) => !f.fired && ((f.op === op && f.nth === nth) || (f.index !== undefined && f.index === index)),
    )
    const record: CallRecord = {index, op, args, mutating, result: 'ok'}
    this.calls.push(record)
    if (fault) fault.fired = true
    if (fault?.mode === 'fail-before') {
      record.result = 'failed'
      throw new CfguardError('API_UNAVAILABLE', `injected failure of ${op}`, {status: 503})
    }
    if (fault?.mode === 'crash-before') {
      record.result = 'crashed'
      this.dead = true
      throw new FakeCrash(op)
    }
    const result = fn()
    this.afterCall?.(op)
    if (fault?.mode === 'fail-after') {
      record.result = 'failed'
      throw new CfguardError('API_UNAVAILABLE', `injected failure of ${op} (after it took effect)`, {
        status: 504,
      })
    }
    if (fault?.mode === 'crash-after') {
      record.result = 'crashed'
      this.dead = true
      throw new FakeCrash(op)
    }
    return result
  }

  private record(type: string, targetGuid: string): void {
    this.audit.push({type, targetGuid, at: iso(this.clock)})
  }

  private requireSi(guid: string): FakeSi {
    const si = this.instancesById.get(guid)
    if (!si) throw notFound('Service instance not found')
    return si
  }

  private siInfo(si: FakeSi): ServiceInstanceInfo {
    return {
      guid: si.guid,
      name: si.name,
      type: si.type,
      spaceGuid: si.spaceGuid,
      labels: {...si.labels},
      annotations: {...si.annotations},
      updatedAt: iso(si.updatedAt),
    }
  }

  private bindingInfo(b: FakeBinding): BindingInfo {
    return {
      guid: b.guid,
      name: b.name,
      type: b.type,
      appGuid: b.appGuid,
      serviceInstanceGuid: b.siGuid,
      createdAt: iso(b.createdAt),
      lastOperation: {...b.lastOperation, updatedAt: iso(b.lastOperation.updatedAt)},
      labels: {...b.labels},
      annotations: {...b.annotations},
    }
  }

  private deploymentInfo(d: FakeDeployment): DeploymentInfo {
    return {
      guid: d.guid,
      appGuid: d.appGuid,
      statusValue: d.statusValue,
      statusReason: d.statusReason,
      createdAt: iso(d.createdAt),
      labels: {...d.labels},
      annotations: {...d.annotations},
      error: null,
    }
  }

  private pairBindings(appGuid: string, siGuid: string): FakeBinding[] {
    return [...this.bindings.values()].filter(
      (b) => b.type === 'app' && b.appGuid === appGuid && b.siGuid === siGuid,
    )
  }

  private newBinding(
    type: 'app' | 'key',
    siGuid: string,
    appGuid: string | null,
    name: string | null,
    metadata: MetadataPatch,
  ): FakeBinding {
    const si = this.requireSi(siGuid)
    const guid = this.guid(type === 'key' ? 'key' : 'bnd')
    let credentials: Json
    if (si.type === 'user-provided') {
      credentials = clone(si.credentials ?? {})
    } else {
      // The broker makes a UAA client per binding.
      const clientId = `broker-${guid}`
      const secret = this.secret('broker')
      this.addClient(clientId, [secret])
      credentials = {client_id: clientId, client_secret: secret, uri: `https://svc.example.com/${si.name}`}
    }
    const b: FakeBinding = {
      guid,
      name,
      type,
      appGuid,
      siGuid,
      createdAt: this.clock,
      lastOperation: {type: 'create', state: 'succeeded', updatedAt: this.clock},
      labels: {},
      annotations: {},
      credentials,
      jobDoneAt: null,
      brokerFails: false,
    }
    mergeMetadata(b, metadata)
    this.bindings.set(guid, b)
    return b
  }

  private dropBinding(b: FakeBinding): void {
    this.bindings.delete(b.guid)
    const clientId = b.credentials.client_id
    const si = this.instancesById.get(b.siGuid)
    if (si?.type === 'managed' && typeof clientId === 'string') this.uaa.get(PLATFORM_UAA)!.delete(clientId)
  }

  /** VCAP of an app now: per bound instance, the newest binding in `create succeeded`. */
  private vcapOf(appGuid: string): Map<string, Json> {
    const newest = new Map<string, FakeBinding>()
    for (const b of this.bindings.values()) {
      if (b.type !== 'app' || b.appGuid !== appGuid) continue
      if (b.lastOperation.type !== 'create' || b.lastOperation.state !== 'succeeded') continue
      const cur = newest.get(b.siGuid)
      if (!cur || b.createdAt >= cur.createdAt) newest.set(b.siGuid, b)
    }
    return new Map([...newest.entries()].map(([si, b]) => [si, clone(b.credentials)]))
  }

  private freshInstances(app: FakeApp, env: Map<string, Json>, at: number): FakeInstance[] {
    return Array.from({length: app.desired}, (_, index) => ({
      index,
      instanceGuid: this.guid('inst'),
      state: 'RUNNING' as const,
      startedAt: at,
      vcap: new Map([...env.entries()].map(([k, v]) => [k, clone(v)])),
    }))
  }

  private credentialsAccepted(creds: Json): boolean {
    const block = typeof creds.uaa === 'object' && creds.uaa !== null ? (creds.uaa as Json) : creds
    const clientId = block.client_id ?? block.clientid
    const secret = block.client_secret ?? block.clientsecret
    if (typeof clientId !== 'string' || typeof secret !== 'string') return true
    const realm = typeof block.token_endpoint === 'string' ? block.token_endpoint : PLATFORM_UAA
    return this.uaa.get(realm)?.get(clientId)?.secrets.includes(secret) ?? false
  }

  /** Moves broker jobs and deployments forward to the current fake time. */
  private tick(): void {
    for (const b of [...this.bindings.values()]) {
      if (b.jobDoneAt === null || b.jobDoneAt > this.clock) continue
      const prefix = b.type === 'key' ? 'audit.service_key' : 'audit.service_binding'
      const doneAt = b.jobDoneAt
      b.jobDoneAt = null
      if (b.lastOperation.type === 'delete') {
        this.dropBinding(b)
        this.audit.push({type: `${prefix}.delete`, targetGuid: b.guid, at: iso(doneAt)})
      } else if (b.brokerFails) {
        b.lastOperation = {type: 'create', state: 'failed', updatedAt: doneAt}
      } else {
        b.lastOperation = {type: 'create', state: 'succeeded', updatedAt: doneAt}
        this.audit.push({type: `${prefix}.create`, targetGuid: b.guid, at: iso(doneAt)})
      }
    }
    for (const d of this.deployments.values()) {
      const app = this.apps.get(d.appGuid)
      while (app && d.statusValue === 'ACTIVE' && d.nextBatchAt <= this.clock) {
        if (this.deploymentOutcome.get(app.guid) === 'CANCELED') {
          d.statusValue = 'FINALIZED'
          d.statusReason = 'CANCELED'
          break
        }
        const batchEnd = Math.min(app.desired, d.replaced + d.maxInFlight)
        for (let index = d.replaced; index < batchEnd; index++) {
          const fresh: FakeInstance = {
            index,
            instanceGuid: this.guid('inst'),
            state: 'RUNNING',
            startedAt: d.nextBatchAt,
            vcap: new Map([...d.env.entries()].map(([k, v]) => [k, clone(v)])),
          }
          const at = app.instances.findIndex((i) => i.index === index)
          if (at >= 0) app.instances[at] = fresh
          else app.instances.push(fresh)
        }
        d.replaced = batchEnd
        d.nextBatchAt += this.deploymentBatchMs
        if (d.replaced >= app.desired) {
          d.statusValue = 'FINALIZED'
          d.statusReason = 'DEPLOYED'
          if (app.processTypes.some((t) => t !== 'web')) app.restarts++
        }
      }
    }
  }
}

function mergeMetadata(
  target: {labels: Record<string, string>; annotations: Record<string, string>},
  patch: MetadataPatch,
) {
  for (const [kind, values] of [
    ['labels', patch.labels],
    ['annotations', patch.annotations],
  ] as const) {
    for (const [k, v] of Object.entries(values ?? {})) {
      if (v === null) delete target[kind][k]
      else target[kind][k] = v
    }
  }
}

/** CC label selectors, the two forms used here: `key` (exists) and `key=value`, ANDed by commas. */
function matchesSelector(labels: Record<string, string>, selector: string): boolean {
  return selector.split(',').every((req) => {
    const [key, value] = req.split('=') as [string, string | undefined]
    return value === undefined ? key in labels : labels[key] === value
  })
}

function refusal(
  reason: 'limit' | 'already-bound' | 'in-progress' | 'name-mismatch',
  message: string,
): BindingCreateOutcome {
  return {status: 'refused', reason, message}
}

const notFound = (message: string) => new CfguardError('NOT_FOUND', message, {status: 404})
const unprocessable = (message: string) => new CfguardError('UNPROCESSABLE', message, {status: 422})

function cmpVersion(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0)
  return 0
}
