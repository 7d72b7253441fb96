/**
 * The port the rotation engine drives: every platform operation it needs, in domain terms and
 * close to one CC v3 / UAA call each (docs/platform-facts.md §3.5, §3.7, §§5–6, §9), so the adapter over
 * `src/cf/` stays thin. Secrets cross this boundary only as values of credentials objects, the
 * `secret`/`oldSecret` of a secret change and the probe input; the engine registers each one with
 * `registerSecret` the moment it sees it.
 *
 * Error contract: implementations throw `CfguardError` for transport, auth (4) and API (5)
 * failures. Outcomes the engine must branch on are returned, not thrown: a taken name, a refused
 * second binding, UAA's "already has two secrets" / "only one secret".
 */

export type Annotations = Record<string, string>

/** CC metadata PATCH: deep merge; a `null` value deletes the key (docs/platform-facts.md §6). */
export interface MetadataPatch {
  labels?: Record<string, string | null>
  annotations?: Record<string, string | null>
}

export type OperationState = 'initial' | 'in progress' | 'succeeded' | 'failed'

export interface LastOperation {
  type: 'create' | 'update' | 'delete'
  state: OperationState
  /** ISO time of the operation's last change: when a managed bind/unbind completed. */
  updatedAt: string
}

/** `GET /v3/service_instances/:guid`. */
export interface ServiceInstanceInfo {
  guid: string
  name: string
  type: 'managed' | 'user-provided'
  spaceGuid: string
  labels: Annotations
  annotations: Annotations
  updatedAt: string
}

/** `GET /v3/service_credential_bindings` (app bindings and service keys). */
export interface BindingInfo {
  guid: string
  name: string | null
  type: 'app' | 'key'
  /** null for service keys */
  appGuid: string | null
  serviceInstanceGuid: string
  createdAt: string
  lastOperation: LastOperation
  labels: Annotations
  annotations: Annotations
}

/** Why CC refused `POST /v3/service_credential_bindings` with 422 (docs/platform-facts.md §5.6). */
export type BindingRefusal =
  /** "The app has too many bindings to this service instance (limit: N)" */
  | 'limit'
  /** "The app is already bound to the service instance" (strategy single, or limit 1) */
  | 'already-bound'
  /** "There is already a binding in progress" / a delete in progress or failed */
  | 'in-progress'
  /** "The binding name cannot be changed for the same app and service instance" */
  | 'name-mismatch'

export type BindingCreateOutcome =
  {status: 'created'; binding: BindingInfo} | {status: 'refused'; reason: BindingRefusal; message: string}

export type InstanceState = 'RUNNING' | 'CRASHED' | 'STARTING' | 'STOPPING' | 'DOWN' | 'UNKNOWN'

/** One web process instance (`/v3/processes/:guid/stats`, `since` = now − uptime). */
export interface InstanceInfo {
  index: number
  instanceGuid: string | null
  state: InstanceState
  /** ISO time the instance entered its current state; null when unknown (DOWN). */
  since: string | null
}

export interface AppInfo {
  guid: string
  name: string
  state: 'STARTED' | 'STOPPED'
  spaceGuid: string
  /** All process types of the app; non-web ones restart (not roll) when a deployment finalises. */
  processTypes: string[]
  /** Empty (not absent) when `instancesUnknown` says they could not be read. */
  webInstances: InstanceInfo[]
  /**
   * Why the web instances could not be read (e.g. `/stats` 503 CF-InstancesUnavailable on CC
   * < 3.211, Diego unavailable); absent when `webInstances` is the full list. Unknown is never
   * fresh: a rotation cannot verify an app whose instances it cannot see.
   */
  instancesUnknown?: string
}

/** `GET /v3/deployments/:guid` (docs/platform-facts.md §3.7). */
export interface DeploymentInfo {
  guid: string
  appGuid: string
  statusValue: 'ACTIVE' | 'FINALIZED'
  /** DEPLOYING | PAUSED | CANCELING | DEPLOYED | CANCELED | SUPERSEDED */
  statusReason: string
  createdAt: string
  labels: Annotations
  annotations: Annotations
  /** `status.details.error`, when CC reports one. */
  error: string | null
}

/**
 * `GET /oauth/clients/:id` (no secret; the number of secrets is not exposed, docs/platform-facts.md §9.4).
 */
export interface UaaClientInfo {
  clientId: string
  authorizedGrantTypes: string[]
}

export type SecretChangeMode = 'ADD' | 'DELETE' | 'UPDATE'

/** UAA 200, or the two 400s a rotation must tell apart (docs/platform-facts.md §9.5). */
export type SecretChangeOutcome = 'ok' | 'two-secrets' | 'one-secret'

/**
 * A secret tried at a token endpoint with `grant_type=client_credentials`: `accepted` on a token
 * or UAA's "Unauthorized grant type" / RFC 6749 `unauthorized_client` (right secret, grant not
 * allowed, docs/platform-facts.md §9.1); `rejected` on "Bad credentials" / `invalid_client`; `error` when the
 * endpoint could not say (network, 5xx, unknown endpoint).
 */
export type ProbeResult = 'accepted' | 'rejected' | 'error'

export interface RotationPlatform {
  // ---- Cloud Controller ------------------------------------------------------------------
  /** CC API version from `GET /` (`links.cloud_controller_v3.meta.version`). */
  ccVersion(): Promise<string>
  /** null on 404. */
  getServiceInstance(guid: string): Promise<ServiceInstanceInfo | null>
  /** `GET /v3/service_instances?space_guids=&names=`; null when absent. */
  findServiceInstance(spaceGuid: string, name: string): Promise<ServiceInstanceInfo | null>
  /**
   * Time of the newest `audit.user_provided_service_instance.create|update` of `guid` whose
   * request carried `credentials` (docs/platform-facts.md §7); null when none is visible (pruned after 31
   * days).
   */
  lastCredentialsEvent(guid: string): Promise<string | null>
  /** `GET /v3/service_instances/:guid/credentials` (writes audit `...user_provided_service_instance.show`). */
  readUpsCredentials(guid: string): Promise<Record<string, unknown>>
  /**
   * `PATCH /v3/service_instances/:guid`. `credentials` replaces the whole object (UPS only) and is
   * copied into every binding; `metadata` merges. Both in one request, so they change together.
   */
  updateServiceInstance(
    guid: string,
    update: {credentials?: Record<string, unknown>; metadata?: MetadataPatch},
  ): Promise<void>
  /** `POST /v3/service_instances` type user-provided; a 422 for a taken name is an outcome. */
  createUserProvidedService(input: {
    spaceGuid: string
    name: string
    credentials: Record<string, unknown>
    metadata: MetadataPatch
  }): Promise<{status: 'created'; guid: string} | {status: 'name-taken'}>
  /** `DELETE /v3/service_instances/:guid` (UPS: synchronous); absent counts as done. */
  deleteServiceInstance(guid: string): Promise<void>
  /** `GET /v3/service_credential_bindings?service_instance_guids=&type=` (all pages). */
  listBindings(serviceInstanceGuid: string, type: 'app' | 'key'): Promise<BindingInfo[]>
  /** null on 404 (e.g. once a delete job finished). */
  getBinding(guid: string): Promise<BindingInfo | null>
  /** `POST /v3/service_credential_bindings` type app; managed: returns while the job runs. */
  createAppBinding(input: {
    serviceInstanceGuid: string
    appGuid: string
    name: string | null
    strategy: 'single' | 'multiple'
    metadata: MetadataPatch
  }): Promise<BindingCreateOutcome>
  /** `POST /v3/service_credential_bindings` type key; returns while the job runs. */
  createServiceKey(input: {
    serviceInstanceGuid: string
    name: string
    metadata: MetadataPatch
  }): Promise<BindingInfo>
  /** `GET /v3/service_credential_bindings/:guid/details` → credentials (audit `*.show`). */
  readBindingDetails(guid: string): Promise<Record<string, unknown>>
  updateBindingMetadata(guid: string, metadata: MetadataPatch): Promise<void>
  /** `DELETE /v3/service_credential_bindings/:guid`; managed: returns while the job runs. */
  deleteBinding(guid: string): Promise<void>
  /**
   * Apps with their state, process types and web instances (`/v3/apps?guids=`, processes, stats):
   * every web instance of the app, from the old and the new process while a deployment runs.
   */
  listApps(appGuids: string[]): Promise<AppInfo[]>
  /**
   * `POST /v3/deployments` strategy rolling, no droplet: redeploy with current bindings. The new
   * web process gets its environment (VCAP_SERVICES) when the deployment is created.
   */
  createDeployment(input: {
    appGuid: string
    maxInFlight: number
    metadata: MetadataPatch
  }): Promise<DeploymentInfo>
  getDeployment(guid: string): Promise<DeploymentInfo>
  /** `GET /v3/deployments?app_guids=&status_values=&label_selector=` (all pages). */
  listDeployments(query: {
    appGuids: string[]
    statusValues?: ('ACTIVE' | 'FINALIZED')[]
    labelSelector?: string
  }): Promise<DeploymentInfo[]>

  // ---- UAA -------------------------------------------------------------------------------
  /** null on 404; throws FORBIDDEN without clients.read. */
  getUaaClient(clientId: string): Promise<UaaClientInfo | null>
  /** Scopes of the token cfguard acts with (to check clients.secret / clients.admin up front). */
  uaaCallerScopes(): Promise<string[]>
  /** `PUT /oauth/clients/:id/secret` {clientId, secret, oldSecret, changeMode}. */
  changeClientSecret(request: {
    clientId: string
    changeMode: SecretChangeMode
    secret?: string
    oldSecret?: string
  }): Promise<SecretChangeOutcome>
  /**
   * Tries a secret at a token endpoint: the platform's UAA when both `tokenEndpoint` and `issuer`
   * are null, else the given endpoint (or the issuer's discovered one).
   */
  probeClientSecret(request: {
    clientId: string
    secret: string
    tokenEndpoint: string | null
    issuer: string | null
  }): Promise<ProbeResult>

  // ---- environment (injected so tests are deterministic) ----------------------------------
  /** A new client secret (adapter: 32 random bytes, base64url). */
  generateSecret(): string
  now(): Date
  sleep(ms: number): Promise<void>
}
