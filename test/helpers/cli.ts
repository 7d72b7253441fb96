/**
 * Runs the built CLI (bin/run.js, lib/) as a user would: a separate process with a clean
 * environment (temp CFGUARD_HOME and CF_HOME, no inherited CFGUARD_* or CF_* variables).
 */
import {spawn} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const BIN = join(ROOT, 'bin/run.js')

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface CliOptions {
  env?: Record<string, string | undefined>
  input?: string
  cwd?: string
  timeoutMs?: number
  /** Called with the child once spawned (to kill it mid-run in fault tests). */
  onSpawn?: (child: ReturnType<typeof spawn>) => void
}

export function tempDir(prefix = 'cfguard-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('CFGUARD_') || k.startsWith('CF_') || k === 'NODE_OPTIONS') continue
    env[k] = v
  }
  env.CFGUARD_HOME = tempDir('cfguard-home-')
  env.CF_HOME = tempDir('cf-home-')
  env.NO_COLOR = '1'
  env.COLUMNS = '100'
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: cleanEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    options.onSpawn?.(child)
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`cfguard ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms`))
    }, options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolvePromise({code, signal, stdout, stderr})
    })
    // A command that exits before reading its input (help, a usage error) closes the pipe: that
    // EPIPE is not the test's failure (it surfaced as an uncaught error under load).
    child.stdin.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') reject(err)
    })
    child.stdin.end(options.input ?? '')
  })
}

/** Parses the single JSON document a --json run prints. */
export function parseJson<T = unknown>(result: CliResult): {status: number; result: T; warnings: string[]} {
  try {
    return JSON.parse(result.stdout)
  } catch {
    throw new Error(
      `stdout is not one JSON document (exit ${result.code}); stderr: ${result.stderr.slice(0, 500)}`,
    )
  }
}
