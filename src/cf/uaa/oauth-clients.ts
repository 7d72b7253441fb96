/**
 * UAA's OAuth clients (at the root `uaa` link): read one, list them all, change a client's
 * secrets — docs/platform-facts.md §9.
 */
import {CfguardError} from '../../errors.js'
import type {UaaClient as UaaOAuthClient} from '../../model/snapshot.js'
import {registerSecret} from '../../redact.js'
import {isApiError} from '../http/errors.js'
import type {UaaCall} from './request.js'
import type {WireSecretChangeResponse, WireUaaClient, WireUaaClientList} from './wire.js'

export type SecretChangeMode = 'ADD' | 'DELETE' | 'UPDATE'

/** SCIM page size of `GET /oauth/clients` (UAA's largest `count`). */
export const CLIENTS_PAGE_SIZE = 500

/** Runs one request; a caller's concurrency limit (e.g. the collector's `limiter.run`). */
export type Schedule = <T>(request: () => Promise<T>) => Promise<T>

export interface ListClientsOptions {
  /** SCIM filter, e.g. `client_id sw "app-"`. */
  filter?: string
  /** Each page request runs through this (default: at once). */
  schedule?: Schedule
}

export function decodeUaaClient(w: WireUaaClient): UaaOAuthClient {
  return {
    clientId: w.client_id,
    authorities: w.authorities ?? [],
    scope: w.scope ?? [],
    grantTypes: w.authorized_grant_types ?? [],
    redirectUris: w.redirect_uri ?? [],
    lastModified: typeof w.lastModified === 'number' ? new Date(w.lastModified).toISOString() : null,
  }
}

/** Client management: `GET /oauth/clients[/:id]`, `PUT /oauth/clients/:id/secret`. */
export function createOAuthClients(call: UaaCall) {
  return {
    async getClient(clientId: string): Promise<UaaOAuthClient> {
      const res = await call<WireUaaClient>('GET', `/oauth/clients/${encodeURIComponent(clientId)}`, {
        allowStatus: [404],
      })
      if (res.status === 404 || !res.data) {
        throw new CfguardError('NOT_FOUND', `UAA has no OAuth client "${clientId}"`, {status: 404})
      }
      return decodeUaaClient(res.data)
    },

    /**
     * Every client the token may read (`clients.read`): the first SCIM page tells the total, then
     * the other pages are asked for at once by `startIndex` (5,000 clients: 2 round trips, not 10),
     * stepping by what UAA actually returns per page (it may cap `count`). Nothing past the total
     * is asked for. A client seen on two pages (the list shifted meanwhile) is kept once.
     */
    async listClients(list: ListClientsOptions = {}): Promise<UaaOAuthClient[]> {
      const schedule: Schedule = list.schedule ?? ((request) => request())
      const page = (startIndex: number) =>
        schedule(async () => {
          const res = await call<WireUaaClientList>('GET', '/oauth/clients', {
            query: {startIndex, count: CLIENTS_PAGE_SIZE, filter: list.filter},
          })
          return res.data ?? {}
        })
      const first = await page(1)
      const total = first.totalResults ?? 0
      const step = first.resources?.length ?? 0
      const starts: number[] = []
      for (let start = 1 + step; step > 0 && start <= total; start += step) starts.push(start)
      const rest = await Promise.all(starts.map(page))
      const seen = new Set<string>()
      const out: UaaOAuthClient[] = []
      for (const body of [first, ...rest]) {
        for (const w of body.resources ?? []) {
          if (seen.has(w.client_id)) continue
          seen.add(w.client_id)
          out.push(decodeUaaClient(w))
        }
      }
      return out
    },

    /**
     * `PUT /oauth/clients/:id/secret`: ADD a second secret, DELETE the older one, or UPDATE
     * (replace all). At most two secrets exist; UAA's 400 becomes UNPROCESSABLE with its reason.
     * Sent once, never retried: a PUT, but not idempotent — after a cut connection a second
     * DELETE would remove the next secret too (lockout). A lost answer fails; the caller decides
     * from UAA's state (probe the secrets) what happened.
     */
    async changeClientSecret(
      clientId: string,
      change: {changeMode: SecretChangeMode; secret?: string; oldSecret?: string},
    ): Promise<{status: string; message: string}> {
      registerSecret(change.secret)
      registerSecret(change.oldSecret)
      const body = {
        clientId,
        changeMode: change.changeMode,
        ...(change.secret !== undefined ? {secret: change.secret} : {}),
        ...(change.oldSecret !== undefined ? {oldSecret: change.oldSecret} : {}),
      }
      try {
        const res = await call<WireSecretChangeResponse>(
          'PUT',
          `/oauth/clients/${encodeURIComponent(clientId)}/secret`,
          {json: body, retry: false},
        )
        return {status: res.data?.status ?? 'ok', message: res.data?.message ?? ''}
      } catch (err) {
        if (isApiError(err) && err.status === 400) {
          const why = err.oauth?.description || err.oauth?.error || 'bad request'
          throw new CfguardError(
            'UNPROCESSABLE',
            `UAA refused to ${change.changeMode} a secret of client "${clientId}": ${why}`,
            {
              status: 400,
              apiTitle: err.oauth?.error,
            },
          )
        }
        throw err
      }
    },
  }
}
