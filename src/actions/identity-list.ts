/**
 * `identity list`: the inventory graph app → binding / UPS / key / env var → credential
 * fingerprint → client id, from one collection (identity family). Shows what carries identity
 * (OIDC/OAuth client credentials, managed SSO bindings, identity-named services that could not be
 * read) and every secret an app sets in its own environment, with issuer, shape, age and read state.
 */
import {
  credentialUnits,
  lastCredentialChange,
  unitApps,
  ageInDays,
  type CredentialUnit,
  type IdentityKnowledge,
} from '../derive/identity.js'
import {indexSnapshot, placeOf} from '../derive/lookup.js'
import {isSecretClass} from '../derive/classify/index.js'
import type {Coverage} from '../model/finding.js'
import type {App, ReadState, Snapshot} from '../model/snapshot.js'
import {runCollection} from './audit.js'
import type {RunContext} from '../context.js'
import type {SessionOptions} from './session.js'

export interface IdentityListRequest {
  session: SessionOptions
  /** false with --no-secrets. */
  secrets?: boolean
  /** false with --no-cache. */
  cache?: boolean
  concurrency?: number
}

export type IdentitySource = 'user-provided' | 'binding' | 'key' | 'env'

export interface IdentityEntry {
  /** The app that receives the credential; null for unbound services and service keys. */
  app: {guid: string; name: string; space: string | null; org: string | null} | null
  source: IdentitySource
  /** The service instance (UPS or managed) the credential comes through; null for env vars. */
  serviceInstance: {
    guid: string
    name: string
    type: 'managed' | 'user-provided'
    offering: string | null
  } | null
  /** The binding or key guid (managed bindings and keys); null otherwise. */
  bindingGuid: string | null
  /** The env var name, for source `env`. */
  variable: string | null
  /** yes: identity-shaped or an SSO offering; unknown: not read, but named like identity. */
  identity: IdentityKnowledge
  /** `oidc-client`, `credhub-ref`, … for credentials; the value class for env vars. */
  shape: string | null
  clientId: string | null
  /** Issuer, else token endpoint, else auth domain. */
  issuer: string | null
  secretFingerprint: string | null
  lastChange: string | null
  lastChangeSource: string | null
  ageDays: number | null
  read: ReadState
}

export interface IdentityInventory {
  schemaVersion: 1
  target: Snapshot['target']
  generatedAt: string
  entries: IdentityEntry[]
  coverage: Pick<Coverage, 'apps' | 'serviceInstances' | 'gaps' | 'auditEventsCreated' | 'requests'>
}

export async function listIdentities(
  ctx: RunContext,
  request: IdentityListRequest,
): Promise<IdentityInventory> {
  const {snapshot, stats} = await runCollection(ctx, {
    session: request.session,
    families: ['identity'],
    secrets: request.secrets ?? true,
    cache: request.cache ?? true,
    concurrency: request.concurrency,
  })
  return {
    schemaVersion: 1,
    target: snapshot.target,
    generatedAt: ctx.now().toISOString(),
    entries: inventoryOf(snapshot, ctx.now()),
    coverage: {
      apps: snapshot.apps.length,
      serviceInstances: snapshot.serviceInstances.length,
      gaps: stats.gaps,
      auditEventsCreated: stats.auditEventsCreated,
      requests: stats.requests,
    },
  }
}

/** The inventory of a snapshot (pure), sorted by app, then source and name. */
export function inventoryOf(s: Snapshot, now: Date): IdentityEntry[] {
  const ix = indexSnapshot(s)
  const offerings = new Map(s.serviceOfferings.map((o) => [o.guid, o.name]))
  const plans = new Map(s.servicePlans.map((p) => [p.guid, p]))
  const appRef = (a: App) => ({guid: a.guid, name: a.name, ...placeOf(ix, a.spaceGuid)})
  const entries: IdentityEntry[] = []
  for (const unit of credentialUnits(s)) {
    if (unit.identity === 'no') continue
    const apps = unitApps(s, unit)
    const base = unitEntry(s, unit, now, offerings, plans)
    if (apps.length === 0) entries.push({...base, app: null})
    for (const a of apps) entries.push({...base, app: appRef(a)})
  }
  for (const env of s.env) {
    const app = ix.apps.get(env.appGuid)
    if (!app || env.read !== 'read') continue
    for (const v of env.variables) {
      if (!isSecretClass(v.class)) continue
      entries.push({
        app: appRef(app),
        source: 'env',
        serviceInstance: null,
        bindingGuid: null,
        variable: v.name,
        identity: 'unknown',
        shape: v.class,
        clientId: null,
        issuer: null,
        secretFingerprint: v.fingerprint,
        lastChange: null,
        lastChangeSource: null,
        ageDays: null,
        read: env.read,
      })
    }
  }
  return entries.sort(
    (a, b) =>
      (a.app?.name ?? '\uffff').localeCompare(b.app?.name ?? '\uffff') ||
      (a.app?.guid ?? '').localeCompare(b.app?.guid ?? '') ||
      a.source.localeCompare(b.source) ||
      (a.serviceInstance?.name ?? a.variable ?? '').localeCompare(
        b.serviceInstance?.name ?? b.variable ?? '',
      ) ||
      (a.bindingGuid ?? '').localeCompare(b.bindingGuid ?? ''),
  )
}

function unitEntry(
  s: Snapshot,
  unit: CredentialUnit,
  now: Date,
  offerings: Map<string, string>,
  plans: Map<string, {offeringGuid: string}>,
): Omit<IdentityEntry, 'app'> {
  const v = unit.view
  const change = lastCredentialChange(s, unit)
  const si = unit.instance
  const plan = si.planGuid ? plans.get(si.planGuid) : undefined
  return {
    source: unit.source,
    serviceInstance: {
      guid: si.guid,
      name: si.name,
      type: si.type,
      offering: plan ? (offerings.get(plan.offeringGuid) ?? null) : null,
    },
    bindingGuid: unit.binding?.guid ?? null,
    variable: null,
    identity: unit.identity,
    shape: v?.shape ?? null,
    clientId: v?.clientId ?? null,
    issuer: v ? (v.issuer ?? v.tokenEndpoint ?? v.authDomain) : null,
    secretFingerprint: v?.secretFingerprint ?? null,
    lastChange: change.at,
    lastChangeSource: change.source,
    ageDays: change.setAt ? ageInDays(change.setAt, now) : null,
    read: unit.binding ? unit.binding.credentialsRead : si.credentialsRead,
  }
}
