/**
 * Issues and verifies UAA JWTs (§9.2): RS256 with `kid`, `scope` as a JSON array, `iss` =
 * `<uaa>/oauth/token`, `zid: uaa`. Times come from the simulated clock. Access tokens may also be
 * opaque (`token_format=opaque`, §9.1): 32 hex characters, which are also their `jti`; the
 * simulator's resource servers resolve them from the issuing table, as a real one would by
 * `/introspect` (§9.3).
 */
import {randomUUID} from 'node:crypto'

import {SignJWT, jwtVerify} from 'jose'

import type {UaaClient, UaaUser} from '../core/model.js'
import type {SimState} from '../core/state.js'
import type {SigningKey} from './keys.js'

export interface Claims {
  jti: string
  sub: string
  scope: string[]
  client_id: string
  cid: string
  azp: string
  grant_type: string
  user_id?: string
  user_name?: string
  email?: string
  origin?: string
  authorities?: string[]
  iat: number
  exp: number
  iss: string
  zid: string
  aud: string[]
}

export interface IssuedToken {
  token: string
  jti: string
  exp: number
}

export class TokenService {
  private readonly verified = new Map<string, Claims>()
  /** Opaque access tokens: the token is the key (and the jti). */
  private readonly opaque = new Map<string, Claims>()
  /** Issued access tokens by jti: owner (for revocation rights). */
  readonly issued = new Map<string, {clientId: string; userId: string | null; exp: number}>()

  constructor(
    private readonly state: SimState,
    readonly key: SigningKey,
  ) {}

  get issuer(): string {
    return `${this.state.urls.uaa}/oauth/token`
  }

  async access(
    client: UaaClient,
    grantType: string,
    scopes: string[],
    user: UaaUser | null,
    format: 'jwt' | 'opaque' = 'jwt',
  ): Promise<IssuedToken> {
    const now = Math.floor(this.state.now() / 1000)
    const validity = client.accessTokenValidity ?? this.state.config.accessTokenValiditySeconds
    const jti = randomUUID().replace(/-/g, '')
    const claims: Record<string, unknown> = {
      jti,
      sub: user ? user.id : client.clientId,
      scope: scopes,
      client_id: client.clientId,
      cid: client.clientId,
      azp: client.clientId,
      grant_type: grantType,
      rev_sig: revSig(client.clientId, user?.id ?? ''),
      iat: now,
      exp: now + validity,
      iss: this.issuer,
      zid: 'uaa',
      aud: audience(scopes, client.clientId),
    }
    if (user) {
      Object.assign(claims, {
        user_id: user.id,
        user_name: user.userName,
        email: user.email,
        origin: user.origin,
        auth_time: now,
        revocable: true,
      })
    } else {
      claims.authorities = scopes
    }
    if (format === 'opaque') this.opaque.set(jti, claims as unknown as Claims)
    const token = format === 'opaque' ? jti : await this.sign(claims)
    this.issued.set(jti, {clientId: client.clientId, userId: user?.id ?? null, exp: now + validity})
    return {token, jti, exp: now + validity}
  }

  async refresh(client: UaaClient, scopes: string[], user: UaaUser): Promise<IssuedToken> {
    const now = Math.floor(this.state.now() / 1000)
    const validity = client.refreshTokenValidity ?? this.state.config.refreshTokenValiditySeconds
    const jti = `${randomUUID().replace(/-/g, '')}-r`
    const token = await this.sign({
      jti,
      sub: user.id,
      scope: scopes,
      client_id: client.clientId,
      cid: client.clientId,
      grant_type: 'password',
      user_id: user.id,
      user_name: user.userName,
      origin: user.origin,
      rev_sig: revSig(client.clientId, user.id),
      revocable: true,
      iat: now,
      exp: now + validity,
      iss: this.issuer,
      zid: 'uaa',
      aud: audience(scopes, client.clientId),
    })
    this.state.uaa.refreshTokens.set(jti, {
      jti,
      clientId: client.clientId,
      userId: user.id,
      scopes,
      expiresAt: (now + validity) * 1000,
    })
    return {token, jti, exp: now + validity}
  }

  async idToken(client: UaaClient, user: UaaUser): Promise<string> {
    const now = Math.floor(this.state.now() / 1000)
    return this.sign({
      sub: user.id,
      aud: [client.clientId],
      iss: this.issuer,
      exp: now + (client.accessTokenValidity ?? this.state.config.accessTokenValiditySeconds),
      iat: now,
      azp: client.clientId,
      user_id: user.id,
      user_name: user.userName,
      email: user.email,
      origin: user.origin,
      zid: 'uaa',
      scope: ['openid'],
      jti: randomUUID().replace(/-/g, ''),
    })
  }

  /** Claims of a valid (signature, issuer, not expired by the simulated clock) token, else null. */
  async verify(token: string, options: {allowExpired?: boolean} = {}): Promise<Claims | null> {
    const cached = this.verified.get(token) ?? this.opaque.get(token)
    let claims = cached ?? null
    if (!claims) {
      try {
        const {payload} = await jwtVerify(token, this.key.publicKey, {
          algorithms: ['RS256'],
          issuer: this.issuer,
          // Expiry is checked below against the simulated clock, so the cache stays valid.
          currentDate: new Date(0),
        })
        claims = payload as unknown as Claims
      } catch {
        return null
      }
      if (this.verified.size > 50_000) this.verified.clear()
      this.verified.set(token, claims)
    }
    if (!options.allowExpired && claims.exp * 1000 <= this.state.now()) return null
    return claims
  }

  private sign(claims: Record<string, unknown>): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({
        alg: 'RS256',
        kid: this.key.kid,
        typ: 'JWT',
        jku: `${this.state.urls.uaa}/token_keys`,
      })
      .sign(this.key.privateKey)
  }
}

/** UAA's `aud`: the resource prefixes of the scopes plus the client id. */
function audience(scopes: string[], clientId: string): string[] {
  const out = new Set<string>([clientId])
  for (const s of scopes) out.add(s.includes('.') ? s.slice(0, s.lastIndexOf('.')) : s)
  return [...out]
}

function revSig(clientId: string, userId: string): string {
  let h = 0
  for (const ch of `${clientId}:${userId}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0
  return h.toString(16).padStart(8, '0')
}
