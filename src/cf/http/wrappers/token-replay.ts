/**
 * One token replay: a 401 that rejects the session's token renews it once (the cf CLI's
 * UAAAuthentication wrapper) and sends the request again.
 */
import {type Connection, type Wrapper} from '../connection.js'
import {parseCcErrors, parseOAuthError} from '../errors.js'
import type {AccessTokenProvider} from '../tokens.js'
import type {TransportStats} from '../types.js'

export function replayRejectedToken(
  tokens: () => AccessTokenProvider | null,
  stats: TransportStats,
): Wrapper {
  return (inner: Connection): Connection => ({
    async make(call, answer) {
      for (;;) {
        await inner.make(call, answer)
        if (answer.status !== 401 || call.auth !== 'bearer' || call.authReplayed) return
        const provider = tokens()
        if (!provider || !isTokenRejection(answer.parsed)) return
        call.authReplayed = true
        stats.authReplays++
        await provider.renewAfterRejection(call.usedToken ?? '')
      }
    },
  })
}

/** A 401 worth one token renewal: anything but CC's "no token was sent". */
export function isTokenRejection(body: unknown): boolean {
  const cc = parseCcErrors(body)[0]
  if (cc) return cc.title !== 'CF-NotAuthenticated'
  const oauth = parseOAuthError(body)
  return oauth === undefined || oauth.error === 'invalid_token' || oauth.error === 'unauthorized'
}
