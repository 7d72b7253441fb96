/**
 * A real HTTP proxy (proxy-chain, from the registry) on 127.0.0.1 for tests, which resolves the
 * simulator's made-up names (`*.DOMAIN`) to 127.0.0.1 itself: nothing else can, so a request that
 * reached the simulator by such a name went through this proxy. It records what it was asked
 * (method, host:port, the request line, whether credentials were sent), never bodies.
 */
import type {LookupAddress, LookupOptions} from 'node:dns'
import type {lookup as dnsLookup} from 'node:dns'

import {RequestError, Server} from 'proxy-chain'

export interface ProxySeen {
  /** `CONNECT` for tunnels; anything else was a plain-http forward. */
  method: string
  /** host:port asked for. */
  target: string
  /** The request line's target as sent (for CONNECT: host:port; a forward shows a full URL). */
  url: string
  /** Header names of the proxy request (lower case). */
  headerNames: string[]
}

export interface TestProxy {
  url: string
  port: number
  seen: ProxySeen[]
  close(): Promise<void>
}

export interface TestProxyOptions {
  /** Names under this domain resolve to 127.0.0.1 inside the proxy. */
  domain: string
  /** Require these credentials (407 otherwise). */
  credentials?: {username: string; password: string}
  /** Refuse every CONNECT with this status (e.g. 403). */
  refuseWith?: number
}

export async function startTestProxy(options: TestProxyOptions): Promise<TestProxy> {
  const seen: ProxySeen[] = []
  const suffix = `.${options.domain}`
  const lookup = ((hostname: string, opts: LookupOptions | number, cb: unknown) => {
    const callback = (typeof opts === 'function' ? opts : cb) as (
      err: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void
    const all = typeof opts === 'object' && opts !== null && opts.all === true
    if (hostname.toLowerCase().endsWith(suffix)) {
      if (all) callback(null, [{address: '127.0.0.1', family: 4}])
      else callback(null, '127.0.0.1', 4)
      return
    }
    // Only the test's names: anything else is not looked up for real.
    const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {code: 'ENOTFOUND'})
    callback(err, all ? [] : '', undefined)
  }) as unknown as typeof dnsLookup

  const server = new Server({
    host: '127.0.0.1',
    port: 0,
    prepareRequestFunction: ({request, username, password, hostname, port}) => {
      seen.push({
        method: request.method ?? '',
        target: `${hostname}:${port}`,
        url: request.url ?? '',
        headerNames: Object.keys(request.headers).map((h) => h.toLowerCase()),
      })
      if (options.refuseWith !== undefined) throw new RequestError('refused by policy', options.refuseWith)
      if (options.credentials) {
        const ok = username === options.credentials.username && password === options.credentials.password
        if (!ok) return {requestAuthentication: true, failMsg: 'proxy credentials required'}
      }
      return {dnsLookup: lookup}
    },
  })
  await server.listen()
  const port = server.port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () => server.close(true),
  }
}
