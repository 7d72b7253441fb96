/** The Log Cache origin (§11.2): `/api/v1/read/:source-id`, `/api/v1/info`, `/api/v1/meta`. */
import type {App} from '../core/model.js'
import type {SimState} from '../core/state.js'
import {Actor} from '../cc/actor.js'
import {
  formDecode,
  json,
  rawQueryPairs,
  type OriginApp,
  type SimRequest,
  type SimResponse,
} from '../server/types.js'
import type {TokenService} from '../uaa/tokens.js'
import {materialise} from './traffic.js'

const TYPES = new Set(['LOG', 'COUNTER', 'GAUGE', 'TIMER', 'EVENT'])

function envelopeType(e: Record<string, unknown>): string {
  if (e.log) return 'LOG'
  if (e.gauge) return 'GAUGE'
  if (e.counter) return 'COUNTER'
  if (e.timer) return 'TIMER'
  return 'EVENT'
}

function bad(message: string): SimResponse {
  return json(400, {error: message})
}

export function createLogCacheApp(state: SimState, tokens: TokenService): OriginApp {
  function findApp(source: string): App | undefined {
    return state.apps.get(source) ?? [...state.apps.all()].find((a) => a.name === source)
  }

  async function actorFor(req: SimRequest): Promise<Actor | null> {
    const m = /^bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''))
    const claims = m ? await tokens.verify(m[1]!) : null
    return claims ? new Actor(state, claims) : null
  }

  const isAdmin = (a: Actor) => a.scopes.has('doppler.firehose') || a.scopes.has('logs.admin')

  async function read(req: SimRequest, source: string): Promise<SimResponse> {
    const actor = await actorFor(req)
    if (!actor) return json(401, {error: 'invalid_token'})
    const app = findApp(source)
    if (!app || !(isAdmin(actor) || actor.canReadSpace(app.spaceGuid))) return {status: 404}
    const params = rawQueryPairs(req.rawQuery).map(([k, v]) => [k, formDecode(v)] as const)
    const get = (k: string) => params.filter(([key]) => key === k).map(([, v]) => v)
    const types = get('envelope_types')
      .flatMap((t) => t.split(','))
      .map((t) => t.toUpperCase())
    if (types.some((t) => !TYPES.has(t)))
      return bad(`invalid envelope type: ${types.find((t) => !TYPES.has(t))}`)
    const int = (k: string): bigint | null | 'bad' => {
      const v = get(k).pop()
      if (v === undefined || v === '') return null
      return /^-?\d+$/.test(v) ? BigInt(v) : 'bad'
    }
    const start = int('start_time')
    const end = int('end_time')
    const limitText = get('limit').pop()
    if (start === 'bad' || end === 'bad') return bad('start_time and end_time must be Unix nanoseconds')
    const limit = limitText === undefined ? 100 : Number(limitText)
    if (!Number.isInteger(limit) || limit < 1) return bad('limit must be a positive integer')
    if (limit > 1000) return bad('limit must be less than or equal to 1000')
    const descending = get('descending').pop() === 'true'
    const endNs = end ?? BigInt(state.now()) * 1_000_000n + 999_999n

    const data = materialise(state, app)
    const picked: unknown[] = []
    const indexes = [...data.ns.keys()]
    if (descending) indexes.reverse()
    for (const i of indexes) {
      const ns = data.ns[i]!
      if (start !== null && ns < start) continue
      if (ns >= endNs) continue
      const e = data.envelopes[i]! as unknown as Record<string, unknown>
      if (types.length > 0 && !types.includes(envelopeType(e))) continue
      picked.push(e)
      if (picked.length >= limit) break
    }
    return json(200, {envelopes: {batch: picked}})
  }

  async function meta(req: SimRequest): Promise<SimResponse> {
    const actor = await actorFor(req)
    if (!actor) return json(401, {error: 'invalid_token'})
    const out: Record<string, unknown> = {}
    for (const guid of state.traffic.keys()) {
      const app = state.apps.get(guid)
      if (!app || !(isAdmin(actor) || actor.canReadSpace(app.spaceGuid))) continue
      const ns = materialise(state, app).ns
      out[guid] = {
        count: String(ns.length),
        expired: '0',
        oldestTimestamp: String(ns[0] ?? 0n),
        newestTimestamp: String(ns[ns.length - 1] ?? 0n),
      }
    }
    return json(200, {meta: out})
  }

  return {
    async handle(req: SimRequest): Promise<SimResponse> {
      state.sync()
      if (req.method !== 'GET') return json(405, {error: 'method not allowed'})
      if (req.path === '/api/v1/info') return json(200, {version: '3.2.1', vm_uptime: '86400'})
      if (req.path === '/api/v1/meta') return meta(req)
      const m = /^\/api\/v1\/read\/([^/]+)$/.exec(req.path)
      if (m) return read(req, decodeURIComponent(m[1]!))
      return json(404, {error: 'not found'})
    },
  }
}
