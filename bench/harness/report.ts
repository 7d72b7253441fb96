/** The results document, the summary table, and the generated section of bench/README.md. */
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {formatNumber, TARGETS, type Figure} from './figures.js'
import type {ClientCpuResult} from './client-cpu.js'
import type {ScenarioResult} from './scenario.js'
import type {StartupResult} from './startup.js'

export interface BenchResults {
  schemaVersion: 1
  quick: boolean
  startedAt: string
  finishedAt: string
  durationMs: number
  machine: {
    cpus: number
    cpuModel: string
    memoryGb: number
    node: string
    platform: string
    rssSource: string
    /** 1-minute load average when the run started and ended (other work on the box). */
    loadAverage: {start: number; end: number}
  }
  git: {commit: string | null; dirty: boolean | null}
  startup: {rounds: number; warmupRounds: number; commands: StartupResult[]}
  /** Client CPU per request, transport vs raw node:http (client-cpu.ts). */
  clientCpu: ClientCpuResult[]
  scenarios: ScenarioResult[]
  figures: Figure[]
  notes: string[]
}

export function figuresTable(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const verdict = f.target === 'reported' ? '' : f.met === null ? 'n/a' : f.met ? 'met' : '**missed**'
    return `| ${f.label} | ${f.subject} | ${formatNumber(f.value, TARGETS[f.id].digits)} | ${f.target} | ${verdict} | ${f.detail}${f.note ? ` — ${f.note}` : ''} |`
  })
  return [
    '| figure | run | measured | target | | from |',
    '| --- | --- | ---: | --- | --- | --- |',
    ...rows,
  ].join('\n')
}

export function scenarioTable(scenarios: ScenarioResult[]): string {
  const ms = (v: number | null) => (v === null ? 'n/a' : seconds(v))
  const rows: string[] = []
  for (const s of scenarios) {
    const runs = [
      ['cfguard', s.cfguard],
      ['cfguard, cached 2nd run', s.cached],
      ['naive strawman (per_page=50, sequential)', s.naive],
    ] as const
    for (const [who, run] of runs) {
      if (!run) continue
      const rss = run.peakRssMb === null ? 'n/a' : Math.round(run.peakRssMb)
      rows.push(
        `| ${s.title} | ${who} | ${run.requests.toLocaleString('en-US')} | ${seconds(run.wallMs)} | ` +
          `${ms(run.beforeFirstRequestMs)} | ${ms(run.networkSpanMs)} | ${ms(run.afterLastAnswerMs)} | ` +
          `${run.cpuSeconds === null ? 'n/a' : `${run.cpuSeconds.toFixed(1)} s`} | ${rss} | ` +
          `${run.auditEventsCreated.toLocaleString('en-US')} |`,
      )
    }
    for (const [who, series] of [
      ['cfguard, median of the interleaved runs', s.cfguardSeries],
      ['curl-parallel baseline (collection only), median', s.curl],
    ] as const) {
      if (!series || (series === s.cfguardSeries && !s.curl)) continue
      const rss = series.runs[0]?.peakRssMb
      rows.push(
        `| ${s.title} | ${who} (${series.runs.length}) | ${(series.runs[0]?.requests ?? 0).toLocaleString('en-US')} | ` +
          `${seconds(series.medianWallMs)} | | | | ` +
          `${series.medianCpuSeconds === null ? 'n/a' : `${series.medianCpuSeconds.toFixed(1)} s`} | ${rss == null ? 'n/a' : Math.round(rss)} | |`,
      )
    }
    rows.push(
      `| ${s.title} | minimum / lower bound | ${s.minimum ? s.minimum.total.toLocaleString('en-US') : 'n/a'} | ` +
        `${ms(s.lowerBoundMs)} | | | | | | |`,
    )
  }
  return [
    '| foundation | client | requests | wall | before 1st request | first to last answer | after last answer | CPU | peak RSS (MB) | audit events written |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n')
}

export function startupTable(commands: StartupResult[]): string {
  return [
    '| command | measured to | median (ms) | median ratio to `node -e 0` |',
    '| --- | --- | ---: | ---: |',
    ...commands.map(
      (c) =>
        `| \`${c.label}\` | ${c.firstRequest ? 'first request' : 'exit'} | ${c.medianMs.toFixed(0)} | ${c.medianRatio.toFixed(2)} |`,
    ),
  ].join('\n')
}

export function clientCpuTable(results: ClientCpuResult[]): string {
  if (results.length === 0) return 'Client CPU per request: not measured in this run.'
  return [
    'Client CPU per request (µs, median over interleaved rounds; both clients read the body and parse the JSON):',
    '',
    '| body | concurrency | requests × rounds | raw node:http keep-alive | cfguard transport | ratio |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.bodyBytes / 1024} KB | ${r.concurrency} | ${r.requestsPerRound.toLocaleString('en-US')} × ${r.rounds} | ` +
        `${r.medianRawUs.toFixed(0)} | ${r.medianTransportUs.toFixed(0)} | ${r.medianRatio.toFixed(2)} |`,
    ),
  ].join('\n')
}

export function endpointTable(scenario: ScenarioResult): string {
  const runs = [scenario.cfguard, scenario.cached, scenario.naive]
  const names = ['cfguard', 'cached', 'naive']
  const endpoints = new Set<string>()
  for (const run of runs) for (const e of Object.keys(run?.byEndpoint ?? {})) endpoints.add(e)
  const header = names.filter((_, i) => runs[i])
  const rows = [...endpoints]
    .map((e) => ({e, counts: runs.map((r) => (r ? (r.byEndpoint[e] ?? 0) : null))}))
    .sort((a, b) => Math.max(...b.counts.map((c) => c ?? 0)) - Math.max(...a.counts.map((c) => c ?? 0)))
    .map(
      ({e, counts}) =>
        `| \`${e}\` | ${counts
          .filter((c) => c !== null)
          .map((c) => c.toLocaleString('en-US'))
          .join(' | ')} |`,
    )
  return [
    `| endpoint | ${header.join(' | ')} |`,
    `| --- |${header.map(() => ' ---: |').join('')}`,
    ...rows,
  ].join('\n')
}

/** Apps, routes and service instances: the simulator's, cfguard's coverage, the baseline's. */
export function sameData(s: ScenarioResult): string {
  const triple = (x: {apps?: unknown; routes?: unknown; serviceInstances?: unknown} | null | undefined) =>
    x
      ? [x.apps, x.routes, x.serviceInstances]
          .map((n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '?'))
          .join(' / ')
      : null
  const parts = [`the simulator holds ${triple(s.counts)}`]
  const seen = triple(s.cfguard.coverage)
  if (seen) parts.push(`cfguard covered ${seen}`)
  const naive = triple(s.naive?.gathered)
  if (naive) parts.push(`the naive baseline gathered ${naive}`)
  return `Apps / routes / service instances: ${parts.join('; ')}.`
}

export function summaryMarkdown(results: BenchResults): string {
  const parts = [
    `Run ${results.finishedAt} on ${results.machine.cpus} × ${results.machine.cpuModel}, ` +
      `${results.machine.memoryGb} GB, Node ${results.machine.node}` +
      `${results.git.commit ? `, commit \`${results.git.commit.slice(0, 12)}\`${results.git.dirty ? ' (dirty)' : ''}` : ''}; ` +
      `took ${seconds(results.durationMs)}; load average ${results.machine.loadAverage.start} → ` +
      `${results.machine.loadAverage.end}. Peak RSS from ${results.machine.rssSource}.`,
    '',
    figuresTable(results.figures),
    '',
    scenarioTable(results.scenarios),
    '',
    `Start-up, ${results.startup.rounds} interleaved rounds after ${results.startup.warmupRounds} warm-up rounds:`,
    '',
    startupTable(results.startup.commands),
    '',
    clientCpuTable(results.clientCpu),
  ]
  for (const s of results.scenarios) {
    parts.push('', `Requests by endpoint, ${s.title}. ${sameData(s)}`, '', endpointTable(s))
  }
  if (results.notes.length > 0) parts.push('', ...results.notes.map((n) => `- ${n}`))
  return parts.join('\n')
}

const START = '<!-- bench:results:start -->'
const END = '<!-- bench:results:end -->'

/** Replaces the generated section of bench/README.md (between the markers). */
export function updateReadme(path: string, results: BenchResults): void {
  const text = readFileSync(path, 'utf8')
  const from = text.indexOf(START)
  const to = text.indexOf(END)
  if (from < 0 || to < from) throw new Error(`${path} lacks the ${START} … ${END} markers`)
  const generated = `${START}\n<!-- generated by \`npm run bench\`; edits here are overwritten -->\n\n${summaryMarkdown(results)}\n\n`
  atomicWrite(path, text.slice(0, from) + generated + text.slice(to))
}

/** Writes `<dir>/<prefix><timestamp>.json` and `<dir>/<latest>`; returns the first path. */
export function writeResults(dir: string, results: BenchResults, prefix: string, latest: string): string {
  mkdirSync(dir, {recursive: true})
  const stamp = results.startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')
  const file = join(dir, `${prefix}${stamp}.json`)
  const body = `${JSON.stringify(results, null, 2)}\n`
  atomicWrite(file, body)
  atomicWrite(join(dir, latest), body)
  return file
}

function atomicWrite(path: string, body: string): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, body)
  renameSync(tmp, path)
}

export function seconds(ms: number): string {
  return ms >= 10_000
    ? `${(ms / 1000).toFixed(1)} s`
    : ms >= 1000
      ? `${(ms / 1000).toFixed(2)} s`
      : `${Math.round(ms)} ms`
}
