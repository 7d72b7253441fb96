/**
 * `npm run build && node --import tsx bench/profile.ts [--only startup,rules,audit] [--apps N]
 *  [--latency MS] [--top N] [--keep DIR] [FILE.cpuprofile…]`
 *
 * Where the time goes, as `node --cpu-prof` sees it, for the figures issue 18 misses:
 * - `startup`: `cfguard audit --json --all` from spawn to its first request (a loopback listener
 *   notes the request's arrival and answers 404; the samples after the arrival are left out);
 * - `rules`: `cfguard rules`, spawn to exit;
 * - `audit`: a whole `cfguard audit --json --all` against a simulator process (default 1,000
 *   apps @ 10 ms, seed 1), stdout to /dev/null.
 * Prints the top self-time functions and modules of each profile (bench/harness/profile.ts).
 * `--callers NAME` (repeatable) adds the call stacks in which that function spent its time.
 * Files given on the command line are summarised instead. Profiles are written to a temporary
 * folder, removed at the end unless `--keep DIR` (never commit them: they are megabytes).
 */
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import http from 'node:http'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {parseArgs} from 'node:util'

import {callersOf, selfTimeTable, summarise, type CpuProfile} from './harness/profile.js'
import {startSimProcess} from './harness/sim-control.js'

const ROOT = resolve(import.meta.dirname, '..')
const BIN = join(ROOT, 'bin/run.js')

const {values: args, positionals} = parseArgs({
  options: {
    only: {type: 'string', default: 'startup,rules,audit'},
    apps: {type: 'string', default: '1000'},
    latency: {type: 'string', default: '10'},
    top: {type: 'string', default: '15'},
    keep: {type: 'string'},
    interval: {type: 'string', default: '100'},
    callers: {type: 'string', multiple: true},
  },
  allowPositionals: true,
  strict: true,
})
const top = Number(args.top)

function baseEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('CFGUARD_') || k.startsWith('CF_') || k === 'NODE_OPTIONS') continue
    env[k] = v
  }
  return {...env, CFGUARD_HOME: home, CF_HOME: home}
}

function print(title: string, profile: CpuProfile, untilUs?: number): void {
  const s = summarise(profile, {top, root: ROOT, untilUs})
  console.log(`\n### ${title}: ${(s.totalUs / 1000).toFixed(0)} ms sampled\n`)
  console.log(selfTimeTable('module', s.byModule))
  console.log('')
  console.log(selfTimeTable('nearest package / file of ours on the stack', s.byOwner))
  console.log('')
  console.log(selfTimeTable('function', s.byFunction))
  for (const name of args.callers ?? []) {
    console.log('')
    console.log(selfTimeTable(`\`${name}\` called from`, callersOf(profile, name, {root: ROOT})))
  }
}

function readProfile(dir: string): CpuProfile {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`)
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile
}

/** Runs the CLI under --cpu-prof; resolves when it exits. */
function profiled(dir: string, argv: string[], env: Record<string, string>, stdout: 'ignore' | number) {
  mkdirSync(dir, {recursive: true})
  const child = spawn(
    process.execPath,
    ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', args.interval, BIN, ...argv],
    {cwd: ROOT, env, stdio: ['ignore', stdout, 'pipe']},
  )
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise<{code: number | null; stderr: string}>((done) =>
    child.once('exit', (code) => done({code, stderr})),
  )
}

async function startup(work: string): Promise<void> {
  let arrivedUs: number | undefined
  const server = http.createServer((req, res) => {
    // process.hrtime and V8's profile timestamps are both the monotonic clock (Linux, macOS)
    arrivedUs ??= Number(process.hrtime.bigint() / 1000n)
    res.writeHead(404, {'content-type': 'application/json', connection: 'close'})
    res.end('{"errors":[{"code":10000,"title":"CF-NotFound","detail":"bench listener"}]}')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const home = mkdtempSync(join(work, 'home-'))
  try {
    const env = {
      ...baseEnv(home),
      CFGUARD_API: `http://127.0.0.1:${port}`,
      CFGUARD_CLIENT_ID: 'bench-client',
      CFGUARD_CLIENT_SECRET: 'bench-not-a-secret',
    }
    const dir = join(work, 'startup')
    await profiled(dir, ['audit', '--json', '--all'], env, 'ignore')
    if (arrivedUs === undefined) throw new Error('audit made no request')
    print('`cfguard audit --json --all`, spawn to first request', readProfile(dir), arrivedUs)
  } finally {
    server.close()
  }
}

async function rules(work: string): Promise<void> {
  const home = mkdtempSync(join(work, 'home-'))
  const dir = join(work, 'rules')
  const run = await profiled(dir, ['rules'], baseEnv(home), 'ignore')
  if (run.code !== 0) throw new Error(`rules exited ${run.code}: ${run.stderr.slice(0, 300)}`)
  print('`cfguard rules`, spawn to exit', readProfile(dir))
}

async function audit(work: string): Promise<void> {
  const apps = Number(args.apps)
  const latencyMs = Number(args.latency)
  const sim = await startSimProcess({apps, seed: 1, latencyMs})
  const home = mkdtempSync(join(work, 'home-'))
  try {
    const env = {
      ...baseEnv(home),
      CFGUARD_API: sim.apiUrl,
      CFGUARD_CLIENT_ID: sim.admin.clientId,
      CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
    }
    const dir = join(work, 'audit')
    const run = await profiled(dir, ['audit', '--json', '--all'], env, openSync('/dev/null', 'w'))
    if (run.code !== 0 && run.code !== 3)
      throw new Error(`audit exited ${run.code}: ${run.stderr.slice(0, 300)}`)
    print(
      `\`cfguard audit --json --all\`, ${apps.toLocaleString('en')} apps @ ${latencyMs} ms, whole run`,
      readProfile(dir),
    )
  } finally {
    await sim.stop()
  }
}

async function main(): Promise<void> {
  if (positionals.length > 0) {
    for (const file of positionals) print(file, JSON.parse(readFileSync(file, 'utf8')) as CpuProfile)
    return
  }
  const work = args.keep ? resolve(args.keep) : mkdtempSync(join(tmpdir(), 'cfguard-profile-'))
  mkdirSync(work, {recursive: true})
  const only = new Set(args.only.split(',').map((x) => x.trim()))
  console.log(`node ${process.version}, sampling every ${args.interval} µs`)
  try {
    if (only.has('startup')) await startup(work)
    if (only.has('rules')) await rules(work)
    if (only.has('audit')) await audit(work)
  } finally {
    if (!args.keep) rmSync(work, {recursive: true, force: true})
  }
}

await main()
