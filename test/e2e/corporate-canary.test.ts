/**
 * Issue 15 canary: proxy credentials and what sits in a CA bundle file besides certificates (a
 * private key exported with it) never appear in cfguard's output, its trace or its files, on
 * success or failure. Values are searched for, and a leak is reported by name only.
 */
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {Canaries, canaryValue, describeLeaks, filesUnder, type Leak} from '../helpers/canary.js'
import {runCli, tempDir, type CliResult} from '../helpers/cli.js'
import {startTestProxy} from '../helpers/proxy.js'
import {withSimulator} from '../helpers/sim.js'

const DOMAIN = 'sys.cfguard.test'

describe('canary: proxy credentials and CA bundle secrets never leak', function () {
  this.timeout(180_000)

  it('through an authenticating proxy with CFGUARD_TRACE on, and when the proxy says no', async () => {
    await withSimulator({scenario: 'demo', tls: {hostname: DOMAIN}}, async (sim) => {
      const canaries = new Canaries()
      const user = 'proxy-user'
      const password = canaries.plant('proxy-password')
      canaries.add('proxy-authorization', Buffer.from(`${user}:${password}`).toString('base64'))
      const wrong = canaries.plant('wrong-proxy-password')
      canaries.add('wrong-proxy-authorization', Buffer.from(`${user}:${wrong}`).toString('base64'))
      canaries.add('client-secret', sim.admin.clientSecret)
      // A bundle exported with its private key: the key's body is a canary.
      const keyBody = canaryValue('cakey')
      canaries.add('ca-bundle-private-key', keyBody)
      const work = tempDir('cfguard-canary-')
      const bundle = join(work, 'corp-bundle.pem')
      writeFileSync(
        bundle,
        `-----BEGIN PRIVATE KEY-----\n${keyBody}\n-----END PRIVATE KEY-----\n${sim.caPem}`,
      )
      const trace = join(work, 'trace.log')
      const home = tempDir('cfguard-home-')

      const proxy = await startTestProxy({domain: DOMAIN, credentials: {username: user, password}})
      const runs: [string, CliResult][] = []
      try {
        const env = (proxyPassword: string, extra: Record<string, string> = {}) => ({
          CFGUARD_HOME: home,
          HTTPS_PROXY: `http://${user}:${proxyPassword}@127.0.0.1:${proxy.port}`,
          CFGUARD_CA_CERT: bundle,
          CFGUARD_TRACE: trace,
          ...extra,
        })
        const login = await runCli(['login', '-a', sim.apiUrl, '--client-id', sim.admin.clientId], {
          env: env(password, {CFGUARD_CLIENT_SECRET: sim.admin.clientSecret}),
        })
        expect(login.code, login.stderr).to.equal(0)
        expect(login.stderr).to.contain('also holds a private key: only its certificates are used')
        runs.push(['login', login])
        for (const args of [['target'], ['identity', 'list', '--all'], ['audit', '--all', '--json']]) {
          const r = await runCli(args, {env: env(password)})
          expect([0, 3], `${args.join(' ')}: ${r.stderr}`).to.include(r.code)
          runs.push([args.join(' '), r])
        }
        const refused = await runCli(['target'], {env: env(wrong)})
        expect(refused.code, refused.stderr).to.equal(5)
        runs.push(['wrong proxy password', refused])
        const refusedJson = await runCli(['target', '--json'], {env: env(wrong)})
        expect(refusedJson.code).to.equal(5)
        runs.push(['wrong proxy password --json', refusedJson])
      } finally {
        await proxy.close()
      }

      expect(proxy.seen.length).to.be.greaterThan(0)
      expect(readFileSync(trace, 'utf8')).to.contain(`GET https://api.${DOMAIN}:`)
      const leaks: Leak[] = []
      for (const [name, r] of runs) {
        leaks.push(...canaries.find(`${name} stdout`, r.stdout), ...canaries.find(`${name} stderr`, r.stderr))
      }
      for (const f of [...filesUnder(work, 'work'), ...filesUnder(home, 'CFGUARD_HOME')]) {
        if (f.where.endsWith('corp-bundle.pem')) continue // the bundle itself, as the user wrote it
        leaks.push(...canaries.find(f.where, f.text))
      }
      expect(leaks, describeLeaks(leaks)).to.deep.equal([])
    })
  })
})
