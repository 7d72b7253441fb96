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
  clientCpuTable,
  figuresTable,
  scenarioTable,
  seconds,
  startupTable,
  updateReadme,
  writeResults,
} from './harness/report.js'
import type {BenchResults} from './harness/report.js'
import {runScenario, type ScenarioResult, type ScenarioSpec} from './harness/scenario.js'
import {benchClientCpu, type ClientCpuResult} from './harness/client-cpu.js'
import {benchStartup, type StartupResult} from './harness/startup.js'
import {ratio} from './harness/stats.js'

const ROOT = resolve(import.meta.dirname, '..')
const BIN = join(ROOT, 'bin/run.js')

const USAGE =
  'usage: npm run bench [-- --quick] [-- --large] [-- --only startup,client-cpu,…] [-- --rounds N] ' +
  '[-- --seed N] [-- --no-naive] [-- --results-dir DIR] [-- --no-readme]'
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}

/** A mistyped option is one line and exit 2, not a stack trace. */
function parseBenchArgs() {
  try {
    return parseArgs({
      options: {
        quick: {type: 'boolean', default: false},
        'results-dir': {type: 'string'},
        'no-readme': {type: 'boolean', default: false},
        rounds: {type: 'string'},
        only: {type: 'string'},
        seed: {type: 'string', default: '1'},
        large: {type: 'boolean', default: false},
        'no-naive': {type: 'boolean', default: false},
      },
      strict: true,
    })
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n${USAGE}\n`)
    process.exit(2)
  }
}

const {values: args} = parseBenchArgs()

const quick = args.quick
const seed = Number(args.seed)
const log = (line: string) => process.stderr.write(`bench: ${line}\n`)

const SCENARIOS: ScenarioSpec[] = quick
  ? [
      {
        id: 'baseline',
        title: '100 apps @ 2 ms',
        apps: 100,
        latencyMs: 2,
        seed,
        naive: true,
        cached: false,
        pairs: 1,
      },
      {
        id: 'large',
        title: '100 apps @ 2 ms (cached path)',
        apps: 100,
        latencyMs: 2,
        seed,
        naive: false,
        cached: true,
        pairs: 0,
      },
    ]
  : [
      {
        id: 'baseline',
        title: '1,000 apps @ 10 ms',
        apps: 1000,
        latencyMs: 10,
        seed,
        naive: !args['no-naive'],
        cached: false,
        pairs: 5,
      },
      {
        id: 'large',
        title: '10,000 apps @ 25 ms',
        apps: 10_000,
        latencyMs: 25,
        seed,
        naive: false,
        cached: true,
        pairs: 3,
      },
      ...(args.large
        ? [
            {
              id: 'xlarge',
              title: '50,000 apps @ 25 ms',
              apps: 50_000,
              latencyMs: 25,
              seed,
              naive: false,
              cached: false,
              pairs: 1,
            },
          ]
        : []),
    ]

/** Wall / lower bound limit per foundation size (the targets). */
const LOWER_BOUND_LIMIT: Record<string, number> = {baseline: 1.5, large: 1.3, xlarge: 1.3}

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

function collectFigures(
  scenarios: ScenarioResult[],
  startup: StartupResult[],
  clientCpu: ClientCpuResult[],
): Figure[] {
  const figures: Figure[] = []
  const count = (n: number) => n.toLocaleString('en-US')
  for (const s of scenarios) {
    const min = s.minimum
    figures.push(
      figure(
        'requestsOverMinimum',
        s.title,
        ratio(s.cfguard.requests, min?.total),
        `${count(s.cfguard.requests)} / ${min ? count(min.total) : 'n/a'}`,
        s.minimumError,
      ),
      figure(
        'requestsOverApiMinimum',
        s.title,
        ratio(s.cfguard.requests, s.apiMinimum.total),
        `${count(s.cfguard.requests)} / ${count(s.apiMinimum.total)}` +
          (s.curl ? `; the curl script made ${count(s.curl.runs[0]!.requests)}` : ''),
      ),
    )
  }
  for (const s of scenarios.filter((x) => x.curl !== null || x.curlError)) {
    const curl = s.curl
    const pairs = `${s.cfguardSeries.runs.length} / ${curl?.runs.length ?? 0} interleaved runs`
    figures.push(
      figure(
        'wallOverCurl',
        s.title,
        ratio(s.cfguardSeries.medianWallMs, curl?.medianWallMs),
        curl ? `${seconds(s.cfguardSeries.medianWallMs)} / ${seconds(curl.medianWallMs)} (${pairs})` : 'n/a',
        s.curlError,
      ),
      figure(
        'cpuOverCurl',
        s.title,
        ratio(s.cfguardSeries.medianCpuSeconds, curl?.medianCpuSeconds),
        curl && curl.medianCpuSeconds !== null && s.cfguardSeries.medianCpuSeconds !== null
          ? `${s.cfguardSeries.medianCpuSeconds.toFixed(2)} s / ${curl.medianCpuSeconds.toFixed(2)} s`
          : 'n/a',
        s.curlError,
      ),
    )
  }
  for (const s of scenarios) {
    figures.push(
      figure(
        'wallOverLowerBound',
        s.title,
        ratio(s.cfguardSeries.medianWallMs, s.lowerBoundMs),
        `${seconds(s.cfguardSeries.medianWallMs)} / ${s.lowerBoundMs === null ? 'n/a' : seconds(s.lowerBoundMs)}`,
        s.minimumError,
        LOWER_BOUND_LIMIT[s.id],
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
        `${count(s.cached!.requests)} / ${count(s.cfguard.requests)}`,
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
  for (const c of clientCpu) {
    figures.push(
      figure(
        'clientCpuOverRaw',
        `${c.bodyBytes / 1024} KB bodies, concurrency ${c.concurrency}`,
        c.medianRatio,
        `${c.medianTransportUs.toFixed(0)} µs / ${c.medianRawUs.toFixed(0)} µs (${c.rounds} interleaved rounds)`,
      ),
    )
  }
  for (const c of startup.slice(1)) {
    figures.push(
      figure(
        c.firstRequest ? 'firstRequestOverNode' : 'startupOverNode',
        `\`${c.label}\``,
        c.medianRatio,
        `${c.medianMs.toFixed(0)} ms / ${startup[0]!.medianMs.toFixed(0)} ms`,
      ),
    )
  }
  return figures
}

/** Every command's `--help` (from the manifest), and the top-level one. */
function helpCommands(): {label: string; args: string[]}[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
    commands: Record<string, {hidden?: boolean}>
  }
  const ids = Object.entries(manifest.commands)
    .filter(([, c]) => !c.hidden)
    .map(([id]) => id)
    .sort()
  return [
    {label: 'cfguard --help', args: ['--help']},
    ...ids.map((id) => ({
      label: `cfguard ${id.split(':').join(' ')} --help`,
      args: [...id.split(':'), '--help'],
    })),
  ]
}

async function startupRounds(
  auditCommandArgs: string[],
  baseEnv: Record<string, string>,
  rounds: number,
): Promise<StartupResult[]> {
  log(`start-up: ${rounds} interleaved rounds`)
  const home = mkdtempSync(join(tmpdir(), 'cfguard-bench-startup-'))
  const network = [auditCommandArgs, ['identity', 'list'], ['routes', 'report'], ['credentials', 'list']]
  try {
    return await benchStartup(
      [
        {label: 'cfguard --version', args: ['--version']},
        {label: 'cfguard rules', args: ['rules']},
        ...(quick ? helpCommands().slice(0, 2) : helpCommands()),
        ...network.map((args) => ({label: `cfguard ${args.join(' ')}`, args, firstRequest: true})),
      ],
      {
        bin: BIN,
        cwd: ROOT,
        env: {...baseEnv, CFGUARD_HOME: home, CF_HOME: home},
        rounds,
        warmupRounds: quick ? 0 : 2,
        firstRequestEnv: (url) => ({
          CFGUARD_API: url,
          CFGUARD_CLIENT_ID: 'bench-client',
          CFGUARD_CLIENT_SECRET: 'bench-not-a-secret',
        }),
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

  let clientCpu: ClientCpuResult[] = []
  if (wanted('client-cpu')) {
    log('client CPU per request: transport vs raw node:http, interleaved')
    clientCpu = await benchClientCpu({
      root: ROOT,
      rounds: quick ? 1 : 7,
      requests: quick ? () => 200 : undefined,
    })
  }

  const scenarios: ScenarioResult[] = []
  for (const spec of SCENARIOS.filter((s) => wanted(s.id))) {
    scenarios.push(
      await runScenario(spec, {root: ROOT, bin: BIN, auditArgs, families: audit.families, baseEnv, log}),
    )
  }

  const finishedAt = new Date()
  const figures = collectFigures(scenarios, startup, clientCpu)
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
    clientCpu,
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
    clientCpuTable(clientCpu),
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
