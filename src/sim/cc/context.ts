/** What every CC handler gets: state, the request, the caller, its query, and warnings. */
import type {SimState} from '../core/state.js'
import {formDecode, rawQueryPairs, type SimRequest} from '../server/types.js'
import type {Actor} from './actor.js'
import {badQuery, insufficientScope, notAuthorized, notFound, parseError} from './errors.js'
import type {RoleType} from '../core/model.js'

export interface CcCtx {
  state: SimState
  req: SimRequest
  actor: Actor
  query: Query
  /** Sync warnings, sent as one `X-Cf-Warnings` header each. */
  warnings: string[]
  api: string
  body(): Record<string, unknown>
}

export class Query {
  private readonly pairs = new Map<string, string[]>()

  constructor(rawQuery: string) {
    for (const [key, value] of rawQueryPairs(rawQuery)) {
      const list = this.pairs.get(key)
      if (list) list.push(value)
      else this.pairs.set(key, [value])
    }
  }

  keys(): string[] {
    return [...this.pairs.keys()]
  }

  has(key: string): boolean {
    return this.pairs.has(key)
  }

  /** A comma-separated filter; commas inside a value arrive as `%2C` and stay in the value. */
  list(key: string): string[] | null {
    const raws = this.pairs.get(key)
    if (!raws) return null
    return raws.flatMap((raw) => raw.split(',').map(formDecode))
  }

  /** The whole decoded value (last occurrence). */
  single(key: string): string | null {
    const raws = this.pairs.get(key)
    return raws ? formDecode(raws[raws.length - 1]!) : null
  }

  /** Raw pairs except the given keys (to rebuild pagination links). */
  rawExcept(exclude: string[]): string[] {
    const out: string[] = []
    for (const [k, values] of this.pairs) {
      if (exclude.includes(k)) continue
      for (const v of values)
        out.push(`${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${v}`)
    }
    return out
  }

  /** 400 for parameters the endpoint does not know (CC rejects them). */
  validate(allowed: readonly string[]): void {
    const unknown = this.keys().filter((k) => !allowed.includes(baseName(k)))
    if (unknown.length > 0) {
      throw badQuery(
        `Unknown query parameter(s): '${unknown.join("', '")}'. Valid parameters are: '${allowed.join("', '")}'`,
      )
    }
  }
}

export function baseName(key: string): string {
  const i = key.indexOf('[')
  return i < 0 ? key : key.slice(0, i)
}

export function parseJsonBody(req: SimRequest): Record<string, unknown> {
  const text = req.body.toString('utf8')
  if (text.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw parseError()
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw parseError()
  return parsed as Record<string, unknown>
}

/** Read access to something in a space: 404 when invisible. */
export function requireSpaceRead(ctx: CcCtx, spaceGuid: string, what: string): void {
  if (!ctx.actor.hasReadScope) throw insufficientScope()
  if (!ctx.actor.canReadSpace(spaceGuid)) throw notFound(what)
}

/** Write access: 404 when invisible, 403 when visible but not writable. */
export function requireSpaceWrite(
  ctx: CcCtx,
  spaceGuid: string,
  what: string,
  roles: readonly RoleType[] = ['space_developer'],
): void {
  if (!ctx.actor.hasWriteScope && !ctx.actor.admin) throw insufficientScope()
  if (!ctx.actor.canReadSpace(spaceGuid)) throw notFound(what)
  if (!ctx.actor.canWrite(spaceGuid, roles)) throw notAuthorized()
}

export function requireAdmin(ctx: CcCtx): void {
  if (!ctx.actor.admin) throw notAuthorized()
}
