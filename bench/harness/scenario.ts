/**
 * One foundation: the simulator in its own process, the built CLI audited against it (fresh
 * CFGUARD_HOME), optionally a second (cached) run with the same home, and optionally the naive
 * baseline — each run a separate process, requests counted from the simulator's log.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {apiMinimum, type ApiMinimum} from './api-minimum.js'
import {minimumFor, type Minimum} from './cost.js'
import {lowerBoundMs} from './figures.js'
import {measure} from './measure.js'
import type {FoundationCounts, RequestSummary} from './protocol.js'
import {startSimProcess, type SimProcess} from './sim-control.js'
import {median} from './stats.js'

export interface ScenarioSpec {
  id: string
  title: string
  apps: number
  latencyMs: number
  seed: number
  naive: boolean
  cached: boolean
  /** cfguard and the curl-parallel baseline, interleaved: cfguard, curl, cfguard, curl… (0: no curl). */
  pairs: number
}

export interface RunResult {
  exitCode: number | null
  wallMs: number
  peakRssMb: number | null
  cpuSeconds: number | null
  /** Counted by the simulator. */
  requests: number
  byEndpoint: Record<string, number>
  byStatus: Record<string, number>
  /** Per endpoint: ms from the run's first answer to that endpoint's first and last answer. */
  timeline: Record<string, [number, number]>
  auditEventsCreated: number
  /** First to last answer seen by the simulator, plus one latency (the first request's wait). */
  networkSpanMs: number | null
  /** Spawn to the first request's arrival: node, oclif, the command's imports, config. */
  beforeFirstRequestMs: number | null
  /** Last answer to exit: joining, checks, the report, the cache save, printing. */
  afterLastAnswerMs: number | null
}

export interface CfguardRun extends RunResult {
  /** What the CLI itself says (`coverage` of the audit result), to cross-check the log. */
  coverage: Record<string, unknown> | null
  summary: Record<string, number> | null
}

export interface NaiveRun extends RunResult {
  /** The baseline's own time from its first request to its last (no process start-up). */
  elapsedMs: number
  gathered: Record<string, number>
}

/** One run of the interleaved series (cfguard's audit or the curl script's collection). */
export interface PairedRun {
  wallMs: number
  cpuSeconds: number | null
  requests: number
  peakRssMb: number | null
}

export interface Series {
  runs: PairedRun[]
  medianWallMs: number
  medianCpuSeconds: number | null
}

export interface ScenarioResult extends Omit<ScenarioSpec, 'naive' | 'cached' | 'pairs'> {
  counts: FoundationCounts
  ccVersion: string
  simBuildMs: number
  minimum: Minimum | null
  minimumError?: string
  lowerBoundMs: number | null
  cfguard: CfguardRun
  cached: CfguardRun | null
  naive: NaiveRun | null
  /** The minimum written down from the API (api-minimum.ts), independent of cfguard's cost model. */
  apiMinimum: ApiMinimum
  /** cfguard's audit runs of the interleaved series (the first is `cfguard`). */
  cfguardSeries: Series
  /** The curl-parallel baseline (bench/curl-parallel.sh), interleaved with cfguard; null if not run. */
  curl: Series | null
  curlError?: string
}

export interface ScenarioContext {
  root: string
  bin: string
  auditArgs: string[]
  /** Rule families the audit command collects for (the request minimum depends on them). */
  families: readonly ('identity' | 'routes')[]
  /** Environment for the processes under test (inherited CFGUARD_*, CF_*, NODE_OPTIONS removed). */
  baseEnv: Record<string, string>
  log: (line: string) => void
}

export async function runScenario(spec: ScenarioSpec, ctx: ScenarioContext): Promise<ScenarioResult> {
  ctx.log(`${spec.title}: starting the simulator`)
  const sim = await startSimProcess({apps: spec.apps, seed: spec.seed, latencyMs: spec.latencyMs})
  const home = mkdtempSync(join(tmpdir(), 'cfguard-bench-home-'))
  const cfHome = mkdtempSync(join(tmpdir(), 'cfguard-bench-cf-home-'))
  try {
    const env = {
      ...ctx.baseEnv,
      CFGUARD_HOME: home,
      CF_HOME: cfHome,
      CFGUARD_API: sim.apiUrl,
      CFGUARD_CLIENT_ID: sim.admin.clientId,
      CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
    }
    ctx.log(`${spec.title}: cfguard ${ctx.auditArgs.join(' ')}`)
    const cfguard = await auditRun(sim, spec, ctx, env)
    const cfguardRuns: PairedRun[] = [paired(cfguard)]
    const curlRuns: PairedRun[] = []
    let curlError: string | undefined
    const curlMissing = spec.pairs > 0 ? missingTools() : null
    if (curlMissing) curlError = curlMissing
    for (let pair = 0; pair < spec.pairs && !curlError; pair++) {
      if (pair > 0) {
        // A fresh CFGUARD_HOME each time: with the first run's, this would be a cached run.
        ctx.log(`${spec.title}: cfguard (pair ${pair + 1} of ${spec.pairs}, fresh CFGUARD_HOME)`)
        const fresh = mkdtempSync(join(tmpdir(), 'cfguard-bench-home-'))
        try {
          const run = await auditRun(sim, spec, ctx, {...env, CFGUARD_HOME: fresh, CF_HOME: fresh})
          if (run.requests !== cfguard.requests) {
            throw new Error(
              `cfguard made ${run.requests} requests in pair ${pair + 1}, ${cfguard.requests} in the first`,
            )
          }
          cfguardRuns.push(paired(run))
        } finally {
          rmSync(fresh, {recursive: true, force: true})
        }
      }
      ctx.log(`${spec.title}: curl-parallel baseline (pair ${pair + 1} of ${spec.pairs})`)
      try {
        curlRuns.push(await curlRun(sim, ctx))
      } catch (err) {
        curlError = err instanceof Error ? err.message : String(err)
      }
    }
    let cached: CfguardRun | null = null
    if (spec.cached) {
      ctx.log(`${spec.title}: cfguard again (cached, same CFGUARD_HOME)`)
      cached = await auditRun(sim, spec, ctx, env)
    }
    let naive: NaiveRun | null = null
    if (spec.naive) {
      ctx.log(`${spec.title}: naive baseline (per_page=50, sequential)`)
      naive = await naiveRun(sim, spec, ctx)
    }
    let minimum: Minimum | null = null
    let minimumError: string | undefined
    try {
      minimum = await minimumFor(ctx.root, sim.counts, sim.ccVersion, ctx.families)
    } catch (err) {
      minimumError = err instanceof Error ? err.message : String(err)
    }
    return {
      id: spec.id,
      title: spec.title,
      apps: spec.apps,
      latencyMs: spec.latencyMs,
      seed: spec.seed,
      counts: sim.counts,
      ccVersion: sim.ccVersion,
      simBuildMs: Math.round(sim.buildMs),
      minimum,
      ...(minimumError ? {minimumError} : {}),
      lowerBoundMs: minimum ? lowerBoundMs(spec.latencyMs, minimum.perItem) : null,
      cfguard,
      cached,
      naive,
      apiMinimum: apiMinimum(sim.counts),
      cfguardSeries: series(cfguardRuns),
      curl: curlRuns.length > 0 ? series(curlRuns) : null,
      ...(curlError ? {curlError} : {}),
    }
  } finally {
    await sim.stop()
    rmSync(home, {recursive: true, force: true})
    rmSync(cfHome, {recursive: true, force: true})
  }
}

async function auditRun(
  sim: SimProcess,
  spec: ScenarioSpec,
  ctx: ScenarioContext,
  env: Record<string, string>,
): Promise<CfguardRun> {
  await sim.resetRequests()
  const run = await measure(process.execPath, [ctx.bin, ...ctx.auditArgs], {
    env,
    cwd: ctx.root,
    timeoutMs: 15 * 60_000,
  })
  // 0 = no findings at or above --fail-on, 3 = findings: both are a complete audit.
  if (run.code !== 0 && run.code !== 3) {
    throw new Error(
      `cfguard ${ctx.auditArgs.join(' ')} exited ${run.code ?? run.signal}: ${firstLines(run.stderr || run.stdout)}`,
    )
  }
  let envelope: {result?: {coverage?: Record<string, unknown>; summary?: Record<string, number>}}
  try {
    envelope = JSON.parse(run.stdout)
  } catch {
    throw new Error(
      `cfguard --json printed something other than one JSON document: ${firstLines(run.stderr)}`,
    )
  }
  const requests = await sim.requests()
  return {
    ...runFields(run, requests, spec.latencyMs),
    coverage: envelope.result?.coverage ?? null,
    summary: envelope.result?.summary ?? null,
  }
}

async function naiveRun(sim: SimProcess, spec: ScenarioSpec, ctx: ScenarioContext): Promise<NaiveRun> {
  await sim.resetRequests()
  const run = await measure(process.execPath, ['--import', 'tsx', join(ctx.root, 'bench/naive-client.ts')], {
    env: {
      ...ctx.baseEnv,
      NAIVE_API: sim.apiUrl,
      NAIVE_CLIENT_ID: sim.admin.clientId,
      NAIVE_CLIENT_SECRET: sim.admin.clientSecret,
    },
    cwd: ctx.root,
    timeoutMs: 30 * 60_000,
  })
  if (run.code !== 0)
    throw new Error(`naive baseline exited ${run.code ?? run.signal}: ${firstLines(run.stderr)}`)
  const out = JSON.parse(run.stdout) as {
    elapsedMs: number
    requests: number
    gathered: Record<string, number>
  }
  const requests = await sim.requests()
  return {...runFields(run, requests, spec.latencyMs), elapsedMs: out.elapsedMs, gathered: out.gathered}
}

function paired(run: RunResult): PairedRun {
  return {wallMs: run.wallMs, cpuSeconds: run.cpuSeconds, requests: run.requests, peakRssMb: run.peakRssMb}
}

function series(runs: PairedRun[]): Series {
  const cpu = runs.map((r) => r.cpuSeconds).filter((c): c is number => c !== null)
  return {
    runs,
    medianWallMs: Math.round(median(runs.map((r) => r.wallMs))),
    medianCpuSeconds: cpu.length === runs.length ? Math.round(median(cpu) * 100) / 100 : null,
  }
}

/** Why the curl baseline cannot run here (curl or jq missing), or null. */
function missingTools(): string | null {
  for (const tool of ['curl', 'jq']) {
    try {
      execFileSync(tool, ['--version'], {stdio: 'ignore'})
    } catch {
      return `${tool} is not installed: the curl-parallel baseline did not run`
    }
  }
  return null
}

/** bench/curl-parallel.sh against the simulator: its wall and CPU (curl and jq included, via GNU time). */
async function curlRun(sim: SimProcess, ctx: ScenarioContext): Promise<PairedRun> {
  await sim.resetRequests()
  const run = await measure('bash', [join(ctx.root, 'bench/curl-parallel.sh')], {
    env: {
      ...ctx.baseEnv,
      CURL_API: sim.apiUrl,
      CURL_CLIENT_ID: sim.admin.clientId,
      CURL_CLIENT_SECRET: sim.admin.clientSecret,
    },
    cwd: ctx.root,
    timeoutMs: 30 * 60_000,
  })
  if (run.code !== 0)
    throw new Error(`curl-parallel baseline exited ${run.code ?? run.signal}: ${firstLines(run.stderr)}`)
  const requests = await sim.requests()
  return {
    wallMs: Math.round(run.wallMs),
    cpuSeconds: run.cpuSeconds,
    requests: requests.total,
    peakRssMb: run.peakRssMb === null ? null : Math.round(run.peakRssMb * 10) / 10,
  }
}

function runFields(
  run: Awaited<ReturnType<typeof measure>>,
  requests: RequestSummary,
  latencyMs: number,
): RunResult {
  return {
    exitCode: run.code,
    wallMs: Math.round(run.wallMs),
    peakRssMb: run.peakRssMb === null ? null : Math.round(run.peakRssMb * 10) / 10,
    cpuSeconds: run.cpuSeconds,
    requests: requests.total,
    byEndpoint: requests.byEndpoint,
    byStatus: requests.byStatus,
    timeline: requests.timeline,
    auditEventsCreated: requests.auditEventsCreated,
    networkSpanMs:
      requests.firstAnsweredAt === null || requests.lastAnsweredAt === null
        ? null
        : requests.lastAnsweredAt - requests.firstAnsweredAt + latencyMs,
    beforeFirstRequestMs:
      requests.firstAnsweredAt === null ? null : requests.firstAnsweredAt - latencyMs - run.spawnedAt,
    afterLastAnswerMs:
      requests.lastAnsweredAt === null
        ? null
        : Math.round(run.spawnedAt + run.wallMs - requests.lastAnsweredAt),
  }
}

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 3).join(' | ').slice(0, 400)
}
