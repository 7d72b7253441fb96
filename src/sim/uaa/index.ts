/** The UAA origin (serves both the `login` and `uaa` root links). */
import type {SimState} from '../core/state.js'
import {Router} from '../server/router.js'
import {json, type OriginApp, type SimRequest, type SimResponse} from '../server/types.js'
import {changeSecret, createClient, deleteClient, getClient, listClients} from './clients.js'
import {OAuthError, type UaaCtx} from './common.js'
import {loginInfo, openidConfiguration, tokenKey, tokenKeys} from './discovery.js'
import {revokeToken, tokenEndpoint} from './token-endpoint.js'
import type {TokenService} from './tokens.js'

type Handler = (ctx: UaaCtx) => SimResponse | Promise<SimResponse>

export function createUaaApp(state: SimState, tokens: TokenService): OriginApp {
  const router = new Router<Handler>()
    .add('POST', '/oauth/token', tokenEndpoint)
    .add('DELETE', '/oauth/token/revoke/:jti', revokeToken)
    .add('GET', '/token_keys', tokenKeys)
    .add('GET', '/token_key', tokenKey)
    .add('GET', '/.well-known/openid-configuration', (ctx) => openidConfiguration(ctx))
    .add('GET', '/oauth/token/.well-known/openid-configuration', (ctx) => openidConfiguration(ctx))
    .add('GET', '/login', loginInfo)
    .add('GET', '/info', loginInfo)
    .add('GET', '/healthz', () => ({status: 200, headers: {'Content-Type': 'text/plain'}, body: 'ok\n'}))
    .add('GET', '/oauth/clients', listClients)
    .add('POST', '/oauth/clients', createClient)
    .add('GET', '/oauth/clients/:id', getClient)
    .add('DELETE', '/oauth/clients/:id', deleteClient)
    .add('PUT', '/oauth/clients/:id/secret', changeSecret)

  return {
    async handle(req: SimRequest): Promise<SimResponse> {
      state.sync()
      const planted = plantedDiscovery(state, req.path)
      if (planted !== null && req.method === 'GET') return openidConfiguration({state, tokens, req}, planted)
      const match = router.match(req.method, req.path)
      if (match === null) return json(404, {error: 'not_found', error_description: 'Not Found'})
      if (match === 'method')
        return json(405, {error: 'method_not_allowed', error_description: 'Method Not Allowed'})
      try {
        return await match.handler({state, tokens, req: {...req, params: match.params}})
      } catch (err) {
        if (err instanceof OAuthError) return err.toResponse()
        throw err
      }
    },
  }
}

function plantedDiscovery(state: SimState, path: string): string | null {
  for (const prefix of state.uaa.discoveryOverrides.keys()) {
    if (
      path === `${prefix}/.well-known/openid-configuration` ||
      path === `${prefix}/oauth/token/.well-known/openid-configuration`
    ) {
      return prefix
    }
  }
  return null
}
