/**
 * Start-up time: `node -e 0` and the CLI's cheap paths, interleaved round by round (so drift in
 * machine load hits every command alike). The figure is the median over rounds of each round's
 * ratio command / `node -e 0`.
 */
import {measure} from './measure.js'
import {median} from './stats.js'

export interface StartupCommand {
  label: string
  args: string[]
}

export interface StartupResult {
  label: string
  args: string[]
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
}

export async function benchStartup(
  commands: StartupCommand[],
  options: StartupOptions,
): Promise<StartupResult[]> {
  const all: StartupCommand[] = [{label: 'node -e 0', args: ['-e', '0']}, ...commands]
  const argvOf = (c: StartupCommand) => (c.label === 'node -e 0' ? c.args : [options.bin, ...c.args])
  const samples = all.map(() => [] as number[])
  for (let round = 0; round < options.warmupRounds + options.rounds; round++) {
    for (const [i, command] of all.entries()) {
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
  const baseline = samples[0]!
  return all.map((command, i) => ({
    label: command.label,
    args: command.args,
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
