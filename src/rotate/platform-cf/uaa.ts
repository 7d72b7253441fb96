/**
 * The client secret: the UAA client, the caller's scopes, two-secret changes (sent once, never
 * retried: a repeated DELETE after a cut response would drop the next-older secret), probes of a
 * secret at the issuer's token endpoint, and new secrets.
 */

import {randomBytes} from 'node:crypto'

import {scopesOf, type TokenManager} from '../../cf/http/tokens.js'
import type {Transport} from '../../cf/http/transport.js'
import {joinUrl} from '../../cf/http/url.js'
import type {UaaClient} from '../../cf/uaa/client.js'
import {probeClientSecret} from '../../cf/uaa/probe.js'
import {isCfguardError} from '../../errors.js'
import {registerSecret} from '../../redact.js'
import type {ProbeResult, RotationPlatform, SecretChangeOutcome} from '../platform.js'

export interface SecretOpsDeps {
  uaa: UaaClient
  transport: Transport
  tokens: Pick<TokenManager, 'current'>
}

export type SecretOps = Pick<
  RotationPlatform,
  'getUaaClient' | 'uaaCallerScopes' | 'changeClientSecret' | 'probeClientSecret' | 'generateSecret'
>

export function secretOps(deps: SecretOpsDeps): SecretOps {
  const discovered = new Map<string, Promise<string>>()

  /** The token endpoint an issuer names in its discovery document; the issuer itself otherwise. */
  const tokenEndpointOf = (issuer: string): Promise<string> => {
    let found = discovered.get(issuer)
    if (!found) {
      found = (async () => {
        try {
          const res = await deps.transport.request<{token_endpoint?: unknown}>({
            method: 'GET',
            url: joinUrl(issuer, '/.well-known/openid-configuration'),
            auth: 'none',
            allowStatus: [404],
            service: 'identity provider',
          })
          const endpoint = res.status === 200 ? res.data?.token_endpoint : undefined
          return typeof endpoint === 'string' && endpoint !== '' ? endpoint : issuer
        } catch {
          return issuer
        }
      })()
      discovered.set(issuer, found)
    }
    return found
  }
  return {
    async getUaaClient(clientId) {
      try {
        const client = await deps.uaa.getClient(clientId)
        return {clientId: client.clientId, authorizedGrantTypes: client.grantTypes}
      } catch (err) {
        if (isCfguardError(err) && err.code === 'NOT_FOUND') return null
        throw err
      }
    },

    async uaaCallerScopes() {
      // The JWT's claim, else the grant response's scope (opaque tokens).
      return scopesOf(deps.tokens.current()) ?? []
    },

    async changeClientSecret(request): Promise<SecretChangeOutcome> {
      try {
        await deps.uaa.changeClientSecret(request.clientId, {
          changeMode: request.changeMode,
          ...(request.secret !== undefined ? {secret: request.secret} : {}),
          ...(request.oldSecret !== undefined ? {oldSecret: request.oldSecret} : {}),
        })
        return 'ok'
      } catch (err) {
        if (isCfguardError(err) && err.code === 'UNPROCESSABLE' && err.status === 400) {
          if (/two secrets/i.test(err.message)) return 'two-secrets'
          if (/only one secret/i.test(err.message)) return 'one-secret'
        }
        throw err
      }
    },

    async probeClientSecret(request): Promise<ProbeResult> {
      const endpoint =
        request.tokenEndpoint ??
        (request.issuer !== null ? await tokenEndpointOf(request.issuer) : deps.uaa.tokenUrl)
      const result = await probeClientSecret(deps.transport, endpoint, request.clientId, request.secret)
      return result.outcome
    },

    generateSecret() {
      // 32 random bytes (256 bits), URL-safe: fits UAA's secret policy and any credentials JSON.
      const secret = randomBytes(32).toString('base64url')
      registerSecret(secret)
      return secret
    },
  }
}
