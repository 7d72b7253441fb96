/**
 * Bad-input corpus: the built CLI against a loopback server that misbehaves (and against bad
 * flags, files and URLs). Every case ends in one `cfguard: …` line with next steps and the
 * documented exit code (2 usage/config, 4 auth, 5 API); none crashes or hangs (every run has a
 * timeout). One `it` per case.
 */
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {ROOT, runCli, tempDir, type CliResult} from '../helpers/cli.js'
import {
  ccApp,
  ccList,
  ccOrg,
  replies,
  startHostileFoundation,
  startHostileServer,
  type HostileFoundation,
  type HostileServer,
} from '../helpers/hostile-server.js'
import type {Simulator} from '../../src/sim/index.js'
import {ccAs, withSimulator} from '../helpers/sim.js'
import {auditCommand, commandExists} from './commands.js'
import {expectCleanFailure} from './expect.js'

const USAGE = 2
const AUTH = 4
const API = 5

interface World {
  f: HostileFoundation
  /** Another origin (a different port): must never see the token. */
  other: HostileServer
  home: string
  cfHome: string
}

interface Case {
  name: string
  /** Break the foundation. */
  setup?: (w: World) => void | Promise<void>
  /** Default: `login --api <f> --client-id <id> -o acme` with the secret in the environment. */
  args?: (w: World) => string[]
  env?: (w: World) => Record<string, string | undefined>
  exit: number
  message: RegExp
  /** Extra checks after the run. */
  check?: (w: World, r: CliResult) => void
  timeoutMs?: number
  /** `audit`: needs an audit command (`audit`, else `identity audit`); pending until one is built. */
  needs?: 'audit'
  /** A command id (words) the case runs; pending until it is built. */
  requires?: string[]
}

const loginArgs = (w: World) => ['login', '--api', w.f.url, '--client-id', w.f.client.id, '-o', 'acme']
/** Lists are walked page after page by the audit (login only looks one org up). */
const AUDIT = 'audit'
const auditArgs = () => [...(auditCommand() ?? ['audit']), '--all', '--fail-on', 'never']
const auditEnv = (w: World) => ({CFGUARD_API: w.f.url, CFGUARD_CLIENT_ID: w.f.client.id})
const orgs = '/v3/organizations'
const apps = '/v3/apps'

/** No request reached the other origin with credentials (or at all, when `none`). */
function otherSawNoToken(w: World): void {
  const withAuth = w.other.requests.filter((r) => r.headers.authorization !== undefined)
  expect(withAuth.length, 'requests carrying Authorization to the other host').to.equal(0)
}

const CASES: Case[] = [
  // ---- bodies that are not what they claim
  {
    name: 'an HTML page (200) instead of a CC list',
    setup: ({f}) => f.route('GET', orgs, replies.html(200)),
    exit: API,
    message: /HTML page instead of JSON/,
  },
  {
    name: 'a plain-text body instead of JSON',
    setup: ({f}) => f.route('GET', orgs, replies.text(200, 'OK')),
    exit: API,
    message: /not JSON/,
  },
  {
    name: 'truncated JSON',
    setup: ({f}) => f.route('GET', orgs, replies.truncatedJson(200, ccList([ccOrg('acme')]))),
    exit: API,
    message: /truncated or malformed JSON/,
  },
  {
    name: 'an HTML 502 from a proxy (retried, then one line)',
    setup: ({f}) =>
      f.route('GET', orgs, replies.html(502, '<html><body><h1>502 Bad Gateway</h1>nginx</body></html>')),
    exit: API,
    message: /returned 502 after 3 attempts/,
    check: ({f}) => expect(f.received(orgs).length).to.equal(3),
  },
  {
    name: 'a 500 with a CC error body after every retry',
    setup: ({f}) =>
      f.route(
        'GET',
        orgs,
        replies.json(500, {errors: [{code: 10001, title: 'UnknownError', detail: 'boom'}]}),
      ),
    exit: API,
    message: /returned 500 after 3 attempts \(UnknownError/,
  },
  {
    name: 'a 403 CF-NotAuthorized',
    setup: ({f}) =>
      f.route(
        'GET',
        orgs,
        replies.json(403, {
          errors: [{code: 10003, title: 'CF-NotAuthorized', detail: 'You are not authorized'}],
        }),
      ),
    exit: AUTH,
    message: /not authorized/,
  },
  {
    name: 'the token endpoint answers an HTML login page',
    setup: ({f}) => f.route('POST', '/oauth/token', replies.html(200)),
    exit: API,
    message: /UAA sent an HTML page/,
  },
  {
    name: 'the token response has no access_token',
    setup: ({f}) =>
      f.route('POST', '/oauth/token', replies.json(200, {token_type: 'bearer', expires_in: 600})),
    exit: API,
    message: /without an access token/,
  },
  // ---- wrong types and missing fields
  {
    name: 'a CC list whose resources is an object',
    setup: ({f}) =>
      f.route('GET', orgs, replies.json(200, {pagination: {next: null}, resources: {guid: 'x'}})),
    exit: API,
    message: /not a CC list/,
  },
  {
    name: 'a CC list without pagination',
    setup: ({f}) => f.route('GET', orgs, replies.json(200, {resources: [ccOrg('acme')]})),
    exit: API,
    message: /not a CC list/,
  },
  {
    name: 'a CC list with null and non-object resources',
    setup: ({f}) => f.route('GET', orgs, replies.json(200, ccList([null, 42, 'acme']))),
    exit: API,
    message: /Cloud Controller sent/,
  },
  {
    name: 'an org without a guid or name',
    setup: ({f}) => f.route('GET', orgs, replies.json(200, ccList([{suspended: false}]))),
    exit: API,
    message: /Cloud Controller sent/,
  },
  {
    name: 'an org whose guid and name are numbers',
    setup: ({f}) => f.route('GET', orgs, replies.json(200, ccList([{...ccOrg('acme'), guid: 7, name: 8}]))),
    exit: API,
    message: /Cloud Controller sent/,
  },
  {
    name: 'a root without links',
    setup: ({f}) => f.route('GET', '/', replies.json(200, {hello: 'world'})),
    exit: API,
    message: /does not look like a Cloud Foundry API: GET \/ has no links/,
  },
  {
    name: 'a root whose login link is a number',
    setup: ({f}) =>
      f.route(
        'GET',
        '/',
        replies.json(200, {
          links: {
            cloud_controller_v3: {href: `${f.url}/v3`, meta: {version: '3.228.0'}},
            login: {href: 42},
            uaa: {href: 42},
          },
        }),
      ),
    exit: API,
    message: /does not look like a Cloud Foundry API/,
  },
  {
    name: 'a root whose CC version is not a string',
    setup: ({f}) =>
      f.route(
        'GET',
        '/',
        replies.json(200, {
          links: {cloud_controller_v3: {href: `${f.url}/v3`, meta: {version: 3}}, login: {href: f.url}},
        }),
      ),
    exit: API,
    message: /cloud_controller_v3 link with a version/,
  },
  {
    name: 'a root that is a JSON array',
    setup: ({f}) => f.route('GET', '/', replies.json(200, [1, 2, 3])),
    exit: API,
    message: /does not look like a Cloud Foundry API/,
  },
  {
    name: 'a token response whose access_token is a number',
    setup: ({f}) =>
      f.route('POST', '/oauth/token', replies.json(200, {access_token: 12345, token_type: 'bearer'})),
    exit: API,
    message: /without an access token/,
  },
  // ---- absurd pagination (the audit reads page 1, then pages 2..total_pages by number; without
  // a usable total_pages it follows pagination.next)
  {
    name: 'pagination.next pointing at the same page',
    needs: AUDIT,
    args: auditArgs,
    env: auditEnv,
    setup: ({f}) =>
      f.route('GET', apps, (req, res) =>
        replies.json(200, ccList([ccApp('a1')], {total_pages: null, next: {href: `${f.url}${req.path}`}}))(
          req,
          res,
        ),
      ),
    exit: API,
    message: /pagination\.next pointing back at a page already read/,
  },
  {
    name: 'pagination.next pointing at another host (never contacted)',
    needs: AUDIT,
    args: auditArgs,
    env: auditEnv,
    setup: ({f, other}) =>
      f.route(
        'GET',
        apps,
        replies.json(
          200,
          ccList([ccApp('a1')], {total_pages: null, next: {href: `${other.url}/v3/apps?page=2`}}),
        ),
      ),
    exit: API,
    message: /pagination\.next pointing at another host/,
    check: ({other}) => expect(other.requests.length).to.equal(0),
  },
  {
    name: 'a pagination.next loop of two pages',
    needs: AUDIT,
    args: auditArgs,
    env: auditEnv,
    setup: ({f}) =>
      f.route('GET', apps, (req, res) => {
        const page = req.query.get('page') === '2' ? 2 : 1
        const next = `${f.url}/v3/apps?page=${page === 1 ? 2 : 1}&per_page=5000`
        return replies.json(
          200,
          ccList([ccApp(`a${page}`, `guid-${page}`)], {total_pages: null, next: {href: next}}),
        )(req, res)
      }),
    exit: API,
    message: /pointing back at a page already read/,
  },
  {
    name: 'a pagination.next chain that never ends (empty pages)',
    needs: AUDIT,
    args: auditArgs,
    env: auditEnv,
    setup: ({f}) =>
      f.route('GET', apps, (req, res) => {
        const page = Number(req.query.get('page') ?? '1')
        return replies.json(
          200,
          ccList([], {total_pages: null, next: {href: `${f.url}/v3/apps?page=${page + 1}`}}),
        )(req, res)
      }),
    exit: API,
    message: /an empty page that still points at a next page/,
    check: ({f}) => expect(f.received(apps).length).to.be.lessThan(5),
  },
  {
    name: 'total_pages of a billion (never fetched page by page)',
    needs: AUDIT,
    args: auditArgs,
    env: auditEnv,
    setup: ({f}) =>
      f.route('GET', apps, replies.json(200, ccList([ccApp('a1')], {total_results: 5e12, total_pages: 1e9}))),
    exit: API,
    message: /total_pages 1000000000/,
    check: ({f}) => expect(f.received(apps).length).to.equal(1),
  },
  {
    name: 'pagination.next that is not a URL',
    needs: AUDIT,
    args: auditArgs,
    env: auditEnv,
    setup: ({f}) =>
      f.route(
        'GET',
        apps,
        replies.json(200, ccList([ccApp('a1')], {total_pages: null, next: {href: 'http://[not a url'}})),
      ),
    exit: API,
    message: /pagination\.next that is not a URL/,
  },
  {
    name: 'pagination.next that is a number',
    needs: AUDIT,
    args: auditArgs,
    env: auditEnv,
    setup: ({f}) =>
      f.route('GET', apps, replies.json(200, ccList([ccApp('a1')], {total_pages: null, next: {href: 2}}))),
    exit: API,
    message: /pagination\.next that is not a URL/,
  },
  {
    name: 'pagination.next over plain http to a non-loopback host',
    needs: AUDIT,
    args: auditArgs,
    env: auditEnv,
    setup: ({f}) =>
      f.route(
        'GET',
        apps,
        replies.json(
          200,
          ccList([ccApp('a1')], {total_pages: null, next: {href: 'http://api.example.com/v3/apps?page=2'}}),
        ),
      ),
    exit: API,
    message: /another host/,
  },
  // ---- redirects
  {
    name: 'a redirect of a GET to another host: followed without the Authorization header',
    setup: ({f, other}) => {
      f.route('GET', orgs, replies.redirect(302, `${other.url}/v3/organizations?names=acme`))
      other.route(
        'GET',
        orgs,
        replies.json(401, {
          errors: [{code: 10002, title: 'CF-NotAuthenticated', detail: 'Authentication error'}],
        }),
      )
    },
    exit: AUTH,
    message: /needs a token/,
    check: (w) => {
      expect(w.other.received(orgs).length).to.equal(1)
      otherSawNoToken(w)
    },
  },
  {
    name: 'a redirect of the token POST to another host: refused, the secret never leaves',
    setup: ({f, other}) => f.route('POST', '/oauth/token', replies.redirect(307, `${other.url}/oauth/token`)),
    exit: API,
    message: /redirected POST .*follows redirects only for reads/,
    check: ({other}) => expect(other.requests.length).to.equal(0),
  },
  {
    name: 'a redirect loop',
    setup: ({f}) => f.route('GET', orgs, replies.redirect(302, `${f.url}/v3/organizations`)),
    exit: API,
    message: /too many redirects/,
  },
  {
    name: 'a redirect without a Location',
    setup: ({f}) =>
      f.route('GET', orgs, (_req, res) => {
        res.writeHead(302, {'Content-Length': 0})
        res.end()
      }),
    exit: API,
    message: /without a Location/,
  },
  {
    name: 'a redirect to plain http on a non-loopback host',
    setup: ({f}) => f.route('GET', orgs, replies.redirect(302, 'http://api.example.com/v3/organizations')),
    exit: USAGE,
    message: /refusing plain http to api\.example\.com/,
  },
  // ---- forged and invalid tokens (login verifies the token with the UAA's keys)
  {
    name: 'a token with alg: none',
    setup: ({f}) =>
      f.route('POST', '/oauth/token', async (req, res) => {
        const parts = (await f.token()).split('.')
        const header = Buffer.from(JSON.stringify({alg: 'none', typ: 'JWT'})).toString('base64url')
        return replies.json(200, {access_token: `${header}.${parts[1]}.`, token_type: 'bearer'})(req, res)
      }),
    exit: AUTH,
    message: /failed verification/,
  },
  {
    name: 'a token signed HS256 with the public key (algorithm confusion)',
    setup: ({f}) =>
      f.route('POST', '/oauth/token', async (req, res) => {
        const now = Math.floor(Date.now() / 1000)
        const forged = await f.sign(
          {sub: f.client.id, client_id: f.client.id, iss: f.issuer, iat: now, exp: now + 600},
          {alg: 'HS256'},
          new TextEncoder().encode(f.publicKeyPem),
        )
        return replies.json(200, {access_token: forged, token_type: 'bearer'})(req, res)
      }),
    exit: AUTH,
    message: /failed verification: its algorithm is not RS256/,
  },
  {
    name: 'a token with an unknown kid',
    setup: ({f}) =>
      f.route('POST', '/oauth/token', async (req, res) => {
        const now = Math.floor(Date.now() / 1000)
        const forged = await f.sign(
          {sub: 'x', iss: f.issuer, iat: now, exp: now + 600},
          {kid: 'someone-elses-key'},
        )
        return replies.json(200, {access_token: forged, token_type: 'bearer'})(req, res)
      }),
    exit: AUTH,
    message: /signed with a key the UAA does not publish/,
    check: ({f}) => expect(f.received('/token_keys').length).to.equal(2),
  },
  {
    name: 'a token from another issuer',
    setup: ({f}) =>
      f.route('POST', '/oauth/token', async (req, res) =>
        replies.json(200, {
          access_token: await f.token({iss: 'https://uaa.evil.example/oauth/token'}),
          token_type: 'bearer',
        })(req, res),
      ),
    exit: AUTH,
    message: /claim "iss"/,
  },
  {
    name: 'an expired token',
    setup: ({f}) =>
      f.route('POST', '/oauth/token', async (req, res) => {
        const now = Math.floor(Date.now() / 1000)
        return replies.json(200, {
          access_token: await f.token({iat: now - 7200, exp: now - 3600}),
          token_type: 'bearer',
        })(req, res)
      }),
    exit: AUTH,
    message: /expired/,
  },
  {
    name: 'a JWE-shaped token (five segments)',
    setup: ({f}) =>
      f.route(
        'POST',
        '/oauth/token',
        replies.json(200, {access_token: 'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d', token_type: 'bearer'}),
      ),
    exit: AUTH,
    message: /not a signed JWT/,
  },
  // ---- bounded reads and timeouts
  {
    name: 'a 3 GB Content-Length (read is bounded)',
    setup: ({f}) => f.route('GET', orgs, replies.endless(3 * 1024 ** 3)),
    exit: API,
    message: /more than/,
    timeoutMs: 60_000,
  },
  {
    name: 'an endless body without Content-Length (read is bounded)',
    setup: ({f}) => f.route('GET', orgs, replies.endless()),
    exit: API,
    message: /more than/,
    timeoutMs: 60_000,
  },
  {
    name: 'a gzip bomb',
    setup: ({f}) => f.route('GET', orgs, replies.gzipBomb(300 * 1024 ** 2)),
    exit: API,
    message: /more than/,
    timeoutMs: 60_000,
  },
  {
    name: 'a server that never answers (timeout, retried, then one line)',
    setup: ({f}) => f.route('GET', orgs, replies.never()),
    env: () => ({CFGUARD_TIMEOUT: '1'}),
    exit: API,
    message: /did not answer GET \/v3\/organizations.* within 1 s after 3 attempts/,
    check: ({f}) => expect(f.received(orgs).length).to.equal(3),
  },
  {
    name: 'headers, then a body that never comes',
    setup: ({f}) => f.route('GET', orgs, replies.headersThenSilence()),
    env: () => ({CFGUARD_TIMEOUT: '1'}),
    exit: API,
    message: /did not answer/,
  },
  {
    name: 'a body dripped one byte at a time, forever',
    setup: ({f}) => f.route('GET', orgs, replies.drip(100)),
    env: () => ({CFGUARD_TIMEOUT: '1'}),
    exit: API,
    message: /did not answer/,
  },
  {
    name: 'connections closed without an answer',
    setup: ({f}) => f.route('GET', orgs, replies.drop()),
    exit: API,
    message: /failed after 3 attempts/,
  },
  {
    name: 'a 429 asking to wait an hour (fails at once instead of sleeping)',
    setup: ({f}) =>
      f.route(
        'GET',
        orgs,
        replies.json(
          429,
          {errors: [{code: 10013, title: 'CF-RateLimitExceeded', detail: 'Rate Limit Exceeded'}]},
          {'Retry-After': '3600'},
        ),
      ),
    exit: API,
    message: /rate limit reached \(CF-RateLimitExceeded\).*3600 s/,
  },
  {
    name: 'a 429 that never ends, with a Retry-After that is not a time',
    setup: ({f}) => f.route('GET', orgs, replies.json(429, {errors: []}, {'Retry-After': 'soon'})),
    env: () => ({CFGUARD_MAX_RETRY_WAIT: '1'}),
    exit: API,
    message: /still rate limited after 5 waits/,
  },
  // ---- UAA that refuses
  {
    name: 'a UAA that always answers 500 (retried a bounded number of times)',
    setup: ({f}) =>
      f.route('POST', '/oauth/token', replies.json(500, {error: 'server_error', error_description: 'boom'})),
    exit: API,
    message: /UAA failed/,
    check: ({f}) => expect(f.tokenRequests()).to.be.at.most(3),
  },
  {
    name: 'a UAA that rejects the client credentials',
    env: () => ({CFGUARD_CLIENT_SECRET: 'not-the-secret'}),
    exit: AUTH,
    message: /rejected the credentials/,
    check: ({f}) => expect(f.tokenRequests()).to.equal(1),
  },
  // ---- URLs and flags
  {
    name: '--api notaurl',
    args: ({f}) => ['login', '--api', 'notaurl', '--client-id', f.client.id],
    exit: USAGE,
    message: /invalid API URL "notaurl"/,
  },
  {
    name: '--api ftp://',
    args: ({f}) => ['login', '--api', 'ftp://files.example.com', '--client-id', f.client.id],
    exit: USAGE,
    message: /only https:\/\/ URLs are supported/,
  },
  {
    name: 'CFGUARD_API with plain http to a non-loopback host',
    args: ({f}) => ['login', '--client-id', f.client.id],
    env: () => ({CFGUARD_API: 'http://api.example.com'}),
    exit: USAGE,
    message: /refusing plain http to api\.example\.com/,
  },
  {
    name: 'a root advertising a token endpoint over plain http elsewhere',
    setup: ({f}) =>
      f.route(
        'GET',
        '/',
        replies.json(200, {
          links: {
            cloud_controller_v3: {href: `${f.url}/v3`, meta: {version: '3.228.0'}},
            login: {href: 'http://login.example.com'},
            uaa: {href: 'http://uaa.example.com'},
          },
        }),
      ),
    exit: USAGE,
    message: /refusing plain http to login\.example\.com/,
  },
  {
    name: 'an unknown flag',
    args: ({f}) => ['login', '--api', f.url, '--bogus'],
    exit: USAGE,
    message: /unknown flag --bogus/,
  },
  {
    name: 'CFGUARD_TIMEOUT that is not a number',
    env: () => ({CFGUARD_TIMEOUT: 'soon'}),
    exit: USAGE,
    message: /CFGUARD_TIMEOUT must be a number of seconds/,
  },
  {
    name: 'CFGUARD_TRACE naming a file in a missing directory',
    env: ({home}) => ({CFGUARD_TRACE: join(home, 'no', 'such', 'dir', 'trace.log')}),
    exit: USAGE,
    message: /cannot open trace file/,
  },
  {
    name: '`rules x` (an unknown rule id)',
    args: () => ['rules', 'x'],
    exit: USAGE,
    message: /unknown rule/,
  },
  // ---- audit flags and files
  ...(
    [
      ['--rules x', ['--rules', 'x'], /unknown rule "x" in --rules/],
      ['--skip-rules x', ['--skip-rules', 'x'], /unknown rule "x" in --skip-rules/],
      [
        '--rules with a near miss',
        ['--rules', 'identity/secret-in-envs'],
        /unknown rule "identity\/secret-in-envs"/,
      ],
      ['--max-age 3x', ['--max-age', '3x'], /invalid --max-age "3x"/],
      ['--max-age -1d', ['--max-age', '-1d'], /invalid --max-age "-1d"/],
      ['--max-age 0d', ['--max-age', '0d'], /--max-age/],
      ['--concurrency 0', ['--concurrency', '0'], /--concurrency/],
      ['--format pdf', ['--format', 'pdf'], /--format=pdf to be one of/],
      ['a flag given twice', ['--fail-on', 'high'], /--fail-on can only be specified once/],
      ['--compliance pci', ['--compliance', 'pci'], /--compliance=pci to be one of/],
      ['--org together with --all', ['-o', 'acme'], /--org=acme cannot also be provided when using --all/],
      [
        'a policy file that is not YAML',
        ['--policy', fixture('malformed/syntax-error.yml')],
        /YAML syntax error/,
      ],
      [
        'a policy file with an unknown key',
        ['--policy', fixture('malformed/unknown-key.yml')],
        /unknown key "sensitvePaths"/,
      ],
      [
        'a policy file with a bad duration',
        ['--policy', fixture('malformed/bad-duration.yml')],
        /is not a duration/,
      ],
      [
        'a policy file with an unknown rule id',
        ['--policy', fixture('malformed/unknown-rule-severity.yml')],
        /unknown rule id/,
      ],
      [
        'a billion-laughs policy (exponential YAML aliases)',
        ['--policy', fixture('malformed/billion-laughs.yml')],
        /billion-laughs\.yml:3:8: too many YAML aliases/,
      ],
      [
        'a policy file over 1 MiB',
        ['--policy', fixture('oversized.yml')],
        /oversized\.yml is \d+ bytes; cfguard reads at most 1048576 bytes/,
      ],
      ['a FIFO as the policy file (never waited on)', ['--policy', fifo()], /is not a regular file/],
      [
        '--max-age 99999999999d',
        ['--max-age', '99999999999d'],
        /invalid --max-age "99999999999d": at most 36500d/,
      ],
      [
        '--max-age 99999999999 (days)',
        ['--max-age', '99999999999'],
        /invalid --max-age "99999999999": at most 36500d/,
      ],
      ['a policy file that does not exist', ['--policy', '/nonexistent/cfguard.yml'], /does not exist/],
      [
        'a suppression without an expiry',
        ['--suppressions', fixture('malformed/suppression-no-expiry.yml')],
        /missing "expires"/,
      ],
      [
        'a suppression without a reason',
        ['--suppressions', fixture('malformed/suppression-no-reason.yml')],
        /reason/,
      ],
      [
        'a baseline that is not JSON',
        ['--baseline', fixture('baseline/not-json.txt')],
        /the baseline is not valid JSON/,
      ],
      [
        'a baseline of the wrong shape',
        ['--baseline', fixture('baseline/wrong-shape.json')],
        /has no fingerprint/,
      ],
    ] as [string, string[], RegExp][]
  ).map(([name, extra, message]): Case => ({
    name: `audit: ${name}`,
    needs: AUDIT,
    args: () => [...auditArgs(), ...extra],
    env: auditEnv,
    exit: USAGE,
    message,
  })),
  // ---- durations and rollout flags of the other commands
  ...(
    [
      [
        'credentials rotate --grace -1d',
        ['credentials', 'rotate', 'x', '--grace', '-1d', '--yes'],
        /invalid --grace "-1d"/,
      ],
      [
        'credentials rotate --grace 3x',
        ['credentials', 'rotate', 'x', '--grace', '3x', '--yes'],
        /invalid --grace "3x"/,
      ],
      [
        'credentials rotate --timeout 0',
        ['credentials', 'rotate', 'x', '--timeout', '0', '--yes'],
        /invalid --timeout "0"/,
      ],
      [
        'credentials rotate --grace 99999999999d',
        ['credentials', 'rotate', 'x', '--grace', '99999999999d', '--yes'],
        /invalid --grace "99999999999d": at most 36500d/,
      ],
      [
        'credentials rotate --timeout 0s',
        ['credentials', 'rotate', 'x', '--timeout', '0s', '--yes'],
        /invalid --timeout "0s": must be longer than zero/,
      ],
      [
        'credentials rotate --poll-interval 0s',
        ['credentials', 'rotate', 'x', '--poll-interval', '0s', '--yes'],
        /invalid --poll-interval "0s": must be longer than zero/,
      ],
      [
        'credentials rotate --timeout 30d (past what a timer can wait)',
        ['credentials', 'rotate', 'x', '--timeout', '30d', '--yes'],
        /invalid --timeout "30d": at most 24h/,
      ],
      [
        'credentials rotate --all-due --older-than 99999999999d',
        ['credentials', 'rotate', '--all-due', '--older-than', '99999999999d', '--yes'],
        /invalid --older-than "99999999999d": at most 36500d/,
      ],
      [
        'credentials rotate --all-due --max-age 99999999999d',
        ['credentials', 'rotate', '--all-due', '--max-age', '99999999999d', '--yes'],
        /invalid --max-age "99999999999d": at most 36500d/,
      ],
      [
        'credentials list --older-than 99999999999d',
        ['credentials', 'list', '--older-than', '99999999999d'],
        /invalid --older-than "99999999999d": at most 36500d/,
      ],
      [
        'credentials rotate --max-in-flight 0',
        ['credentials', 'rotate', 'x', '--max-in-flight', '0', '--yes'],
        /--max-in-flight must be a whole number/,
      ],
      [
        'credentials rotate without --yes and without a terminal',
        ['credentials', 'rotate', 'x'],
        /pass --yes/,
      ],
      [
        'credentials rotate --all-due with a malformed selector',
        ['credentials', 'rotate', '--all-due', '--selector', 'a in (', '--yes'],
        /invalid label selector/,
      ],
      ['credentials list --max-age 3x', ['credentials', 'list', '--max-age', '3x'], /invalid --max-age "3x"/],
      [
        'audit --traffic --window 0',
        ['audit', '--all', '--traffic', '--window', '0'],
        /invalid --window "0"/,
      ],
      [
        'routes report --traffic --window 3x',
        ['routes', 'report', '--all', '--traffic', '--window', '3x'],
        /invalid --window "3x"/,
      ],
      ['audit --window without --traffic', ['audit', '--all', '--window', '15m'], /--window: --traffic/],
      ['sim --apps 99999999999', ['sim', '--apps', '99999999999'], /--apps .*less than or equal to 100000/],
    ] as [string, string[], RegExp][]
  ).map(([name, args, message]): Case => ({
    name,
    requires: args.slice(0, args[0] === 'audit' || args[0] === 'sim' ? 1 : 2),
    args: () => args,
    env: auditEnv,
    exit: USAGE,
    message,
  })),
  // ---- malformed configuration files
  {
    name: 'a cf CLI config that is not JSON',
    setup: ({cfHome}) => writeCfConfig(cfHome, '{"Target": "https://api.example.com",'),
    args: () => ['target'],
    exit: USAGE,
    message: /cf CLI config .* is not valid JSON/,
  },
  {
    name: 'a cf CLI config with wrong types',
    setup: ({cfHome}) => writeCfConfig(cfHome, JSON.stringify({Target: 42, AccessToken: ['x']})),
    args: () => ['target'],
    exit: USAGE,
    message: /cf CLI config .* has a \w+ that is not a string/,
  },
  {
    name: 'a cf CLI config without a Target',
    setup: ({cfHome}) => writeCfConfig(cfHome, JSON.stringify({AccessToken: 'bearer x', RefreshToken: 'y'})),
    args: () => ['target'],
    exit: AUTH,
    message: /no foundation targeted/,
  },
  {
    name: 'a cf CLI config that is a JSON array',
    setup: ({cfHome}) => writeCfConfig(cfHome, '[]'),
    args: () => ['target'],
    exit: USAGE,
    message: /is not a JSON object/,
  },
  {
    name: "cfguard's own config that is not JSON",
    setup: ({home}) => writeOwnConfig(home, 'not json at all'),
    args: () => ['target'],
    exit: USAGE,
    message: /cfguard's config .* is not valid JSON/,
  },
  {
    name: "cfguard's own config with the wrong shape",
    setup: ({home}) =>
      writeOwnConfig(home, JSON.stringify({version: 1, current: 'x', targets: {x: {api: 5}}})),
    args: () => ['target'],
    exit: USAGE,
    message: /does not have the expected shape/,
  },
  {
    name: 'a --ca-cert file that does not exist',
    args: (w) => [...loginArgs(w), '--ca-cert', join(w.home, 'no-such-ca.pem')],
    exit: USAGE,
    message: /cannot read the CA bundle .*no-such-ca\.pem \(--ca-cert\): no such file/,
  },
  {
    name: 'a --ca-cert file without a certificate',
    setup: ({home}) => writeOwnConfig(home, '{"version": 1, "current": null, "targets": {}}'),
    args: (w) => [...loginArgs(w), '--ca-cert', join(w.home, 'config.json')],
    exit: USAGE,
    message: /config\.json \(--ca-cert\) holds no PEM certificate/,
  },
  {
    name: 'an HTTPS_PROXY of an unsupported kind (socks5), credentials never shown',
    args: () => ['target', '--api', 'https://api.sys.example.invalid'],
    env: () => ({CFGUARD_CLIENT_ID: 'x', HTTPS_PROXY: 'socks5://u:sock-pa55word@proxy.example.invalid:1080'}),
    exit: USAGE,
    message: /HTTPS_PROXY names a socks5 proxy; cfguard supports http:\/\/ and https:\/\/ proxies/,
    check: (_w, r) => expect(r.stderr).not.to.contain('sock-pa55word'),
  },
  {
    name: '--cf-session without a cf CLI login',
    args: () => ['target', '--cf-session'],
    exit: AUTH,
    message: /--cf-session: no cf CLI login in .*config\.json/,
  },
  {
    name: 'CFGUARD_CREDENTIALS_SERVICE outside a CF app container',
    args: () => ['target'],
    env: () => ({CFGUARD_CREDENTIALS_SERVICE: 'cfguard-creds', CFGUARD_CLIENT_SECRET: undefined}),
    exit: USAGE,
    message: /CFGUARD_CREDENTIALS_SERVICE names "cfguard-creds" but VCAP_SERVICES is not set/,
  },
]

function fixture(path: string): string {
  if (path === 'oversized.yml') {
    // Made for the run rather than committed: 1.5 MB of nothing.
    const file = join(tempDir('cfguard-big-'), path)
    writeFileSync(file, `version: 1\n#${'x'.repeat(1_500_000)}\n`)
    return file
  }
  return join(ROOT, 'test/fixtures/policy', path)
}

/** A named pipe nobody writes to: reading it as a policy would wait forever. */
function fifo(): string {
  const path = join(tempDir('cfguard-fifo-'), 'policy.yml')
  execFileSync('mkfifo', [path])
  return path
}

function writeCfConfig(cfHome: string, text: string): void {
  mkdirSync(join(cfHome, '.cf'), {recursive: true})
  writeFileSync(join(cfHome, '.cf', 'config.json'), text)
}

function writeOwnConfig(home: string, text: string): void {
  mkdirSync(home, {recursive: true, mode: 0o700})
  writeFileSync(join(home, 'config.json'), text, {mode: 0o600})
}

describe('reliability: bad-input corpus', function () {
  this.timeout(90_000)
  let w: World

  beforeEach(async () => {
    w = {
      f: await startHostileFoundation(),
      other: await startHostileServer(),
      home: join(tempDir('cfguard-bad-'), 'home'),
      cfHome: tempDir('cf-bad-'),
    }
  })
  afterEach(async () => {
    await w.f.close()
    await w.other.close()
  })

  it(`has at least 40 cases (${CASES.length})`, () => {
    expect(CASES.length).to.be.at.least(40)
  })

  for (const c of CASES) {
    it(c.name, async function () {
      if ((c.needs && !auditCommand()) || (c.requires && !commandExists(c.requires))) this.skip()
      await c.setup?.(w)
      const r = await runCli((c.args ?? loginArgs)(w), {
        env: {
          CFGUARD_HOME: w.home,
          CF_HOME: w.cfHome,
          CFGUARD_CLIENT_SECRET: w.f.client.secret,
          CFGUARD_MAX_RETRY_WAIT: '2',
          ...c.env?.(w),
        },
        timeoutMs: c.timeoutMs ?? 30_000,
      })
      expectCleanFailure(r, c.exit, c.message)
      c.check?.(w, r)
    })
  }
})

/**
 * What a newer Cloud Controller may send, or a server may send oddly but validly, is tolerated:
 * the audit completes (exit 0 with --fail-on never) instead of refusing the whole run.
 */
describe('reliability: bad-input corpus, tolerated answers', function () {
  this.timeout(90_000)

  interface Tolerated {
    name: string
    /** Change the simulator's state (a small generated foundation) before the run. */
    mutate?: (sim: Simulator) => Promise<void> | void
    /** Or answer from a hostile foundation instead. */
    hostile?: (f: HostileFoundation) => void
    extra?: string[]
    check?: (result: {coverage: {apps: number}}) => void
  }

  const TOLERATED: Tolerated[] = [
    {
      name: 'an unknown app state',
      mutate: (sim) => {
        for (const app of sim.state.apps.all()) (app as {state: string}).state = 'HIBERNATING'
      },
    },
    {
      name: 'an unknown route destination protocol',
      mutate: (sim) => {
        for (const route of sim.state.routes.all())
          for (const d of route.destinations) (d as {protocol: string | null}).protocol = 'quic'
      },
    },
    {
      name: 'an unknown health-check type',
      mutate: (sim) => {
        for (const p of sim.state.processes.all()) p.healthCheck = {...p.healthCheck, type: 'grpc' as 'http'}
      },
    },
    {
      name: 'an unknown instance state',
      mutate: (sim) => {
        for (const p of sim.state.processes.all())
          for (const i of p.actual) (i as {state: string}).state = 'MIGRATING'
      },
    },
    {
      name: 'an unknown deployment status reason',
      mutate: async (sim) => {
        const app = [...sim.state.apps.all()][0]!
        const api = await ccAs(sim, 'adminClient')
        const res = await api.post('/v3/deployments', {relationships: {app: {data: {guid: app.guid}}}})
        expect(res.status).to.equal(201)
        for (const d of sim.state.deployments.all())
          (d as {statusReason: string}).statusReason = 'AWAITING_APPROVAL'
      },
    },
    {
      name: 'negative pagination totals',
      hostile: (f) =>
        f.route(
          'GET',
          '/v3/apps',
          replies.json(200, ccList([ccApp('a1')], {total_results: -5, total_pages: -1})),
        ),
      check: (result) => expect(result.coverage.apps).to.equal(1),
    },
    {
      name: 'a page of 6,000 apps when 5,000 were asked for',
      hostile: (f) =>
        f.route(
          'GET',
          '/v3/apps',
          replies.json(200, ccList(Array.from({length: 6000}, (_, i) => ccApp(`a${i}`, `guid-${i}`)))),
        ),
      extra: ['--no-secrets'],
      check: (result) => expect(result.coverage.apps).to.equal(6000),
    },
  ]

  for (const t of TOLERATED) {
    it(`tolerated: ${t.name}`, async function () {
      const command = auditCommand()
      if (!command) this.skip()
      const run = async (env: Record<string, string>) => {
        const r = await runCli(
          [...(command as string[]), '--json', '--all', '--fail-on', 'never', ...(t.extra ?? [])],
          {
            env,
            timeoutMs: 60_000,
          },
        )
        expect(r.code, r.stderr).to.equal(0)
        expect(r.stderr).not.to.match(/^cfguard: |unexpected error|\n\s+at /m)
        const doc = JSON.parse(r.stdout) as {status: number; result: {coverage: {apps: number}}}
        expect(doc.status).to.equal(0)
        t.check?.(doc.result)
      }
      if (t.hostile) {
        const f = await startHostileFoundation()
        try {
          t.hostile(f)
          await run({
            CFGUARD_API: f.url,
            CFGUARD_CLIENT_ID: f.client.id,
            CFGUARD_CLIENT_SECRET: f.client.secret,
          })
        } finally {
          await f.close()
        }
        return
      }
      await withSimulator({scenario: 'generated', apps: 8, seed: 4}, async (sim) => {
        await t.mutate?.(sim)
        await run({
          CFGUARD_API: sim.apiUrl,
          CFGUARD_CLIENT_ID: sim.admin.clientId,
          CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
        })
      })
    })
  }
})
