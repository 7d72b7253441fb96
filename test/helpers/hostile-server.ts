/**
 * A loopback HTTP server that misbehaves on demand, for answers the simulator never gives: HTML
 * and non-JSON bodies, truncated JSON, absurd pagination, redirects to other hosts, forged
 * tokens, endless or oversized bodies, answers that never come.
 *
 * `startHostileServer()` is a bare scripted server (`route(method, path, reply)`; the route
 * added last wins). `startHostileFoundation()` adds just enough of a foundation for the CLI to
 * log in with client credentials and look up an org: `GET /` (every link points at itself),
 * `/v3`, `/v3/info`, a UAA token endpoint issuing RS256 JWTs, `/token_keys`, OIDC discovery and
 * `GET /v3/organizations` with org `acme`. A test then overrides the one route it breaks.
 * `startHostileProxy(target)` stands in front of a real server (the simulator's Cloud
 * Controller): every request no route claims is passed through, its own origin written over the
 * target's in bodies and Location headers, so a test breaks one call of an otherwise real run.
 * Listens on 127.0.0.1 only; the recording and the listening are the loopback helper's
 * (`loopback.ts`).
 */
import {randomUUID} from 'node:crypto'
import type {ServerResponse} from 'node:http'
import {gzipSync} from 'node:zlib'

import {exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyInput} from 'jose'

import {raw, startLoopback, type Recorded} from './loopback.js'

/** What the server received (the loopback helper's record: `path` is the path with its query). */
export type HostileRequest = Recorded

export type Reply = (req: HostileRequest, res: ServerResponse) => void | Promise<void>

interface Route {
  method: string
  path: string | RegExp
  reply: Reply
}

export interface HostileServer {
  url: string
  requests: HostileRequest[]
  /** Answer `method` + `path` (exact pathname or a RegExp on it) with `reply`; the last route added wins. */
  route(method: string, path: string | RegExp, reply: Reply): void
  /** Requests received for a pathname (or matching a RegExp). */
  received(path: string | RegExp, method?: string): HostileRequest[]
  close(): Promise<void>
}

export async function startHostileServer(options: {fallback?: Reply} = {}): Promise<HostileServer> {
  const routes: Route[] = []
  const notFound = replies.json(404, {
    errors: [{code: 10000, title: 'CF-NotFound', detail: 'Unknown request'}],
  })
  const server = await startLoopback(
    (req, res) => {
      const route = [...routes]
        .reverse()
        .find((r) => r.method === req.method && matches(r.path, req.pathname))
      return (route?.reply ?? options.fallback ?? notFound)(req, res)
    },
    {onError: (_err, res) => res.destroy()},
  )
  return {
    url: server.url,
    requests: server.requests,
    route(method, path, reply) {
      routes.push({method: method.toUpperCase(), path, reply})
    },
    received(path, method) {
      return server.requests.filter(
        (r) => matches(path, r.pathname) && (!method || r.method === method.toUpperCase()),
      )
    },
    close: server.close,
  }
}

function matches(path: string | RegExp, pathname: string): boolean {
  return typeof path === 'string' ? path === pathname : path.test(pathname)
}

/** Canned misbehaviour. Each returns a Reply. */
export const replies = {
  json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
    return (_req, res) =>
      raw(res, status, JSON.stringify(body), {'Content-Type': 'application/json', ...headers})
  },
  text(status: number, text: string, headers: Record<string, string> = {}): Reply {
    return (_req, res) => raw(res, status, text, {'Content-Type': 'text/plain', ...headers})
  },
  html(status: number, html = '<html><body><h1>Welcome</h1><p>Sign in</p></body></html>'): Reply {
    return (_req, res) => raw(res, status, html, {'Content-Type': 'text/html'})
  },
  /** The first half of a JSON body, with a Content-Length that matches what is sent. */
  truncatedJson(status: number, body: unknown): Reply {
    const text = JSON.stringify(body)
    return (_req, res) =>
      raw(res, status, text.slice(0, Math.floor(text.length / 2)), {'Content-Type': 'application/json'})
  },
  /** A gzip-compressed body that inflates to `bytes` (a decompression bomb). */
  gzipBomb(bytes: number): Reply {
    const packed = gzipSync(Buffer.alloc(bytes, 0x20))
    return (_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
        'Content-Length': packed.length,
      })
      res.end(packed)
    }
  },
  /**
   * A JSON-looking body that never ends (written as fast as the client reads), optionally
   * announced with a huge Content-Length (e.g. 3 GB).
   */
  endless(contentLength?: number): Reply {
    return (_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        ...(contentLength === undefined ? {} : {'Content-Length': String(contentLength)}),
      })
      const chunk = Buffer.from('{"guid":"00000000-0000-0000-0000-000000000000","name":"x"},'.repeat(1000))
      res.write('{"pagination":{"next":null},"resources":[')
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {
          // keep writing until the socket pushes back
        }
        if (!res.destroyed) res.once('drain', pump)
      }
      res.on('close', () => res.removeAllListeners('drain'))
      pump()
    }
  },
  /** Headers, then one byte every `everyMs` forever (never idle long enough for a socket timeout). */
  drip(everyMs = 200): Reply {
    return (_req, res) => {
      res.writeHead(200, {'Content-Type': 'application/json'})
      res.write('{')
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), everyMs)
      res.on('close', () => clearInterval(timer))
    }
  },
  /** Headers, then nothing: the body never comes. */
  headersThenSilence(): Reply {
    return (_req, res) => {
      res.writeHead(200, {'Content-Type': 'application/json'})
      res.flushHeaders()
    }
  },
  /** No answer at all (the socket stays open until the client gives up). */
  never(): Reply {
    return () => {}
  },
  /** The connection is closed without any answer. */
  drop(): Reply {
    return (_req, res) => {
      res.socket?.destroy()
    }
  },
  redirect(status: number, location: string): Reply {
    return (_req, res) => {
      res.writeHead(status, {Location: location, 'Content-Length': 0})
      res.end()
    }
  },
  /** Replies in turn; the last one repeats. */
  sequence(...steps: Reply[]): Reply {
    let i = 0
    return (req, res) => (steps[Math.min(i++, steps.length - 1)] as Reply)(req, res)
  },
}

/** A CC list body. */
export function ccList(
  resources: unknown[],
  pagination: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    pagination: {
      total_results: resources.length,
      total_pages: 1,
      first: {href: 'ignored'},
      last: {href: 'ignored'},
      next: null,
      previous: null,
      ...pagination,
    },
    resources,
  }
}

export function ccOrg(name: string, guid: string = randomUUID()): Record<string, unknown> {
  return {
    guid,
    name,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    suspended: false,
    relationships: {quota: {data: {guid: 'quota'}}},
    metadata: {labels: {}, annotations: {}},
    links: {self: {href: `/v3/organizations/${guid}`}},
  }
}

export function ccApp(name: string, guid: string = randomUUID()): Record<string, unknown> {
  return {
    guid,
    name,
    state: 'STARTED',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    lifecycle: {type: 'buildpack', data: {buildpacks: [], stack: 'cflinuxfs4'}},
    relationships: {space: {data: {guid: 'space-dev'}}, current_droplet: {data: null}},
    metadata: {labels: {}, annotations: {}},
    links: {self: {href: `/v3/apps/${guid}`}},
  }
}

export interface HostileFoundation extends HostileServer {
  client: {id: string; secret: string}
  issuer: string
  keyId: string
  /** Signs claims with the foundation's key (header fields can be overridden). */
  sign(claims: JWTPayload, header?: Record<string, unknown>, key?: KeyInput): Promise<string>
  /** A valid access token for the client, with these claims changed. */
  token(overrides?: JWTPayload): Promise<string>
  publicKeyPem: string
  publicJwk: JWK
  /** Token POSTs received. */
  tokenRequests(): number
}

/** Just enough of a foundation for `login --client-id` and an org lookup; override any route. */
export async function startHostileFoundation(
  options: {tokenTtlSeconds?: number} = {},
): Promise<HostileFoundation> {
  const server = await startHostileServer()
  const {publicKey, privateKey} = await generateKeyPair('RS256', {extractable: true})
  const publicJwk = await exportJWK(publicKey)
  const publicKeyPem = await exportSPKI(publicKey)
  const keyId = `hostile-${randomUUID().slice(0, 8)}`
  const issuer = `${server.url}/oauth/token`
  const client = {id: 'hostile-ci', secret: `hostile-secret-${randomUUID()}`}
  const ttl = options.tokenTtlSeconds ?? 1200

  const sign = (claims: JWTPayload, header: Record<string, unknown> = {}, key: KeyInput = privateKey) =>
    new SignJWT(claims).setProtectedHeader({alg: 'RS256', kid: keyId, typ: 'JWT', ...header}).sign(key)
  const token = (overrides: JWTPayload = {}) => {
    const now = Math.floor(Date.now() / 1000)
    return sign({
      jti: randomUUID(),
      sub: client.id,
      client_id: client.id,
      cid: client.id,
      grant_type: 'client_credentials',
      scope: ['cloud_controller.admin'],
      iat: now,
      exp: now + ttl,
      iss: issuer,
      zid: 'uaa',
      ...overrides,
    })
  }

  const root = {
    links: {
      self: {href: server.url},
      cloud_controller_v3: {href: `${server.url}/v3`, meta: {version: '3.228.0'}},
      login: {href: server.url},
      uaa: {href: server.url},
      network_policy_v1: {href: `${server.url}/networking/v1/external`},
      log_cache: {href: server.url},
    },
  }
  // Every other collection is empty (a command walking many lists reaches the broken one).
  server.route('GET', /^\/v3\/[a-z_]+$/, replies.json(200, ccList([])))
  server.route(
    'GET',
    '/networking/v1/external/policies',
    replies.json(200, {total_policies: 0, policies: []}),
  )
  server.route('GET', /^\/api\/v1\/read\//, replies.json(200, {envelopes: {batch: []}}))
  server.route('GET', '/', replies.json(200, root))
  server.route('GET', '/v3', replies.json(200, {links: root.links}))
  server.route('GET', '/v3/info', replies.json(200, {name: 'hostile', build: '', version: 0}))
  server.route('GET', '/token_keys', (_req, res) =>
    raw(
      res,
      200,
      JSON.stringify({keys: [{...publicJwk, kid: keyId, alg: 'RS256', use: 'sig', value: publicKeyPem}]}),
      {'Content-Type': 'application/json'},
    ),
  )
  server.route(
    'GET',
    /^(\/oauth\/token)?\/\.well-known\/openid-configuration$/,
    replies.json(200, {issuer, token_endpoint: issuer, jwks_uri: `${server.url}/token_keys`}),
  )
  server.route('POST', '/oauth/token', async (req, res) => {
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const [id, secret] = Buffer.from(basic ?? '', 'base64')
      .toString('utf8')
      .split(':')
    if (id !== client.id || secret !== client.secret) {
      return raw(res, 401, JSON.stringify({error: 'unauthorized', error_description: 'Bad credentials'}), {
        'Content-Type': 'application/json',
      })
    }
    raw(
      res,
      200,
      JSON.stringify({
        access_token: await token(),
        token_type: 'bearer',
        expires_in: ttl,
        scope: 'cloud_controller.admin',
      }),
      {'Content-Type': 'application/json'},
    )
  })
  server.route('GET', '/v3/organizations', replies.json(200, ccList([ccOrg('acme', 'org-acme')])))

  return {
    ...server,
    client,
    issuer,
    keyId,
    sign,
    token,
    publicKeyPem,
    publicJwk,
    tokenRequests: () => server.received('/oauth/token', 'POST').length,
  }
}

/**
 * A hostile server in front of `target` (an origin, e.g. the simulator's CC): unrouted requests
 * are forwarded as sent; answers come back with the target's origin rewritten to the proxy's.
 */
export async function startHostileProxy(target: string): Promise<HostileServer & {forward: Reply}> {
  let self = ''
  const forward: Reply = async (req, res) => {
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v
    }
    headers['accept-encoding'] = 'identity'
    const upstream = await fetch(`${target}${req.path}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
      redirect: 'manual',
    })
    const text = (await upstream.text()).split(target).join(self)
    const out: Record<string, string> = {}
    upstream.headers.forEach((v, k) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k))
        out[k] = k === 'location' ? v.split(target).join(self) : v
    })
    raw(res, upstream.status, text, out)
  }
  const server = await startHostileServer({fallback: forward})
  self = server.url
  return {...server, forward}
}

/** A reply that echoes the request body back inside a CC error detail (as some proxies and APIs do). */
export function echoError(status: number, title: string): Reply {
  return (req, res) =>
    raw(
      res,
      status,
      JSON.stringify({errors: [{code: 10008, title, detail: `The request is invalid: ${req.body}`}]}),
      {'Content-Type': 'application/json'},
    )
}
