/**
 * Start-up time: `node -e 0` and the CLI's commands, interleaved round by round (so drift in
 * machine load hits every command alike). The figure is the median over rounds of each round's
 * ratio command / `node -e 0`. Local commands (`--help`, `--version`, `rules`) are timed from
 * spawn to exit; commands that go to the network (`firstRequest`) from spawn to their first
 * request's arrival at a loopback listener, after which they are killed: node, oclif, the
 * command's imports, local config, the HTTP client — everything before the network.
 */
import {spawn} from 'node:child_process'
import http from 'node:http'

import {measure} from './measure.js'
import {median} from './stats.js'

export interface StartupCommand {
  label: string
  args: string[]
  /** Time to the first request (the command is pointed at a loopback listener), not to exit. */
  firstRequest?: boolean
}

export interface StartupResult {
  label: string
  args: string[]
  firstRequest?: boolean
  samplesMs: number[]
  medianMs: number
  /** Median over rounds of (this command's time / `node -e 0`'s time in the same round). */
  medianRatio: number
}

export interface StartupOptions {
  bin: string
  cwd: string
  env: Record<string, string>
  rounds: number
  warmupRounds: number
  /** Extra environment for `firstRequest` commands, given the listener's URL. */
  firstRequestEnv?: (url: string) => Record<string, string>
}

/** A loopback listener that notes when each request arrives (and answers 503). */
async function listener(): Promise<{url: string; next(): Promise<bigint>; close(): void}> {
  let waiting: ((at: bigint) => void) | null = null
  const server = http.createServer((req, res) => {
    const at = process.hrtime.bigint()
    waiting?.(at)
    waiting = null
    res.writeHead(503, {'content-type': 'application/json', connection: 'close'})
    res.end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    next: () => new Promise<bigint>((resolve) => (waiting = resolve)),
    close: () => {
      server.closeAllConnections()
      server.close()
    },
  }
}

async function timeToFirstRequest(
  argv: string[],
  env: Record<string, string>,
  cwd: string,
  arrivals: {next(): Promise<bigint>},
): Promise<number> {
  const arrived = arrivals.next()
  const started = process.hrtime.bigint()
  const child = spawn(process.execPath, argv, {cwd, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true})
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`exited ${code} before its first request: ${stderr.trim().slice(0, 300)}`)),
    ),
  )
  exited.catch(() => undefined)
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('no request in 30 s')), 30_000).unref(),
  )
  try {
    const at = await Promise.race([arrived, exited, timeout])
    return Number(at - started) / 1e6
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
    await new Promise((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve),
    )
  }
}

export async function benchStartup(
  commands: StartupCommand[],
  options: StartupOptions,
): Promise<StartupResult[]> {
  const all: StartupCommand[] = [{label: 'node -e 0', args: ['-e', '0']}, ...commands]
  const argvOf = (c: StartupCommand) => (c.label === 'node -e 0' ? c.args : [options.bin, ...c.args])
  const samples = all.map(() => [] as number[])
  const arrivals = all.some((c) => c.firstRequest) ? await listener() : null
  try {
    for (let round = 0; round < options.warmupRounds + options.rounds; round++) {
      for (const [i, command] of all.entries()) {
        if (command.firstRequest && arrivals) {
          const env = {...options.env, ...options.firstRequestEnv?.(arrivals.url)}
          let ms: number
          try {
            ms = await timeToFirstRequest(argvOf(command), env, options.cwd, arrivals)
          } catch (err) {
            throw new Error(
              `start-up: \`${command.label}\` ${err instanceof Error ? err.message : String(err)}`,
            )
          }
          if (round >= options.warmupRounds) samples[i]!.push(ms)
          continue
        }
        const run = await measure(process.execPath, argvOf(command), {
          env: options.env,
          cwd: options.cwd,
          timeoutMs: 30_000,
          measureRss: false,
        })
        if (run.code !== 0) {
          throw new Error(
            `start-up: \`${command.label}\` exited ${run.code}: ${run.stderr.trim().slice(0, 300)}`,
          )
        }
        if (round >= options.warmupRounds) samples[i]!.push(run.wallMs)
      }
    }
  } finally {
    arrivals?.close()
  }
  const baseline = samples[0]!
  return all.map((command, i) => ({
    label: command.label,
    args: command.args,
    ...(command.firstRequest ? {firstRequest: true} : {}),
    samplesMs: samples[i]!.map((ms) => round1(ms)),
    medianMs: round1(median(samples[i]!)),
    medianRatio: round2(median(samples[i]!.map((ms, r) => ms / baseline[r]!))),
  }))
}

function round1(n: number): number {
  return Math.round(n * 10) / 10
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
