import type {Severity} from './severity.js'

/**
 * Selects apps by label selector (CC syntax, evaluated in memory), name glob and/or scope.
 * All given parts must match.
 */
export interface AppSelector {
  labelSelector?: string
  /** Glob on the app name: `*` any run of characters, `?` one character. */
  name?: string
  orgs?: string[]
  spaces?: string[]
}

export type IdentitySource = 'binding' | 'route-service' | 'route-policy'

export interface Suppression {
  rule: string
  /** A resource guid, or a glob on the resource name. */
  resource: string
  reason: string
  /** ISO date; after it the suppression no longer applies (and a warning says so). */
  expires: string
  /** Where it came from, for messages: `cfguard.yml:14`. */
  source?: string
}

/**
 * What "good" means on a foundation: the parsed policy file `cfguard.yml` (issue 7) merged over
 * DEFAULT_POLICY. Checks read only this object, never files or flags.
 */
export interface Policy {
  /** identity/stale-credential; high past 2× */
  maxCredentialAgeDays: number
  identity: {
    /** Apps that must have an identity (identity/missing). None by default. */
    required: AppSelector[]
    /** Where that identity may come from. */
    sources: IdentitySource[]
    /** Issuers credentials may name; empty = any. */
    allowedIssuers: string[]
    /** identity/shared-client: one client may be bound in at most this many spaces / apps. */
    sharedClientMaxSpaces: number
    sharedClientMaxApps: number | null
  }
  routes: {
    /** Apps that are internal by policy (besides having an internal-domain route). */
    internalApps: AppSelector[]
    /** Expected load-balancing algorithm per selector (routes/lb-inconsistent also reports a mismatch with these). */
    loadBalancing: {selector: AppSelector; algorithm: string}[]
    /** Path prefixes and host suffixes treated as operational surfaces (routes/sensitive-path-public). */
    sensitivePaths: string[]
    sensitiveHostSuffixes: string[]
    /** routes/traffic-imbalance: an instance above this multiple of its fair share. */
    trafficImbalanceFactor: number
  }
  severityOverrides: Record<string, Severity>
  /** Rule ids switched off; `enabledOnly` (when set) restricts the run to these rules. */
  disabledRules: string[]
  enabledOnly: string[] | null
  suppressions: Suppression[]
}

export const DEFAULT_POLICY: Policy = {
  maxCredentialAgeDays: 90,
  identity: {
    required: [],
    sources: ['binding', 'route-service', 'route-policy'],
    allowedIssuers: [],
    sharedClientMaxSpaces: 1,
    sharedClientMaxApps: null,
  },
  routes: {
    internalApps: [],
    loadBalancing: [],
    sensitivePaths: ['/admin', '/actuator', '/metrics', '/internal', '/debug', '/env'],
    sensitiveHostSuffixes: ['-internal', '-admin'],
    trafficImbalanceFactor: 2,
  },
  severityOverrides: {},
  disabledRules: [],
  enabledOnly: null,
  suppressions: [],
}
