/**
 * A minimal but honest foundation on loopback for auth tests, until the simulator (src/sim) lands:
 * a CC (root, /v3, /v3/info, orgs, spaces) and a UAA (password / passcode / client_credentials /
 * refresh_token grants, RS256 tokens signed with jose, /token_keys, OIDC discovery, revoke, OAuth
 * clients with the two-secret rule) on two real node:http servers, so CC and UAA are different
 * origins. CC verifies every bearer token against the UAA's key, expiry and revocation, as a real
 * CC does. Tests should use only `apiUrl` and the credentials below, so they can later run
 * against the simulator; the knobs (`setAccessTokenTtl`, `grants`, …) are for the auth tests.
 */
import {randomUUID} from 'node:crypto'
import type {ServerResponse} from 'node:http'

import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  createLocalJWKSet,
  type JWK,
  type JWTPayload,
} from 'jose'

import {json, startLoopback, type Recorded} from './loopback.js'

export type {Recorded}

interface OAuthClient {
  id: string
  secrets: string[]
  grantTypes: string[]
  authorities: string[]
  scope: string[]
}

export interface MiniFoundationOptions {
  ccVersion?: string
  accessTokenTtlSeconds?: number
  refreshTokenTtlSeconds?: number
}

export interface MiniFoundation {
  apiUrl: string
  uaaUrl: string
  ccVersion: string
  admin: {username: string; password: string}
  /** A client with client_credentials and cloud_controller.admin. */
  client: {id: string; secret: string}
  /** A client whose secret is right but which may not use client_credentials. */
  noGrantClient: {id: string; secret: string}
  orgs: {guid: string; name: string}[]
  spaces: {guid: string; name: string; orgGuid: string}[]
  requests: {cc: Recorded[]; uaa: Recorded[]}
  /** Token grants served, by grant type (`password`, `refresh_token`, …). */
  grants: Record<string, number>
  revokedJtis: Set<string>
  keyId: string
  publicJwk: JWK
  publicKeyPem: string
  issuer: string
  /** A valid one-time SSO passcode for user `sso-user`. */
  issuePasscode(): string
  setAccessTokenTtl(seconds: number): void
  /** Every refresh token issued so far stops working (as after its 30 days). */
  expireRefreshTokens(): void
  /** Answers the next CC requests with this status and body instead (fault injection). */
  failNextCc(times: number, status: number, body: string, headers?: Record<string, string>): void
  /** Sends these warnings (X-Cf-Warnings, one header each, form-encoded) on authenticated CC responses. */
  setCcWarnings(warnings: string[]): void
  stop(): Promise<void>
}

const T0 = '2026-01-01T00:00:00Z'

export async function startMiniFoundation(options: MiniFoundationOptions = {}): Promise<MiniFoundation> {
  const ccVersion = options.ccVersion ?? '3.228.0'
  let accessTtl = options.accessTokenTtlSeconds ?? 1200
  const refreshTtl = options.refreshTokenTtlSeconds ?? 2_592_000
  const {publicKey, privateKey} = await generateKeyPair('RS256', {extractable: true})
  const keyId = `key-${randomUUID().slice(0, 8)}`
  const publicJwk = await exportJWK(publicKey)
  const publicKeyPem = await exportSPKI(publicKey)
  const jwks = createLocalJWKSet({keys: [{...publicJwk, kid: keyId, alg: 'RS256', use: 'sig'}]})

  const users = new Map([
    ['admin', {id: 'user-admin', password: 'admin-pw-9f8e7d', email: 'admin@example.com'}],
    ['sso-user', {id: 'user-sso', password: randomUUID(), email: 'sso@example.com'}],
  ])
  const clients = new Map<string, OAuthClient>([
    [
      'cf',
      {
        id: 'cf',
        secrets: [''],
        grantTypes: ['password', 'refresh_token'],
        authorities: ['uaa.none'],
        scope: ['cloud_controller.admin', 'openid'],
      },
    ],
    [
      'cfguard-ci',
      {
        id: 'cfguard-ci',
        secrets: ['ci-secret-4b3a2c1d'],
        grantTypes: ['client_credentials'],
        authorities: ['cloud_controller.admin', 'clients.read', 'clients.secret'],
        scope: [],
      },
    ],
    [
      'web-sso',
      {
        id: 'web-sso',
        secrets: ['websso-secret-8c7d'],
        grantTypes: ['authorization_code'],
        authorities: [],
        scope: ['openid'],
      },
    ],
  ])
  const passcodes = new Set<string>()
  const revokedJtis = new Set<string>()
  const grants: Record<string, number> = {}
  const issuedRefreshJtis = new Set<string>()
  const expiredRefreshJtis = new Set<string>()
  let faults: {times: number; status: number; body: string; headers: Record<string, string>} | null = null
  let ccWarnings: string[] = []

  // An exception in a handler is a CC-style 500 (when nothing was sent yet).
  const onError = (err: unknown, res: ServerResponse) => {
    if (!res.headersSent)
      json(res, 500, {errors: [{code: 10001, title: 'UnknownError', detail: String(err)}]})
  }
  const cc = await startLoopback(handleCc, {onError})
  const uaa = await startLoopback(handleUaa, {onError})
  const requests = {cc: cc.requests, uaa: uaa.requests}
  const apiUrl = cc.url
  const uaaUrl = uaa.url
  const issuer = `${uaaUrl}/oauth/token`

  const orgs = [
    {guid: 'org-acme', name: 'acme'},
    {guid: 'org-beta', name: 'beta'},
  ]
  const spaces = [
    {guid: 'space-prod', name: 'prod', orgGuid: 'org-acme'},
    {guid: 'space-dev', name: 'dev', orgGuid: 'org-acme'},
    {guid: 'space-beta', name: 'prod', orgGuid: 'org-beta'},
  ]

  async function sign(claims: JWTPayload, ttl: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000)
    return new SignJWT({...claims, iss: issuer, zid: 'uaa', revocable: true})
      .setProtectedHeader({alg: 'RS256', kid: keyId, jku: `${uaaUrl}/token_keys`, typ: 'JWT'})
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .sign(privateKey)
  }

  async function issue(
    subject: {user?: {id: string; name: string; email: string}; client: OAuthClient},
    grantType: string,
    withRefresh: boolean,
  ) {
    const jti = randomUUID().replace(/-/g, '')
    const base = subject.user
      ? {
          sub: subject.user.id,
          user_id: subject.user.id,
          user_name: subject.user.name,
          email: subject.user.email,
          origin: 'uaa',
        }
      : {sub: subject.client.id, authorities: subject.client.authorities}
    const scope = subject.user ? subject.client.scope : subject.client.authorities
    const access = await sign(
      {
        ...base,
        jti,
        client_id: subject.client.id,
        cid: subject.client.id,
        azp: subject.client.id,
        grant_type: grantType,
        scope,
        aud: ['cloud_controller', subject.client.id],
      },
      accessTtl,
    )
    const body: Record<string, unknown> = {
      access_token: access,
      token_type: 'bearer',
      expires_in: accessTtl,
      scope: scope.join(' '),
      jti,
    }
    if (withRefresh) {
      issuedRefreshJtis.add(`${jti}-r`)
      body.refresh_token = await sign(
        {
          ...base,
          jti: `${jti}-r`,
          client_id: subject.client.id,
          cid: subject.client.id,
          grant_type: grantType,
          scope,
          aud: [subject.client.id],
        },
        refreshTtl,
      )
    }
    return body
  }

  async function verify(token: string): Promise<JWTPayload | null> {
    try {
      const {payload} = await jwtVerify(token, jwks, {algorithms: ['RS256'], issuer})
      // Revocation is per token id, as in UAA: revoking an access token leaves its refresh token valid.
      if (typeof payload.jti === 'string' && revokedJtis.has(payload.jti)) return null
      return payload
    } catch {
      return null
    }
  }

  function clientFrom(req: Recorded): OAuthClient | null {
    const header = req.headers.authorization ?? ''
    const m = /^Basic (.+)$/i.exec(header)
    if (!m) return null
    const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8')
    const idx = decoded.indexOf(':')
    const id = decoded.slice(0, idx)
    const secret = decoded.slice(idx + 1)
    const client = clients.get(id)
    return client && client.secrets.includes(secret) ? client : null
  }

  async function handleUaa(req: Recorded, res: ServerResponse): Promise<void> {
    const url = new URL(req.path, uaaUrl)
    if (req.method === 'GET' && url.pathname === '/token_keys') {
      return json(res, 200, {
        keys: [{...publicJwk, kid: keyId, alg: 'RS256', use: 'sig', value: publicKeyPem}],
      })
    }
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {issuer, token_endpoint: issuer, jwks_uri: `${uaaUrl}/token_keys`})
    }
    if (req.method === 'POST' && url.pathname === '/oauth/token') return token(req, res)
    const revoke = /^\/oauth\/token\/revoke\/([^/]+)$/.exec(url.pathname)
    if (req.method === 'DELETE' && revoke) {
      const claims = await verify((req.headers.authorization ?? '').replace(/^bearer /i, ''))
      if (!claims) return json(res, 401, {error: 'invalid_token', error_description: 'Invalid token'})
      revokedJtis.add(decodeURIComponent(revoke[1] as string))
      res.writeHead(200).end()
      return
    }
    const clientPath = /^\/oauth\/clients\/([^/]+)(\/secret)?$/.exec(url.pathname)
    if (clientPath) {
      const claims = await verify((req.headers.authorization ?? '').replace(/^bearer /i, ''))
      if (!claims) return json(res, 401, {error: 'invalid_token', error_description: 'Invalid token'})
      const client = clients.get(decodeURIComponent(clientPath[1] as string))
      if (!client) return void res.writeHead(404).end()
      if (req.method === 'GET' && !clientPath[2]) {
        return json(res, 200, {
          client_id: client.id,
          authorized_grant_types: client.grantTypes,
          authorities: client.authorities,
          scope: client.scope,
          redirect_uri: [],
          lastModified: Date.parse(T0),
        })
      }
      if (req.method === 'PUT' && clientPath[2]) {
        const body = JSON.parse(req.body) as {secret?: string; changeMode?: string}
        if (body.changeMode === 'ADD') {
          if (!body.secret || client.secrets.length >= 2) {
            return json(res, 400, {
              error: 'invalid_client',
              error_description: 'client secret is either empty or client already has two secrets.',
            })
          }
          client.secrets.push(body.secret)
          return json(res, 200, {status: 'ok', message: 'Secret is added'})
        }
        if (body.changeMode === 'DELETE') {
          if (client.secrets.length < 2)
            return json(res, 400, {error: 'invalid_client', error_description: 'client has only one secret.'})
          client.secrets.shift()
          return json(res, 200, {status: 'ok', message: 'Secret is deleted'})
        }
        client.secrets = [body.secret ?? '']
        return json(res, 200, {status: 'ok', message: 'secret updated'})
      }
    }
    json(res, 404, {error: 'not_found', error_description: 'no such endpoint'})
  }

  async function token(req: Recorded, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(req.body)
    const grantType = form.get('grant_type') ?? ''
    const client = clientFrom(req)
    if (!client) return json(res, 401, {error: 'unauthorized', error_description: 'Bad credentials'})
    if (!client.grantTypes.includes(grantType)) {
      return json(res, 401, {
        error: 'invalid_client',
        error_description: `Unauthorized grant type: ${grantType}`,
      })
    }
    grants[grantType] = (grants[grantType] ?? 0) + 1
    if (grantType === 'client_credentials') return json(res, 200, await issue({client}, grantType, false))
    if (grantType === 'password') {
      const passcode = form.get('passcode')
      if (passcode !== null) {
        if (!passcodes.delete(passcode))
          return json(res, 401, {error: 'unauthorized', error_description: 'Bad credentials'})
        const user = users.get('sso-user')!
        return json(
          res,
          200,
          await issue({user: {id: user.id, name: 'sso-user', email: user.email}, client}, grantType, true),
        )
      }
      const name = form.get('username') ?? ''
      const user = users.get(name)
      if (!user || user.password !== form.get('password'))
        return json(res, 401, {error: 'unauthorized', error_description: 'Bad credentials'})
      return json(
        res,
        200,
        await issue({user: {id: user.id, name, email: user.email}, client}, grantType, true),
      )
    }
    if (grantType === 'refresh_token') {
      const claims = await verify(form.get('refresh_token') ?? '')
      if (!claims || expiredRefreshJtis.has(String(claims.jti))) {
        return json(res, 401, {error: 'invalid_token', error_description: 'Invalid refresh token (expired)'})
      }
      const name = String(claims.user_name)
      const user = users.get(name)!
      const body = await issue({user: {id: user.id, name, email: user.email}, client}, 'password', false)
      body.refresh_token = form.get('refresh_token')
      return json(res, 200, body)
    }
    json(res, 400, {error: 'unsupported_grant_type', error_description: grantType})
  }

  async function handleCc(req: Recorded, res: ServerResponse): Promise<void> {
    const url = new URL(req.path, apiUrl)
    if (faults && faults.times > 0) {
      faults.times--
      res.writeHead(faults.status, {'Content-Length': Buffer.byteLength(faults.body), ...faults.headers})
      res.end(faults.body)
      return
    }
    if (url.pathname === '/') {
      return json(res, 200, {
        links: {
          self: {href: apiUrl},
          cloud_controller_v3: {href: `${apiUrl}/v3`, meta: {version: ccVersion}},
          network_policy_v0: {href: `${apiUrl}/networking/v0/external`},
          network_policy_v1: {href: `${apiUrl}/networking/v1/external`},
          login: {href: uaaUrl},
          uaa: {href: uaaUrl},
          credhub: null,
          routing: null,
          logging: null,
          log_cache: null,
          log_stream: null,
        },
      })
    }
    if (url.pathname === '/v3')
      return json(res, 200, {
        links: {self: {href: `${apiUrl}/v3`}, organizations: {href: `${apiUrl}/v3/organizations`}},
      })
    if (url.pathname === '/v3/info') {
      return json(res, 200, {
        build: 'mini',
        name: 'mini-foundation',
        version: 0,
        cli_version: {minimum: '6.22.0', recommended: 'latest'},
        rate_limits: {enabled: false},
      })
    }
    const header = req.headers.authorization
    if (!header) return ccError(res, 401, 10002, 'CF-NotAuthenticated', 'Authentication error')
    const claims = await verify(header.replace(/^bearer /i, ''))
    if (!claims) return ccError(res, 401, 1000, 'CF-InvalidAuthToken', 'Invalid Auth Token')
    if (req.method !== 'GET')
      return ccError(res, 405, 10000, 'CF-NotImplemented', 'read-only mini foundation')
    if (ccWarnings.length > 0) {
      res.setHeader(
        'X-Cf-Warnings',
        ccWarnings.map((w) => new URLSearchParams({w}).toString().slice(2)),
      )
    }

    const one = /^\/v3\/(organizations|spaces)\/([^/]+)$/.exec(url.pathname)
    if (one) {
      const found =
        one[1] === 'organizations'
          ? orgs.find((o) => o.guid === one[2])
          : spaces.find((s) => s.guid === one[2])
      if (!found)
        return ccError(
          res,
          404,
          10010,
          'CF-ResourceNotFound',
          `${one[1] === 'organizations' ? 'Organization' : 'Space'} not found`,
        )
      return json(
        res,
        200,
        one[1] === 'organizations'
          ? orgWire(found as (typeof orgs)[0])
          : spaceWire(found as (typeof spaces)[0]),
      )
    }
    const list = (name: string) => url.searchParams.get(name)?.split(',').map(decodeURIComponent) ?? null
    if (url.pathname === '/v3/organizations') {
      const names = list('names')
      const guids = list('guids')
      const found = orgs.filter(
        (o) => (!names || names.includes(o.name)) && (!guids || guids.includes(o.guid)),
      )
      return page(res, url, found.map(orgWire), {})
    }
    if (url.pathname === '/v3/spaces') {
      const names = list('names')
      const orgGuids = list('organization_guids')
      const found = spaces.filter(
        (s) => (!names || names.includes(s.name)) && (!orgGuids || orgGuids.includes(s.orgGuid)),
      )
      const included: Record<string, unknown[]> =
        url.searchParams.get('include') === 'organization'
          ? {organizations: orgs.filter((o) => found.some((s) => s.orgGuid === o.guid)).map(orgWire)}
          : {}
      return page(res, url, found.map(spaceWire), included)
    }
    ccError(res, 404, 10000, 'CF-NotFound', 'Unknown request')
  }

  function page(res: ServerResponse, url: URL, all: unknown[], included: Record<string, unknown[]>): void {
    const perPage = Math.min(5000, Math.max(1, Number(url.searchParams.get('per_page') ?? '50')))
    const pageNo = Math.max(1, Number(url.searchParams.get('page') ?? '1'))
    const totalPages = Math.max(1, Math.ceil(all.length / perPage))
    const link = (n: number) => {
      const u = new URL(url.toString())
      u.searchParams.set('page', String(n))
      u.searchParams.set('per_page', String(perPage))
      return {href: u.toString()}
    }
    json(res, 200, {
      pagination: {
        total_results: all.length,
        total_pages: totalPages,
        first: link(1),
        last: link(totalPages),
        next: pageNo < totalPages ? link(pageNo + 1) : null,
        previous: pageNo > 1 ? link(pageNo - 1) : null,
      },
      resources: all.slice((pageNo - 1) * perPage, pageNo * perPage),
      ...(Object.keys(included).length ? {included} : {}),
    })
  }

  return {
    apiUrl,
    uaaUrl,
    ccVersion,
    admin: {username: 'admin', password: users.get('admin')!.password},
    client: {id: 'cfguard-ci', secret: 'ci-secret-4b3a2c1d'},
    noGrantClient: {id: 'web-sso', secret: 'websso-secret-8c7d'},
    orgs,
    spaces,
    requests,
    grants,
    revokedJtis,
    keyId,
    publicJwk,
    publicKeyPem,
    issuer,
    issuePasscode() {
      const code = randomUUID().slice(0, 10)
      passcodes.add(code)
      return code
    },
    setAccessTokenTtl(seconds) {
      accessTtl = seconds
    },
    expireRefreshTokens() {
      for (const jti of issuedRefreshJtis) expiredRefreshJtis.add(jti)
    },
    failNextCc(times, status, body, headers = {}) {
      faults = {times, status, body, headers}
    },
    setCcWarnings(warnings) {
      ccWarnings = warnings
    },
    async stop() {
      await Promise.all([cc.close(), uaa.close()])
    },
  }
}

function orgWire(o: {guid: string; name: string}) {
  return {
    guid: o.guid,
    name: o.name,
    suspended: false,
    created_at: T0,
    updated_at: T0,
    relationships: {quota: {data: null}},
    metadata: {labels: {}, annotations: {}},
    links: {},
  }
}

function spaceWire(s: {guid: string; name: string; orgGuid: string}) {
  return {
    guid: s.guid,
    name: s.name,
    created_at: T0,
    updated_at: T0,
    relationships: {organization: {data: {guid: s.orgGuid}}},
    metadata: {labels: {}, annotations: {}},
    links: {},
  }
}

function ccError(res: ServerResponse, status: number, code: number, title: string, detail: string): void {
  json(res, status, {errors: [{code, title, detail}]})
}
