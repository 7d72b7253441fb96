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
import http from 'node:http'
import https from 'node:https'

/** Request options that describe one request, never the connection (the agent does not read them). */
const REQUEST_ONLY = ['beforeRedirects', 'beforeRedirect', 'headers', 'auth', 'agents', 'http2Options']

function connectionOptions(options: unknown): unknown {
  if (options === null || typeof options !== 'object') return options // legacy addRequest(req, host, …)
  const copy: Record<string, unknown> = {...(options as Record<string, unknown>)}
  for (const key of REQUEST_ONLY) delete copy[key]
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
