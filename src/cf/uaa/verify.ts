/**
 * Offline verification of UAA access tokens (docs/platform-facts.md §9.3): RS256 only, keys only
 * from the configured UAA's `/token_keys` (a token's `jku` is never followed), issuer and expiry
 * checked with 30 s tolerance, an unknown `kid` allowed one re-fetch of the keys (UAA rotates
 * by adding a key), `alg: none`, HMAC and JWE rejected.
 */
import {createLocalJWKSet, errors, type JSONWebKeySet, type JWK, type JWTPayload, jwtVerify} from 'jose'

import {CfguardError} from '../../errors.js'
import {expiryDate} from '../http/tokens.js'
import type {WireTokenKeys} from './wire.js'

export interface TokenVerifierOptions {
  /** `uaa.tokenKeys()` of the configured UAA. */
  fetchKeys: () => Promise<WireTokenKeys>
  issuer: string
  now: () => Date
  clockToleranceSeconds?: number
}

export type TokenVerifier = (token: string) => Promise<JWTPayload>

export function toJwks(keys: WireTokenKeys): JSONWebKeySet {
  const out: JWK[] = []
  for (const k of keys.keys ?? []) {
    if (k.kty !== 'RSA' || !k.n || !k.e) continue
    out.push({kty: 'RSA', n: k.n, e: k.e, ...(k.kid ? {kid: k.kid} : {}), alg: 'RS256', use: 'sig'})
  }
  return {keys: out}
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  let cached: JSONWebKeySet | null = null
  const load = async () => (cached = toJwks(await options.fetchKeys()))

  const attempt = (token: string, keys: JSONWebKeySet) =>
    jwtVerify(token, createLocalJWKSet(keys), {
      algorithms: ['RS256'],
      issuer: options.issuer,
      clockTolerance: options.clockToleranceSeconds ?? 30,
      currentDate: options.now(),
      requiredClaims: ['exp'],
    })

  return async (token: string) => {
    const raw = token.replace(/^bearer\s+/i, '')
    if (raw.split('.').length !== 3) throw invalid('it is not a signed JWT')
    let payload: JWTPayload
    try {
      try {
        payload = (await attempt(raw, cached ?? (await load()))).payload
      } catch (err) {
        if (!(err instanceof errors.JWKSNoMatchingKey)) throw err
        // UAA may have rotated its signing key since the keys were read: read them once more.
        payload = (await attempt(raw, await load())).payload
      }
    } catch (err) {
      throw classify(err)
    }
    // jose accepts any number; an expiry no clock can show (exp: 1e300) is a broken or forged token.
    if (typeof payload.exp !== 'number' || expiryDate(payload.exp) === null)
      throw invalid('claim "exp" is not a usable time')
    return payload
  }
}

function invalid(why: string): CfguardError {
  return new CfguardError('TOKEN_INVALID', `the access token failed verification: ${why}`, {
    suggestions: ['run `cfguard login` to get a token from the foundation’s UAA'],
  })
}

function classify(err: unknown): CfguardError {
  if (err instanceof CfguardError) return err
  if (err instanceof errors.JWTExpired) {
    return new CfguardError('TOKEN_EXPIRED', 'the access token has expired', {
      suggestions: ['run `cfguard login`'],
    })
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return invalid('its algorithm is not RS256')
  if (err instanceof errors.JWKSNoMatchingKey)
    return invalid('it is signed with a key the UAA does not publish')
  if (err instanceof errors.JWSSignatureVerificationFailed) return invalid('the signature does not match')
  if (err instanceof errors.JWTClaimValidationFailed)
    return invalid(`claim "${err.claim}" is wrong (${err.reason})`)
  if (err instanceof errors.JOSEError) return invalid(err.code)
  return invalid('it could not be parsed')
}
