import {homedir} from 'node:os'
import {join} from 'node:path'

/**
 * What the transport is doing, for a progress display: a request went out (and what it reads), it
 * finished, a list page arrived (and how many pages the list has), or the transport waits (a 429's
 * Retry-After, a retry's back-off). Labels name resources, never a query, a guid or a token.
 * (Declared here, at the bottom, so the context needs nothing above it; cf/http/activity.ts builds them.)
 */
export type ActivityEvent =
  | {type: 'request'; id: number; label: string; service: string}
  | {type: 'finished'; id: number}
  | {type: 'page'; label: string; list: string; page: number; totalPages: number}
  | {type: 'wait'; ms: number; service: string; reason: 'rate-limit' | 'retry'}

export type ActivityListener = (event: ActivityEvent) => void

/**
 * What an action needs from the process that runs it, without knowing oclif: time, where people's
 * messages go, the environment and the cancellation signal. Commands build one (cli/base-command);
 * tests and scripts build their own with `createContext`.
 */
export interface RunContext {
  now: () => Date
  /** A warning for the person; collected into the JSON envelope under --json, stderr otherwise. */
  warn: (message: string) => void
  /** Progress or intro text for the person (stderr); silent under --json. */
  info: (message: string) => void
  env: NodeJS.ProcessEnv
  /** $CFGUARD_HOME (default ~/.cfguard): config, cache, salt. */
  home: string
  isTTY: boolean
  json: boolean
  signal: AbortSignal
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  /** Told of every request, list page and wait (the progress display at a terminal); absent = nobody. */
  activity?: ActivityListener
  /** Columns the human output on stdout may use (default 120, see cli/render/terminal.ts). */
  width?: number
  /** ANSI colour in the human output on stdout (default off). */
  color?: boolean
}

export function cfguardHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CFGUARD_HOME && env.CFGUARD_HOME !== '' ? env.CFGUARD_HOME : join(homedir(), '.cfguard')
}

/**
 * The one abortable sleep: resolves after `ms`, rejects at once when `signal` aborts, with
 * `reason()` (default: the signal's own reason).
 */
export function abortableSleep(
  ms: number,
  signal?: AbortSignal,
  reason: () => unknown = () => signal?.reason,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(reason())
      return
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(reason())
    }
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}

export function createContext(overrides: Partial<RunContext> = {}): RunContext {
  const env = overrides.env ?? process.env
  return {
    now: () => new Date(),
    warn: () => {},
    info: () => {},
    env,
    home: cfguardHome(env),
    isTTY: false,
    json: false,
    signal: new AbortController().signal,
    sleep: abortableSleep,
    ...overrides,
  }
}
