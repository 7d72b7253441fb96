/**
 * `node --import tsx bench/memory.ts [--apps N] [--latency MS] [--runs N] [--sample [--timeline]] [--save-stdout FILE]
 *   [--compare OTHER_CHECKOUT]`
 *
 * Peak RSS of `cfguard audit --json --all` against the generated foundation (the bench's
 * scenario, in its own simulator process), from GNU time as `npm run bench` reads it, with wall
 * and CPU. `--sample` also preloads `harness/memory-sampler.mjs` and prints how rss / heapUsed
 * grew over the run: peak before the report's first byte (collection and checks) and after it
 * (the report). Quicker than a whole bench run when working on memory; the lib/ build is measured.
 * `--compare DIR` alternates each run with DIR's build (another checkout, built) against the same
 * simulator, so two commits are compared side by side.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

import {measure} from './harness/measure.js'
import {startSimProcess} from './harness/sim-control.js'

const ROOT = resolve(import.meta.dirname, '..')
const {values: args} = parseArgs({
  options: {
    apps: {type: 'string', default: '10000'},
    latency: {type: 'string', default: '25'},
    runs: {type: 'string', default: '1'},
    sample: {type: 'boolean', default: false},
    timeline: {type: 'boolean', default: false},
    seed: {type: 'string', default: '1'},
    'save-stdout': {type: 'string'},
    compare: {type: 'string'},
  },
  strict: true,
})

interface Sample {
  t: number
  rss: number
  heapUsed: number
  heapTotal: number
  external: number
  spaces?: Record<string, number>
  mark?: string
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`

function summarize(samples: Sample[]): string {
  const cut = samples.find((s) => s.mark === 'first-stdout')?.t ?? Infinity
  const peak = (list: Sample[], key: 'rss' | 'heapUsed' | 'heapTotal' | 'external') =>
    list.reduce((m, s) => Math.max(m, s[key]), 0)
  const before = samples.filter((s) => s.t < cut)
  const after = samples.filter((s) => s.t >= cut)
  const part = (name: string, list: Sample[]) =>
    `${name}: rss ${mb(peak(list, 'rss'))}, heapUsed ${mb(peak(list, 'heapUsed'))}, heapTotal ${mb(peak(list, 'heapTotal'))}, external ${mb(peak(list, 'external'))}`
  return [
    part('before the first stdout byte', before),
    `${part('from the first stdout byte', after)} (first byte at ${(cut / 1000).toFixed(1)} s)`,
  ].join('\n')
}

/** rss / heapUsed about every 2 s, and at the marks (`--timeline`). */
function timeline(samples: Sample[]): string {
  let next = 0
  const rows: string[] = []
  for (const s of samples) {
    if (s.t < next && !s.mark) continue
    next = s.t + 2000
    const spaces = Object.entries(s.spaces ?? {})
      .filter(([, size]) => size >= 2 ** 20)
      .map(([name, size]) => `${name.replace('_space', '')} ${mb(size)}`)
      .join(' ')
    rows.push(
      `  ${(s.t / 1000).toFixed(1)} s: rss ${mb(s.rss)}, heapUsed ${mb(s.heapUsed)}, external ${mb(s.external)}; ${spaces}${s.mark ? ` (${s.mark})` : ''}`,
    )
  }
  return rows.join('\n')
}

async function main(): Promise<void> {
  const apps = Number(args.apps)
  const sim = await startSimProcess({apps, seed: Number(args.seed), latencyMs: Number(args.latency)})
  const dir = mkdtempSync(join(tmpdir(), 'cfguard-memory-'))
  try {
    const roots = args.compare ? [ROOT, resolve(args.compare)] : [ROOT]
    for (let i = 0; i < Number(args.runs) * roots.length; i++) {
      const run = Math.floor(i / roots.length)
      const root = roots[i % roots.length]!
      const home = mkdtempSync(join(dir, 'home-'))
      const log = join(dir, `samples-${run}.jsonl`)
      const env: Record<string, string> = {PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1'}
      Object.assign(env, {
        CFGUARD_HOME: home,
        CF_HOME: home,
        CFGUARD_API: sim.apiUrl,
        CFGUARD_CLIENT_ID: sim.admin.clientId,
        CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
        ...(args.sample ? {CFGUARD_BENCH_MEM_LOG: log} : {}),
      })
      const preload = args.sample
        ? ['--import', pathToFileURL(join(ROOT, 'bench/harness/memory-sampler.mjs')).href]
        : []
      const m = await measure(
        process.execPath,
        [...preload, join(root, 'bin/run.js'), 'audit', '--json', '--all'],
        {
          env,
          cwd: ROOT,
          timeoutMs: 900_000,
        },
      )
      process.stdout.write(
        `${roots.length > 1 ? `${root}: ` : ''}${apps} apps, run ${run + 1}: exit ${m.code}, wall ${(m.wallMs / 1000).toFixed(1)} s, ` +
          `CPU ${m.cpuSeconds?.toFixed(1) ?? 'n/a'} s, peak RSS ${m.peakRssMb ?? 'n/a'} MB (${m.rssSource}), ` +
          `stdout ${mb(m.stdout.length)}\n`,
      )
      if (m.code !== 0 && m.code !== 3) process.stdout.write(m.stderr.slice(-2000))
      if (args['save-stdout']) writeFileSync(args['save-stdout'], m.stdout)
      if (args.sample) {
        const samples = readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Sample)
        process.stdout.write(`${summarize(samples)}\n`)
        if (args.timeline) process.stdout.write(`${timeline(samples)}\n`)
      }
    }
  } finally {
    await sim.stop()
    rmSync(dir, {recursive: true, force: true})
  }
}

await main()
