/** A request to UAA's own API (the root `uaa` link) through the one transport. */
import type {HttpMethod, HttpResponse, RequestAuth, Transport} from '../http/transport.js'
import {joinUrl} from '../http/url.js'

/** The service name UAA's requests carry (errors, traces). */
export const UAA = 'UAA'

export interface UaaRequestInit {
  json?: unknown
  query?: Record<string, string | number | undefined>
  auth?: RequestAuth
  allowStatus?: number[]
  retry?: boolean
}

export function uaaCall(transport: Transport, uaaUrl: string) {
  return function call<T>(
    method: HttpMethod,
    path: string,
    init: UaaRequestInit = {},
  ): Promise<HttpResponse<T>> {
    return transport.request<T>({
      method,
      url: joinUrl(uaaUrl, path),
      json: init.json,
      query: init.query as Record<string, string | undefined>,
      auth: init.auth,
      allowStatus: init.allowStatus,
      retry: init.retry,
      service: UAA,
    })
  }
}

/** `call(method, path, init)` at the `uaa` link. */
export type UaaCall = ReturnType<typeof uaaCall>
