/** Users and roles (§2.1: a client acts as a CC user whose guid is the client id). */
import type {CcUser, Role, RoleType} from '../core/model.js'
import {recordEvent} from '../runtime/audit.js'
import type {CcCtx} from './context.js'
import {parseJsonBody, requireAdmin} from './context.js'
import {notFound, unprocessable} from './errors.js'
import {inList, listResponse, stamps} from './list.js'
import {presentOrg, presentSpace} from './orgs-spaces.js'
import {presentMetadata} from './metadata.js'
import {created, link, ok, rel, type CcRoutes} from './respond.js'

const ROLE_TYPES: RoleType[] = [
  'organization_user',
  'organization_auditor',
  'organization_manager',
  'organization_billing_manager',
  'space_auditor',
  'space_developer',
  'space_manager',
  'space_supporter',
]

export function presentUser(ctx: CcCtx, u: CcUser) {
  return {
    ...stamps(u),
    username: u.username,
    presentation_name: u.username ?? u.guid,
    origin: u.origin,
    metadata: presentMetadata(u.metadata),
    links: {self: link(ctx, `/v3/users/${u.guid}`)},
  }
}

export function presentRole(ctx: CcCtx, r: Role) {
  const links: Record<string, unknown> = {
    self: link(ctx, `/v3/roles/${r.guid}`),
    user: link(ctx, `/v3/users/${r.userGuid}`),
  }
  if (r.spaceGuid) links.space = link(ctx, `/v3/spaces/${r.spaceGuid}`)
  if (r.orgGuid) links.organization = link(ctx, `/v3/organizations/${r.orgGuid}`)
  return {
    ...stamps(r),
    type: r.type,
    relationships: {user: rel(r.userGuid), organization: rel(r.orgGuid), space: rel(r.spaceGuid)},
    links,
  }
}

function roleVisible(ctx: CcCtx, r: Role): boolean {
  if (ctx.actor.readAll || r.userGuid === ctx.actor.guid) return true
  if (r.spaceGuid) return ctx.actor.canReadSpace(r.spaceGuid)
  return r.orgGuid !== null && ctx.actor.canReadOrg(r.orgGuid)
}

function roleIncludes(ctx: CcCtx) {
  return {
    user: (rows: Role[]) => ({
      users: rows
        .map((x) => ctx.state.users.get(x.userGuid))
        .filter((u): u is CcUser => !!u)
        .map((u) => presentUser(ctx, u)),
    }),
    space: (rows: Role[]) => ({
      spaces: rows
        .map((x) => (x.spaceGuid ? ctx.state.spaces.get(x.spaceGuid) : undefined))
        .filter((s) => !!s)
        .map((s) => presentSpace(ctx, s!)),
    }),
    organization: (rows: Role[]) => ({
      organizations: rows
        .map((x) => (x.orgGuid ? ctx.state.orgs.get(x.orgGuid) : undefined))
        .filter((o) => !!o)
        .map((o) => presentOrg(ctx, o!)),
    }),
  }
}

function listRoles(ctx: CcCtx) {
  const rows = [...ctx.state.roles.all()].filter((x) => roleVisible(ctx, x))
  return ok(
    listResponse(
      ctx,
      rows,
      {
        path: '/v3/roles',
        filters: {
          guids: inList((x) => x.guid),
          types: inList((x) => x.type),
          user_guids: inList((x) => x.userGuid),
          space_guids: inList((x) => x.spaceGuid),
          organization_guids: inList((x) => x.orgGuid),
        },
        includes: roleIncludes(ctx),
      },
      (x) => presentRole(ctx, x),
    ),
  )
}

function createRole(ctx: CcCtx) {
  requireAdmin(ctx)
  const body = parseJsonBody(ctx.req)
  const type = body.type as RoleType
  if (!ROLE_TYPES.includes(type))
    throw unprocessable(`Type must be one of the allowed types ${JSON.stringify(ROLE_TYPES)}`)
  const rels = (body.relationships ?? {}) as Record<string, {data?: {guid?: string}}>
  const userGuid = rels.user?.data?.guid
  if (!userGuid || !ctx.state.users.get(userGuid))
    throw unprocessable('Invalid user. Ensure that the user exists and you have access to it.')
  const spaceGuid = rels.space?.data?.guid ?? null
  const orgGuid = rels.organization?.data?.guid ?? null
  if (
    type.startsWith('space_')
      ? !spaceGuid || !ctx.state.spaces.get(spaceGuid)
      : !orgGuid || !ctx.state.orgs.get(orgGuid)
  ) {
    throw unprocessable('Invalid space or organization. Ensure that it exists and you have access to it.')
  }
  const role = ctx.state.roles.create(ctx.state.row(), {
    type,
    userGuid,
    spaceGuid: type.startsWith('space_') ? spaceGuid : null,
    orgGuid: type.startsWith('space_') ? null : orgGuid,
  })
  const user = ctx.state.users.get(userGuid)!
  const where = role.spaceGuid ? 'space' : 'organization'
  recordEvent(ctx.state, {
    type: `audit.user.${type}_add`,
    actor: ctx.actor.auditActor,
    target: {guid: user.guid, type: 'user', name: user.username ?? user.guid},
    data: {request: {type, [`${where}_guid`]: role.spaceGuid ?? role.orgGuid}},
    spaceGuid: role.spaceGuid,
    orgGuid:
      role.orgGuid ?? (role.spaceGuid ? (ctx.state.spaces.get(role.spaceGuid)?.orgGuid ?? null) : null),
  })
  return created(presentRole(ctx, role))
}

function listUsers(ctx: CcCtx) {
  const visibleUsers = new Set(
    [...ctx.state.roles.all()].filter((x) => roleVisible(ctx, x)).map((x) => x.userGuid),
  )
  visibleUsers.add(ctx.actor.guid)
  const rows = [...ctx.state.users.all()].filter((u) => ctx.actor.readAll || visibleUsers.has(u.guid))
  return ok(
    listResponse(
      ctx,
      rows,
      {
        path: '/v3/users',
        filters: {
          guids: inList((u) => u.guid),
          usernames: inList((u) => u.username),
          origins: inList((u) => u.origin),
        },
        labels: (u) => u.metadata.labels,
      },
      (u) => presentUser(ctx, u),
    ),
  )
}

function createUser(ctx: CcCtx) {
  requireAdmin(ctx)
  const body = parseJsonBody(ctx.req)
  const guid = typeof body.guid === 'string' ? body.guid : ''
  if (guid === '') throw unprocessable('Guid must be a string')
  if (ctx.state.users.get(guid)) throw unprocessable(`User with guid '${guid}' already exists.`)
  const uaaUser = ctx.state.uaa.users.get(guid)
  const user = ctx.state.users.create(ctx.state.row(), {
    guid,
    username: uaaUser?.userName ?? null,
    origin: uaaUser?.origin ?? null,
    metadata: {labels: {}, annotations: {}},
  })
  return created(presentUser(ctx, user))
}

export function registerUsersRoles(r: CcRoutes): void {
  r.add('GET', '/v3/roles', listRoles)
  r.add('GET', '/v3/roles/:guid', (ctx) => {
    const role = ctx.state.roles.get(ctx.req.params.guid!)
    if (!role || !roleVisible(ctx, role)) throw notFound('Role')
    return ok(presentRole(ctx, role))
  })
  r.add('POST', '/v3/roles', createRole)
  r.add('GET', '/v3/users', listUsers)
  r.add('GET', '/v3/users/:guid', (ctx) => {
    const user = ctx.state.users.get(ctx.req.params.guid!)
    if (!user || !(ctx.actor.readAll || user.guid === ctx.actor.guid)) throw notFound('User')
    return ok(presentUser(ctx, user))
  })
  r.add('POST', '/v3/users', createUser)
}
