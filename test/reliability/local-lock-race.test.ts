/**
 * The per-host rotation lock under contention (issue 14 item 7): 12 processes take and release
 * the same lock 30 times each, starting from a lock left by a killed process. Every holder logs
 * "+pid" on entry and "-pid" on exit (O_APPEND, one write each); two holders at once would show
 * as two entries in a row. Runs the built lib/ (npm run build first).
 */
import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {ROOT, tempDir} from '../helpers/cli.js'

const PROCESSES = 12
const ROUNDS = 30

const WORKER = `
import {appendFileSync} from 'node:fs'
const {takeLocalLock} = await import(process.env.LOCK_MODULE)
const [home, log, rounds] = [process.env.LOCK_HOME, process.env.LOCK_LOG, Number(process.env.LOCK_ROUNDS)]
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
for (let round = 0; round < rounds; round++) {
  let release = null
  while (release === null) {
    try {
      release = takeLocalLock(home, 'rotate-si-race', 'the race')
    } catch (err) {
      if (err.code !== 'LEASE_HELD') throw err
      pause(Math.random() * 2)
    }
  }
  appendFileSync(log, '+' + process.pid + '\\n')
  pause(1 + Math.random() * 3)
  appendFileSync(log, '-' + process.pid + '\\n')
  release()
}
`

function runWorker(env: Record<string, string>): Promise<{code: number | null; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', WORKER], {
      env: {...process.env, ...env},
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stderr}))
  })
}

describe('reliability: the local rotation lock under contention', function () {
  this.timeout(120_000)

  it(`${PROCESSES} processes × ${ROUNDS} rounds: never two holders, every round completes`, async () => {
    const home = tempDir('cfguard-lock-race-')
    const log = join(home, 'holders.log')
    writeFileSync(log, '')
    // A lock of a killed process (a pid above the kernel's maximum is never alive): all race to break it.
    mkdirSync(join(home, 'locks'), {recursive: true})
    writeFileSync(
      join(home, 'locks', 'rotate-si-race.lock'),
      JSON.stringify({pid: 2 ** 22 + 7, host: hostname(), startedAt: '2026-01-01T00:00:00Z'}),
    )
    const env = {
      LOCK_MODULE: pathToFileURL(join(ROOT, 'lib/actions/credentials/files.js')).href,
      LOCK_HOME: home,
      LOCK_LOG: log,
      LOCK_ROUNDS: String(ROUNDS),
    }
    const results = await Promise.all(Array.from({length: PROCESSES}, () => runWorker(env)))
    for (const r of results) expect(r.code, r.stderr).to.equal(0)

    const lines = readFileSync(log, 'utf8').trim().split('\n')
    let overlaps = 0
    let holder: string | null = null
    for (const line of lines) {
      if (line.startsWith('+')) {
        if (holder !== null) overlaps++
        holder = line.slice(1)
      } else {
        if (holder !== line.slice(1)) overlaps++
        holder = null
      }
    }
    expect(overlaps, 'entries while another process held the lock').to.equal(0)
    expect(lines).to.have.length(2 * PROCESSES * ROUNDS)
  })
})
