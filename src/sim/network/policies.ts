/**
 * The container networking policy server's external API (§10), served under the API host.
 * List, create and delete all need `network.admin` or `network.write`; without `network.admin`
 * a caller sees and manages only policies whose apps are in spaces where they are developers.
 */
import type {NetworkPolicy} from '../core/model.js'
import type {SimState} from '../core/state.js'
import {Router} from '../server/router.js'
import {
  formDecode,
  json,
  rawQueryPairs,
  type OriginApp,
  type SimRequest,
  type SimResponse,
} from '../server/types.js'
import type {Claims, TokenService} from '../uaa/tokens.js'

interface Ctx {
  state: SimState
  req: SimRequest
  claims: Claims
  version: 'v0' | 'v1'
}

class PolicyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const WRITE_SCOPES = ['network.admin', 'network.write']

function developerApps(ctx: Ctx): Set<string> | 'all' {
  if (ctx.claims.scope.includes('network.admin')) return 'all'
  const user = ctx.claims.user_id ?? ctx.claims.client_id
  const spaces = new Set(
    ctx.state.roles
      .lookup('user', user)
      .filter((r) => r.type === 'space_developer' && r.spaceGuid)
      .map((r) => r.spaceGuid!),
  )
  return new Set(ctx.state.apps.lookupMany('space', spaces).map((a) => a.guid))
}

function present(p: NetworkPolicy, version: 'v0' | 'v1') {
  return {
    source: {id: p.sourceAppGuid},
    destination:
      version === 'v1'
        ? {id: p.destinationAppGuid, protocol: p.protocol, ports: {start: p.portStart, end: p.portEnd}}
        : {id: p.destinationAppGuid, protocol: p.protocol, port: p.portStart},
  }
}

function parsePolicies(ctx: Ctx): NetworkPolicy[] {
  let body: unknown
  try {
    body = JSON.parse(ctx.req.body.toString('utf8') || '{}')
  } catch {
    throw new PolicyError(400, 'invalid values passed to API')
  }
  const list = (body as {policies?: unknown}).policies
  if (!Array.isArray(list)) throw new PolicyError(400, 'missing policies')
  return list.map((raw) => {
    const p = raw as {
      source?: {id?: unknown}
      destination?: {
        id?: unknown
        protocol?: unknown
        port?: unknown
        ports?: {start?: unknown; end?: unknown}
      }
    }
    const src = p.source?.id
    const dst = p.destination?.id
    const protocol = p.destination?.protocol
    const start = ctx.version === 'v1' ? p.destination?.ports?.start : p.destination?.port
    const end = ctx.version === 'v1' ? p.destination?.ports?.end : p.destination?.port
    if (typeof src !== 'string' || typeof dst !== 'string')
      throw new PolicyError(400, 'missing source or destination id')
    if (protocol !== 'tcp' && protocol !== 'udp')
      throw new PolicyError(400, 'invalid destination protocol, specify either udp or tcp')
    if (typeof start !== 'number' || typeof end !== 'number' || start < 1 || end > 65535 || start > end) {
      throw new PolicyError(400, 'invalid port range')
    }
    return {sourceAppGuid: src, destinationAppGuid: dst, protocol, portStart: start, portEnd: end}
  })
}

const same = (a: NetworkPolicy, b: NetworkPolicy) =>
  a.sourceAppGuid === b.sourceAppGuid &&
  a.destinationAppGuid === b.destinationAppGuid &&
  a.protocol === b.protocol &&
  a.portStart === b.portStart &&
  a.portEnd === b.portEnd

function mayManage(ctx: Ctx, policies: NetworkPolicy[]): void {
  const apps = developerApps(ctx)
  if (apps === 'all') return
  for (const p of policies) {
    if (!apps.has(p.sourceAppGuid) || !apps.has(p.destinationAppGuid)) {
      throw new PolicyError(403, 'one or more applications cannot be found or accessed')
    }
  }
}

export function createNetworkApp(state: SimState, tokens: TokenService): OriginApp {
  const router = new Router<(ctx: Ctx) => SimResponse>()
  for (const version of ['v0', 'v1'] as const) {
    const base = `/networking/${version}/external`
    router.add('GET', `${base}/policies`, (ctx) => {
      const params = new Map(
        rawQueryPairs(ctx.req.rawQuery).map(([k, v]) => [k, formDecode(v).split(',').filter(Boolean)]),
      )
      const ids = params.get('id')
      const sources = params.get('source_id')
      const dests = params.get('dest_id')
      const apps = developerApps(ctx)
      const list = state.networkPolicies.filter(
        (p) =>
          (apps === 'all' || apps.has(p.sourceAppGuid) || apps.has(p.destinationAppGuid)) &&
          (!ids || ids.includes(p.sourceAppGuid) || ids.includes(p.destinationAppGuid)) &&
          (!sources || sources.includes(p.sourceAppGuid)) &&
          (!dests || dests.includes(p.destinationAppGuid)),
      )
      return json(200, {total_policies: list.length, policies: list.map((p) => present(p, ctx.version))})
    })
    router.add('POST', `${base}/policies`, (ctx) => {
      const incoming = parsePolicies(ctx)
      mayManage(ctx, incoming)
      for (const p of incoming)
        if (!state.networkPolicies.some((x) => same(x, p))) state.networkPolicies.push(p)
      return json(200, {})
    })
    router.add('POST', `${base}/policies/delete`, (ctx) => {
      const incoming = parsePolicies(ctx)
      mayManage(ctx, incoming)
      state.networkPolicies = state.networkPolicies.filter((x) => !incoming.some((p) => same(x, p)))
      return json(200, {})
    })
  }

  return {
    async handle(req: SimRequest): Promise<SimResponse> {
      const match = router.match(req.method, req.path)
      if (match === null || match === 'method') return json(404, {error: 'not found'})
      const header = String(req.headers.authorization ?? '')
      const m = /^bearer\s+(\S+)\s*$/i.exec(header)
      if (!m) return json(401, {error: 'missing authorization header'})
      const claims = await tokens.verify(m[1]!)
      if (!claims) return json(401, {error: 'failed to verify token with uaa'})
      if (!WRITE_SCOPES.some((s) => claims.scope.includes(s))) {
        return json(403, {
          error: `provided scopes [${claims.scope.join(' ')}] do not include allowed scopes [${WRITE_SCOPES.join(' ')}]`,
        })
      }
      const version = req.path.startsWith('/networking/v0/') ? 'v0' : 'v1'
      try {
        return match.handler({state, req: {...req, params: match.params}, claims, version})
      } catch (err) {
        if (err instanceof PolicyError) return json(err.status, {error: err.message})
        throw err
      }
    },
  }
}
