/**
 * The Cloud Controller origin: `/`, `/v3/**`, and the policy server under `/networking/**`
 * (served behind the API host, as on a real foundation). Auth, rate limiting, CC error bodies
 * and `X-Cf-Warnings` happen here; handlers live one file per resource.
 */
import {randomUUID} from 'node:crypto'

import type {SimState} from '../core/state.js'
import {Router} from '../server/router.js'
import {json, type OriginApp, type SimRequest, type SimResponse} from '../server/types.js'
import type {TokenService} from '../uaa/tokens.js'
import {Actor} from './actor.js'
import {registerAppEnv} from './app-env.js'
import {registerApps} from './apps.js'
import {registerAuditEvents} from './audit-events.js'
import {Query, parseJsonBody, type CcCtx} from './context.js'
import {registerCredentialBindingWrites} from './credential-binding-writes.js'
import {registerCredentialBindingReads} from './credential-bindings.js'
import {registerDeployments} from './deployments.js'
import {registerDestinations} from './destinations.js'
import {registerDomains} from './domains.js'
import {
  CcError,
  errorBody,
  insufficientScope,
  invalidToken,
  notAuthenticated,
  unknownRequest,
} from './errors.js'
import {registerFeatureFlags} from './feature-flags.js'
import {registerJobs} from './jobs.js'
import {registerOrgsSpaces} from './orgs-spaces.js'
import {registerProcesses} from './processes.js'
import {RateLimiter, type RateLimitConfig} from './rate-limit.js'
import type {CcHandler} from './respond.js'
import {globalRoot, info, v3Root} from './root.js'
import {registerRouteBindings} from './route-bindings.js'
import {registerRoutePolicies} from './route-policies.js'
import {registerRoutes} from './routes.js'
import {registerServiceCatalog} from './service-catalog.js'
import {registerServiceInstanceWrites} from './service-instance-writes.js'
import {registerServiceInstanceReads} from './service-instances.js'
import {registerUsersRoles} from './users-roles.js'

export interface CcAppOptions {
  rateLimit: RateLimitConfig | null
  /** The policy server, served under /networking. */
  network: OriginApp
}

export function createCcApp(state: SimState, tokens: TokenService, options: CcAppOptions): OriginApp {
  const router = new Router<CcHandler>()
  for (const register of [
    registerOrgsSpaces,
    registerUsersRoles,
    registerFeatureFlags,
    registerApps,
    registerAppEnv,
    registerProcesses,
    registerDeployments,
    registerDomains,
    registerRoutes,
    registerDestinations,
    registerRoutePolicies,
    registerServiceCatalog,
    registerServiceInstanceReads,
    registerServiceInstanceWrites,
    registerCredentialBindingReads,
    registerCredentialBindingWrites,
    registerRouteBindings,
    registerAuditEvents,
    registerJobs,
  ]) {
    register(router)
  }
  const limiter = options.rateLimit ? new RateLimiter(state, options.rateLimit) : null

  async function authenticate(req: SimRequest): Promise<Actor> {
    const header = String(req.headers.authorization ?? '')
    if (header.trim() === '') throw notAuthenticated()
    const m = /^bearer\s+(\S+)\s*$/i.exec(header)
    if (!m) throw invalidToken()
    const claims = await tokens.verify(m[1]!)
    if (!claims) throw invalidToken()
    return new Actor(state, claims)
  }

  async function serve(req: SimRequest): Promise<SimResponse> {
    const path = req.path
    if (req.method === 'GET' && (path === '/' || path === '')) return globalRoot(state)
    if (req.method === 'GET' && (path === '/v3' || path === '/v3/')) return v3Root(state)
    if (req.method === 'GET' && path === '/v3/info') return info(state, options.rateLimit)
    if (path === '/healthz') return {status: 200, headers: {'Content-Type': 'text/plain'}, body: 'OK'}

    const match = router.match(req.method, path)
    if (match === null || match === 'method') throw unknownRequest()
    const actor = await authenticate(req)
    const write = req.method !== 'GET' && req.method !== 'HEAD'
    if (!(write ? actor.hasWriteScope || actor.admin : actor.hasReadScope)) throw insufficientScope()
    const ctx: CcCtx = {
      state,
      req: {...req, params: match.params},
      actor,
      query: new Query(req.rawQuery),
      warnings: [],
      api: state.urls.api,
      body: () => parseJsonBody(req),
    }
    const response = await match.handler(ctx)
    if (ctx.warnings.length > 0) {
      response.headers = {...(response.headers ?? {}), 'X-Cf-Warnings': ctx.warnings.map(cgiEscape)}
    }
    return response
  }

  async function rateLimit(
    req: SimRequest,
  ): Promise<{headers: Record<string, string>; reject: SimResponse | null} | null> {
    if (!limiter || !RateLimiter.applies(req.path)) return null
    const header = String(req.headers.authorization ?? '')
    const m = /^bearer\s+(\S+)\s*$/i.exec(header)
    const claims = m ? await tokens.verify(m[1]!) : null
    if (claims) {
      const scopes = claims.scope
      const admin =
        scopes.includes('cloud_controller.admin') || scopes.includes('cloud_controller.admin_read_only')
      if (admin && limiter.config.exemptAdmins) return null
      return limiter.check(`user:${claims.user_id ?? claims.client_id}`, true)
    }
    return limiter.check(`ip:${req.remoteAddress}`, false)
  }

  return {
    async handle(req: SimRequest): Promise<SimResponse> {
      state.sync()
      if (req.path.startsWith('/networking/')) return options.network.handle(req)
      const limited = await rateLimit(req)
      if (limited?.reject) return limited.reject
      let response: SimResponse
      try {
        response = await serve(req)
      } catch (err) {
        response =
          err instanceof CcError
            ? err.toResponse()
            : json(500, errorBody('UnknownError', 10001, 'An unknown error occurred.'))
        if (!(err instanceof CcError)) console.error('simulator: unexpected error', err)
      }
      if (limited) response.headers = {...(response.headers ?? {}), ...limited.headers}
      response.headers = {...(response.headers ?? {}), 'X-Vcap-Request-Id': randomUUID()}
      return response
    },
  }
}

/** Ruby's CGI.escape: space → `+`, everything but `[A-Za-z0-9_.~-]` percent-encoded. */
export function cgiEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
}
