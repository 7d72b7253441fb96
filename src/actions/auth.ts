/**
 * login, logout and target: the session commands. Secrets come from the environment, stdin or a
 * hidden prompt — never from argv — and only tokens (never passwords or client secrets) are
 * stored, in cfguard's own store. The cf CLI's config is only ever read.
 */
import {resolve as resolvePath} from 'node:path'
import {createInterface} from 'node:readline'

import {createCcClient} from '../cf/ccv3/client.js'
import {TokenManager, type TokenSet} from '../cf/http/tokens.js'
import {normalizeApiUrl} from '../cf/http/url.js'
import type {UaaTokens} from '../cf/uaa/tokens.js'
import {createTokenVerifier} from '../cf/uaa/verify.js'
import {readCfCliConfig} from '../config/cf-cli-config.js'
import {reachFor} from '../config/ca-cert.js'
import {ConfigStore, type NamedRef, type StoredAuth, validateTargetName} from '../config/store.js'
import {CfguardError, usageError} from '../errors.js'
import {registerSecret} from '../redact.js'
import {readStdin} from '../util/stdin.js'
import type {RunContext} from '../context.js'
import {connect, identity, type Connection} from '../cf/session.js'
import {openSession, type SessionOptions} from './session.js'

/** Where secrets are read from; the terminal by default, replaceable in tests. */
export interface SecretInput {
  /** All of stdin (first line is used). */
  readStdin(): Promise<string>
  /** Asks on stderr; `hidden` echoes nothing. */
  prompt(question: string, hidden: boolean): Promise<string>
}

export const terminalInput: SecretInput = {
  readStdin: () => readStdin(),
  prompt(question, hidden) {
    return new Promise((resolve, reject) => {
      const rl = createInterface({input: process.stdin, output: process.stderr, terminal: true})
      let muted = false
      const writer = rl as unknown as {_writeToOutput: (s: string) => void}
      const original = writer._writeToOutput.bind(rl)
      writer._writeToOutput = (s: string) => {
        if (!muted || s.includes('\n')) original(muted ? '\n' : s)
      }
      rl.on('SIGINT', () => {
        rl.close()
        reject(new CfguardError('INTERRUPTED', 'interrupted'))
      })
      rl.question(question, (answer) => {
        rl.close()
        resolve(answer)
      })
      muted = hidden
    })
  },
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/)[0] ?? '').trim()
}

export interface LoginInput {
  api?: string
  skipSslValidation?: boolean
  /** PEM bundle of extra CAs; stored with the target (its absolute path). */
  caCert?: string
  /** UAA origin (identity provider) of the user, sent as `login_hint`. */
  origin?: string
  /** Stored target name (default: the current target for this API, else `default`). */
  name?: string
  org?: string
  space?: string
  username?: string
  passwordStdin?: boolean
  ssoPasscode?: boolean
  clientId?: string
}

export interface TargetSummary {
  name: string | null
  api: string
  ccVersion: string
  user: string | null
  client: string | null
  org: NamedRef | null
  space: NamedRef | null
  tokenExpiresAt: string | null
}

export interface LoginResult extends TargetSummary {
  name: string
  /** Where the target was saved (no secret is stored; tokens only for user logins). */
  storedIn: string
}

type Method = {kind: 'client'; clientId: string} | {kind: 'passcode'} | {kind: 'password'}

export async function login(
  ctx: RunContext,
  input: LoginInput,
  io: SecretInput = terminalInput,
): Promise<LoginResult> {
  if (input.clientId && (input.ssoPasscode || input.passwordStdin || input.username)) {
    throw usageError('--client-id cannot be combined with --sso-passcode, --password-stdin or --username')
  }
  if (input.space && !input.org) throw usageError('--space needs --org', 'e.g. cfguard login -o ORG -s SPACE')
  const store = new ConfigStore(ctx.home, ctx.warn)
  const data = store.read()
  const api = chooseApi(ctx, input.api, data.current ? data.targets[data.current]?.api : undefined)
  const name = validateTargetName(
    input.name ??
      (data.current && data.targets[data.current] && sameApi(data.targets[data.current]!.api, api)
        ? data.current
        : 'default'),
  )
  const previous = data.targets[name]
  const caCert = input.caCert
    ? resolvePath(input.caCert)
    : previous && sameApi(previous.api, api)
      ? (previous.caCert ?? null)
      : null
  const method: Method = input.clientId
    ? {kind: 'client', clientId: input.clientId}
    : input.ssoPasscode
      ? {kind: 'passcode'}
      : {kind: 'password'}

  const conn = await connect(
    ctx,
    api,
    reachFor(ctx, {skipSslValidation: input.skipSslValidation === true, caCert}),
  )
  try {
    const tokens = await grant(ctx, conn, method, input, io)
    const verify = createTokenVerifier({
      fetchKeys: () => conn.uaa.tokenKeys(),
      issuer: await conn.uaa.issuer(),
      now: ctx.now,
    })
    await verify(tokens.accessToken)

    conn.transport.setTokenProvider(
      new TokenManager({
        initial: tokens,
        now: ctx.now,
        renew: async () => {
          throw new CfguardError('TOKEN_EXPIRED', 'the new token was rejected by the Cloud Controller', {
            suggestions: ['run `cfguard login` again'],
          })
        },
      }),
    )
    const cc = createCcClient({
      transport: conn.transport,
      apiUrl: conn.root.api,
      version: conn.root.ccVersion,
      now: ctx.now,
    })
    let org: NamedRef | null = null
    let space: NamedRef | null = null
    if (input.org) {
      const o = await cc.orgs.single({names: [input.org]})
      org = {guid: o.guid, name: o.name}
      if (input.space) {
        const s = await cc.spaces.single({names: [input.space], organizationGuids: [o.guid]})
        space = {guid: s.guid, name: s.name}
      }
    } else if (ctx.isTTY && !ctx.json && !keepsScope(data.targets[name], conn.root.api)) {
      // At a terminal, as `cf login` does: pick the org and space from what this login can see.
      ;({org, space} = await pickScope(cc, io))
    }

    const who = identity(tokens)
    const auth: StoredAuth =
      method.kind === 'client'
        ? {kind: 'client', clientId: method.clientId, accessToken: tokens.accessToken}
        : {
            kind: 'user',
            username: who.user ?? input.username ?? 'unknown',
            oauthClient: 'cf',
            accessToken: tokens.accessToken,
            refreshToken: tokens.refreshToken,
          }
    await store.update((d) => {
      const previous = d.targets[name]
      const keepScope = !input.org && previous && sameApi(previous.api, conn.root.api)
      d.targets[name] = {
        api: conn.root.api,
        ...(caCert ? {caCert} : {}),
        auth,
        org: keepScope ? previous.org : org,
        space: keepScope ? previous.space : space,
        savedAt: ctx.now().toISOString(),
      }
      d.current = name
      if (keepScope) {
        org = previous.org
        space = previous.space
      }
    })
    if (method.kind === 'client') {
      ctx.info(
        'The client secret is not stored: later commands use the client token until it expires, then need CFGUARD_CLIENT_SECRET in their environment.',
      )
    }
    return {
      name,
      api: conn.root.api,
      ccVersion: conn.root.ccVersion,
      ...who,
      org,
      space,
      storedIn: store.path,
    }
  } finally {
    conn.close()
  }
}

function sameApi(a: string, b: string): boolean {
  try {
    return normalizeApiUrl(a) === normalizeApiUrl(b)
  } catch {
    return false
  }
}

function chooseApi(ctx: RunContext, given: string | undefined, current: string | undefined): string {
  const api = given ?? current ?? readCfCliConfig(ctx.env)?.api ?? undefined
  if (!api)
    throw usageError('which foundation? no API given', 'cfguard login --api https://api.<system-domain>')
  return normalizeApiUrl(api)
}

async function grant(
  ctx: RunContext,
  conn: Connection,
  method: Method,
  input: LoginInput,
  io: SecretInput,
): Promise<UaaTokens> {
  const {uaa} = conn
  if (method.kind === 'client') {
    const secret = await secretFrom(ctx, io, {
      env: 'CFGUARD_CLIENT_SECRET',
      stdin: !ctx.isTTY,
      prompt: 'Client secret: ',
      missing: 'no client secret: set CFGUARD_CLIENT_SECRET or pipe it on stdin',
    })
    return uaa.clientCredentialsGrant(method.clientId, secret)
  }
  if (method.kind === 'passcode') {
    const passcode = await secretFrom(ctx, io, {
      stdin: !ctx.isTTY,
      prompt: `One-time passcode (get one at ${conn.root.login}/passcode): `,
      missing: 'no passcode: pipe it on stdin or run on a terminal',
    })
    return uaa.passcodeGrant(passcode, undefined, input.origin)
  }
  let username = input.username ?? ctx.env.CFGUARD_USERNAME
  if (!username) {
    if (!ctx.isTTY) throw usageError('no user name: pass --username or set CFGUARD_USERNAME')
    username = (await io.prompt('Username: ', false)).trim()
  }
  const password = await secretFrom(ctx, io, {
    stdin: input.passwordStdin === true,
    env: input.passwordStdin ? undefined : 'CFGUARD_PASSWORD',
    prompt: 'Password: ',
    missing: 'no password: set CFGUARD_PASSWORD, pipe it with --password-stdin, or run on a terminal',
  })
  return uaa.passwordGrant(username, password, undefined, input.origin)
}

async function secretFrom(
  ctx: RunContext,
  io: SecretInput,
  from: {env?: string; stdin: boolean; prompt: string; missing: string},
): Promise<string> {
  const fromEnv = from.env ? ctx.env[from.env] : undefined
  let value = fromEnv && fromEnv !== '' ? fromEnv : undefined
  if (value === undefined && from.stdin) value = firstLine(await io.readStdin()) || undefined
  if (value === undefined && ctx.isTTY) value = (await io.prompt(from.prompt, true)) || undefined
  if (value === undefined) throw usageError(from.missing)
  registerSecret(value)
  return value
}

export interface LogoutInput {
  name?: string
  all?: boolean
}

export interface LogoutResult {
  loggedOut: string[]
  /** Tokens revoked at UAA. */
  revoked: number
}

export async function logout(ctx: RunContext, input: LogoutInput): Promise<LogoutResult> {
  const store = new ConfigStore(ctx.home, ctx.warn)
  const data = store.read()
  const names = input.all
    ? Object.keys(data.targets)
    : [input.name ?? data.current].filter((n): n is string => Boolean(n))
  if (input.name && !data.targets[input.name]) {
    throw usageError(
      `no stored target named "${input.name}"`,
      `stored targets: ${Object.keys(data.targets).join(', ') || 'none'}`,
    )
  }
  if (names.length === 0) {
    ctx.info('cfguard has no stored login (a cf CLI session, if any, is left alone: use `cf logout`).')
    return {loggedOut: [], revoked: 0}
  }
  let revoked = 0
  for (const name of names) {
    const t = data.targets[name]
    if (!t) continue
    // A client login's kept token is revoked too (it would otherwise live until it expires).
    const stored = t.auth.kind === 'user' ? [t.auth.refreshToken, t.auth.accessToken] : [t.auth.accessToken]
    if (!stored.some(Boolean)) continue
    try {
      const conn = await connect(
        ctx,
        t.api,
        reachFor(ctx, {
          skipSslValidation: /^(1|true|yes|on)$/i.test(ctx.env.CFGUARD_SKIP_SSL_VALIDATION ?? ''),
          caCert: ctx.env.CFGUARD_CA_CERT || t.caCert || null,
        }),
      )
      try {
        for (const token of stored) {
          if (token && (await conn.uaa.revoke(token))) revoked++
        }
      } finally {
        conn.close()
      }
    } catch (err) {
      ctx.warn(
        `could not revoke the token of "${name}" at UAA (${err instanceof Error ? err.message : String(err)}); it was forgotten and expires on its own`,
      )
    }
  }
  await store.update((d) => {
    for (const n of names) delete d.targets[n]
    if (d.current && !d.targets[d.current]) d.current = null
  })
  return {loggedOut: names, revoked}
}

export interface TargetInput extends SessionOptions {
  /** Make this stored target the current one. */
  use?: string
  setOrg?: string
  setSpace?: string
}

export interface TargetInfo extends TargetSummary {
  /** `store` (cfguard login), `cf-cli` (the cf CLI's session) or `env`. */
  source: 'env' | 'store' | 'cf-cli'
  storedTargets: string[]
  current: string | null
  /** The cf CLI's login, when there is one: which API, and whether this run used it. */
  cfCliSession: {api: string | null; used: boolean} | null
}

export async function showOrSetTarget(ctx: RunContext, input: TargetInput): Promise<TargetInfo> {
  const store = new ConfigStore(ctx.home, ctx.warn)
  if (input.use) {
    const name = validateTargetName(input.use)
    await store.update((d) => {
      if (!d.targets[name]) {
        throw usageError(
          `no stored target named "${name}"`,
          `stored targets: ${Object.keys(d.targets).join(', ') || 'none'}`,
        )
      }
      d.current = name
    })
  }
  const session = await openSession(ctx, {...input, target: input.target ?? input.use})
  try {
    let {org, space} = session.target
    if (input.setOrg || input.setSpace) {
      if (session.target.source !== 'store' || !session.target.name) {
        throw usageError(
          `-o/-s change cfguard's stored targets; this session comes from ${session.target.source === 'cf-cli' ? 'the cf CLI' : 'the environment'}`,
          'log in with `cfguard login` first, or pass --org/--space to each command',
        )
      }
      const orgName = input.setOrg ?? org?.name
      if (!orgName) throw usageError('-s needs an org', 'cfguard target -o ORG -s SPACE')
      const o = await session.cc.orgs.single({names: [orgName]})
      org = {guid: o.guid, name: o.name}
      space = null
      if (input.setSpace) {
        const s = await session.cc.spaces.single({names: [input.setSpace], organizationGuids: [o.guid]})
        space = {guid: s.guid, name: s.name}
      }
      const name = session.target.name
      await store.update((d) => {
        const t = d.targets[name]
        if (t) {
          t.org = org
          t.space = space
        }
      })
    }
    const data = store.read()
    const cf = readCfCliConfig(ctx.env)
    const cfLoggedIn = cf !== null && cf.api !== null && (cf.accessToken !== null || cf.refreshToken !== null)
    return {
      name: session.target.name,
      api: session.target.api,
      ccVersion: session.target.ccVersion,
      user: session.target.user,
      client: session.target.client,
      org,
      space,
      tokenExpiresAt: session.target.tokenExpiresAt,
      source: session.target.source,
      storedTargets: Object.keys(data.targets).sort(),
      current: data.current,
      cfCliSession: cfLoggedIn ? {api: cf.api, used: session.target.source === 'cf-cli'} : null,
    }
  } finally {
    session.close()
  }
}

export type {TokenSet}

/** The stored target this login replaces already has an org for the same API (login keeps it). */
function keepsScope(previous: {api: string; org: NamedRef | null} | undefined, api: string): boolean {
  return previous !== undefined && previous.org !== null && sameApi(previous.api, api)
}

/** Most entries a picker lists; more than that, and the hint says how to target by name. */
export const PICKER_MAX = 50

/** The org, then a space of it, chosen at the terminal (the only one is chosen without asking). */
async function pickScope(
  cc: ReturnType<typeof createCcClient>,
  io: SecretInput,
): Promise<{org: NamedRef | null; space: NamedRef | null}> {
  const orgs = (await cc.orgs.listAll()).sort((a, b) => a.name.localeCompare(b.name))
  const o = await pickOne(io, 'org', orgs)
  if (!o) return {org: null, space: null}
  const spaces = (await cc.spaces.listAll({organizationGuids: [o.guid]})).sort((a, b) =>
    a.name.localeCompare(b.name),
  )
  const s = await pickOne(io, 'space', spaces)
  return {org: {guid: o.guid, name: o.name}, space: s ? {guid: s.guid, name: s.name} : null}
}

/**
 * One choice from a numbered list (`cf login`'s picker): the only item without asking, none when
 * there are none or too many to list, else asked until a valid answer or Enter (skip).
 */
export async function pickOne<T extends {name: string}>(
  io: SecretInput,
  kind: 'org' | 'space',
  items: readonly T[],
): Promise<T | null> {
  if (items.length === 0 || items.length > PICKER_MAX) return null
  if (items.length === 1) return items[0]!
  const names = items.map((i) => i.name)
  for (let attempt = 0; attempt < 3; attempt++) {
    const answer = await io.prompt(pickerQuestion(kind, names), false)
    const chosen = parsePick(answer, names)
    if (chosen === null) return null
    if (chosen !== undefined) return items[chosen]!
  }
  return null
}

/** The numbered list and the question, as `cf login` asks it. Pure. */
export function pickerQuestion(kind: 'org' | 'space', names: readonly string[]): string {
  const list = names.map((n, i) => `${i + 1}. ${n}`).join('\n')
  return `Select ${kind === 'org' ? 'an org' : 'a space'}:\n${list}\n\n${kind === 'org' ? 'Org' : 'Space'} (number or name, Enter to skip): `
}

/** The index an answer picks; null for Enter (skip); undefined when it picks nothing. Pure. */
export function parsePick(answer: string, names: readonly string[]): number | null | undefined {
  const a = answer.trim()
  if (a === '') return null
  if (/^\d+$/.test(a)) {
    const n = Number(a)
    return n >= 1 && n <= names.length ? n - 1 : undefined
  }
  const i = names.indexOf(a)
  return i >= 0 ? i : undefined
}

/**
 * After login, what to do when no org or space is targeted (stderr, for people). Pure; null when
 * both are targeted.
 */
export function loginHint(r: Pick<LoginResult, 'org' | 'space'>, bin = 'cfguard'): string | null {
  if (r.org && r.space) return null
  if (!r.org) {
    return (
      'No org or space targeted: commands look at everything this login can see.\n' +
      `Target one with \`${bin} target -o ORG -s SPACE\` (\`${bin} audit --all\` reads everything on purpose).`
    )
  }
  return (
    `No space targeted: commands look at every space of org ${r.org.name}.\n` +
    `Target one with \`${bin} target -s SPACE\`.`
  )
}
