/**
 * What the transport is composed of (transport.ts), in the cf CLI's style
 * (`api/cloudcontroller/wrapper`): a `Connection` makes one request and fills in its `Answer`;
 * a `Wrapper` is a Connection around another one that adds one policy (redirect, token replay,
 * 429 wait, retry) and passes every other answer out unchanged. The innermost Connection sends a
 * single attempt (attempt.ts); each wrapper loops on its inner Connection while its own policy
 * applies, so the policies see each answer in the order they are wrapped.
 *
 * One `Call` and one `Answer` per request, filled in place: the pieces share the request's state
 * (its URL after redirects, its failed attempts…) without a state object per policy or attempt.
 */
import type {HttpMethod} from './retry.js'
import type {HttpRequest, RequestAuth} from './types.js'

/** One request's state, shared by the pieces for all its attempts and redirects. */
export interface Call {
  readonly req: HttpRequest
  /** Trace id: one per request, its attempts and redirects share it. */
  readonly id: number
  readonly method: HttpMethod
  /** Name for messages ("Cloud Controller", "UAA", …). */
  readonly service: string
  /** The serialised body (never for GET/HEAD) and its type. */
  readonly payload: string | undefined
  readonly contentType: string | undefined
  readonly tokenGrant: boolean
  /** `req.retry !== false`: may be resent after a failure that may have reached the server. */
  readonly retry: boolean
  /** The activity display's label ('' without a listener). */
  readonly label: string
  /** Where the next attempt goes (a redirect moves it). */
  target: URL
  url: string
  /** Becomes 'none' when a redirect leaves the origin. */
  auth: RequestAuth
  /** Once a request is for a secret endpoint it stays one (a redirect does not clear it). */
  sensitive: boolean
  /** Attempts at this URL, for the trace (a redirect starts again at 1). */
  attempt: number
  /** Attempts that failed (network error or error status): the retry limit and messages. */
  failedAttempts: number
  rateLimitWaits: number
  redirects: number
  authReplayed: boolean
  /** The token the current attempt sent (authorize), for a replay after its rejection. */
  usedToken: string | undefined
  /** `Date.now()` when the current attempt was sent (traced); 0 before. */
  startedAt: number
}

/** The last attempt's answer. */
export interface Answer {
  status: number
  /** Lower-case names. */
  headers: Record<string, string>
  text: string
  /** For an error status: the body as JSON, or undefined when it is not JSON. */
  parsed: unknown
}

export interface Connection {
  make(call: Call, answer: Answer): Promise<void>
}

export type Wrapper = (inner: Connection) => Connection

/** `connection` wrapped by each of `wrappers` in turn: the first one sees each answer first. */
export function wrap(connection: Connection, ...wrappers: Wrapper[]): Connection {
  return wrappers.reduce((inner, wrapper) => wrapper(inner), connection)
}

/**
 * May the call be sent again? The session's own token requests count every attempt against its
 * limit (`tokenLimiter`); a resend is simply not made once it is spent.
 */
export function mayResend(call: Call): boolean {
  return call.req.tokenLimiter?.tryTake() ?? true
}

/** Waits between attempts (a retry's back-off, a 429's Retry-After), told to the activity display. */
export type Pause = (ms: number, service: string, reason: 'rate-limit' | 'retry') => Promise<void>

/**
 * An attempt that failed without an answer (connection refused or cut, timeout): the retry
 * wrapper resends it or classifies it (errors.ts). Never leaves the transport.
 */
export class AttemptFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly code: string | undefined,
    /** The limit that was passed: the idle timeout, or the whole attempt's deadline. */
    readonly timeoutMs: number,
  ) {
    super(error instanceof Error ? error.message : String(error))
    this.name = 'AttemptFailure'
  }
}
