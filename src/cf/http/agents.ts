/**
 * Keep-alive agents that do not keep request state alive.
 *
 * `http.Agent` keeps the options of the request that opened a socket for the socket's whole life
 * (its `free`/`close`/`timeout`/`agentRemove` listeners close over them, to find the socket's pool
 * again). axios puts per-request state into those options: `beforeRedirects.direct` is a closure
 * over the adapter's promise, which holds the whole response, body text included; `headers` holds
 * the Authorization header. So every pooled socket kept its first response (up to
 * MAX_RESPONSE_BYTES) and a token reachable until the socket closed. The agent only needs the
 * connection fields (host, port, family, TLS settings), so the request-only ones are dropped
 * before the agent sees them.
 */
import {readFileSync} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import {createRequire} from 'node:module'
import type {Socket} from 'node:net'
import tls from 'node:tls'

import type {HttpsProxyAgent} from 'https-proxy-agent'

import {CfguardError} from '../../errors.js'
import {registerSecret} from '../../redact.js'
import {noProxyMatches, type NoProxyRule, parseNoProxy} from './no-proxy.js'
import {isLoopbackHost} from './url.js'

export {noProxyMatches, type NoProxyRule, parseNoProxy} from './no-proxy.js'

/** Request options that describe one request, never the connection (the agent does not read them). */
const REQUEST_ONLY = new Set([
  'beforeRedirects',
  'beforeRedirect',
  'headers',
  'auth',
  'agents',
  'http2Options',
])

/**
 * The options without the request-only fields, copied field by field: not a whole copy and then
 * `delete`s (a `delete` turns the copy into a slow dictionary-mode object, which the agent reads
 * several times per request), nor an object rest (a slow runtime call in V8); either was ~2–4 %
 * of a 2 KB request's client CPU. Own enumerable string and symbol keys, as a spread copies.
 */
function connectionOptions(options: unknown): unknown {
  if (options === null || typeof options !== 'object') return options // legacy addRequest(req, host, …)
  const source = options as Record<string | symbol, unknown>
  const copy: Record<string | symbol, unknown> = {}
  for (const key of Object.keys(source)) if (!REQUEST_ONLY.has(key)) copy[key] = source[key]
  for (const symbol of Object.getOwnPropertySymbols(source)) {
    if (Object.prototype.propertyIsEnumerable.call(source, symbol)) copy[symbol] = source[symbol]
  }
  return copy
}

interface AddRequest {
  addRequest(req: http.ClientRequest, options: unknown, ...legacy: unknown[]): void
}

export class LeanHttpAgent extends http.Agent {
  addRequest(req: http.ClientRequest, options: unknown, ...legacy: unknown[]): void {
    ;(http.Agent.prototype as unknown as AddRequest).addRequest.call(
      this,
      req,
      connectionOptions(options),
      ...legacy,
    )
  }
}

export class LeanHttpsAgent extends https.Agent {
  addRequest(req: http.ClientRequest, options: unknown, ...legacy: unknown[]): void {
    ;(https.Agent.prototype as unknown as AddRequest).addRequest.call(
      this,
      req,
      connectionOptions(options),
      ...legacy,
    )
  }
}

/**
 * How cfguard reaches an origin, decided in one place (`agentFor`): directly, or through the
 * HTTP(S) proxy the environment names (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, as Go's net/http and
 * so the cf CLI read them), with Node's trusted roots plus the CA bundle of `--ca-cert`.
 * https through a proxy is a CONNECT tunnel: the proxy sees `host:port`, never a path or a token.
 * Loopback is never proxied.
 */
export interface NetworkSettings {
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read (default: process.env). */
  env?: NodeJS.ProcessEnv
  /** PEM text of extra CAs to trust (from --ca-cert / CFGUARD_CA_CERT); added to the default roots. */
  caPem?: string | null
  /** --skip-ssl-validation. */
  skipSslValidation?: boolean
}

export interface AgentPool {
  /** The agent for this URL's origin (cached per origin). */
  agentFor(url: string | URL): http.Agent
  destroy(): void
}

const KEEP_ALIVE = {keepAlive: true, maxSockets: 16}

export function createAgentPool(settings: NetworkSettings = {}): AgentPool {
  const env = settings.env ?? process.env
  const tlsOptions: tls.ConnectionOptions = {rejectUnauthorized: !settings.skipSslValidation}
  const extra = certificatesIn(settings.caPem ?? '')
  if (extra.length > 0) tlsOptions.ca = [...defaultRoots(env), ...extra]
  const noProxy = parseNoProxy(envAny(env, 'NO_PROXY', 'no_proxy') ?? '')

  let direct: {http?: LeanHttpAgent; https?: LeanHttpsAgent} = {}
  const tunnels = new Map<string, http.Agent>()
  const byOrigin = new Map<string, http.Agent>()

  function choose(url: URL): http.Agent {
    const secure = url.protocol === 'https:'
    const proxy = proxyFor(url, env, noProxy)
    if (proxy && secure) {
      const key = proxy.href
      let agent = tunnels.get(key)
      if (!agent) {
        agent = createTunnelAgent(proxy, tlsOptions)
        tunnels.set(key, agent)
      }
      return agent
    }
    // Plain http is allowed only to loopback (url.ts), which is never proxied: direct.
    if (secure) return (direct.https ??= new LeanHttpsAgent({...KEEP_ALIVE, ...tlsOptions}))
    return (direct.http ??= new LeanHttpAgent(KEEP_ALIVE))
  }

  return {
    agentFor(input) {
      const url = typeof input === 'string' ? new URL(input) : input
      let agent = byOrigin.get(url.origin)
      if (!agent) {
        agent = choose(url)
        byOrigin.set(url.origin, agent)
      }
      return agent
    },
    destroy() {
      direct.http?.destroy()
      direct.https?.destroy()
      for (const t of tunnels.values()) t.destroy()
      direct = {}
      tunnels.clear()
      byOrigin.clear()
    },
  }
}

function envAny(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const v = env[name]
    if (v !== undefined && v.trim() !== '') return v.trim()
  }
  return undefined
}

/**
 * The proxy for a URL, or null (direct): HTTPS_PROXY/https_proxy for https, HTTP_PROXY/http_proxy
 * for http; never for loopback; never when NO_PROXY matches. A proxy without a scheme is http://.
 */
export function proxyFor(
  url: URL,
  env: NodeJS.ProcessEnv,
  noProxy: NoProxyRule[] = parseNoProxy(envAny(env, 'NO_PROXY', 'no_proxy') ?? ''),
): URL | null {
  const secure = url.protocol === 'https:'
  const [name, raw] = secure
    ? [env.HTTPS_PROXY?.trim() ? 'HTTPS_PROXY' : 'https_proxy', envAny(env, 'HTTPS_PROXY', 'https_proxy')]
    : [env.HTTP_PROXY?.trim() ? 'HTTP_PROXY' : 'http_proxy', envAny(env, 'HTTP_PROXY', 'http_proxy')]
  if (raw === undefined) return null
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (isLoopbackHost(host)) return null
  const port = url.port !== '' ? Number(url.port) : secure ? 443 : 80
  if (noProxyMatches(host, port, noProxy)) return null
  return parseProxyUrl(raw, name)
}

/** A proxy URL from the environment; credentials in it are registered as secrets. */
export function parseProxyUrl(raw: string, variable: string): URL {
  let proxy: URL
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`)
  } catch {
    throw new CfguardError('USAGE', `${variable} is not a valid proxy URL`, {
      suggestions: [
        `e.g. ${variable}=http://proxy.example.com:3128 (user:password@ before the host if it asks)`,
      ],
    })
  }
  registerSecret(decodeSafely(proxy.password))
  registerSecret(proxy.password)
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new CfguardError(
      'USAGE',
      `${variable} names a ${proxy.protocol.replace(/:$/, '')} proxy; cfguard supports http:// and https:// proxies`,
      {suggestions: [`e.g. ${variable}=http://proxy.example.com:3128`]},
    )
  }
  if (proxy.hostname === '') {
    throw new CfguardError('USAGE', `${variable} names no proxy host`, {
      suggestions: [`e.g. ${variable}=http://proxy.example.com:3128`],
    })
  }
  return proxy
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** `host:port` of a proxy, for messages: never its credentials. */
export function proxyLabel(proxy: URL): string {
  return proxy.port !== '' ? `${proxy.hostname}:${proxy.port}` : proxy.hostname
}

/** Node's default roots: the bundled ones, NODE_EXTRA_CA_CERTS and (Node ≥ 22.15 with --use-system-ca) the system store. */
function defaultRoots(env: NodeJS.ProcessEnv): string[] {
  const get = (tls as {getCACertificates?: (type: 'default') => string[]}).getCACertificates
  if (typeof get === 'function') return get('default')
  const roots = [...tls.rootCertificates]
  const extraFile = env.NODE_EXTRA_CA_CERTS
  if (extraFile) {
    try {
      roots.push(...certificatesIn(readFileSync(extraFile, 'utf8')))
    } catch {
      // Node itself warned at start-up when the file could not be read.
    }
  }
  return roots
}

/** Only the CERTIFICATE blocks of a PEM bundle (a private key in the same file is never used or shown). */
export function certificatesIn(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
}

/** Raised by the tunnel when the proxy itself fails (CONNECT refused, 407, unreachable). */
export class ProxyError extends Error {
  readonly code = 'ERR_CFGUARD_PROXY'
  constructor(
    message: string,
    readonly proxy: string,
    readonly suggestions: string[],
    readonly status: number | null,
  ) {
    super(message)
    this.name = 'ProxyError'
  }
}

export function findProxyError(err: unknown): ProxyError | null {
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    if (e instanceof ProxyError) return e
    e = (e as {cause?: unknown}).cause
  }
  return null
}

/**
 * https through a proxy: a CONNECT tunnel (https-proxy-agent), lean like the direct agents, with
 * the same TLS settings for the origin, and proxy failures turned into a ProxyError (the library
 * otherwise hands the proxy's answer to the request as if the origin had sent it).
 */
type AgentConnectOpts = Parameters<HttpsProxyAgent<string>['connect']>[1]

type TunnelAgentClass = new (proxy: URL, originTls: tls.ConnectionOptions) => HttpsProxyAgent<string>
let TunnelAgent: TunnelAgentClass | undefined

/**
 * https-proxy-agent (ESM, with agent-base and debug) is loaded when the first origin goes through
 * a proxy: it was ~5–10 % of every network command's time to its first request, and most runs
 * use no proxy. Node ≥ 20.19 / 22.12 `require()`s an ES module synchronously (no top-level await
 * in it), so `agentFor` stays synchronous.
 */
function createTunnelAgent(proxy: URL, originTls: tls.ConnectionOptions): HttpsProxyAgent<string> {
  TunnelAgent ??= defineTunnelAgent(
    (createRequire(import.meta.url)('https-proxy-agent') as {HttpsProxyAgent: typeof HttpsProxyAgent})
      .HttpsProxyAgent,
  )
  return new TunnelAgent(proxy, originTls)
}

function defineTunnelAgent(Base: typeof HttpsProxyAgent): TunnelAgentClass {
  return class TunnelAgent extends Base<string> {
    private readonly label: string
    private readonly hasCredentials: boolean

    constructor(
      proxy: URL,
      private readonly originTls: tls.ConnectionOptions,
    ) {
      super(proxy, {...KEEP_ALIVE, ...(proxy.protocol === 'https:' ? originTls : {})})
      this.label = proxyLabel(proxy)
      this.hasCredentials = proxy.username !== '' || proxy.password !== ''
    }

    addRequest(req: http.ClientRequest, options: unknown, ...legacy: unknown[]): void {
      ;(Base.prototype as unknown as AddRequest).addRequest.call(
        this,
        req,
        connectionOptions(options),
        ...legacy,
      )
    }

    override async connect(req: http.ClientRequest, opts: AgentConnectOpts): Promise<Socket> {
      let answer: {statusCode: number; statusText: string} | null = null
      const onConnect = (c: {statusCode: number; statusText: string}) => (answer = c)
      req.once('proxyConnect', onConnect)
      const target = `${opts.host}:${opts.port}`
      let socket: Socket
      try {
        socket = await super.connect(req, {...opts, ...this.originTls} as AgentConnectOpts)
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        if (code === undefined) {
          // Connected, then the proxy hung up or answered garbage instead of a CONNECT response.
          throw new ProxyError(
            `the proxy ${this.label} closed the connection without answering CONNECT to ${target}`,
            this.label,
            ['check the API URL (the proxy may not reach it) and HTTPS_PROXY, or retry later'],
            null,
          )
        }
        throw new ProxyError(
          `cannot reach the proxy ${this.label} (${code}) for ${target}`,
          this.label,
          ['check HTTPS_PROXY, or list the host in NO_PROXY to connect directly'],
          null,
        )
      } finally {
        req.off('proxyConnect', onConnect)
      }
      const got = answer as {statusCode: number; statusText: string} | null
      if (got && got.statusCode === 200) return socket
      socket.destroy()
      const status = got?.statusCode ?? 0
      const said = `${status}${got?.statusText ? ` ${oneLine(got.statusText)}` : ''}`
      if (status === 407) {
        throw new ProxyError(
          this.hasCredentials
            ? `the proxy ${this.label} rejected the credentials in HTTPS_PROXY (${said})`
            : `the proxy ${this.label} asks for credentials (${said})`,
          this.label,
          ['put them in the proxy URL: HTTPS_PROXY=http://USER:PASSWORD@host:port (never printed)'],
          status,
        )
      }
      if (status === 502 || status === 503 || status === 504) {
        throw new ProxyError(
          `the proxy ${this.label} could not reach ${target} (${said})`,
          this.label,
          ['check the API URL (the proxy resolves and connects to it for cfguard), or retry later'],
          status,
        )
      }
      throw new ProxyError(
        `the proxy ${this.label} refused CONNECT to ${target} (${said})`,
        this.label,
        ['ask the proxy administrator to allow it, or list the host in NO_PROXY to connect directly'],
        status,
      )
    }
  }
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, 200)
}
