/**
 * Who is calling and what they may see or do (§2.1, §8): identity from the token
 * (`user_id`, else `client_id`), admin/auditor powers from scopes, the rest from CC roles.
 */
import type {RoleType} from '../core/model.js'
import type {SimState} from '../core/state.js'
import type {AuditActor} from '../runtime/audit.js'
import type {Claims} from '../uaa/tokens.js'

export const WRITE_ROLES: RoleType[] = ['space_developer']
export const DEV_SUPPORTER: RoleType[] = ['space_developer', 'space_supporter']
const EVENT_SPACE_ROLES: RoleType[] = ['space_auditor', 'space_developer', 'space_supporter']

export class Actor {
  readonly guid: string
  readonly name: string
  readonly scopes: Set<string>
  readonly admin: boolean
  readonly adminReadOnly: boolean
  readonly globalAuditor: boolean
  readonly spaceRoles = new Map<string, Set<RoleType>>()
  readonly orgRoles = new Map<string, Set<RoleType>>()

  constructor(
    private readonly state: SimState,
    readonly claims: Claims,
  ) {
    this.guid = claims.user_id ?? claims.client_id
    this.name = claims.user_name ?? claims.client_id
    this.scopes = new Set(claims.scope)
    this.admin = this.scopes.has('cloud_controller.admin')
    this.adminReadOnly = this.scopes.has('cloud_controller.admin_read_only')
    this.globalAuditor = this.scopes.has('cloud_controller.global_auditor')
    for (const role of state.roles.lookup('user', this.guid)) {
      if (role.spaceGuid) add(this.spaceRoles, role.spaceGuid, role.type)
      else if (role.orgGuid) add(this.orgRoles, role.orgGuid, role.type)
    }
  }

  get auditActor(): AuditActor {
    return {guid: this.guid, type: 'user', name: this.name}
  }

  /** admin, admin read-only or global auditor: everything is visible. */
  get readAll(): boolean {
    return this.admin || this.adminReadOnly || this.globalAuditor
  }

  get hasReadScope(): boolean {
    return this.readAll || this.scopes.has('cloud_controller.read')
  }

  get hasWriteScope(): boolean {
    return this.admin || this.scopes.has('cloud_controller.write')
  }

  spaceHas(spaceGuid: string, roles: readonly RoleType[]): boolean {
    const mine = this.spaceRoles.get(spaceGuid)
    return mine !== undefined && roles.some((r) => mine.has(r))
  }

  orgHas(orgGuid: string, roles: readonly RoleType[]): boolean {
    const mine = this.orgRoles.get(orgGuid)
    return mine !== undefined && roles.some((r) => mine.has(r))
  }

  private orgOf(spaceGuid: string): string | null {
    return this.state.spaces.get(spaceGuid)?.orgGuid ?? null
  }

  /** Apps, processes, service instances, bindings, deployments in this space. */
  canReadSpace(spaceGuid: string): boolean {
    if (this.readAll || this.spaceRoles.has(spaceGuid)) return true
    const org = this.orgOf(spaceGuid)
    return org !== null && this.orgHas(org, ['organization_manager'])
  }

  /** Routes and destinations: space readers plus org auditors. */
  canReadRoutesIn(spaceGuid: string): boolean {
    if (this.canReadSpace(spaceGuid)) return true
    const org = this.orgOf(spaceGuid)
    return org !== null && this.orgHas(org, ['organization_auditor'])
  }

  canReadOrg(orgGuid: string): boolean {
    if (this.readAll || this.orgRoles.has(orgGuid)) return true
    for (const spaceGuid of this.spaceRoles.keys()) if (this.orgOf(spaceGuid) === orgGuid) return true
    return false
  }

  /** Secrets (UPS credentials, binding details, env): admin, admin read-only, space developer. */
  canReadSecrets(spaceGuid: string): boolean {
    return this.admin || this.adminReadOnly || this.spaceHas(spaceGuid, ['space_developer'])
  }

  canWrite(spaceGuid: string, roles: readonly RoleType[] = WRITE_ROLES): boolean {
    if (this.admin) return true
    return this.hasWriteScope && this.spaceHas(spaceGuid, roles)
  }

  /** Space guids this caller can read, or 'all'. */
  readableSpaces(): Set<string> | 'all' {
    if (this.readAll) return 'all'
    const out = new Set(this.spaceRoles.keys())
    for (const [org, roles] of this.orgRoles) {
      if (!roles.has('organization_manager')) continue
      for (const s of this.state.spaces.lookup('org', org)) out.add(s.guid)
    }
    return out
  }

  readableRouteSpaces(): Set<string> | 'all' {
    const base = this.readableSpaces()
    if (base === 'all') return base
    for (const [org, roles] of this.orgRoles) {
      if (!roles.has('organization_auditor')) continue
      for (const s of this.state.spaces.lookup('org', org)) base.add(s.guid)
    }
    return base
  }

  /** Audit event visibility (Permissions#readable_event_dataset). */
  canReadEvent(spaceGuid: string | null, orgGuid: string | null): boolean {
    if (this.readAll) return true
    if (spaceGuid && this.spaceHas(spaceGuid, EVENT_SPACE_ROLES)) return true
    return orgGuid !== null && this.orgHas(orgGuid, ['organization_auditor'])
  }
}

function add(map: Map<string, Set<RoleType>>, key: string, role: RoleType): void {
  let set = map.get(key)
  if (!set) map.set(key, (set = new Set()))
  set.add(role)
}
