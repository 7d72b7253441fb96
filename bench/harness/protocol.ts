/** What the harness and the simulator process (`bench/sim-server.ts`) say to each other over IPC. */

export interface SimOptions {
  apps: number
  seed: number
  latencyMs: number
}

/** Counted from the simulator's own tables (ground truth, independent of any client). */
export interface FoundationCounts {
  orgs: number
  spaces: number
  apps: number
  processes: number
  /** Desired instances over all processes. */
  processInstances: number
  domains: number
  routes: number
  destinations: number
  routePolicies: number
  routeBindings: number
  serviceOfferings: number
  servicePlans: number
  serviceInstances: number
  userProvidedServiceInstances: number
  managedServiceInstances: number
  credentialBindings: number
  appBindings: number
  serviceKeys: number
  deployments: number
  activeDeployments: number
  auditEvents: number
  /** UPS create/update audit events of the last 31 days (the window CC keeps by default). */
  recentUpsAuditEvents: number
  /** User-provided services bound to no app. */
  unboundUserProvided: number
  /**
   * Managed app bindings an app's env cannot show: the app hides VCAP_SERVICES (file-based or
   * k8s bindings), or a newer binding of the same app and instance supersedes it.
   */
  hiddenManagedBindings: number
  networkPolicies: number
  uaaClients: number
}

export interface RequestSummary {
  total: number
  /** `GET /v3/apps/:guid/env`, `POST uaa:/oauth/token`, … → count. */
  byEndpoint: Record<string, number>
  byStatus: Record<string, number>
  /** Per endpoint: ms from the first answer of the run to its first and last answer. */
  timeline: Record<string, [number, number]>
  /** Epoch ms (wall clock) of the first and last answer since the last reset. */
  firstAnsweredAt: number | null
  lastAnsweredAt: number | null
  /** Audit events the requests wrote (secret reads write `*.show` events). */
  auditEventsCreated: number
}

export type SimCommand = {cmd: 'reset'} | {cmd: 'requests'} | {cmd: 'stop'}

export type SimReply =
  | {
      type: 'ready'
      apiUrl: string
      ccVersion: string
      admin: {clientId: string; clientSecret: string}
      counts: FoundationCounts
      buildMs: number
    }
  | {type: 'ok'}
  | {type: 'requests'; summary: RequestSummary}
  | {type: 'error'; message: string}
