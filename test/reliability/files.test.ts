/**
 * Files: everything under $CFGUARD_HOME is 0600 in 0700 directories and written atomically; runs
 * at once do not corrupt it; a killed run leaves nothing that breaks the next one; the cf CLI's
 * config is never written.
 */
import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {ConfigStore} from '../../src/config/store.js'
import {isCfguardError} from '../../src/errors.js'
import {cfLoginTokens, filesUnder} from '../helpers/canary.js'
import {runCli, tempDir, type CliOptions, type CliResult} from '../helpers/cli.js'
import {useSimulator, withSimulator} from '../helpers/sim.js'
import {auditCommand} from './commands.js'
import {modes} from './modes.js'

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** A tiny seeded generator, so the kill moments are the same on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

describe('reliability: files', function () {
  this.timeout(120_000)
  const ctx = useSimulator({scenario: 'empty', seed: 3})
  let home: string
  const login = (extra: string[] = [], env: Record<string, string> = {}, onSpawn?: CliOptions['onSpawn']) =>
    runCli(['login', '--api', ctx.sim.apiUrl, '-u', ctx.sim.users.admin.username, ...extra], {
      env: {CFGUARD_HOME: home, CFGUARD_PASSWORD: ctx.sim.users.admin.password, ...env},
      onSpawn,
    })

  beforeEach(() => {
    home = join(tempDir('cfguard-files-'), 'home')
    ctx.sim.faults.clear()
  })

  it('everything under $CFGUARD_HOME is 0600, in 0700 directories', async () => {
    mkdirSync(home, {recursive: true, mode: 0o700})
    const r1 = await login(['-o', 'acme'], {CFGUARD_TRACE: join(home, 'trace.log')})
    expect(r1.code, r1.stderr).to.equal(0)
    const r2 = await login(['--name', 'second'])
    expect(r2.code, r2.stderr).to.equal(0)
    const r3 = await runCli(['target', '-o', 'acme', '-s', 'dev'], {env: {CFGUARD_HOME: home}})
    expect(r3.code, r3.stderr).to.equal(0)
    const all = modes(home)
    expect(all.map((e) => e.path)).to.include.members(['.', 'config.json', 'trace.log'])
    const wrong = all.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600))
    expect(wrong, JSON.stringify(wrong)).to.deep.equal([])
  })

  it('six logins at once into one $CFGUARD_HOME: every target kept, the file whole, nothing left behind', async () => {
    // A big store (a few MB) makes every write long enough for a reader to catch a torn file.
    const seed = new ConfigStore(home)
    await seed.update((d) => {
      for (let i = 0; i < 5000; i++)
        d.targets[`old-${i}`] = {
          api: `https://api${i}.example.com`,
          auth: {kind: 'client', clientId: `client-${i}-${'x'.repeat(200)}`},
          org: null,
          space: null,
          savedAt: new Date(0).toISOString(),
        }
    })
    const reader = {reads: 0, torn: 0, done: false}
    const poll = () => {
      if (reader.done) return
      try {
        reader.reads++
        JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'))
      } catch {
        reader.torn++
      }
      setImmediate(poll)
    }
    poll()
    const names = ['a', 'b', 'c', 'd', 'e', 'f']
    const results = await Promise.all(names.map((n) => login(['--name', n])))
    reader.done = true
    expect(results.map((r) => r.code)).to.deep.equal(names.map(() => 0))
    expect(reader.torn, `torn reads out of ${reader.reads}`).to.equal(0)
    const data = new ConfigStore(home).read()
    expect(
      Object.keys(data.targets)
        .filter((n) => !n.startsWith('old-'))
        .sort(),
    ).to.deep.equal(names)
    expect(Object.keys(data.targets)).to.have.length(5006)
    expect(names).to.include(data.current)
    expect(readdirSync(home)).to.deep.equal(['config.json'])
  })

  it('runs killed at random moments leave a store that reads back, and the next run works', async () => {
    ctx.sim.faults.set({latencyMs: 40})
    const random = seeded(7)
    const outcomes = {killed: 0, finished: 0}
    for (let i = 0; i < 8; i++) {
      const delay = Math.floor(random() * 900)
      const r: CliResult = await login(['--name', `k${i}`], {}, (child) => {
        setTimeout(() => child.kill('SIGKILL'), delay)
      })
      if (r.signal === 'SIGKILL') outcomes.killed++
      else outcomes.finished++
      if (existsSync(join(home, 'config.json'))) expect(() => new ConfigStore(home).read()).not.to.throw()
    }
    expect(outcomes.killed, JSON.stringify(outcomes)).to.be.greaterThan(0)
    ctx.sim.faults.clear()
    const next = await login(['--name', 'after'])
    expect(next.code, next.stderr).to.equal(0)
    expect(Object.keys(new ConfigStore(home).read().targets)).to.include('after')
    // A killed run may leave its temp file, never a half-written config.json.
    const litter = readdirSync(home).filter((f) => f !== 'config.json')
    expect(
      litter.every((f) => /^\.config\.json\.\d+\.[0-9a-f]+\.tmp$/.test(f)),
      litter.join(', '),
    ).to.equal(true)
  })

  it('a run killed while it held the store lock does not block the next run', async () => {
    mkdirSync(home, {recursive: true, mode: 0o700})
    const dead = spawn(process.execPath, ['-e', '0'])
    const pid = await new Promise<number>((resolve) => dead.on('close', () => resolve(dead.pid as number)))
    writeFileSync(join(home, 'config.json.lock'), `${pid} ${hostname()} ${new Date().toISOString()}\n`, {
      mode: 0o600,
    })
    // The lock file is fresh (not stale by age): a run that waited for it would give up with an
    // error after its wait, so success alone shows the dead owner was recognised (no stopwatch).
    const r = await login()
    expect(r.code, r.stderr).to.equal(0)
    expect(readdirSync(home)).to.deep.equal(['config.json'])
  })

  it('never writes a store the next run could not read (e.g. an org without a name)', async () => {
    const r = await login()
    expect(r.code, r.stderr).to.equal(0)
    const path = join(home, 'config.json')
    const before = sha(path)
    const store = new ConfigStore(home)
    const err = await store
      .update((d) => {
        const t = Object.values(d.targets)[0]!
        t.org = {guid: 'g'} as unknown as typeof t.org
      })
      .catch((e: unknown) => e)
    expect(isCfguardError(err) && err.code).to.equal('CONFIG_INVALID')
    expect(sha(path)).to.equal(before)
    expect(() => store.read()).not.to.throw()
  })

  it('the cf CLI config is never written, even when its token is refreshed (read-only file, checksum and mtime)', async () => {
    const cfHome = tempDir('cf-files-')
    const tokens = await cfLoginTokens(ctx.sim, ctx.sim.users.admin)
    mkdirSync(join(cfHome, '.cf'), {recursive: true})
    const path = join(cfHome, '.cf', 'config.json')
    // An access token that is about to expire: cfguard refreshes it, in memory only.
    const claims = JSON.parse(Buffer.from(tokens.accessToken.split('.')[1]!, 'base64url').toString()) as {
      exp: number
    }
    expect(claims.exp).to.be.a('number')
    writeFileSync(
      path,
      JSON.stringify({
        ConfigVersion: 4,
        Target: ctx.sim.apiUrl,
        AccessToken: `bearer ${expiringToken(tokens.accessToken)}`,
        RefreshToken: tokens.refreshToken,
        UAAOAuthClient: 'cf',
        UAAOAuthClientSecret: '',
      }),
    )
    chmodSync(path, 0o400)
    chmodSync(join(cfHome, '.cf'), 0o500)
    const before = {sum: sha(path), mtime: statSync(path).mtimeMs, entries: readdirSync(join(cfHome, '.cf'))}
    try {
      ctx.sim.resetRequests()
      for (const args of [['target'], ['target', '--json'], ['target', '-o', 'acme']]) {
        const r = await runCli(args, {env: {CF_HOME: cfHome, CFGUARD_HOME: home}})
        // -o on a cf CLI session is refused (it would have to write the cf CLI's config).
        expect(r.code, r.stderr).to.equal(args.includes('-o') ? 2 : 0)
      }
      expect(
        ctx.sim.requests.filter((q) => q.path === '/oauth/token').length,
        'refresh grants',
      ).to.be.greaterThan(0)
      expect({
        sum: sha(path),
        mtime: statSync(path).mtimeMs,
        entries: readdirSync(join(cfHome, '.cf')),
      }).to.deep.equal(before)
    } finally {
      chmodSync(join(cfHome, '.cf'), 0o700)
    }
  })

  it('audits and logins at once into one $CFGUARD_HOME: every file parses, one salt, the same fingerprints', async function () {
    const command = auditCommand()
    if (!command) this.skip()
    await withSimulator({scenario: 'generated', apps: 20, seed: 8}, async (sim) => {
      const env = {
        CFGUARD_HOME: home,
        CFGUARD_API: sim.apiUrl,
        CFGUARD_CLIENT_ID: sim.admin.clientId,
        CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
      }
      const audit = () =>
        runCli([...(command as string[]), '--json', '--all', '--fail-on', 'never'], {env, timeoutMs: 60_000})
      const loginOne = (name: string) =>
        runCli(['login', '--api', sim.apiUrl, '-u', sim.users.admin.username, '--name', name], {
          env: {CFGUARD_HOME: home, CFGUARD_PASSWORD: sim.users.admin.password},
        })
      const results = await Promise.all([audit(), audit(), audit(), audit(), loginOne('x'), loginOne('y')])
      expect(results.map((r) => r.code)).to.deep.equal([0, 0, 0, 0, 0, 0])
      const fingerprints = results.slice(0, 4).map((r) => {
        const doc = JSON.parse(r.stdout) as {result: {findings: {fingerprint: string; evidence?: unknown}[]}}
        return keyedFingerprints(doc.result.findings)
      })
      expect(new Set(fingerprints).size, 'runs at once got different fingerprints (two salts?)').to.equal(1)
      // Every file is whole, 0600, in 0700 directories; the salt is one 32-byte value.
      const wrong = modes(home).filter((e) => e.mode !== (e.dir ? 0o700 : 0o600))
      expect(wrong, JSON.stringify(wrong)).to.deep.equal([])
      const files = filesUnder(home)
      expect(files.map((f) => f.where).some((w) => w.includes('/cache/'))).to.equal(true)
      for (const f of files.filter((x) => x.where.endsWith('.json')))
        expect(() => JSON.parse(f.text), `${f.where} parses`).not.to.throw()
      expect(readFileSync(join(home, 'salt')).length).to.equal(32)
      expect(readdirSync(home).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).to.deep.equal([])
      expect(Object.keys(new ConfigStore(home).read().targets).sort()).to.deep.equal(['x', 'y'])
      // A later run reuses that salt: the same fingerprints again.
      const again = await audit()
      const doc = JSON.parse(again.stdout) as {
        result: {findings: {fingerprint: string; evidence?: unknown}[]}
      }
      expect(keyedFingerprints(doc.result.findings)).to.equal(fingerprints[0])
    })
  })
})

/** Finding fingerprints and every keyed (salted) fingerprint in the evidence, in order. */
function keyedFingerprints(findings: {fingerprint: string; evidence?: unknown}[]): string {
  const hmacs = JSON.stringify(findings.map((f) => f.evidence)).match(/hmac:[0-9a-f]+/g) ?? []
  expect(hmacs.length, 'keyed fingerprints in the evidence').to.be.greaterThan(0)
  return JSON.stringify([findings.map((f) => f.fingerprint).sort(), hmacs.sort()])
}

/** The same token with its `exp` moved into the past: not valid, so cfguard must refresh. */
function expiringToken(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>
  claims.exp = Math.floor(Date.now() / 1000) - 60
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
}
