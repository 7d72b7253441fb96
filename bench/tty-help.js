#!/usr/bin/env node
// `--help` start-up at a real pseudo-terminal and piped (issue 16): `node bench/tty-help.js
// [--rounds N]` after `npm run build`. script(1) gives one inner process a pseudo-terminal; it
// runs `node -e 0`, `cfguard --help` and `cfguard audit --help` in interleaved rounds, each once
// with stdout and stderr on the terminal and once with both piped, and times each from spawn to
// exit. The figure per command and mode is the median over rounds of (time / `node -e 0` in the
// same mode and round). Prints a Markdown table (what bench/README.md shows).
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin/run.js')
const COMMANDS = [
  {label: 'node -e 0', argv: ['-e', '0']},
  {label: 'cfguard --help', argv: [BIN, '--help']},
  {label: 'cfguard audit --help', argv: [BIN, 'audit', '--help']},
  // what a terminal got before issue 16 (oclif itself renders the help)
  {
    label: 'cfguard --help, oclif (CFGUARD_NO_HELP_CACHE=1)',
    argv: [BIN, '--help'],
    env: {CFGUARD_NO_HELP_CACHE: '1'},
  },
]
const WARMUP = 2

function option(name, fallback) {
  const i = process.argv.indexOf(name)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Inside script(1): stdio 0-2 are the pseudo-terminal. Writes the samples as JSON to `out`. */
function inner(out, rounds) {
  // what a person's shell has, not this machine's extras (as the start-up bench does)
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) =>
        !k.startsWith('CFGUARD_') &&
        !k.startsWith('OCLIF_') &&
        !['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS'].includes(k),
    ),
  )
  const samples = {tty: COMMANDS.map(() => []), piped: COMMANDS.map(() => [])}
  for (let round = 0; round < WARMUP + rounds; round++) {
    for (const mode of ['tty', 'piped']) {
      for (const [i, c] of COMMANDS.entries()) {
        const start = process.hrtime.bigint()
        const r = spawnSync(process.execPath, c.argv, {
          env: {...env, ...c.env},
          cwd: ROOT,
          stdio: mode === 'tty' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
        })
        const ms = Number(process.hrtime.bigint() - start) / 1e6
        if (r.status !== 0) throw new Error(`${c.label} (${mode}) exited ${r.status}`)
        if (round >= WARMUP) samples[mode][i].push(ms)
      }
    }
  }
  // the terminal's bytes are thrown away by the outer process; the samples go to a file
  spawnSync(process.execPath, [
    '-e',
    `require('fs').writeFileSync(${JSON.stringify(out)}, process.argv[1])`,
    JSON.stringify(samples),
  ])
}

function outer(rounds) {
  const dir = mkdtempSync(join(tmpdir(), 'cfguard-tty-help-'))
  const out = join(dir, 'samples.json')
  try {
    const self = fileURLToPath(import.meta.url)
    const r = spawnSync(
      'script',
      [
        '-qec',
        `stty cols 120 rows 40; "${process.execPath}" "${self}" --inner "${out}" --rounds ${rounds}`,
        '/dev/null',
      ],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {...process.env, TERM: process.env.TERM || 'xterm-256color'},
      },
    )
    if (r.status !== 0) throw new Error(`script(1) exited ${r.status ?? r.signal}`)
    const samples = JSON.parse(readFileSync(out, 'utf8'))
    const rows = []
    for (const [i, c] of COMMANDS.entries()) {
      for (const mode of ['tty', 'piped']) {
        const ms = samples[mode][i]
        const base = samples[mode][0]
        rows.push(
          `| \`${c.label}\` | ${mode === 'tty' ? 'terminal (120 columns)' : 'piped'} | ${median(ms).toFixed(0)} | ${median(ms.map((x, r) => x / base[r])).toFixed(2)} |`,
        )
      }
    }
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
    console.log(
      `${rounds} interleaved rounds after ${WARMUP} warm-up rounds, Node ${process.version}, load average ${load}:\n`,
    )
    console.log('| command | stdout and stderr | median (ms) | median ratio to `node -e 0` (same mode) |')
    console.log('| --- | --- | ---: | ---: |')
    console.log(rows.join('\n'))
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

const rounds = option('--rounds', 15)
if (process.argv[2] === '--inner') inner(process.argv[3], rounds)
else outer(rounds)
