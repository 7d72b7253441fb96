/**
 * Tokens in long jobs, against the simulator (token requests counted in its request log):
 * proactive renewal before expiry (no request is ever rejected), re-authentication with client
 * credentials when the refresh token no longer works, exit 4 with the command to run otherwise,
 * and a bounded number of token requests per minute whatever UAA and CC answer.
 */
import {expect} from 'chai'
import {chmodSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {createHash} from 'node:crypto'

import {createContext} from '../../src/context.js'
import {type Session} from '../../src/cf/session.js'
import {openSession} from '../../src/actions/session.js'
import {isCfguardError} from '../../src/errors.js'
import type {Simulator} from '../../src/sim/index.js'
import {cfLoginTokens} from '../helpers/canary.js'
import {parseJson, runCli, tempDir} from '../helpers/cli.js'
import {withSimulator} from '../helpers/sim.js'
import {auditCommand} from './commands.js'
import {expectCleanFailure} from './expect.js'

const tokenPosts = (sim: Simulator) =>
  sim.requests.filter((r) => r.origin === 'uaa' && r.method === 'POST' && r.path === '/oauth/token')
const rejectedCc = (sim: Simulator) => sim.requests.filter((r) => r.origin === 'cc' && r.status === 401)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function clientSession(sim: Simulator): Promise<Session> {
  const root = tempDir('cfguard-tokens-')
  return openSession(
    createContext({
      env: {
        CF_HOME: join(root, 'cf'),
        CFGUARD_API: sim.apiUrl,
        CFGUARD_CLIENT_ID: sim.admin.clientId,
        CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
      },
      home: join(root, 'home'),
      sleep: async () => {},
    }),
    {all: true},
  )
}

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

describe('reliability: tokens in long jobs', function () {
  this.timeout(60_000)

  it('a long job whose every token is rejected sends at most 4 token requests a minute', async () => {
    await withSimulator({scenario: 'empty'}, async (sim) => {
      const session = await clientSession(sim)
      try {
        // CC rejects every token; UAA refuses every grant. The job goes on item after item.
        for (let i = 1; i <= 200; i++) {
          sim.faults.failNth({
            method: 'GET',
            path: '/v3/organizations',
            nth: i,
            mode: 'status',
            status: 401,
            origin: 'cc',
          })
          sim.faults.failNth({
            method: 'POST',
            path: '/oauth/token',
            nth: i,
            mode: 'status',
            status: 401,
            origin: 'uaa',
          })
        }
        const codes = new Set<string>()
        for (let i = 0; i < 30; i++) {
          try {
            await session.cc.orgs.listAll()
          } catch (err) {
            codes.add(isCfguardError(err) ? err.code : 'other')
          }
        }
        expect([...codes].sort()).to.deep.equal(['AUTH_FAILED'])
        // The session's first grant and three renewals, then nothing for the rest of the minute.
        expect(tokenPosts(sim).length).to.equal(4)
      } finally {
        session.close()
      }
    })
  })

  it('a long job against a UAA answering 500 to every grant: at most 4 token requests a minute, retries included', async () => {
    await withSimulator({scenario: 'empty'}, async (sim) => {
      const session = await clientSession(sim)
      try {
        for (let i = 1; i <= 200; i++)
          sim.faults.failNth({
            method: 'GET',
            path: '/v3/organizations',
            nth: i,
            mode: 'status',
            status: 401,
            origin: 'cc',
          })
        sim.faults.set({errorRate: 1, origins: ['uaa']})
        for (let i = 0; i < 30; i++) await session.cc.orgs.listAll().catch(() => undefined)
        // The first grant, then retries and renewals: every attempt counts.
        expect(tokenPosts(sim).length).to.equal(4)
      } finally {
        session.close()
      }
    })
  })

  it('an expired cf CLI session with stored client credentials re-authenticates as the client, and its config is never written', async () => {
    await withSimulator({scenario: 'empty', accessTokenValiditySeconds: 1}, async (sim) => {
      const cfHome = tempDir('cf-tokens-')
      const admin = await fetchClientToken(sim)
      mkdirSync(join(cfHome, '.cf'), {recursive: true})
      const path = join(cfHome, '.cf', 'config.json')
      writeFileSync(
        path,
        JSON.stringify({
          ConfigVersion: 4,
          Target: sim.apiUrl,
          AccessToken: `bearer ${admin}`,
          RefreshToken: '',
          UAAGrantType: 'client_credentials',
          UAAOAuthClient: sim.admin.clientId,
          UAAOAuthClientSecret: sim.admin.clientSecret,
        }),
      )
      chmodSync(path, 0o400)
      const before = {sum: sha(path), mtime: statSync(path).mtimeMs}
      await sleep(1_500) // the stored access token is now expired
      sim.resetRequests()
      const r = await runCli(['target', '--json'], {env: {CF_HOME: cfHome}})
      expect(r.code, r.stderr).to.equal(0)
      expect(parseJson<{client: string; source: string}>(r).result).to.deep.include({
        client: sim.admin.clientId,
        source: 'cf-cli',
      })
      expect(tokenPosts(sim).length).to.equal(1)
      expect(rejectedCc(sim).length).to.equal(0)
      expect({sum: sha(path), mtime: statSync(path).mtimeMs}).to.deep.equal(before)
    })
  })

  it('an expired refresh token without client credentials: exit 4 naming `cfguard login`, the store intact', async () => {
    await withSimulator(
      {scenario: 'empty', accessTokenValiditySeconds: 1, refreshTokenValiditySeconds: 2},
      async (sim) => {
        const home = join(tempDir('cfguard-tokens-'), 'home')
        const login = await runCli(['login', '--api', sim.apiUrl, '-u', sim.users.admin.username], {
          env: {CFGUARD_HOME: home, CFGUARD_PASSWORD: sim.users.admin.password},
        })
        expect(login.code, login.stderr).to.equal(0)
        const store = join(home, 'config.json')
        const before = sha(store)
        await sleep(2_500)
        sim.resetRequests()
        const r = await runCli(['target'], {env: {CFGUARD_HOME: home}})
        expectCleanFailure(r, 4, /the login for .* has expired/)
        expect(r.stderr).to.contain(`next: run \`cfguard login --api ${sim.apiUrl}\``)
        expect(tokenPosts(sim).length).to.equal(1)
        expect(sha(store)).to.equal(before)
      },
    )
  })

  it('an expired cf CLI login without client credentials: exit 4 naming `cf login`', async () => {
    await withSimulator(
      {scenario: 'empty', accessTokenValiditySeconds: 1, refreshTokenValiditySeconds: 2},
      async (sim) => {
        const cfHome = tempDir('cf-tokens-')
        const tokens = await cfLoginTokens(sim, sim.users.admin)
        mkdirSync(join(cfHome, '.cf'), {recursive: true})
        writeFileSync(
          join(cfHome, '.cf', 'config.json'),
          JSON.stringify({
            Target: sim.apiUrl,
            AccessToken: `bearer ${tokens.accessToken}`,
            RefreshToken: tokens.refreshToken,
          }),
        )
        await sleep(2_500)
        sim.resetRequests()
        const r = await runCli(['target'], {env: {CF_HOME: cfHome}})
        expectCleanFailure(r, 4, /has expired/)
        expect(r.stderr).to.match(/next: run `cf login` again, or `cfguard login`/)
        expect(tokenPosts(sim).length).to.equal(1)
      },
    )
  })

  describe('through the audit', () => {
    const auditEnv = (sim: Simulator, extra: Record<string, string> = {}) => ({
      CFGUARD_API: sim.apiUrl,
      CFGUARD_CLIENT_ID: sim.admin.clientId,
      CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
      ...extra,
    })
    const findings = (stdout: string) =>
      (JSON.parse(stdout) as {result: {findings: {fingerprint: string}[]}}).result.findings
        .map((f) => f.fingerprint)
        .sort()

    it('a long audit renews its token before it expires: same findings, no request rejected', async function () {
      const command = auditCommand()
      if (!command) this.skip()
      const args = [...(command as string[]), '--json', '--all', '--fail-on', 'never', '--no-cache']
      let clean: string[] = []
      await withSimulator({scenario: 'generated', apps: 12, seed: 6}, async (sim) => {
        const r = await runCli(args, {env: auditEnv(sim)})
        expect(r.code, r.stderr).to.equal(0)
        clean = findings(r.stdout)
      })
      // Tokens live 6 s; one request at a time, each 250 ms: the audit outlives two tokens.
      await withSimulator(
        {scenario: 'generated', apps: 12, seed: 6, accessTokenValiditySeconds: 6, latencyMs: 250},
        async (sim) => {
          const r = await runCli([...args, '--concurrency', '1'], {env: auditEnv(sim), timeoutMs: 60_000})
          expect(r.code, r.stderr).to.equal(0)
          expect(findings(r.stdout)).to.deep.equal(clean)
          expect(tokenPosts(sim).length).to.be.within(2, 4)
          expect(rejectedCc(sim).length, 'CC requests answered 401').to.equal(0)
        },
      )
    })

    it('CC rejecting every token mid-audit: exit 4 after at most 4 token requests', async function () {
      const command = auditCommand()
      if (!command) this.skip()
      await withSimulator({scenario: 'generated', apps: 12, seed: 6}, async (sim) => {
        for (let i = 0; i < 100; i++)
          sim.faults.failNth({
            method: 'GET',
            path: /^\/v3\/apps\/[^/]+\/env$/,
            nth: 1,
            mode: 'status',
            status: 401,
            origin: 'cc',
          })
        const r = await runCli([...(command as string[]), '--all', '--fail-on', 'never', '--no-cache'], {
          env: auditEnv(sim),
        })
        expectCleanFailure(r, 4)
        expect(tokenPosts(sim).length).to.be.at.most(4)
      })
    })

    it('a UAA answering 500 to every token request: exit 5 after at most 3 token requests', async function () {
      const command = auditCommand()
      if (!command) this.skip()
      await withSimulator({scenario: 'generated', apps: 12, seed: 6}, async (sim) => {
        sim.faults.set({errorRate: 1, origins: ['uaa']})
        const r = await runCli([...(command as string[]), '--all', '--fail-on', 'never'], {
          env: auditEnv(sim),
        })
        expectCleanFailure(r, 5, /UAA failed: POST \/oauth\/token returned 5\d\d after 3 attempts/)
        expect(tokenPosts(sim).length).to.equal(3)
      })
    })

    it('a UAA answering 401 to every token request: exit 4 after one token request', async function () {
      const command = auditCommand()
      if (!command) this.skip()
      await withSimulator({scenario: 'generated', apps: 12, seed: 6}, async (sim) => {
        const r = await runCli([...(command as string[]), '--all', '--fail-on', 'never'], {
          env: auditEnv(sim, {CFGUARD_CLIENT_SECRET: 'wrong-secret-123'}),
        })
        expectCleanFailure(r, 4, /rejected the credentials/)
        expect(tokenPosts(sim).length).to.equal(1)
      })
    })
  })
})

async function fetchClientToken(sim: Simulator): Promise<string> {
  const res = await fetch(`${sim.uaaUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${sim.admin.clientId}:${sim.admin.clientSecret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  })
  return ((await res.json()) as {access_token: string}).access_token
}
