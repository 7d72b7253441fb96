/**
 * `npm run bench [-- --quick] [-- --results-dir DIR] [-- --no-readme] [-- --rounds N]`
 *
 * Start-up time of the built CLI against `node -e 0`, then each scenario: a generated foundation
 * in a simulator process, `cfguard audit --json --all` (and its cached second run, and the naive
 * baseline) as separate processes. Prints the figures beside their targets, writes
 * `bench/results/<time>.json` + `latest.json` and regenerates the table in bench/README.md.
 * `--quick` (100 apps, 2 ms latency, one start-up round) is what `npm test` runs; it writes
 * `quick-*.json` and leaves the README alone. Method and formulas: bench/README.md.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {cpus, loadavg, tmpdir, totalmem} from 'node:os'
import {join, resolve} from 'node:path'
import {parseArgs} from 'node:util'

import {CONCURRENCY, DEPENDENT_CHAIN, figure, TARGETS, type Figure} from './harness/figures.js'
import {killRunning} from './harness/measure.js'
import {
  figuresTable,
  scenarioTable,
  seconds,
  startupTable,
  updateReadme,
  writeResults,
} from './harness/report.js'
import type {BenchResults} from './harness/report.js'
import {runScenario, type ScenarioResult, type ScenarioSpec} from './harness/scenario.js'
import {benchStartup, type StartupResult} from './harness/startup.js'
import {ratio} from './harness/stats.js'

const ROOT = resolve(import.meta.dirname, '..')
const BIN = join(ROOT, 'bin/run.js')

const {values: args} = parseArgs({
  options: {
    quick: {type: 'boolean', default: false},
    'results-dir': {type: 'string'},
    'no-readme': {type: 'boolean', default: false},
    rounds: {type: 'string'},
    only: {type: 'string'},
    seed: {type: 'string', default: '1'},
  },
  strict: true,
})

const quick = args.quick
const seed = Number(args.seed)
const log = (line: string) => process.stderr.write(`bench: ${line}\n`)

const SCENARIOS: ScenarioSpec[] = quick
  ? [
      {id: 'baseline', title: '100 apps @ 2 ms', apps: 100, latencyMs: 2, seed, naive: true, cached: false},
      {
        id: 'large',
        title: '100 apps @ 2 ms (cached path)',
        apps: 100,
        latencyMs: 2,
        seed,
        naive: false,
        cached: true,
      },
    ]
  : [
      {
        id: 'baseline',
        title: '1,000 apps @ 10 ms',
        apps: 1000,
        latencyMs: 10,
        seed,
        naive: true,
        cached: false,
      },
      {
        id: 'large',
        title: '10,000 apps @ 25 ms',
        apps: 10_000,
        latencyMs: 25,
        seed,
        naive: false,
        cached: true,
      },
    ]

/** The audit entry point: `audit` once it exists, else `identity audit` (said in the notes). */
function auditCommand(notes: string[]): {args: string[]; families: ('identity' | 'routes')[]} {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
    commands: Record<string, unknown>
  }
  if (manifest.commands.audit) return {args: ['audit'], families: ['identity', 'routes']}
  if (manifest.commands['identity:audit']) {
    notes.push('`cfguard audit` is not built here; `cfguard identity audit` was benchmarked instead.')
    return {args: ['identity', 'audit'], families: ['identity']}
  }
  throw new Error(
    'neither `cfguard audit` nor `cfguard identity audit` is in oclif.manifest.json (run npm run build)',
  )
}

function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('CFGUARD_') || k.startsWith('CF_') || k.startsWith('NAIVE_')) continue
    // NODE_EXTRA_CA_CERTS makes every node start read a CA bundle (~30 ms on the reference box),
    // which would flatter the start-up ratio; nothing under test talks TLS.
    if (['NODE_OPTIONS', 'NODE_ENV', 'NODE_EXTRA_CA_CERTS'].includes(k) || k.startsWith('npm_')) continue
    env[k] = v
  }
  env.NO_COLOR = '1'
  return env
}

function git(): BenchResults['git'] {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {cwd: ROOT, encoding: 'utf8'}).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bench', 'package.json'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim()
    return {commit, dirty: dirty.length > 0}
  } catch {
    return {commit: null, dirty: null}
  }
}

function collectFigures(scenarios: ScenarioResult[], startup: StartupResult[]): Figure[] {
  const figures: Figure[] = []
  for (const s of scenarios) {
    const min = s.minimum
    figures.push(
      figure(
        'requestsOverMinimum',
        s.title,
        ratio(s.cfguard.requests, min?.total),
        `${s.cfguard.requests.toLocaleString('en-US')} / ${min ? min.total.toLocaleString('en-US') : 'n/a'}`,
        s.minimumError,
      ),
    )
  }
  for (const s of scenarios) {
    figures.push(
      figure(
        'wallOverLowerBound',
        s.title,
        ratio(s.cfguard.wallMs, s.lowerBoundMs),
        `${seconds(s.cfguard.wallMs)} / ${s.lowerBoundMs === null ? 'n/a' : seconds(s.lowerBoundMs)}`,
        s.minimumError,
      ),
    )
  }
  for (const s of scenarios.filter((x) => x.naive)) {
    figures.push(
      figure(
        'naiveOverCfguard',
        s.title,
        ratio(s.naive!.elapsedMs, s.cfguard.wallMs),
        `${seconds(s.naive!.elapsedMs)} / ${seconds(s.cfguard.wallMs)}`,
      ),
    )
  }
  for (const s of scenarios.filter((x) => x.cached)) {
    figures.push(
      figure(
        'cachedOverFirst',
        s.title,
        ratio(s.cached!.requests, s.cfguard.requests),
        `${s.cached!.requests.toLocaleString('en-US')} / ${s.cfguard.requests.toLocaleString('en-US')}`,
      ),
    )
  }
  for (const s of scenarios) {
    for (const [who, run] of [
      ['', s.cfguard],
      [' (cached)', s.cached],
    ] as const) {
      if (run) figures.push(figure('peakRssMb', `${s.title}${who}`, run.peakRssMb, 'cfguard process'))
    }
  }
  for (const c of startup.slice(1)) {
    figures.push(
      figure(
        'startupOverNode',
        `\`${c.label}\``,
        c.medianRatio,
        `${c.medianMs.toFixed(0)} ms / ${startup[0]!.medianMs.toFixed(0)} ms`,
      ),
    )
  }
  return figures
}

async function startupRounds(
  auditCommandArgs: string[],
  baseEnv: Record<string, string>,
  rounds: number,
): Promise<StartupResult[]> {
  log(`start-up: ${rounds} interleaved rounds`)
  const home = mkdtempSync(join(tmpdir(), 'cfguard-bench-startup-'))
  try {
    return await benchStartup(
      [
        {label: 'cfguard --version', args: ['--version']},
        {label: 'cfguard --help', args: ['--help']},
        {label: `cfguard ${auditCommandArgs.join(' ')} --help`, args: [...auditCommandArgs, '--help']},
      ],
      {
        bin: BIN,
        cwd: ROOT,
        env: {...baseEnv, CFGUARD_HOME: home, CF_HOME: home},
        rounds,
        warmupRounds: quick ? 0 : 2,
      },
    )
  } finally {
    rmSync(home, {recursive: true, force: true})
  }
}

async function main(): Promise<void> {
  const startedAt = new Date()
  const loadAtStart = loadavg()[0]!
  if (!existsSync(join(ROOT, 'lib/index.js'))) throw new Error('lib/ is not built: run `npm run build` first')
  const notes: string[] = [
    `Lower bound = latency × (${DEPENDENT_CHAIN} + ceil(per-item reads / ${CONCURRENCY})); see "Formulas".`,
    'Naive baseline wall = its own time from first to last request (its process start-up is not counted).',
  ]
  const audit = auditCommand(notes)
  const auditArgs = [...audit.args, '--json', '--all']
  const baseEnv = cleanEnv()
  const rounds = args.rounds ? Number(args.rounds) : quick ? 1 : 15

  const only = args.only ? new Set(args.only.split(',').map((x) => x.trim())) : null
  const wanted = (part: string) => only === null || only.has(part)
  if (only) notes.push(`Only ${[...only].join(', ')} ran (--only): the other figures are n/a.`)

  const startup = wanted('startup') ? await startupRounds(auditArgs.slice(0, -2), baseEnv, rounds) : []

  const scenarios: ScenarioResult[] = []
  for (const spec of SCENARIOS.filter((s) => wanted(s.id))) {
    scenarios.push(
      await runScenario(spec, {root: ROOT, bin: BIN, auditArgs, families: audit.families, baseEnv, log}),
    )
  }

  const finishedAt = new Date()
  const figures = collectFigures(scenarios, startup)
  if (Math.max(loadAtStart, loadavg()[0]!) > cpus().length) {
    notes.push(
      `The 1-minute load average reached ${round2(Math.max(loadAtStart, loadavg()[0]!))} on ${cpus().length} cores: ` +
        'other work shared the machine, so times are noisier than usual.',
    )
  }
  const results: BenchResults = {
    schemaVersion: 1,
    quick,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
      rssSource: existsSync('/usr/bin/time') ? 'GNU time (getrusage maxrss)' : '/proc VmHWM sampling',
      loadAverage: {start: round2(loadAtStart), end: round2(loadavg()[0]!)},
    },
    git: git(),
    startup: {rounds, warmupRounds: quick ? 0 : 2, commands: startup},
    scenarios,
    figures,
    notes,
  }

  const dir = args['results-dir'] ? resolve(args['results-dir']) : join(ROOT, 'bench/results')
  const file = quick
    ? writeResults(dir, results, 'quick-', 'latest-quick.json')
    : writeResults(dir, results, '', 'latest.json')
  if (!quick && !only && !args['no-readme']) updateReadme(join(ROOT, 'bench/README.md'), results)

  const out = [
    figuresTable(figures),
    '',
    scenarioTable(scenarios),
    '',
    ...(startup.length > 0 ? [startupTable(startup)] : []),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    `results: ${file}  (took ${seconds(results.durationMs)})`,
  ]
  process.stdout.write(`${out.join('\n')}\n`)
  const missed = figures.filter((f) => f.met === false).map((f) => `${TARGETS[f.id].label} (${f.subject})`)
  if (missed.length > 0) log(`targets missed: ${missed.join('; ')}`)
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killRunning()
    process.exit(130)
  })
}

main().catch((err: unknown) => {
  killRunning()
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
