/**
 * The access token of a session: handed to every bearer request, renewed proactively when less
 * than a minute is left (the cf CLI's margin) and once more when an API rejects it. Concurrent
 * requests share one in-flight renewal. How to renew (refresh grant, client credentials, …) is
 * the session's business: it passes a `renew` function.
 */
import {CfguardError} from '../../errors.js'
import {registerSecret} from '../../redact.js'

export interface TokenSet {
  accessToken: string
  /** null for client-credentials tokens. */
  refreshToken: string | null
  /** From the JWT's `exp` (or the grant's `expires_in`); null when unknown. */
  expiresAt: Date | null
  /**
   * The grant response's space-delimited `scope`, split (RFC 6749 §5.1); absent for tokens that
   * did not come from a grant here (a stored login, the cf CLI's session).
   */
  scope?: string[]
}

export type RenewReason = 'missing' | 'expiring' | 'rejected'
export type TokenRenewer = (current: TokenSet | null, reason: RenewReason) => Promise<TokenSet>

/** What the transport needs from a token source. */
export interface AccessTokenProvider {
  accessToken(): Promise<string>
  /** Called once after an API said the token is invalid; returns a different token or throws. */
  renewAfterRejection(rejected: string): Promise<string>
}

export interface TokenManagerOptions {
  initial: TokenSet | null
  renew: TokenRenewer
  now: () => Date
  /** Renew when fewer than this many ms are left (default 60 s). */
  marginMs?: number
  /** Persist a renewed token (the own store); errors are the callback's to handle. */
  onRenewed?: (tokens: TokenSet) => Promise<void> | void
  limiter?: TokenRequestLimiter
}

export class TokenManager implements AccessTokenProvider {
  private tokens: TokenSet | null
  /** Lifetime of the token this manager obtained itself (ms), for the margin of short-lived tokens. */
  private renewedLifetimeMs: number | null = null
  private inflight: Promise<TokenSet> | null = null
  private readonly marginMs: number

  constructor(private readonly options: TokenManagerOptions) {
    this.tokens = options.initial
    this.marginMs = options.marginMs ?? 60_000
    registerTokens(options.initial)
  }

  current(): TokenSet | null {
    return this.tokens
  }

  async accessToken(): Promise<string> {
    const t = this.tokens
    if (t && !this.isExpiring(t)) return t.accessToken
    return (await this.renew(t ? 'expiring' : 'missing')).accessToken
  }

  async renewAfterRejection(rejected: string): Promise<string> {
    const t = this.tokens
    // Another request renewed while this one was in flight: use that token, do not renew twice.
    if (t && rejected !== '' && t.accessToken !== rejected && !this.isExpiring(t)) return t.accessToken
    if (this.inflight) return (await this.inflight).accessToken
    return (await this.renew('rejected')).accessToken
  }

  /**
   * Less than the margin left. For a token renewed in this process the margin is at most half its
   * lifetime, so a foundation issuing very short-lived tokens does not cause a renewal per request.
   */
  private isExpiring(t: TokenSet): boolean {
    if (t.expiresAt === null) return false
    const margin =
      this.renewedLifetimeMs === null ? this.marginMs : Math.min(this.marginMs, this.renewedLifetimeMs / 2)
    return t.expiresAt.getTime() - this.options.now().getTime() < margin
  }

  private renew(reason: RenewReason): Promise<TokenSet> {
    if (!this.inflight) {
      const pending = this.renewNow(reason)
      this.inflight = pending
      // Clear only after the assignment above (a renewal can fail synchronously, e.g. the limiter).
      const clear = () => {
        if (this.inflight === pending) this.inflight = null
      }
      pending.then(clear, clear)
    }
    return this.inflight
  }

  private async renewNow(reason: RenewReason): Promise<TokenSet> {
    this.options.limiter?.take()
    const next = await this.options.renew(this.tokens, reason)
    registerTokens(next)
    this.tokens = next
    this.renewedLifetimeMs = next.expiresAt ? next.expiresAt.getTime() - this.options.now().getTime() : null
    await this.options.onRenewed?.(next)
    return next
  }
}

function registerTokens(t: TokenSet | null): void {
  registerSecret(t?.accessToken)
  registerSecret(t?.refreshToken)
}

/**
 * At most `max` token requests per sliding window, whatever happens (a misconfigured cron job
 * must not hammer UAA or lock an account out).
 */
export class TokenRequestLimiter {
  private readonly times: number[] = []

  constructor(
    private readonly max = 4,
    private readonly windowMs = 60_000,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Counts one token request, or throws AUTH_FAILED when the window is full. */
  take(): void {
    if (!this.tryTake()) {
      throw new CfguardError(
        'AUTH_FAILED',
        `stopped after ${this.max} token requests within ${Math.round(this.windowMs / 1000)} s: UAA keeps refusing or failing them`,
        {
          suggestions: [
            'check the credentials, then run `cfguard login`',
            'CFGUARD_TRACE=true shows the token requests (secrets redacted)',
          ],
        },
      )
    }
  }

  /** Counts one token request if the window has room; false (nothing counted) when it is full. */
  tryTake(): boolean {
    const t = this.now().getTime()
    while (this.times.length > 0 && t - (this.times[0] as number) >= this.windowMs) this.times.shift()
    if (this.times.length >= this.max) return false
    this.times.push(t)
    return true
  }
}

/** The `exp` claim of a JWT as a Date, without verifying it; null for opaque or malformed tokens. */
export function jwtExpiry(token: string): Date | null {
  const claims = decodeJwtClaims(token)
  return typeof claims?.exp === 'number' ? expiryDate(claims.exp) : null
}

/**
 * An `exp` (seconds) as a Date; null when it is no usable time (`1e300`, NaN): treated like an
 * opaque token's unknown expiry instead of failing every command with "Invalid time value".
 */
export function expiryDate(exp: number): Date | null {
  const date = new Date(exp * 1000)
  return Number.isNaN(date.getTime()) ? null : date
}

/**
 * The token's scopes: the JWT's `scope` claim, else the grant response's `scope` — all there is for
 * an opaque token (UAA `token_format=opaque`, docs/platform-facts.md §9.1). null when neither says (an opaque
 * token from a store): unknown, not empty. For deciding what to ask for, never to authorize.
 */
export function scopesOf(tokens: TokenSet | null): string[] | null {
  if (!tokens) return null
  const scope = decodeJwtClaims(tokens.accessToken)?.scope
  if (Array.isArray(scope)) return scope.filter((s): s is string => typeof s === 'string')
  if (typeof scope === 'string') return scope.split(/\s+/).filter(Boolean)
  return tokens.scope ?? null
}

/** Unverified claims, for display only (user name, client id, expiry). Never authorize on them. */
export function decodeJwtClaims(token: string): Record<string, unknown> | null {
  const raw = token.replace(/^bearer\s+/i, '')
  const parts = raw.split('.')
  if (parts.length !== 3) return null
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8'))
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}
