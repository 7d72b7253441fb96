/**
 * cfguard in a real pseudo-terminal (tmux, from Debian) at 80 and 120 columns, against a slow
 * simulator (latency per request): live progress from the start of a collection and of a rotation,
 * colour at a terminal and none with NO_COLOR, no line wider than the terminal, and every
 * suggested command whole on one line.
 *
 * Timing, robust on a loaded machine: "progress within 1 s of start" is measured by the cfguard
 * process itself (test/fixtures/pty/probe.mjs records, at its first progress write, the ms since the
 * process started and the CPU it had used), never by when this test happened to poll the pane.
 * Two checks do not depend on how busy the machine is: the CPU used before the first progress is
 * under 1 s, and the first progress comes before the first network connection (so it never waits
 * for the API). The wall-clock time, as the process's own clock reads it from its start, is held
 * to the issue's 1 s (0.2–0.35 s at load 3 on this project's 2-core machine, 0.5–0.9 s at load
 * 9–11, while six engineers' test runs shared it). Pane
 * polling only checks that progress is on the screen while the command still runs (live, not
 * printed at the end); the simulator's latency makes runs last seconds, so many polls see it.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {BIN, cleanEnv, ROOT, runCli, tempDir} from '../helpers/cli.js'
import {useSimulator, type Simulator} from '../helpers/sim.js'

const PROBE = join(ROOT, 'test/fixtures/pty/probe.mjs')
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0
const SGR_COLOUR = /\u001b\[(?:\d+;)*(?:3[1-7]|9[1-7])m/

interface PtyRun {
  code: number
  /** The screen and its scrollback as the person sees it, wrapped rows joined (`capture-pane -J`). */
  screen: string
  /** What the pane showed at each poll while the command still ran. */
  live: string[]
  /** As seen by the cfguard process (probe.mjs). */
  probe: {
    firstProgressMs: number | null
    cpuMsAtFirstProgress: number | null
    firstConnectMs: number | null
    stdout: string
    stderr: string
  }
}

/** Runs the built CLI in a fresh tmux server of `width` columns; polls the pane until it exits. */
async function inTerminal(
  args: string[],
  width: number,
  env: Record<string, string | undefined>,
  timeoutMs = 120_000,
): Promise<PtyRun> {
  const dir = tempDir('cfguard-pty-')
  // The server's socket lives in the run's own folder: nothing is left in /tmp/tmux-UID.
  const socket = join(dir, 'tmux.sock')
  const probeFile = join(dir, 'probe.json')
  const exitFile = join(dir, 'exit')
  const quoted = [process.execPath, '--import', PROBE, BIN, ...args].map(shellQuote).join(' ')
  const script = `cd ${shellQuote(ROOT)} && ${quoted}; echo $? > ${shellQuote(exitFile)}; exec sleep 600`
  const tmuxEnv = cleanEnv({NO_COLOR: undefined, COLUMNS: undefined, PTY_PROBE_FILE: probeFile, ...env})
  const tmux = (...a: string[]) =>
    execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...a], {env: tmuxEnv, encoding: 'utf8'})
  tmux('new-session', '-d', '-s', 't', '-x', String(width), '-y', '50', 'sh', '-c', script)
  const capture = () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 't')
  const live: string[] = []
  try {
    const deadline = Date.now() + timeoutMs
    while (!existsSync(exitFile) || readFileSync(exitFile, 'utf8').trim() === '') {
      if (Date.now() > deadline)
        throw new Error(`cfguard ${args.join(' ')} did not finish in ${timeoutMs} ms`)
      live.push(capture())
      await new Promise((r) => setTimeout(r, 50))
    }
    return {
      code: Number(readFileSync(exitFile, 'utf8').trim()),
      screen: capture(),
      live,
      probe: JSON.parse(readFileSync(probeFile, 'utf8')),
    }
  } finally {
    spawnSync('tmux', ['-S', socket, 'kill-server'], {env: tmuxEnv})
    rmSync(dir, {recursive: true, force: true})
  }
}

/** Progress early: little CPU before it, before any connection, and soon on the wall clock. */
function expectEarlyProgress(probe: PtyRun['probe']): void {
  const {firstProgressMs, cpuMsAtFirstProgress, firstConnectMs} = probe
  const seen = `first progress ${firstProgressMs?.toFixed(0)} ms after start, ${cpuMsAtFirstProgress?.toFixed(0)} ms CPU, first connection at ${firstConnectMs?.toFixed(0)} ms`
  expect(firstProgressMs, 'no progress written to stderr').to.be.a('number')
  expect(cpuMsAtFirstProgress as number, seen).to.be.below(1000)
  expect(firstConnectMs, 'the command made no API call').to.be.a('number')
  expect(firstProgressMs as number, seen).to.be.at.most(firstConnectMs as number)
  expect(firstProgressMs as number, seen).to.be.below(1000)
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

function adminEnv(sim: Simulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CFGUARD_API: sim.apiUrl,
    CFGUARD_CLIENT_ID: sim.admin.clientId,
    CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
    ...extra,
  }
}

/** Lines of the screen, trailing blanks dropped, the shell's own lines excluded. */
function screenLines(screen: string): string[] {
  return screen.split('\n').map((l) => l.trimEnd())
}

/** Lines wider than the terminal; a command longer than the whole width may stand alone on its line. */
function overflowing(screen: string, width: number): string[] {
  return screenLines(screen).filter(
    (l) => [...l].length > width && !(/^\s*cf(guard)? \S/.test(l) && [...l.trim()].length > width - 11),
  )
}

/**
 * Every command a finding suggests (`cf …` / `cfguard …` up to a comment, `;`, `&&`, a
 * parenthesis or `, `), found independently of cfguard's own wrapping code.
 */
function suggestedCommands(remediation: string): string[] {
  return remediation
    .split(/\s+#|;|\s&&\s|\(|\)|,\s/)
    .map((piece) => /(?:^|[\s:])((?:cfguard|cf) [a-z][\s\S]*)$/.exec(piece.trim())?.[1]?.trim())
    .filter((c): c is string => c !== undefined && c !== '')
    .map((c) => c.replace(/\s+/g, ' '))
}

describe('cfguard in a real terminal (tmux)', function () {
  this.timeout(300_000)
  before(function () {
    if (!HAS_TMUX) this.skip()
  })

  describe('audit of a slow foundation', () => {
    // 150 ms a request: the collection lasts seconds, like a large foundation's.
    const ctx = useSimulator({scenario: 'demo', latencyMs: 150})
    let remediations: string[] = []

    before(async () => {
      const json = await runCli(['audit', '--all', '--json', '--fail-on', 'never'], {env: adminEnv(ctx.sim)})
      expect(json.code, json.stderr).to.equal(0)
      const findings = JSON.parse(json.stdout).result.findings as {remediation?: string}[]
      remediations = findings.map((f) => f.remediation ?? '').filter((r) => r !== '')
      expect(remediations.flatMap(suggestedCommands).length).to.be.greaterThan(10)
    })

    for (const width of [80, 120]) {
      it(`at ${width} columns: progress within 1 s, colour, nothing wider than the terminal, commands whole`, async () => {
        const run = await inTerminal(['audit', '--all', '--fail-on', 'never'], width, adminEnv(ctx.sim))
        expect(run.code, run.screen).to.equal(0)

        // Progress: from the process's own clock, and on screen while the collection ran.
        expectEarlyProgress(run.probe)
        expect(run.live.some((s) => /reading .* requests? done/.test(s))).to.equal(true)
        // …and gone when the report is printed.
        expect(run.screen).not.to.match(/requests? done/)

        // Colour: severity colours in the table at a terminal.
        expect(run.probe.stdout).to.match(SGR_COLOUR)
        expect(run.probe.stdout).to.contain('\u001b[1;31mHIGH')

        // Width: what the person sees fits (a command longer than the width may stand alone).
        expect(overflowing(run.screen, width)).to.deep.equal([])

        // Every suggested command is whole on one line.
        const lines = screenLines(run.screen).map((l) => l.replace(/\s+/g, ' '))
        for (const command of new Set(remediations.flatMap(suggestedCommands))) {
          expect(
            lines.some((l) => l.includes(command)),
            `not whole on one line at ${width} columns: ${command}`,
          ).to.equal(true)
        }
      })
    }

    it('NO_COLOR and --no-color: no colour codes at a terminal; progress still shows', async () => {
      const noColor = await inTerminal(['audit', '--all', '--fail-on', 'never'], 100, {
        ...adminEnv(ctx.sim),
        NO_COLOR: '1',
      })
      expect(noColor.code).to.equal(0)
      expect(noColor.probe.stdout).to.contain('HIGH')
      expect(noColor.probe.stdout).not.to.match(SGR_COLOUR)
      expect(noColor.probe.firstProgressMs).to.be.a('number')
      const flag = await inTerminal(
        ['audit', '--all', '--fail-on', 'never', '--no-color'],
        100,
        adminEnv(ctx.sim),
      )
      expect(flag.code).to.equal(0)
      expect(flag.probe.stdout).to.contain('HIGH')
      expect(flag.probe.stdout).not.to.match(SGR_COLOUR)
    })

    it('--json at a terminal: no progress, no colour', async () => {
      const run = await inTerminal(['audit', '--all', '--fail-on', 'never', '--json'], 100, adminEnv(ctx.sim))
      expect(run.code).to.equal(0)
      expect(run.probe.firstProgressMs).to.equal(null)
      expect(run.probe.stderr).to.equal('')
      expect(run.probe.stdout).not.to.match(/\u001b\[/)
    })

    it('--quiet at a terminal: no progress, no notes; the coloured report still prints', async () => {
      const run = await inTerminal(
        ['audit', '--all', '--fail-on', 'never', '--quiet'],
        100,
        adminEnv(ctx.sim),
      )
      expect(run.code).to.equal(0)
      expect(run.probe.firstProgressMs).to.equal(null)
      expect(run.probe.stderr).to.equal('')
      expect(run.probe.stdout).to.match(SGR_COLOUR)
    })

    it('piped: 120 columns unless COLUMNS, no colour unless FORCE_COLOR, never in files or JSON', async () => {
      const piped = await runCli(['audit', '--all', '--fail-on', 'never'], {
        env: {...adminEnv(ctx.sim), COLUMNS: undefined, NO_COLOR: undefined},
      })
      expect(piped.code).to.equal(0)
      // The widest line, a command longer than the width (alone on its line) aside.
      const widest = Math.max(
        ...piped.stdout
          .split('\n')
          .filter((l) => !/^\s*cf(guard)? \S/.test(l))
          .map((l) => l.length),
      )
      expect(widest).to.be.within(101, 120)
      expect(overflowing(piped.stdout, 120)).to.deep.equal([])
      expect(piped.stdout).not.to.match(/\u001b\[/)
      const forced = await runCli(['audit', '--all', '--fail-on', 'never'], {
        env: {...adminEnv(ctx.sim), NO_COLOR: undefined, FORCE_COLOR: '1'},
      })
      expect(forced.stdout).to.match(SGR_COLOUR)
      for (const format of ['json', 'sarif', 'junit', 'markdown']) {
        const r = await runCli(['audit', '--all', '--fail-on', 'never', '--format', format], {
          env: {...adminEnv(ctx.sim), NO_COLOR: undefined, FORCE_COLOR: '1'},
        })
        expect(r.stdout, format).not.to.match(/\u001b\[/)
      }
    })

    it('--output: the file has no colour, stderr ends with one line of counts and the gate', async () => {
      const file = join(tempDir('cfguard-out-'), 'report.txt')
      const r = await runCli(['audit', '--all', '--output', file], {
        env: {...adminEnv(ctx.sim), NO_COLOR: undefined, FORCE_COLOR: '1'},
      })
      expect(r.code).to.equal(3)
      expect(r.stdout).to.equal('')
      expect(readFileSync(file, 'utf8')).not.to.match(/\u001b\[/)
      const last = r.stderr.trimEnd().split('\n').at(-1)
      expect(last).to.match(
        /^report written to \S+report\.txt: \d+ findings \(\d+ critical, \d+ high, \d+ medium, \d+ low, \d+ info\) · fail-on high: \d+ at or above → exit 3$/,
      )
    })
  })

  describe('rotation with --yes against slow deployments', () => {
    // Instances take 1.5 s to start: a rolling deployment of two instances lasts seconds.
    const ctx = useSimulator({scenario: 'demo', latencyMs: 100, instanceStartupMs: 1500})

    it('at 80 columns: the task list from the start, deployments advancing live, nothing wider', async () => {
      const run = await inTerminal(
        ['credentials', 'rotate', 'billing-oidc', '--yes'],
        80,
        adminEnv(ctx.sim, {CFGUARD_ORG: 'acme', CFGUARD_SPACE: 'prod', CFGUARD_POLL_INTERVAL: '200ms'}),
      )
      expect(run.code, run.screen).to.equal(0)
      expectEarlyProgress(run.probe)
      // Live: seen while the command ran — the steps advancing one by one, then the deployment's
      // instances being replaced — not one list printed at the end.
      const during = run.live.join('\n')
      expect(during).to.match(/✔ Take the rotation lease/)
      expect(during).to.match(/◼ Rolling deployment of every bound app/)
      expect(during).to.match(/\d+ of \d+ instances? replaced/)
      expect(run.screen).to.contain('billing-oidc rotated')
      expect(overflowing(run.screen, 80)).to.deep.equal([])
    })
  })
})
