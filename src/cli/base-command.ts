import type {Interfaces} from '@oclif/core'
import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'

import {abortableSleep, cfguardHome, type RunContext} from '../context.js'
import {closestNames} from '../util/suggest.js'
import {CfguardError, type CfguardErrorCode, ExitCode, isCfguardError} from '../errors.js'
import {boundText, MAX_SERVER_TEXT, redactText, terminalSafe} from '../redact.js'
import {fitLines} from '../report/text.js'
import {writeJsonDocument} from './json-out.js'
import {setActiveStatus, StatusLine} from './render/status.js'
import {colorEnabled, outputWidth} from './render/terminal.js'

export type InferredFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>
export type InferredArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

const ISSUES_URL = 'https://github.com/cfguard/cfguard/issues'
/** Commands without a live status line (see `liveProgress`). */
const NO_LIVE_PROGRESS = new Set(['login', 'auth', 'sim', 'rules'])

export interface JsonEnvelope<T> {
  status: number
  result: T
  warnings: string[]
}

export interface JsonErrorEnvelope {
  status: number
  error: {code: string; message: string; suggestions: string[]}
  warnings: string[]
}

/**
 * Output policy for every command (docs/architecture.md, Output contract):
 * - `run()` returns the typed result; under --json it is printed once as {status, result, warnings};
 * - people's messages (info, warnings, progress) go to stderr, results to stdout;
 * - errors become one line plus next steps on stderr (or the JSON error envelope) and the
 *   documented exit code; unexpected errors say where to report, without a stack trace.
 */
export abstract class BaseCommand<T> extends Command {
  public static enableJsonFlag = true

  public static baseFlags = {
    json: Flags.boolean({
      description: 'print one JSON document {status, result, warnings} on stdout',
      env: 'CFGUARD_JSON',
      helpGroup: 'GLOBAL',
    }),
    'no-color': Flags.boolean({
      description: 'no ANSI colour (NO_COLOR is honoured too; FORCE_COLOR forces it)',
      env: 'CFGUARD_NO_COLOR',
      helpGroup: 'GLOBAL',
    }),
    quiet: Flags.boolean({
      description: 'no progress and no notes on stderr (warnings and errors still show)',
      env: 'CFGUARD_QUIET',
      helpGroup: 'GLOBAL',
    }),
  }

  protected readonly warnings: string[] = []

  public abstract run(): Promise<T>
  private readonly abort = new AbortController()
  private context?: RunContext
  /** The live status line on stderr (a terminal, not --json); created with the context. */
  private status: StatusLine | null = null

  public override jsonEnabled(): boolean {
    return super.jsonEnabled() || truthy(process.env.CFGUARD_JSON)
  }

  public override async init(): Promise<void> {
    await super.init()
    // Drawn before the command loads its actions: the person sees it start at once.
    if (this.liveProgress() && !this.argv.some((a) => a === '--help' || a === '-h'))
      this.ensureStatus()?.start('starting')
    const onSignal = () => {
      this.abort.abort(new CfguardError('INTERRUPTED', 'interrupted'))
      process.exitCode = ExitCode.Interrupted
    }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  }

  /** The context handed to actions. */
  protected get ctx(): RunContext {
    if (this.context) return this.context
    const json = this.jsonEnabled()
    if (this.liveProgress()) this.ensureStatus()
    this.context = {
      now: () => new Date(),
      warn: (message) => this.addWarning(message),
      info: (message) => {
        if (!this.jsonEnabled() && !this.quiet()) this.stderr(`${message}\n`)
      },
      env: process.env,
      home: cfguardHome(process.env),
      isTTY: Boolean(process.stdin.isTTY && process.stderr.isTTY),
      json,
      signal: this.abort.signal,
      sleep: abortableSleep,
      width: outputWidth(process.env, process.stdout),
      color: this.colorEnabled(),
      ...(this.status ? {activity: this.status.listener} : {}),
    }
    return this.context
  }

  /**
   * A live status line on stderr at a terminal, from the moment the command starts; not for the
   * commands that prompt on the terminal (login) or make no API call of their own.
   */
  private liveProgress(): boolean {
    return !NO_LIVE_PROGRESS.has(this.id ?? '')
  }

  /** Live progress only for a person at a terminal: never under --json, never in logs. */
  private ensureStatus(): StatusLine | null {
    if (!this.status && !this.jsonEnabled() && !this.quiet() && process.stderr.isTTY) {
      this.status = new StatusLine({stream: process.stderr})
      setActiveStatus(this.status)
    }
    return this.status
  }

  /** --quiet (CFGUARD_QUIET): no progress, no notes; results, warnings and errors only. */
  protected quiet(): boolean {
    return this.argv.includes('--quiet') || truthy(process.env.CFGUARD_QUIET)
  }

  /** ANSI colour on stdout: a terminal (or FORCE_COLOR), unless --no-color or NO_COLOR. */
  protected colorEnabled(): boolean {
    const flag = this.argv.includes('--no-color') || truthy(process.env.CFGUARD_NO_COLOR)
    return colorEnabled(process.env, process.stdout, flag)
  }

  /**
   * People's text on stderr, above the status line when there is one. At a terminal, long lines
   * are wrapped to its width with commands kept whole (a soft-wrapped command breaks anywhere).
   */
  protected stderr(text: string): void {
    if (!process.stderr.isTTY) {
      process.stderr.write(text)
      return
    }
    const fitted = `${fitLines(text.replace(/\n$/, '').split('\n'), process.stderr.columns || 80).join('\n')}\n`
    if (this.status) this.status.write(fitted)
    else process.stderr.write(fitted)
  }

  protected addWarning(message: string): void {
    const clean = serverSafe(message)
    this.warnings.push(clean)
    if (!this.jsonEnabled()) this.stderr(`warning: ${clean}\n`)
  }

  /** Text exactly as given on stdout, even under --json (`--reveal`'s new key credentials). */
  protected printRaw(text: string): void {
    process.stdout.write(text)
  }

  /** Human output (stdout); silent under --json. The status line is done by then. */
  protected print(text: string): void {
    this.stopStatus()
    if (!this.jsonEnabled()) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  private stopStatus(): void {
    this.status?.stop()
  }

  public override async finally(err: Error | undefined): Promise<unknown> {
    this.stopStatus()
    setActiveStatus(null)
    return super.finally(err)
  }

  public override logJson(json: unknown): void {
    // Streamed with backpressure: a large audit's envelope is tens of MB (see json-out.ts).
    writeJsonDocument(json, process.stdout)
  }

  protected override toSuccessJson(result: unknown): JsonEnvelope<unknown> {
    return {status: Number(process.exitCode ?? 0), result, warnings: this.warnings}
  }

  protected override toErrorJson(err: unknown): JsonErrorEnvelope {
    const e = describeError(err, this.id)
    return {
      status: Number(process.exitCode ?? e.exitCode),
      error: {code: e.code, message: e.message, suggestions: e.suggestions},
      warnings: this.warnings,
    }
  }

  public override async catch(err: Error & {oclif?: {exit?: number}}): Promise<void> {
    this.stopStatus()
    const e = describeError(err, this.id)
    // Keep an exit code set earlier (130 after a signal).
    process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : e.exitCode
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(err))
      return
    }
    const lines = [`cfguard: ${e.message}`, ...e.suggestions.map((s) => `  next: ${s}`)]
    this.stderr(`${lines.join('\n')}\n`)
    if (truthy(process.env.CFGUARD_DEBUG) && err instanceof Error && err.stack) {
      process.stderr.write(`${redactText(err.stack)}\n`)
    }
  }
}

interface DescribedError {
  code: string
  message: string
  suggestions: string[]
  exitCode: number
}

/** Turns anything thrown into one redacted line, next steps and the exit code. */
export function describeError(err: unknown, commandId?: string): DescribedError {
  if (isCfguardError(err)) {
    const suggestions = err.suggestions.length > 0 ? err.suggestions : defaultSuggestions(err.code, commandId)
    return {
      code: err.code,
      message: oneLine(unwrapFlagParseMessage(err.message)),
      suggestions: suggestions.map(oneLine),
      exitCode: err.exitCode,
    }
  }
  const unknown = unknownFlags(err, commandId)
  if (unknown) return unknown
  const oclifExit = (err as {oclif?: {exit?: number}} | undefined)?.oclif?.exit
  if (err instanceof Error && typeof oclifExit === 'number') {
    // Flag parsing and other oclif usage errors (exit 2).
    return {
      code: oclifExit === ExitCode.Usage ? 'USAGE' : 'CLI',
      message: oneLine(err.message),
      suggestions: oclifExit === ExitCode.Usage ? defaultSuggestions('USAGE', commandId) : [],
      exitCode: oclifExit,
    }
  }
  const file = describeFileError(err)
  if (file) return file
  const message = err instanceof Error ? err.message : String(err)
  return {
    code: 'BUG',
    message: `unexpected error: ${oneLine(message)}`,
    suggestions: [
      `this is a bug in cfguard; please report it at ${ISSUES_URL} (CFGUARD_DEBUG=1 shows details)`,
    ],
    exitCode: ExitCode.Bug,
  }
}

/**
 * oclif's NonExistentFlagsError (`Nonexistent flag: --fial-on`): the flag as typed and the closest
 * flags the command has, as one line (exit 2).
 */
function unknownFlags(err: unknown, commandId?: string): DescribedError | null {
  const e = err as {flags?: unknown; parse?: {input?: {flags?: Record<string, {char?: string}>}}}
  if (!(err instanceof Error) || !Array.isArray(e.flags) || !e.parse?.input?.flags) return null
  const defined = e.parse.input.flags
  const known = [
    ...Object.keys(defined).map((name) => `--${name}`),
    ...Object.values(defined).flatMap((f) => (f.char ? [`-${f.char}`] : [])),
  ]
  const typed = e.flags.map((f) => String(f).split('=')[0] as string)
  const guesses = typed.flatMap((t) => closestNames(t, known, 1))
  const help = `see \`cfguard ${commandId ? `${commandId.replaceAll(':', ' ')} ` : ''}--help\``
  return {
    code: 'USAGE',
    message: oneLine(
      `unknown flag${typed.length === 1 ? '' : 's'} ${typed.join(', ')}` +
        (guesses.length > 0 ? `; did you mean ${guesses.join(', ')}?` : ''),
    ),
    suggestions: [help],
    exitCode: ExitCode.Usage,
  }
}

/** Calls on local files (a report's --output, --audit-log, the config dir), not network sockets. */
const FILE_SYSCALLS = new Set([
  'open',
  'read',
  'write',
  'rename',
  'mkdir',
  'unlink',
  'chmod',
  'fsync',
  'close',
  'scandir',
  'stat',
  'lstat',
  'copyfile',
])
const FILE_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EEXIST: 'it already exists',
}

/**
 * A file the user named (or cfguard's own config directory) could not be read or written: not a
 * bug but a path to fix, so exit 2 with the path and the reason, never a stack.
 */
function describeFileError(err: unknown): DescribedError | null {
  const e = err as NodeJS.ErrnoException | undefined
  if (!(err instanceof Error) || typeof e?.code !== 'string' || !FILE_SYSCALLS.has(e.syscall ?? ''))
    return null
  // mkdir -p over a plain file says EEXIST: the file is in the way of a directory.
  const reason =
    e.code === 'EEXIST' && e.syscall === 'mkdir'
      ? 'it exists and is not a directory'
      : (FILE_REASONS[e.code] ?? e.code)
  const where = e.path ? ` ${e.path}` : ''
  return {
    code: 'USAGE',
    message: oneLine(`cannot ${e.syscall}${where}: ${reason}`),
    suggestions: ['check the path and its permissions, or name a file in a directory you can write'],
    exitCode: ExitCode.Usage,
  }
}

/** Every error names a next step: a generic one by kind when the error brought none. */
function defaultSuggestions(code: CfguardErrorCode, commandId?: string): string[] {
  switch (code) {
    case 'USAGE':
    case 'VERSION_UNSUPPORTED':
      return [`see \`cfguard ${commandId ? `${commandId.replaceAll(':', ' ')} ` : ''}--help\``]
    case 'POLICY_INVALID':
    case 'CONFIG_INVALID':
      return ['fix the file at the place named above, then run the command again']
    case 'NOT_LOGGED_IN':
    case 'AUTH_FAILED':
    case 'TOKEN_EXPIRED':
    case 'TOKEN_INVALID':
    case 'FORBIDDEN':
      return ['`cfguard target` shows who you are logged in as; `cfguard login` to log in again']
    case 'NOT_FOUND':
    case 'CONFLICT':
    case 'UNPROCESSABLE':
    case 'RATE_LIMITED':
    case 'API_UNAVAILABLE':
    case 'API_ERROR':
    case 'BAD_RESPONSE':
    case 'INSECURE_URL':
      return ['CFGUARD_TRACE=true shows every request and response (secrets redacted)']
    default:
      return []
  }
}

/**
 * oclif wraps what a flag's own parser threw as `Parsing --flag \n\t<message>\nSee more help
 * with --help`; our parsers' messages already name the flag and the next step says where help is.
 */
function unwrapFlagParseMessage(message: string): string {
  const m = /^Parsing --\S+ \n\t([\s\S]*)\nSee more help with --help$/.exec(message)
  return m ? (m[1] as string) : message
}

function oneLine(text: string): string {
  return serverSafe(text.replace(/\s*\n\s*/g, ' ')).trim()
}

/**
 * Every line cfguard prints to stderr may carry server text: redacted, bounded (after redaction,
 * so no cut leaves half a secret unrecognised) and stripped of terminal escapes (one sanitiser,
 * applied here where it is printed).
 */
function serverSafe(text: string): string {
  return terminalSafe(boundText(redactText(text), 4 * MAX_SERVER_TEXT))
}

export function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim())
}
