/**
 * Issue 15: cfguard where companies run Cloud Foundry. A real proxy server (proxy-chain) on
 * loopback in front of `cfguard sim --tls --hostname sys.cfguard.test`, whose names only that
 * proxy resolves (to 127.0.0.1): a command that worked went through the proxy. TLS is verified
 * against the simulator's throwaway CA, given with --ca-cert, a stored target or NODE_EXTRA_CA_CERTS.
 */
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {parseJson, runCli, tempDir, type CliResult} from '../helpers/cli.js'
import {startTestProxy, type TestProxy} from '../helpers/proxy.js'
import {withSimulator} from '../helpers/sim.js'
import {startSimCommand, stopSimCommand, type SimProcess} from '../helpers/sim-command.js'
import {cliEnv, upsWorld} from './rotate-world.js'

const DOMAIN = 'sys.cfguard.test'

/** The first stderr line (the error itself), without the `cfguard: ` prefix. */
function errorLine(r: CliResult): string {
  return (r.stderr.split('\n')[0] ?? '').replace(/^cfguard: /, '')
}

describe('corporate networks: proxies and private CAs, end to end', function () {
  this.timeout(180_000)
  let named: SimProcess
  let proxy: TestProxy

  before(async () => {
    named = await startSimCommand(['--tls', '--hostname', DOMAIN, '--scenario', 'demo'])
    proxy = await startTestProxy({domain: DOMAIN})
  })
  after(async () => {
    if (named) await stopSimCommand(named.child)
    await proxy?.close()
  })

  const through = (extra: Record<string, string> = {}) => ({
    HTTPS_PROXY: proxy.url,
    CFGUARD_CA_CERT: named.doc.caCertFile!,
    ...extra,
  })

  it('the simulator names itself api., uaa. and log-cache.DOMAIN over https and writes its CA', () => {
    expect(named.doc.apiUrl).to.match(/^https:\/\/api\.sys\.cfguard\.test:\d+$/)
    expect(named.doc.uaaUrl).to.match(/^https:\/\/uaa\.sys\.cfguard\.test:\d+$/)
    expect(named.doc.logCacheUrl).to.match(/^https:\/\/log-cache\.sys\.cfguard\.test:\d+$/)
    expect(readFileSync(named.doc.caCertFile!, 'utf8')).to.match(/^-----BEGIN CERTIFICATE-----/)
  })

  it('login, target, identity list and audit work through the proxy, which sees CONNECT host:port only', async () => {
    proxy.seen.length = 0
    const home = tempDir('cfguard-home-')
    const {clientId, clientSecret} = named.doc.admin
    const login = await runCli(['login', '-a', named.doc.apiUrl, '--client-id', clientId], {
      env: through({CFGUARD_HOME: home, CFGUARD_CLIENT_SECRET: clientSecret}),
    })
    expect(login.code, login.stderr).to.equal(0)

    const target = await runCli(['target', '--json'], {env: through({CFGUARD_HOME: home})})
    expect(target.code, target.stderr).to.equal(0)
    expect(parseJson<{api: string; client: string}>(target).result).to.include({
      api: named.doc.apiUrl,
      client: clientId,
    })

    const list = await runCli(['identity', 'list', '--all', '--json'], {env: through({CFGUARD_HOME: home})})
    expect(list.code, list.stderr).to.equal(0)

    const audit = await runCli(['audit', '--all', '--json'], {env: through({CFGUARD_HOME: home})})
    expect([0, 3], audit.stderr).to.include(audit.code)
    expect(parseJson<{findings: unknown[]}>(audit).result.findings.length).to.be.greaterThan(0)

    expect(proxy.seen.length).to.be.greaterThan(0)
    const hosts = new Set(proxy.seen.map((s) => s.target.replace(/:\d+$/, '')))
    expect([...hosts].sort()).to.include.members([`api.${DOMAIN}`, `uaa.${DOMAIN}`])
    for (const s of proxy.seen) {
      expect(s.method).to.equal('CONNECT')
      // The request line names host:port only: no path, no query.
      expect(s.url).to.equal(s.target)
      expect(s.headerNames).not.to.include('authorization')
    }
  })

  it('--check-issuers probes issuers through the same proxy and CA (the planted mismatch is found by discovery)', async () => {
    const r = await runCli(['identity', 'audit', '--all', '--check-issuers', '--json'], {
      env: through({
        CFGUARD_API: named.doc.apiUrl,
        CFGUARD_CLIENT_ID: named.doc.admin.clientId,
        CFGUARD_CLIENT_SECRET: named.doc.admin.clientSecret,
      }),
    })
    expect([0, 3], r.stderr).to.include(r.code)
    const findings = parseJson<{
      findings: {rule: string; resource: {name: string}; evidence: {issuer?: string; discoveryOk?: boolean}}[]
    }>(r).result.findings
    const partner = findings.find(
      (f) => f.rule === 'identity/issuer-unreachable' && f.resource.name === 'partner-oidc',
    )
    expect(partner?.evidence.issuer).to.match(/^https:\/\/uaa\.sys\.cfguard\.test:\d+\//)
    // Reached (only the proxy resolves that name, only the CA verifies it): discovery answered.
    expect(partner?.evidence.discoveryOk).to.equal(true)
  })

  it('NO_PROXY bypasses the proxy (and the made-up name then resolves nowhere: exit 5)', async () => {
    for (const noProxy of [`.${DOMAIN}`, DOMAIN, `api.${DOMAIN},uaa.${DOMAIN}`, '*']) {
      proxy.seen.length = 0
      const r = await runCli(['target'], {
        env: through({
          NO_PROXY: noProxy,
          CFGUARD_API: named.doc.apiUrl,
          CFGUARD_CLIENT_ID: named.doc.admin.clientId,
          CFGUARD_CLIENT_SECRET: named.doc.admin.clientSecret,
        }),
      })
      expect(r.code, `NO_PROXY=${noProxy}: ${r.stderr}`).to.equal(5)
      expect(errorLine(r)).to.match(new RegExp(`cannot resolve host api\\.sys\\.cfguard\\.test:\\d+`))
      expect(proxy.seen, `NO_PROXY=${noProxy}`).to.deep.equal([])
    }
  })

  it('a rotation works through the proxy', async () => {
    await withSimulator(
      {instanceStartupMs: 100, jobDurationMs: 150, tls: {hostname: DOMAIN}},
      async (sim) => {
        const ca = join(tempDir('cfguard-ca-'), 'ca.pem')
        writeFileSync(ca, sim.caPem!)
        const u = upsWorld(sim)
        proxy.seen.length = 0
        const r = await runCli(['credentials', 'rotate', u.ups.name, '--yes'], {
          env: cliEnv(sim, {HTTPS_PROXY: proxy.url, CFGUARD_CA_CERT: ca}),
          timeoutMs: 120_000,
        })
        expect(r.code, r.stderr).to.equal(0)
        expect(sim.secretChanges.length).to.be.greaterThan(0)
        expect(proxy.seen.every((s) => s.method === 'CONNECT' && s.url === s.target)).to.equal(true)
        expect(proxy.seen.some((s) => s.target.startsWith(`uaa.${DOMAIN}:`))).to.equal(true)
      },
    )
  })

  describe('a proxy that refuses', () => {
    const env = (proxyUrl: string) => ({
      HTTPS_PROXY: proxyUrl,
      CFGUARD_CA_CERT: named.doc.caCertFile!,
      CFGUARD_API: named.doc.apiUrl,
      CFGUARD_CLIENT_ID: named.doc.admin.clientId,
      CFGUARD_CLIENT_SECRET: named.doc.admin.clientSecret,
    })

    it('proxy unreachable: one line naming the proxy, exit 5', async () => {
      const r = await runCli(['target'], {env: env('http://127.0.0.1:9')})
      expect(r.code, r.stderr).to.equal(5)
      expect(errorLine(r)).to.match(
        /^cannot reach the proxy 127\.0\.0\.1:9 \(ECONNREFUSED\) for api\.sys\.cfguard\.test:\d+$/,
      )
    })

    it('a name the proxy cannot reach (it hangs up): one line naming proxy and host, exit 5', async () => {
      const r = await runCli(['target'], {
        env: {...env(proxy.url), CFGUARD_API: 'https://api.elsewhere.invalid'},
      })
      expect(r.code, r.stderr).to.equal(5)
      expect(errorLine(r)).to.equal(
        `the proxy 127.0.0.1:${proxy.port} closed the connection without answering CONNECT to api.elsewhere.invalid:443`,
      )
    })

    it('CONNECT answered 502 by the proxy: one line, "could not reach", exit 5', async () => {
      const failing = await startTestProxy({domain: DOMAIN, refuseWith: 502})
      try {
        const r = await runCli(['target'], {env: env(failing.url)})
        expect(r.code, r.stderr).to.equal(5)
        expect(errorLine(r)).to.match(
          new RegExp(
            `^the proxy 127\\.0\\.0\\.1:${failing.port} could not reach api\\.sys\\.cfguard\\.test:\\d+ \\(502`,
          ),
        )
      } finally {
        await failing.close()
      }
    })

    it('CONNECT refused (403): one line naming the proxy, exit 5', async () => {
      const refusing = await startTestProxy({domain: DOMAIN, refuseWith: 403})
      try {
        const r = await runCli(['target'], {env: env(refusing.url)})
        expect(r.code, r.stderr).to.equal(5)
        expect(errorLine(r)).to.match(
          new RegExp(
            `^the proxy 127\\.0\\.0\\.1:${refusing.port} refused CONNECT to api\\.sys\\.cfguard\\.test:\\d+ \\(403`,
          ),
        )
        expect(r.stderr.split('\n').filter((l) => l.startsWith('cfguard: '))).to.have.length(1)
        expect(r.stderr).not.to.match(/\n\s+at /, 'no stack trace')
      } finally {
        await refusing.close()
      }
    })

    it('credentials asked (407): exit 5 naming the proxy, never the credentials; the right ones work', async () => {
      const password = 'pr0xy-pa55word-e2e'
      const guarded = await startTestProxy({domain: DOMAIN, credentials: {username: 'alice', password}})
      try {
        const none = await runCli(['target'], {env: env(guarded.url)})
        expect(none.code, none.stderr).to.equal(5)
        expect(errorLine(none)).to.match(
          new RegExp(`^the proxy 127\\.0\\.0\\.1:${guarded.port} asks for credentials \\(407`),
        )

        const wrong = await runCli(['target'], {
          env: env(`http://alice:wrong-pa55word@127.0.0.1:${guarded.port}`),
        })
        expect(wrong.code, wrong.stderr).to.equal(5)
        expect(errorLine(wrong)).to.match(/rejected the credentials in HTTPS_PROXY \(407/)
        expect(wrong.stdout + wrong.stderr).not.to.contain('wrong-pa55word')

        const right = await runCli(['target', '--json'], {
          env: env(`http://alice:${encodeURIComponent(password)}@127.0.0.1:${guarded.port}`),
        })
        expect(right.code, right.stderr).to.equal(0)
        expect(right.stdout + right.stderr).not.to.contain(password)
      } finally {
        await guarded.close()
      }
    })
  })

  describe('against `cfguard sim --tls` on loopback', () => {
    let local: SimProcess
    before(async () => {
      local = await startSimCommand(['--tls', '--scenario', 'empty'])
    })
    after(async () => {
      if (local) await stopSimCommand(local.child)
    })
    const creds = () => ({
      CFGUARD_API: local.doc.apiUrl,
      CFGUARD_CLIENT_ID: local.doc.admin.clientId,
      CFGUARD_CLIENT_SECRET: local.doc.admin.clientSecret,
    })

    it('loopback is never proxied, whatever HTTPS_PROXY says', async () => {
      proxy.seen.length = 0
      const r = await runCli(['target', '--ca-cert', local.doc.caCertFile!], {
        env: {...creds(), HTTPS_PROXY: 'http://127.0.0.1:9'},
      })
      expect(r.code, r.stderr).to.equal(0)
    })

    it('refused without the CA: one line naming the host and --ca-cert, exit 5', async () => {
      const r = await runCli(['target'], {env: creds()})
      expect(r.code, r.stderr).to.equal(5)
      const host = new URL(local.doc.apiUrl).host
      expect(errorLine(r)).to.contain(`TLS certificate of ${host} is not trusted`)
      expect(errorLine(r)).to.contain('--ca-cert')
    })

    it('accepted with --ca-cert, with NODE_EXTRA_CA_CERTS, and with the CA stored by login', async () => {
      const flag = await runCli(['target', '--ca-cert', local.doc.caCertFile!], {env: creds()})
      expect(flag.code, flag.stderr).to.equal(0)

      const extra = await runCli(['target'], {env: {...creds(), NODE_EXTRA_CA_CERTS: local.doc.caCertFile!}})
      expect(extra.code, extra.stderr).to.equal(0)

      const home = tempDir('cfguard-home-')
      const login = await runCli(
        [
          'login',
          '-a',
          local.doc.apiUrl,
          '--client-id',
          local.doc.admin.clientId,
          '--ca-cert',
          local.doc.caCertFile!,
        ],
        {env: {CFGUARD_HOME: home, CFGUARD_CLIENT_SECRET: local.doc.admin.clientSecret}},
      )
      expect(login.code, login.stderr).to.equal(0)
      const stored = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as {
        targets: Record<string, {caCert?: string}>
      }
      expect(stored.targets.default!.caCert).to.equal(local.doc.caCertFile)
      // No CA given: the stored target's is used (and its stored client token).
      const later = await runCli(['target', '--json'], {env: {CFGUARD_HOME: home}})
      expect(later.code, later.stderr).to.equal(0)
      expect(parseJson<{client: string}>(later).result.client).to.equal(local.doc.admin.clientId)
    })
  })
})
