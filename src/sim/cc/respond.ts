import {json, type SimResponse} from '../server/types.js'
import type {CcCtx} from './context.js'

export const ok = (body: unknown): SimResponse => json(200, body)
export const created = (body: unknown): SimResponse => json(201, body)
export const noContent = (): SimResponse => ({status: 204})
/** 202 + `Location` of the job (§2.7). */
export const accepted = (ctx: CcCtx, jobGuid: string): SimResponse => ({
  status: 202,
  headers: {Location: `${ctx.api}/v3/jobs/${jobGuid}`},
})

export type CcHandler = (ctx: CcCtx) => SimResponse | Promise<SimResponse>

export interface CcRoutes {
  add(method: string, pattern: string, handler: CcHandler): unknown
}

export const link = (ctx: CcCtx, path: string) => ({href: `${ctx.api}${path}`})
export const postLink = (ctx: CcCtx, path: string) => ({href: `${ctx.api}${path}`, method: 'POST'})
export const rel = (guid: string | null) => ({data: guid === null ? null : {guid}})
