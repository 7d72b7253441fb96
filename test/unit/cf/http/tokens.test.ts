import {expect} from 'chai'

import {
  decodeJwtClaims,
  jwtExpiry,
  scopesOf,
  TokenManager,
  TokenRequestLimiter,
  type RenewReason,
  type TokenSet,
} from '../../../../src/cf/http/tokens.js'

function jwt(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${b64({alg: 'RS256', kid: 'k'})}.${b64(claims)}.c2ln`
}

describe('cf/http tokens', () => {
  const t0 = Date.parse('2026-11-28T20:00:00Z')
  let clock = t0
  const now = () => new Date(clock)
  beforeEach(() => {
    clock = t0
  })

  function set(name: string, expiresInS: number): TokenSet {
    return {
      accessToken: `${name}-access-token`,
      refreshToken: `${name}-refresh`,
      expiresAt: new Date(clock + expiresInS * 1000),
    }
  }

  it('uses the current token while more than 60 s are left', async () => {
    const reasons: RenewReason[] = []
    const m = new TokenManager({
      initial: set('a', 61),
      now,
      renew: async (_c, r) => (reasons.push(r), set('b', 600)),
    })
    expect(await m.accessToken()).to.equal('a-access-token')
    expect(reasons).to.deep.equal([])
  })

  it('refreshes proactively when 60 s or less are left, before the request goes out', async () => {
    const reasons: RenewReason[] = []
    const persisted: string[] = []
    const m = new TokenManager({
      initial: set('a', 59),
      now,
      renew: async (current, r) => {
        reasons.push(r)
        expect(current?.refreshToken).to.equal('a-refresh')
        return set('b', 1200)
      },
      onRenewed: (t) => void persisted.push(t.accessToken),
    })
    expect(await m.accessToken()).to.equal('b-access-token')
    expect(reasons).to.deep.equal(['expiring'])
    expect(persisted).to.deep.equal(['b-access-token'])
  })

  it('shares one in-flight refresh between concurrent requests', async () => {
    let calls = 0
    const m = new TokenManager({
      initial: set('a', 10),
      now,
      renew: async () => {
        calls++
        await new Promise((r) => setTimeout(r, 20))
        return set('b', 1200)
      },
    })
    const tokens = await Promise.all(Array.from({length: 8}, () => m.accessToken()))
    expect(new Set(tokens)).to.deep.equal(new Set(['b-access-token']))
    expect(calls).to.equal(1)
  })

  it('after a rejection renews once; a request that carried an already replaced token gets the new one', async () => {
    let calls = 0
    const m = new TokenManager({
      initial: set('a', 600),
      now,
      renew: async () => (calls++, set(`n${calls}`, 1200)),
    })
    expect(await m.renewAfterRejection('a-access-token')).to.equal('n1-access-token')
    expect(await m.renewAfterRejection('a-access-token')).to.equal('n1-access-token')
    expect(calls).to.equal(1)
  })

  it('caps token requests per minute whatever happens', async () => {
    const limiter = new TokenRequestLimiter(3, 60_000, now)
    let n = 0
    const m = new TokenManager({initial: null, now, limiter, renew: async () => set(`x${++n}`, 1200)})
    // An API that rejects every token: each rejection asks for another one.
    await m.accessToken()
    for (let i = 0; i < 2; i++) await m.renewAfterRejection(m.current()!.accessToken)
    try {
      await m.renewAfterRejection(m.current()!.accessToken)
      expect.fail('a fourth token request within a minute must be refused')
    } catch (err) {
      expect((err as {code: string}).code).to.equal('AUTH_FAILED')
      expect((err as {exitCode: number}).exitCode).to.equal(4)
    }
    expect(n).to.equal(3)
    clock += 60_001
    await m.renewAfterRejection(m.current()!.accessToken)
    expect(n).to.equal(4)
  })

  it('does not renew on every request when the foundation issues tokens shorter-lived than the margin', async () => {
    let n = 0
    const m = new TokenManager({initial: set('a', 30), now, renew: async () => set(`b${++n}`, 30)})
    await m.accessToken()
    await m.accessToken()
    expect(n).to.equal(1)
    clock += 16_000 // less than half of the 30 s lifetime left
    await m.accessToken()
    expect(n).to.equal(2)
  })

  it('reads exp and claims from a JWT without trusting it, and tolerates opaque tokens', () => {
    const token = jwt({exp: t0 / 1000 + 100, user_name: 'admin'})
    expect(jwtExpiry(token)?.getTime()).to.equal(t0 + 100_000)
    expect(decodeJwtClaims(`bearer ${token}`)?.user_name).to.equal('admin')
    expect(jwtExpiry('opaque-token')).to.equal(null)
    expect(decodeJwtClaims('a.b.c')).to.equal(null)
  })

  it('an exp that is no usable time (1e300) is an unknown expiry, not "Invalid time value"', () => {
    expect(jwtExpiry(jwt({exp: 1e300}))).to.equal(null)
    expect(jwtExpiry(jwt({exp: -1e300}))).to.equal(null)
    expect(jwtExpiry(jwt({exp: 253402300799}))?.toISOString()).to.equal('9999-12-31T23:59:59.000Z')
  })
})

describe('scopesOf: what the token may do, JWT or opaque', () => {
  const base = {refreshToken: null, expiresAt: null}

  it("a JWT's scope claim wins (array or space-delimited string)", () => {
    expect(
      scopesOf({...base, accessToken: jwt({scope: ['clients.read', 'openid']}), scope: ['other']}),
    ).to.deep.equal(['clients.read', 'openid'])
    expect(scopesOf({...base, accessToken: jwt({scope: 'a b'})})).to.deep.equal(['a', 'b'])
  })

  it("an opaque token's scopes come from the grant response (RFC 6749 §5.1)", () => {
    const opaque = '0123456789abcdef0123456789abcdef'
    expect(scopesOf({...base, accessToken: opaque, scope: ['clients.read']})).to.deep.equal(['clients.read'])
    // Nothing says: unknown, not "none".
    expect(scopesOf({...base, accessToken: opaque})).to.equal(null)
    expect(scopesOf(null)).to.equal(null)
  })
})
