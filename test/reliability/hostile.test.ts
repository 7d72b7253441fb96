/**
 * Hostile API servers (issue 14): a loopback foundation that misbehaves on purpose — megabyte
 * strings built to make regexes backtrack, terminal escapes in warnings and errors, pages that
 * never end, a redirect in front of a secret endpoint, a token that expires in 1e300 seconds.
 * Every case runs the built CLI under a hard time limit (the run is killed, and the case fails,
 * past it), ends in the documented exit code with at most one `cfguard:` line, and leaves no
 * canary in stdout, stderr or any file it wrote.
 */
import {expect} from 'chai'
import {join} from 'node:path'

import {Canaries, canaryValue, describeLeaks, filesUnder} from '../helpers/canary.js'
import {runCli, tempDir, type CliResult} from '../helpers/cli.js'
import {
  ccApp,
  ccList,
  echoError,
  replies,
  startHostileFoundation,
  startHostileProxy,
  type HostileFoundation,
} from '../helpers/hostile-server.js'
import {withSimulator} from '../helpers/sim.js'
import {cliEnv, fakeIdp, upsWorld} from '../e2e/rotate-world.js'
import {expectCleanFailure} from './expect.js'

const API = 5
const AUTH = 4

/** A `GET /v3/apps/:guid/env` body with these user-provided variables. */
const appEnv = (vars: Record<string, string>) => ({
  environment_variables: vars,
  staging_env_json: {},
  running_env_json: {},
  system_env_json: {VCAP_SERVICES: {}},
  application_env_json: {},
})

describe('reliability: hostile API servers', function () {
  this.timeout(60_000)
  let f: HostileFoundation
  let home: string
  let canaries: Canaries

  beforeEach(async () => {
    f = await startHostileFoundation()
    home = join(tempDir('cfguard-hostile-'), 'home')
    canaries = new Canaries()
    canaries.add('client-secret', f.client.secret)
    // cfguard's own token store may hold the tokens it was given (that is its job).
  })
  afterEach(() => f.close())

  const run = (args: string[], env: Record<string, string> = {}, timeoutMs = 20_000) =>
    runCli(args, {
      env: {
        CFGUARD_HOME: home,
        CFGUARD_API: f.url,
        CFGUARD_CLIENT_ID: f.client.id,
        CFGUARD_CLIENT_SECRET: f.client.secret,
        CFGUARD_MAX_RETRY_WAIT: '1',
        ...env,
      },
      timeoutMs,
    })
  const login = () => run(['login', '--api', f.url, '--client-id', f.client.id, '-o', 'acme'])
  const audit = (env: Record<string, string> = {}) => run(['audit', '--all', '--fail-on', 'never'], env)

  /** No canary in either stream or in any file under the given directories. */
  function expectNoCanary(r: CliResult, dirs: string[] = []): void {
    const leaks = [
      ...canaries.find('stdout', r.stdout),
      ...canaries.find('stderr', r.stderr),
      ...dirs.flatMap((d) => filesUnder(d).flatMap((file) => canaries.find(file.where, file.text))),
    ]
    expect(leaks.length, describeLeaks(leaks)).to.equal(0)
  }

  /** Strings that made the old JWT and URL-userinfo regexes backtrack (seconds per 10K chars). */
  const backtracking = (chars: number) =>
    `${'eyJ-'.repeat(Math.floor(chars / 8))}${'a.'.repeat(Math.floor(chars / 4))}`

  it('item 1: a 200K-character CC error detail is redacted in linear time and kept bounded', async () => {
    const secret = canaries.add('echoed-secret', canaryValue('echoed'))
    f.route(
      'GET',
      '/v3/organizations',
      replies.json(400, {
        errors: [{code: 10005, title: 'CF-BadQueryParameter', detail: `${backtracking(200_000)} ${secret}`}],
      }),
    )
    // The detail echoes the client secret's basic-auth form too: masked by exact value.
    const r = await login()
    expectCleanFailure(r, API, /CF-BadQueryParameter/)
    const line = r.stderr.split('\n').find((l) => l.startsWith('cfguard: ')) ?? ''
    expect(line.length, 'error line length').to.be.lessThan(10_000)
    expect(line).to.match(/more characters\]/)
    expectNoCanary(r, [home])
  })

  it('item 1: an app named with 150K backtracking characters audits in bounded time', async () => {
    f.route('GET', '/v3/apps', replies.json(200, ccList([ccApp(backtracking(150_000), 'app-long')])))
    // A secret in its environment: the finding names the app, so the name goes through redaction.
    const secret = canaries.add('env-secret', canaryValue('envsecret'))
    f.route('GET', '/v3/apps/app-long/env', replies.json(200, appEnv({CLIENT_SECRET: secret})))
    const r = await audit()
    expect(r.code, r.stderr.slice(0, 500)).to.equal(0)
    expect(r.stdout).to.match(/identity\/secret-in-env|Secret in a plain app environment variable/)
    expectNoCanary(r, [home])
  })

  it('item 5: terminal escapes in X-Cf-Warnings and error details never reach stderr', async () => {
    const osc52 = '\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07'
    const tricks = `${osc52}\x1b[2J\x1b[1;1Hfake line\rcfguard: all good\x9b31m\x1b]0;title\x1b\\`
    f.route(
      'GET',
      '/v3/organizations',
      replies.json(
        400,
        {errors: [{code: 10005, title: 'CF-BadQueryParameter', detail: `bad ${tricks} query`}]},
        {'X-Cf-Warnings': encodeURIComponent(`deprecated ${tricks} soon`)},
      ),
    )
    const r = await login()
    expectCleanFailure(r, API, /CF-BadQueryParameter/)
    const controls = [...r.stderr].filter((c) => c !== '\n' && /[\x00-\x1f\x7f-\x9f]/.test(c))
    expect(
      controls.map((c) => c.charCodeAt(0)),
      'control characters on stderr',
    ).to.deep.equal([])
    expect(r.stderr).to.match(/^warning: deprecated .*fake line.* soon$/m)
    expectNoCanary(r, [home])
  })

  it('item 4: endless pagination with fresh GUIDs and no total_pages stops at the size cap', async () => {
    let served = 0
    f.route('GET', '/v3/apps', (req, res) => {
      const page = Number(req.query.get('page') ?? '1')
      served++
      const apps = Array.from({length: 500}, (_, i) => ccApp(`app-${page}-${i}`, `guid-${page}-${i}`))
      return replies.json(
        200,
        ccList(apps, {
          total_results: null,
          total_pages: null,
          next: {href: `${f.url}/v3/apps?page=${page + 1}`},
        }),
      )(req, res)
    })
    // ~240 KB a page: a 4 MiB cap is passed within ~20 pages (the default is 512 MiB).
    const r = await audit({CFGUARD_MAX_LIST_MIB: '4'})
    expectCleanFailure(r, API, /more than 4 MiB of pages/)
    expect(r.stderr).to.match(/next: if the foundation really holds that much, raise CFGUARD_MAX_LIST_MIB/)
    expect(served, 'pages served').to.be.lessThan(40)
    expectNoCanary(r, [home])
  })

  it('item 4: CFGUARD_MAX_LIST_MIB that is not a number is a usage error', async () => {
    const r = await audit({CFGUARD_MAX_LIST_MIB: 'lots'})
    expectCleanFailure(r, 2, /CFGUARD_MAX_LIST_MIB must be a number/)
  })

  it('item 6: after a same-origin 301 adding a slash, /env and UPS credentials stay out of the trace', async () => {
    const envValue = canaries.add('env-value', canaryValue('envvalue'))
    const upsValue = canaries.add('ups-value', canaryValue('upsvalue'))
    f.route('GET', '/v3/apps', replies.json(200, ccList([ccApp('web', 'app-web')])))
    f.route('GET', '/v3/apps/app-web/env', replies.redirect(301, '/v3/apps/app-web/env/'))
    f.route('GET', '/v3/apps/app-web/env/', replies.json(200, appEnv({BLOB: envValue})))
    f.route(
      'GET',
      '/v3/service_instances',
      replies.json(
        200,
        ccList([
          {
            guid: 'ups-1',
            name: 'oidc',
            type: 'user-provided',
            created_at: '2026-01-01T00:00:00Z',
            updated_at: '2026-01-01T00:00:00Z',
            tags: [],
            syslog_drain_url: null,
            route_service_url: null,
            last_operation: null,
            relationships: {space: {data: {guid: 'space-dev'}}},
            metadata: {labels: {}, annotations: {}},
            links: {self: {href: `${f.url}/v3/service_instances/ups-1`}},
          },
        ]),
      ),
    )
    f.route(
      'GET',
      '/v3/service_instances/ups-1/credentials',
      replies.redirect(301, '/v3/service_instances/ups-1/credentials/'),
    )
    f.route(
      'GET',
      '/v3/service_instances/ups-1/credentials/',
      replies.json(200, {client_id: 'web', note: upsValue}),
    )
    const dir = tempDir('cfguard-trace-')
    const trace = join(dir, 'trace.log')
    const r = await audit({CFGUARD_TRACE: trace})
    expect(r.code, r.stderr.slice(0, 500)).to.equal(0)
    // The redirected reads happened (else the case proves nothing).
    expect(f.received('/v3/apps/app-web/env/').length, 'env read after the redirect').to.be.greaterThan(0)
    expect(
      f.received('/v3/service_instances/ups-1/credentials/').length,
      'credentials read after the redirect',
    ).to.be.greaterThan(0)
    expectNoCanary(r, [home, dir])
  })

  it('token exp 1e300: one line, exit 4, instead of "Invalid time value" on every command', async () => {
    f.route('POST', '/oauth/token', async (req, res) =>
      replies.json(200, {
        access_token: await f.token({exp: 1e300}),
        token_type: 'bearer',
        expires_in: 1e300,
      })(req, res),
    )
    const r = await login()
    expectCleanFailure(r, AUTH, /claim "exp" is not a usable time/)
    expectNoCanary(r, [home])
  })
})

describe('reliability: hostile API servers in front of the simulator', function () {
  this.timeout(60_000)

  it('item 2: a UPS PATCH answered with an error echoing the request leaks no credential value', async () => {
    const idp = await fakeIdp()
    try {
      await withSimulator({instanceStartupMs: 100, jobDurationMs: 150}, async (sim) => {
        const canaries = new Canaries()
        const w = upsWorld(sim, {name: 'partner-oidc', clientId: 'partner', tokenEndpoint: idp.tokenEndpoint})
        const ups = sim.state.serviceInstances.get(w.ups.guid)!
        // Values under keys that do not sound secret are secrets all the same.
        ups.credentials = {
          ...ups.credentials,
          pass: canaries.plant('ups-pass'),
          passphrase: canaries.plant('ups-passphrase'),
          hmac: canaries.plant('ups-hmac'),
        }
        canaries.add('ups-client-secret', w.initialSecret)
        canaries.add('cfguard-client-secret', sim.admin.clientSecret)
        // The new external secret, with the characters JSON escapes: every form it comes back in.
        const fresh = `New"Ext\\Secret-${canaryValue('ext')}`
        canaries.add('new-secret', fresh, [
          JSON.stringify(fresh).slice(1, -1),
          encodeURIComponent(fresh),
          Buffer.from(fresh).toString('base64'),
        ])
        idp.accepted.add(w.initialSecret)
        idp.accepted.add(fresh)

        const proxy = await startHostileProxy(sim.apiUrl)
        try {
          // Only the credentials write is refused (the lease's metadata PATCH goes through).
          proxy.route('PATCH', `/v3/service_instances/${w.ups.guid}`, (req, res) =>
            req.body.includes('"credentials"')
              ? echoError(422, 'CF-UnprocessableEntity')(req, res)
              : proxy.forward(req, res),
          )
          const dir = tempDir('cfguard-echo-')
          const log = join(dir, 'audit.jsonl')
          const r = await runCli(
            ['credentials', 'rotate', w.ups.name, '--secret-stdin', '--yes', '--audit-log', log],
            {
              env: {...cliEnv(sim), CFGUARD_API: proxy.url},
              input: `${fresh}\n`,
              timeoutMs: 30_000,
            },
          )
          expect(
            proxy
              .received(`/v3/service_instances/${w.ups.guid}`, 'PATCH')
              .some((q) => q.body.includes('"credentials"')),
            'the credentials PATCH reached the hostile server',
          ).to.equal(true)
          expect(r.code, r.stderr.slice(0, 800)).to.be.oneOf([5, 6])
          expect(r.stderr.split('\n').filter((l) => l.startsWith('cfguard: ')).length).to.equal(1)
          expect(r.stderr).to.match(/CF-UnprocessableEntity/)
          const leaks = [
            ...canaries.find('stdout', r.stdout),
            ...canaries.find('stderr', r.stderr),
            ...filesUnder(dir).flatMap((file) => canaries.find(file.where, file.text)),
          ]
          expect(leaks.length, describeLeaks(leaks)).to.equal(0)
        } finally {
          await proxy.close()
        }
      })
    } finally {
      await idp.close()
    }
  })
})
