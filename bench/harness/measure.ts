/**
 * Runs one process and measures it: wall time (from spawn to exit), peak RSS and CPU time.
 * Peak RSS comes from GNU time (`/usr/bin/time -v`: getrusage of the child) when it is
 * installed, else from sampling `/proc/<pid>/status` VmHWM (the kernel's high-water mark) every
 * 20 ms until the process exits.
 */
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const GNU_TIME = '/usr/bin/time'

export interface Measured {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  wallMs: number
  /** Epoch ms when the process was spawned (to line up with the simulator's answer times). */
  spawnedAt: number
  /** Peak resident set size in MiB, or null if it could not be read. */
  peakRssMb: number | null
  /** User + system CPU seconds (GNU time only), else null. */
  cpuSeconds: number | null
  rssSource: 'gnu-time' | 'proc-vmhwm' | 'none'
}

export interface MeasureOptions {
  env: Record<string, string>
  cwd: string
  timeoutMs: number
  /** Off for start-up timing (the GNU time wrapper costs a fork+exec). */
  measureRss?: boolean
}

let gnuTime: boolean | null = null
function hasGnuTime(): boolean {
  gnuTime ??= existsSync(GNU_TIME) && readFileSync(GNU_TIME).includes('Maximum resident set size')
  return gnuTime
}

export function measure(command: string, args: string[], options: MeasureOptions): Promise<Measured> {
  const useTime = options.measureRss !== false && hasGnuTime()
  const dir = useTime ? mkdtempSync(join(tmpdir(), 'cfguard-bench-time-')) : null
  const timeFile = dir ? join(dir, 'time.txt') : null
  const [file, argv] = timeFile ? [GNU_TIME, ['-v', '-o', timeFile, command, ...args]] : [command, args]

  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const spawnedAt = Date.now()
    // Its own process group, so a timeout kills the measured process and not only GNU time.
    const child = spawn(file, argv, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    running.add(child.pid!)
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => stdout.push(d))
    child.stderr.on('data', (d: Buffer) => stderr.push(d))

    let hwmKb = 0
    const sampler =
      !useTime && options.measureRss !== false
        ? setInterval(() => {
            hwmKb = Math.max(hwmKb, readVmHwmKb(child.pid))
          }, 20)
        : null
    const timer = setTimeout(() => killGroup(child.pid!), options.timeoutMs)

    child.on('error', (err) => {
      clearTimeout(timer)
      if (sampler) clearInterval(sampler)
      reject(err)
    })
    child.on('exit', () => {
      // Last sample before the zombie is reaped is not possible; the 20 ms samples stand.
      if (sampler) clearInterval(sampler)
    })
    child.on('close', (code, signal) => {
      running.delete(child.pid!)
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6
      clearTimeout(timer)
      let peakRssMb: number | null = hwmKb > 0 ? hwmKb / 1024 : null
      let cpuSeconds: number | null = null
      if (timeFile) {
        const text = existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : ''
        const kb = matchNumber(text, /Maximum resident set size \(kbytes\): (\d+)/)
        peakRssMb = kb === null ? null : kb / 1024
        const user = matchNumber(text, /User time \(seconds\): ([\d.]+)/)
        const sys = matchNumber(text, /System time \(seconds\): ([\d.]+)/)
        cpuSeconds = user === null || sys === null ? null : user + sys
        // GNU time reports the child's exit status as its own.
        const status = matchNumber(text, /Exit status: (\d+)/)
        if (status !== null) code = status
        rmSync(dir!, {recursive: true, force: true})
      }
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        wallMs,
        spawnedAt,
        peakRssMb,
        cpuSeconds,
        rssSource: timeFile ? 'gnu-time' : sampler ? 'proc-vmhwm' : 'none',
      })
    })
  })
}

const running = new Set<number>()

/** Kills every measured process still running (the harness calls it when interrupted). */
export function killRunning(): void {
  for (const pid of running) killGroup(pid)
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

function readVmHwmKb(pid: number | undefined): number {
  if (pid === undefined) return 0
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return matchNumber(status, /VmHWM:\s+(\d+) kB/) ?? 0
  } catch {
    return 0
  }
}

function matchNumber(text: string, pattern: RegExp): number | null {
  const m = pattern.exec(text)
  return m ? Number(m[1]) : null
}
