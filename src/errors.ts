/**
 * The one error type of cfguard's edge. Every layer below the commands throws these (or plain
 * programmer errors); the base command prints `message` as one line plus suggestions and exits
 * with `exitCode`. No oclif import here: the API layer uses this file too.
 */

export const ExitCode = {
  Ok: 0,
  Bug: 1,
  Usage: 2,
  FindingsAtOrAboveThreshold: 3,
  Auth: 4,
  Api: 5,
  RotationHalted: 6,
  Interrupted: 130,
} as const
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export type CfguardErrorCode =
  | 'USAGE'
  | 'CONFIG_INVALID'
  | 'POLICY_INVALID'
  | 'NOT_LOGGED_IN'
  | 'AUTH_FAILED'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_INVALID'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNPROCESSABLE'
  | 'RATE_LIMITED'
  | 'API_UNAVAILABLE'
  | 'API_ERROR'
  | 'BAD_RESPONSE'
  | 'INSECURE_URL'
  | 'VERSION_UNSUPPORTED'
  | 'LEASE_HELD'
  | 'ROTATION_HALTED'
  | 'ROTATION_REFUSED'
  | 'INTERRUPTED'
  | 'BUG'

const defaultExit: Record<CfguardErrorCode, ExitCodeValue> = {
  USAGE: ExitCode.Usage,
  CONFIG_INVALID: ExitCode.Usage,
  POLICY_INVALID: ExitCode.Usage,
  NOT_LOGGED_IN: ExitCode.Auth,
  AUTH_FAILED: ExitCode.Auth,
  TOKEN_EXPIRED: ExitCode.Auth,
  TOKEN_INVALID: ExitCode.Auth,
  FORBIDDEN: ExitCode.Auth,
  NOT_FOUND: ExitCode.Usage,
  CONFLICT: ExitCode.Api,
  UNPROCESSABLE: ExitCode.Api,
  RATE_LIMITED: ExitCode.Api,
  API_UNAVAILABLE: ExitCode.Api,
  API_ERROR: ExitCode.Api,
  BAD_RESPONSE: ExitCode.Api,
  INSECURE_URL: ExitCode.Usage,
  VERSION_UNSUPPORTED: ExitCode.Usage,
  LEASE_HELD: ExitCode.RotationHalted,
  ROTATION_HALTED: ExitCode.RotationHalted,
  ROTATION_REFUSED: ExitCode.Usage,
  INTERRUPTED: ExitCode.Interrupted,
  BUG: ExitCode.Bug,
}

export interface CfguardErrorOptions {
  exitCode?: ExitCodeValue
  /** Next steps for the person, e.g. "run `cfguard login`". */
  suggestions?: string[]
  /** HTTP status, CC error title/code, when the error came from an API. */
  status?: number
  apiTitle?: string
  apiCode?: number
  cause?: unknown
}

export class CfguardError extends Error {
  readonly code: CfguardErrorCode
  readonly exitCode: ExitCodeValue
  readonly suggestions: string[]
  readonly status?: number
  readonly apiTitle?: string
  readonly apiCode?: number

  constructor(code: CfguardErrorCode, message: string, options: CfguardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'CfguardError'
    this.code = code
    this.exitCode = options.exitCode ?? defaultExit[code]
    this.suggestions = options.suggestions ?? []
    this.status = options.status
    this.apiTitle = options.apiTitle
    this.apiCode = options.apiCode
  }
}

export function isCfguardError(err: unknown): err is CfguardError {
  return err instanceof CfguardError
}

export const usageError = (message: string, ...suggestions: string[]): CfguardError =>
  new CfguardError('USAGE', message, {suggestions})
