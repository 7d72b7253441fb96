/**
 * Secret canaries across every command and output mode: unique values planted in the simulator
 * (UPS credentials, env vars, binding details, service keys, UAA client secrets, the user's
 * password, access and refresh tokens), then every command runs in every output mode with
 * CFGUARD_TRACE=/file, and through error paths (403, 500 after retries, a bad flag, a wrong
 * password, an interrupted run). No canary — and no JWT at all — may appear in stdout, stderr,
 * trace files, report files, files under $CFGUARD_HOME (tokens are allowed only in cfguard's own
 * token store, config.json) or audit logs. Failures name the stream and the canary, never its value.
 */
import {expect} from 'chai'
import {chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {runCli, tempDir, type CliResult} from '../helpers/cli.js'
import {
  addToken,
  cfLoginTokens,
  describeLeaks,
  filesUnder,
  plantCanaries,
  type Leak,
  type PlantedFoundation,
} from '../helpers/canary.js'
import {useSimulator} from '../helpers/sim.js'
import {auditCommand, commandExists, reportCommands} from './commands.js'
import {looseModes} from './modes.js'

interface Output {
  where: string
  text: string
}

interface Run {
  label: string
  args: string[]
  env?: Record<string, string | undefined>
  input?: string
  /** Expected exit code (the error paths). */
  exit?: number
  /** Files the run writes besides $CFGUARD_HOME (reports, audit logs): scanned too. */
  files?: string[]
  /** Send SIGINT once the run is this many ms old (interrupted run). */
  interruptAfterMs?: number
  before?: () => void
  after?: () => void
}

const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/

describe('reliability: secret canaries in every output', function () {
  this.timeout(120_000)
  const ctx = useSimulator({scenario: 'empty', seed: 9})
  let planted: PlantedFoundation
  const outputs: Output[] = []
  const stats = {runs: 0, modes: new Set<string>()}

  before(async () => {
    planted = await plantCanaries(ctx.sim)
  })

  after(() => {
    if (!planted) return
    const leaks = scanAll()
    console.log(
      `      canaries: ${planted.canaries.size} planted, ${stats.runs} runs (${stats.modes.size} command/mode pairs), ${outputs.length} streams and files scanned, ${leaks.length} occurrences`,
    )
  })

  function scanAll(from = 0): Leak[] {
    const leaks: Leak[] = []
    for (const o of outputs.slice(from)) {
      leaks.push(...planted.canaries.find(o.where, o.text))
      if (!o.where.endsWith('/config.json') && JWT.test(o.text))
        leaks.push({where: o.where, canary: 'any JWT'})
    }
    return leaks
  }

  /** Tokens cfguard stored are canaries everywhere else. */
  function learnStoredTokens(home: string): void {
    const path = join(home, 'config.json')
    if (!existsSync(path)) return
    const store = JSON.parse(readFileSync(path, 'utf8')) as {
      targets: Record<string, {auth: {accessToken?: string; refreshToken?: string | null}}>
    }
    for (const [name, t] of Object.entries(store.targets)) {
      if (t.auth.accessToken) addToken(planted.canaries, `stored-access-token-${name}`, t.auth.accessToken)
      if (t.auth.refreshToken) addToken(planted.canaries, `stored-refresh-token-${name}`, t.auth.refreshToken)
      planted.canaries.allow(`stored-access-token-${name}`, '/config.json')
      planted.canaries.allow(`stored-refresh-token-${name}`, '/config.json')
    }
  }

  async function runAll(home: string, runs: Run[]): Promise<void> {
    const cfHome = tempDir('cf-canary-')
    const first = outputs.length
    for (const run of runs) {
      const dir = tempDir('cfguard-canary-run-')
      const trace = join(dir, 'trace.log')
      run.before?.()
      let r: CliResult
      try {
        r = await runCli(run.args, {
          env: {
            CFGUARD_HOME: home,
            CF_HOME: cfHome,
            CFGUARD_TRACE: trace,
            CFGUARD_MAX_RETRY_WAIT: '1',
            ...run.env,
          },
          input: run.input,
          timeoutMs: 60_000,
          onSpawn: (child) => {
            if (run.interruptAfterMs !== undefined)
              setTimeout(() => child.kill('SIGINT'), run.interruptAfterMs)
          },
        })
      } finally {
        run.after?.()
      }
      stats.runs++
      stats.modes.add(`${run.args.filter((a) => !a.startsWith('http')).join(' ')}`)
      const label = `[${run.label}]`
      expect(
        r.code,
        `${label} exit code; stderr: ${redactForMessage(r.stderr)}; stdout: ${redactForMessage(r.stdout)}`,
      ).to.equal(run.exit ?? 0)
      learnStoredTokens(home)
      outputs.push({where: `${label} stdout`, text: r.stdout}, {where: `${label} stderr`, text: r.stderr})
      if (existsSync(trace)) outputs.push({where: `${label} trace file`, text: readFileSync(trace, 'utf8')})
      outputs.push(...filesUnder(home, `${label} $CFGUARD_HOME`))
      for (const file of run.files ?? []) {
        if (existsSync(file)) outputs.push({where: `${label} ${file}`, text: readFileSync(file, 'utf8')})
      }
    }
    const leaks = scanAll(first)
    expect(leaks.length, describeLeaks(leaks)).to.equal(0)
  }

  /** What a failure message may show of stderr: nothing that could be a secret. */
  function redactForMessage(text: string): string {
    const out = text.slice(0, 800)
    if (planted.canaries.find('stderr', out).length > 0 || JWT.test(out))
      return '[withheld: it holds a canary]'
    return out
  }

  it('login, target, logout and rules in every mode (password login)', async () => {
    const home = join(tempDir('cfguard-canary-'), 'home')
    const api = ctx.sim.apiUrl
    const pw = {CFGUARD_PASSWORD: planted.user.password}
    await runAll(home, [
      {
        label: 'login human',
        args: ['login', '--api', api, '-u', planted.user.username, '-o', 'acme', '-s', 'dev'],
        env: pw,
      },
      {label: 'login json', args: ['login', '--json', '--api', api, '-u', planted.user.username], env: pw},
      {
        label: 'login password-stdin',
        args: ['login', '--api', api, '-u', planted.user.username, '--password-stdin', '--name', 'second'],
        input: `${planted.user.password}\n`,
      },
      {label: 'target human', args: ['target']},
      {label: 'target json', args: ['target', '--json']},
      {label: 'target -o -s', args: ['target', '-o', 'acme', '-s', 'dev']},
      {label: 'target --target second', args: ['target', '--target', 'second', '--json']},
      {label: 'rules', args: ['rules']},
      {label: 'rules json', args: ['rules', '--json']},
      {label: 'rules one', args: ['rules', 'identity/secret-in-env']},
      {label: 'logout', args: ['logout', '--name', 'second']},
      {label: 'logout json', args: ['logout', '--json', '--all']},
    ])
  })

  it('client credentials from the environment, and a cf CLI session read from its config', async () => {
    const home = join(tempDir('cfguard-canary-'), 'home')
    const api = ctx.sim.apiUrl
    const client = {CFGUARD_CLIENT_ID: planted.client.id, CFGUARD_CLIENT_SECRET: planted.client.secret}
    await runAll(home, [
      {label: 'env target', args: ['target', '--api', api], env: client},
      {label: 'env target json', args: ['target', '--api', api, '--json'], env: client},
      {
        label: 'login client',
        args: ['login', '--api', api, '--client-id', planted.client.id],
        env: {CFGUARD_CLIENT_SECRET: planted.client.secret},
      },
      {
        label: 'login client stdin',
        args: ['login', '--api', api, '--client-id', planted.client.id, '--json'],
        input: `${planted.client.secret}\n`,
      },
      {
        label: 'target stored client',
        args: ['target', '--json'],
        env: {CFGUARD_CLIENT_SECRET: planted.client.secret},
      },
    ])

    // The cf CLI's session: its tokens are canaries everywhere (cfguard never copies them).
    const cfHome = tempDir('cf-canary-')
    const tokens = await cfLoginTokens(ctx.sim, planted.user)
    addToken(planted.canaries, 'cf-cli-access-token', tokens.accessToken)
    addToken(planted.canaries, 'cf-cli-refresh-token', tokens.refreshToken)
    mkdirSync(join(cfHome, '.cf'), {recursive: true})
    const cfConfig = join(cfHome, '.cf', 'config.json')
    writeFileSync(
      cfConfig,
      JSON.stringify({
        ConfigVersion: 4,
        Target: api,
        AccessToken: `bearer ${tokens.accessToken}`,
        RefreshToken: tokens.refreshToken,
        UAAOAuthClient: 'cf',
        UAAOAuthClientSecret: '',
        OrganizationFields: {GUID: '', Name: 'acme'},
        SpaceFields: {GUID: '', Name: 'dev'},
      }),
    )
    chmodSync(cfConfig, 0o400)
    const cfHomeEnv = {CF_HOME: cfHome}
    const home2 = join(tempDir('cfguard-canary-'), 'home')
    await runAll(home2, [
      {label: 'cf-cli target', args: ['target'], env: cfHomeEnv},
      {label: 'cf-cli target json', args: ['target', '--json'], env: cfHomeEnv},
    ])
  })

  it('error paths: wrong password, 403, 500 after retries, bad flag, interrupted run', async () => {
    const home = join(tempDir('cfguard-canary-'), 'home')
    const api = ctx.sim.apiUrl
    const client = {CFGUARD_CLIENT_ID: planted.client.id, CFGUARD_CLIENT_SECRET: planted.client.secret}
    const faults = ctx.sim.faults
    await runAll(home, [
      {
        label: 'wrong password',
        args: ['login', '--api', api, '-u', planted.user.username],
        env: {CFGUARD_PASSWORD: `${planted.user.password}x`},
        exit: 4,
      },
      {
        label: 'wrong client secret json',
        args: ['target', '--api', api, '--json'],
        env: {...client, CFGUARD_CLIENT_SECRET: `${planted.client.secret}x`},
        exit: 4,
      },
      {
        label: '403 on the org lookup',
        args: ['login', '--api', api, '--client-id', planted.client.id, '-o', 'acme'],
        env: {CFGUARD_CLIENT_SECRET: planted.client.secret},
        before: () =>
          faults.failNth({method: 'GET', path: '/v3/organizations', nth: 1, mode: 'status', status: 403}),
        after: () => faults.clear(),
        exit: 4,
      },
      {
        label: '500 after retries',
        args: ['login', '--api', api, '--client-id', planted.client.id, '-o', 'acme'],
        env: {CFGUARD_CLIENT_SECRET: planted.client.secret},
        before: () => faults.set({errorRate: 1, origins: ['cc']}),
        after: () => faults.clear(),
        exit: 5,
      },
      {
        label: 'UAA 500 after retries json',
        args: ['target', '--api', api, '--json'],
        env: client,
        before: () => faults.set({errorRate: 1, origins: ['uaa']}),
        after: () => faults.clear(),
        exit: 5,
      },
      {label: 'bad flag', args: ['login', '--api', api, '--bogus'], env: client, exit: 2},
      {label: 'bad flag json', args: ['target', '--json', '--nope'], env: client, exit: 2},
      {
        label: 'interrupted',
        args: ['target', '--api', api],
        env: client,
        before: () => faults.set({stallRate: 1, stallMs: 4000, origins: ['cc']}),
        after: () => faults.clear(),
        interruptAfterMs: 1500,
        exit: 130,
      },
    ])
  })

  for (const command of reportCommands) {
    it(`${command.join(' ')}: every format, --output, --json, trace`, async function () {
      if (!commandExists(command)) this.skip()
      const home = join(tempDir('cfguard-canary-'), 'home')
      const dir = tempDir('cfguard-canary-out-')
      const env = {
        CFGUARD_API: ctx.sim.apiUrl,
        CFGUARD_CLIENT_ID: planted.client.id,
        CFGUARD_CLIENT_SECRET: planted.client.secret,
      }
      const runs: Run[] = [
        {label: `${command.join(' ')} human`, args: [...command, '--all', '--fail-on', 'never'], env},
        {
          label: `${command.join(' ')} --json`,
          args: [...command, '--all', '--json', '--fail-on', 'never'],
          env,
        },
      ]
      for (const format of ['table', 'json', 'sarif', 'junit', 'markdown', 'html']) {
        const file = join(dir, `report.${format}`)
        runs.push(
          {
            label: `${command.join(' ')} --format ${format}`,
            args: [...command, '--all', '--format', format, '--fail-on', 'never'],
            env,
          },
          {
            label: `${command.join(' ')} --format ${format} --output`,
            args: [...command, '--all', '--format', format, '--output', file, '--fail-on', 'never'],
            env,
            files: [file],
          },
        )
      }
      await runAll(home, runs)
    })
  }

  it('the audit sees the canaries: secret-in-env fires on the canary app, secrets were read', async function () {
    const command = auditCommand()
    if (!command) this.skip()
    const r = await runCli(
      [...(command as string[]), '--json', '--all', '--fail-on', 'never', '--no-cache'],
      {
        env: clientEnv(),
      },
    )
    expect(r.code, 'audit exit').to.equal(0)
    const doc = JSON.parse(r.stdout) as {
      result: {findings: {rule: string; resource: {name: string}}[]; coverage: {auditEventsCreated: number}}
    }
    const onCanaryApp = doc.result.findings
      .filter((f) => f.resource.name === planted.appName)
      .map((f) => f.rule)
    expect(onCanaryApp).to.include('identity/secret-in-env')
    expect(doc.result.coverage.auditEventsCreated).to.be.greaterThan(0)
  })

  it('other commands in every mode: identity list, opt-in probes, cache re-reads, snapshot, credentials list, demo', async function () {
    const home = join(tempDir('cfguard-canary-'), 'home')
    const dir = tempDir('cfguard-canary-out-')
    const env = clientEnv()
    const runs: Run[] = []
    if (commandExists(['identity', 'list'])) {
      runs.push(
        {label: 'identity list', args: ['identity', 'list', '--all'], env},
        {label: 'identity list json', args: ['identity', 'list', '--all', '--json'], env},
        {label: 'identity list no-secrets', args: ['identity', 'list', '--all', '--no-secrets'], env},
      )
    }
    if (commandExists(['identity', 'audit'])) {
      const probes = ['--check-issuers', '--verify-credentials', '--fail-on', 'never']
      runs.push(
        {label: 'identity audit probes', args: ['identity', 'audit', '--all', ...probes], env},
        {label: 'identity audit probes json', args: ['identity', 'audit', '--all', '--json', ...probes], env},
        {label: 'identity audit cached', args: ['identity', 'audit', '--all', '--fail-on', 'never'], env},
        {
          label: 'identity audit cached again',
          args: ['identity', 'audit', '--all', '--json', '--fail-on', 'never'],
          env,
        },
        {
          label: 'identity audit org/space',
          args: ['identity', 'audit', '-o', 'acme', '-s', 'dev', '--fail-on', 'never'],
          env,
        },
      )
    }
    if (commandExists(['snapshot'])) {
      const file = join(dir, 'snapshot.json')
      runs.push(
        {label: 'snapshot --output', args: ['snapshot', '--all', '--output', file], env, files: [file]},
        {label: 'snapshot json', args: ['snapshot', '--all', '--json'], env},
      )
    }
    if (commandExists(['credentials', 'list'])) {
      runs.push(
        {label: 'credentials list', args: ['credentials', 'list', '--all'], env},
        {label: 'credentials list json', args: ['credentials', 'list', '--all', '--json'], env},
      )
    }
    if (commandExists(['demo'])) {
      // The demo runs its own simulator: its secrets are not these canaries, but no JWT may show.
      runs.push({label: 'demo', args: ['demo']}, {label: 'demo json', args: ['demo', '--json']})
    }
    if (runs.length === 0) this.skip()
    await runAll(home, runs)
  })

  it('audit error paths: a space auditor (403s), 500s after retries, a failing secret read, a bad flag, an interrupted audit', async function () {
    const command = auditCommand()
    if (!command) this.skip()
    const audit = command as string[]
    const home = join(tempDir('cfguard-canary-'), 'home')
    const faults = ctx.sim.faults
    const env = clientEnv()
    const app = [...ctx.sim.state.apps.all()].find((a) => a.name === planted.appName)!
    const auditor = ctx.sim.users.spaceAuditor
    planted.canaries.add('auditor-password', auditor.password)
    await runAll(home, [
      {
        label: 'space auditor login',
        args: ['login', '--api', ctx.sim.apiUrl, '-u', auditor.username, '--name', 'auditor'],
        env: {CFGUARD_PASSWORD: auditor.password},
      },
      {label: 'space auditor audit', args: [...audit, '--target', 'auditor', '--fail-on', 'never']},
      {
        label: 'space auditor audit json',
        args: [...audit, '--target', 'auditor', '--json', '--fail-on', 'never'],
      },
      {
        label: 'audit 500s',
        args: [...audit, '--all', '--fail-on', 'never'],
        env,
        before: () => faults.set({errorRate: 1, origins: ['cc']}),
        after: () => faults.clear(),
        exit: 5,
      },
      {
        label: 'audit failing secret read json',
        args: [...audit, '--all', '--json', '--fail-on', 'never', '--no-cache'],
        env,
        before: () => {
          for (let i = 0; i < 3; i++)
            faults.failNth({
              method: 'GET',
              path: `/v3/apps/${app.guid}/env`,
              nth: 1,
              mode: 'status',
              status: 502,
            })
        },
        after: () => faults.clear(),
        exit: 5,
      },
      {label: 'audit bad flag', args: [...audit, '--all', '--bogus'], env, exit: 2},
      {label: 'audit bad flag json', args: [...audit, '--all', '--json', '--format', 'pdf'], env, exit: 2},
      {
        label: 'audit interrupted',
        args: [...audit, '--all', '--fail-on', 'never', '--no-cache'],
        env,
        before: () => faults.set({stallRate: 1, stallMs: 3000, origins: ['cc']}),
        after: () => faults.clear(),
        interruptAfterMs: 2000,
        exit: 130,
      },
    ])
  })

  it('credentials rotate, rollback and retire: dry run, human, --json, --audit-log, a service key, a halted run', async function () {
    if (!commandExists(['credentials', 'rotate'])) this.skip()
    const sim = ctx.sim
    const home = join(tempDir('cfguard-canary-'), 'home')
    const dir = tempDir('cfguard-canary-rotate-')
    const log = join(dir, 'audit.jsonl')
    const keyFile = join(dir, 'key.json')
    planted.canaries.add('admin-client-secret', sim.admin.clientSecret)
    // Rotation changes UAA client secrets: the admin client may; the canary client only reads.
    const env = {
      CFGUARD_API: sim.apiUrl,
      CFGUARD_CLIENT_ID: sim.admin.clientId,
      CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
      CFGUARD_ORG: 'acme',
      CFGUARD_SPACE: 'dev',
      CFGUARD_POLL_INTERVAL: '100ms',
    }
    const ups = () => [...sim.state.serviceInstances.all()].find((si) => si.name === planted.upsName)!
    let learned = 0
    /** Every secret the run made (new UPS/UAA secrets, new key credentials) is a canary too. */
    const learn = () => {
      const values = [
        String(ups().credentials.client_secret),
        ...(sim.state.uaa.clients.get('canary-web')?.secrets ?? []),
        ...[...sim.state.bindings.all()]
          .filter((b) => b.type === 'key')
          .flatMap((b) => [b.credentials.client_secret, b.credentials.api_key])
          .filter((v): v is string => typeof v === 'string'),
      ]
      for (const v of values) {
        if (!planted.canaries.find('x', v).length) planted.canaries.add(`rotated-secret-${++learned}`, v)
      }
    }
    const rotate = ['credentials', 'rotate', planted.upsName]
    await runAll(home, [
      {label: 'rotate dry-run', args: [...rotate, '--dry-run'], env},
      {label: 'rotate dry-run json', args: [...rotate, '--dry-run', '--json'], env},
      {
        label: 'rotate',
        args: [...rotate, '--yes', '--grace', '1h', '--audit-log', log],
        env,
        files: [log],
        after: learn,
      },
      {
        label: 'rollback',
        args: ['credentials', 'rollback', planted.upsName, '--yes', '--audit-log', log],
        env,
        files: [log],
        after: learn,
      },
      {
        label: 'rotate json',
        args: [...rotate, '--yes', '--json', '--force', '--grace', '1h', '--audit-log', log],
        env,
        files: [log],
        after: learn,
      },
      {
        label: 'retire',
        args: ['credentials', 'retire', planted.upsName, '--yes', '--force', '--json', '--audit-log', log],
        env,
        files: [log],
        after: learn,
      },
      {
        label: 'rotate halted',
        args: [...rotate, '--yes', '--force', '--audit-log', '-'],
        env,
        before: () =>
          sim.faults.failNth({
            method: 'PATCH',
            path: `/v3/service_instances/${ups().guid}`,
            nth: 2,
            mode: 'cut',
          }),
        after: () => {
          sim.faults.clear()
          learn()
        },
        exit: 6,
      },
      {
        label: 'rotate resumed',
        args: [...rotate, '--yes', '--audit-log', log],
        env,
        files: [log],
        after: learn,
      },
      {
        label: 'service key rotate --output',
        args: ['credentials', 'rotate', 'canary-sso', '--key', 'canary-key', '--yes', '--output', keyFile],
        env,
        after: learn,
      },
      {label: 'credentials list after', args: ['credentials', 'list', '--json'], env},
    ])
    // The key file is the one place a new key may be written: 0600, and nothing else holds it.
    expect(statSync(keyFile).mode & 0o777).to.equal(0o600)
    expect(statSync(log).mode & 0o777).to.equal(0o600)
    expect(looseModes(home)).to.deep.equal([])
    expect(learned).to.be.greaterThan(2)
  })

  it('CFGUARD_TRACE=true: the trace on stderr through login, reports, secret reads and a rotation', async function () {
    const sim = ctx.sim
    const home = join(tempDir('cfguard-canary-'), 'home')
    const onStderr = {CFGUARD_TRACE: 'true'}
    const admin = {
      CFGUARD_API: sim.apiUrl,
      CFGUARD_CLIENT_ID: sim.admin.clientId,
      CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
      CFGUARD_ORG: 'acme',
      CFGUARD_SPACE: 'dev',
      CFGUARD_POLL_INTERVAL: '100ms',
    }
    planted.canaries.add('admin-client-secret', sim.admin.clientSecret)
    const ups = () => [...sim.state.serviceInstances.all()].find((si) => si.name === planted.upsName)!
    let learned = 0
    /** The secrets the rotation made are canaries too. */
    const learn = () => {
      const values = [
        String(ups().credentials.client_secret),
        ...(sim.state.uaa.clients.get('canary-web')?.secrets ?? []),
      ]
      for (const v of values) {
        if (!planted.canaries.find('x', v).length)
          planted.canaries.add(`trace-rotated-secret-${++learned}`, v)
      }
    }
    const runs: Run[] = [
      {
        label: 'trace login',
        args: ['login', '--api', sim.apiUrl, '-u', planted.user.username, '-o', 'acme', '-s', 'dev'],
        env: {...onStderr, CFGUARD_PASSWORD: planted.user.password},
      },
      {label: 'trace target json', args: ['target', '--json'], env: onStderr},
      {label: 'trace identity list', args: ['identity', 'list', '--all'], env: {...onStderr, ...clientEnv()}},
      {
        label: 'trace snapshot --secrets',
        args: ['snapshot', '--all', '--secrets', '--json'],
        env: {...onStderr, ...clientEnv()},
      },
    ]
    const audit = auditCommand()
    if (audit) {
      runs.push({
        label: 'trace audit json',
        args: [...audit, '--all', '--json', '--fail-on', 'never', '--no-cache'],
        env: {...onStderr, ...clientEnv()},
      })
    }
    if (commandExists(['credentials', 'rotate'])) {
      runs.push({
        label: 'trace rotate',
        args: ['credentials', 'rotate', planted.upsName, '--yes', '--force'],
        env: {...onStderr, ...admin},
        after: learn,
      })
    }
    await runAll(home, runs)
    const stderrs = outputs.filter((o) => o.where.startsWith('[trace ') && o.where.endsWith('stderr'))
    // The trace really went to stderr: every run's requests are there, redacted.
    for (const o of stderrs) expect(o.text, `${o.where} holds a trace`).to.match(/^REQUEST \[/m)
    expect(stderrs.some((o) => o.text.includes('PUT ') && o.text.includes('/secret'))).to.equal(
      commandExists(['credentials', 'rotate']),
    )
  })

  function clientEnv(): Record<string, string> {
    return {
      CFGUARD_API: ctx.sim.apiUrl,
      CFGUARD_CLIENT_ID: planted.client.id,
      CFGUARD_CLIENT_SECRET: planted.client.secret,
    }
  }
})
