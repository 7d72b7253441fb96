/**
 * Keeps the benchmark harness from rotting: `npm run bench -- --quick` (100 apps, 2 ms latency,
 * one start-up round) must run end to end and produce every figure. Targets are not asserted
 * here (no timing assertions in tests); the harness prints them.
 */
import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import type {FigureId} from '../../bench/harness/figures.js'
import {TARGETS} from '../../bench/harness/figures.js'
import type {BenchResults} from '../../bench/harness/report.js'
import {ROOT, cleanEnv, tempDir} from '../helpers/cli.js'

function runBench(args: string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench/run.js'), ...args], {
      cwd: ROOT,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stdout, stderr}))
  })
}

describe('npm run bench -- --quick (harness smoke test)', function () {
  this.timeout(300_000)

  it('runs end to end, prints the table and writes every figure as a finite number', async () => {
    const dir = tempDir('cfguard-bench-results-')
    const readme = readFileSync(join(ROOT, 'bench/README.md'), 'utf8')
    const r = await runBench(['--quick', '--results-dir', dir])
    expect(r.code).to.equal(0, `bench --quick failed: ${r.stderr.slice(-800)}`)

    const results = JSON.parse(readFileSync(join(dir, 'latest-quick.json'), 'utf8')) as BenchResults
    const [baseline, large] = results.scenarios
    expect(results.quick).to.equal(true)
    const ids = new Set(results.figures.map((f) => f.id))
    expect([...ids].sort()).to.deep.equal((Object.keys(TARGETS) as FigureId[]).sort())
    for (const f of results.figures) {
      expect(Number.isFinite(f.value), `${f.label} (${f.subject}) is ${f.value} ${f.note ?? ''}`).to.equal(
        true,
      )
      if (TARGETS[f.id].compare === 'reported')
        expect(f.met, `${f.label} is reported, not judged`).to.equal(null)
      else expect(f.met, `${f.label} (${f.subject}) judged`).to.be.a('boolean')
    }

    // Start-up: node itself, --version, rules, two --help forms (all of them in a full run), and
    // the time to the first request of the four network commands, each timed.
    const labels = results.startup.commands.map((c) => c.label)
    expect(labels).to.include.members(['node -e 0', 'cfguard --version', 'cfguard rules', 'cfguard --help'])
    expect(results.startup.commands.filter((c) => c.firstRequest).map((c) => c.label)).to.deep.equal([
      'cfguard audit',
      'cfguard identity list',
      'cfguard routes report',
      'cfguard credentials list',
    ])
    for (const c of results.startup.commands) expect(c.medianMs).to.be.greaterThan(0)

    // The curl-parallel baseline ran beside cfguard and made the same requests.
    expect(baseline?.curl, `curl baseline: ${baseline?.curlError ?? ''}`).to.not.equal(null)
    expect(baseline!.curl!.runs[0]!.requests).to.equal(baseline!.cfguard.requests)
    expect(results.clientCpu.map((c) => c.bodyBytes)).to.deep.equal([2048, 51_200])

    expect(baseline?.naive, 'the baseline scenario ran the naive client').to.not.equal(null)
    expect(large?.cached, 'the large scenario ran the cached second run').to.not.equal(null)
    for (const s of results.scenarios) {
      expect(s.counts.apps).to.equal(100)
      expect(s.cfguard.requests, `${s.title}: requests counted`).to.be.greaterThan(0)
      expect(s.minimum!.total, `${s.title}: minimum`).to.be.greaterThan(0)
      expect(s.cfguard.byStatus['200'] ?? 0).to.be.greaterThan(0)
    }
    // The baseline really walked the whole foundation, one item at a time.
    expect(baseline!.naive!.gathered.apps).to.equal(baseline!.counts.apps)
    expect(baseline!.naive!.gathered.routes).to.equal(baseline!.counts.routes)
    expect(baseline!.naive!.gathered.serviceInstances).to.equal(baseline!.counts.serviceInstances)
    expect(baseline!.naive!.requests).to.be.greaterThan(baseline!.cfguard.requests)

    for (const target of Object.values(TARGETS)) expect(r.stdout).to.contain(target.label)
    expect(readFileSync(join(ROOT, 'bench/README.md'), 'utf8')).to.equal(
      readme,
      '--quick left the README alone',
    )
  })
})
