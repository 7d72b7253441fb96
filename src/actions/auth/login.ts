/**
 * `cfguard login`: a grant at UAA (password, SSO passcode or client credentials), the token
 * verified, the org and space looked up (or picked at a terminal), the target saved. Only tokens
 * (never passwords or client secrets) are stored, in cfguard's own store; the cf CLI's config is
 * only ever read.
 */
import {resolve as resolvePath} from 'node:path'

import {createCcClient} from '../../cf/ccv3/client.js'
import {TokenManager} from '../../cf/http/tokens.js'
import {normalizeApiUrl} from '../../cf/http/url.js'
import {connect, identity, type Connection} from '../../cf/session.js'
import type {UaaTokens} from '../../cf/uaa/tokens.js'
import {createTokenVerifier} from '../../cf/uaa/verify.js'
import {reachFor} from '../../config/ca-cert.js'
import {readCfCliConfig} from '../../config/cf-cli-config.js'
import {
  ConfigStore,
  type NamedRef,
  type StoreData,
  type StoredAuth,
  validateTargetName,
} from '../../config/store.js'
import {sameApi} from '../../config/targets.js'
import type {RunContext} from '../../context.js'
import {CfguardError, usageError} from '../../errors.js'
import {pickScope} from './picker.js'
import {secretFrom, terminalInput, type SecretInput} from './secret-input.js'
import type {TargetSummary} from './target.js'

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

export interface LoginResult extends TargetSummary {
  name: string
  /** Where the target was saved (no secret is stored; tokens only for user logins). */
  storedIn: string
}

type Method = {kind: 'client'; clientId: string} | {kind: 'passcode'} | {kind: 'password'}

/** What a login is about to do, from its flags and the store: which API, which name, which CA. */
interface LoginPlan {
  api: string
  name: string
  caCert: string | null
  method: Method
}

type Scope = {org: NamedRef | null; space: NamedRef | null}

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
  const plan = planLogin(ctx, input, data)
  const conn = await connect(
    ctx,
    plan.api,
    reachFor(ctx, {skipSslValidation: input.skipSslValidation === true, caCert: plan.caCert}),
  )
  try {
    const tokens = await verifiedTokens(ctx, conn, plan.method, input, io)
    const cc = ccClientWith(ctx, conn, tokens)
    const chosen = await chooseScope(ctx, cc, input, io, data.targets[plan.name], conn.root.api)
    const who = identity(tokens)
    const auth: StoredAuth =
      plan.method.kind === 'client'
        ? {kind: 'client', clientId: plan.method.clientId, accessToken: tokens.accessToken}
        : {
            kind: 'user',
            username: who.user ?? input.username ?? 'unknown',
            oauthClient: 'cf',
            accessToken: tokens.accessToken,
            refreshToken: tokens.refreshToken,
          }
    const {org, space} = await saveLogin(
      ctx,
      store,
      plan,
      {api: conn.root.api, auth, keep: !input.org},
      chosen,
    )
    if (plan.method.kind === 'client') {
      ctx.info(
        'The client secret is not stored: later commands use the client token until it expires, then need CFGUARD_CLIENT_SECRET in their environment.',
      )
    }
    return {
      name: plan.name,
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

/** The API, the target's name, its CA bundle and the grant, from the flags and the store. */
function planLogin(ctx: RunContext, input: LoginInput, data: StoreData): LoginPlan {
  const current = data.current ? data.targets[data.current] : undefined
  const api = chooseApi(ctx, input.api, current?.api)
  const name = validateTargetName(
    input.name ?? (data.current && current && sameApi(current.api, api) ? data.current : 'default'),
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
  return {api, name, caCert, method}
}

function chooseApi(ctx: RunContext, given: string | undefined, current: string | undefined): string {
  const api = given ?? current ?? readCfCliConfig(ctx.env)?.api ?? undefined
  if (!api)
    throw usageError('which foundation? no API given', 'cfguard login --api https://api.<system-domain>')
  return normalizeApiUrl(api)
}

/** The grant's tokens, their signature and issuer checked against UAA's keys. */
async function verifiedTokens(
  ctx: RunContext,
  conn: Connection,
  method: Method,
  input: LoginInput,
  io: SecretInput,
): Promise<UaaTokens> {
  const tokens = await grant(ctx, conn, method, input, io)
  const verify = createTokenVerifier({
    fetchKeys: () => conn.uaa.tokenKeys(),
    issuer: await conn.uaa.issuer(),
    now: ctx.now,
  })
  await verify(tokens.accessToken)
  return tokens
}

/** A CC client on the new token (no renewal: a rejected new token means log in again). */
function ccClientWith(ctx: RunContext, conn: Connection, tokens: UaaTokens) {
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
  return createCcClient({
    transport: conn.transport,
    apiUrl: conn.root.api,
    version: conn.root.ccVersion,
    now: ctx.now,
  })
}

/** `-o`/`-s` looked up by name; else, at a terminal, picked as `cf login` does (unless kept). */
async function chooseScope(
  ctx: RunContext,
  cc: ReturnType<typeof createCcClient>,
  input: LoginInput,
  io: SecretInput,
  previous: {api: string; org: NamedRef | null} | undefined,
  api: string,
): Promise<Scope> {
  if (input.org) {
    const o = await cc.orgs.single({names: [input.org]})
    const org = {guid: o.guid, name: o.name}
    if (!input.space) return {org, space: null}
    const s = await cc.spaces.single({names: [input.space], organizationGuids: [o.guid]})
    return {org, space: {guid: s.guid, name: s.name}}
  }
  if (ctx.isTTY && !ctx.json && !keepsScope(previous, api)) {
    // At a terminal, as `cf login` does: pick the org and space from what this login can see.
    return pickScope(cc, io)
  }
  return {org: null, space: null}
}

/**
 * Saves the target and makes it current. Without `-o`, a target replaced for the same API keeps
 * its org and space (returned: they are what the login now targets).
 */
async function saveLogin(
  ctx: RunContext,
  store: ConfigStore,
  plan: LoginPlan,
  saved: {api: string; auth: StoredAuth; keep: boolean},
  chosen: Scope,
): Promise<Scope> {
  let scope = chosen
  await store.update((d) => {
    const previous = d.targets[plan.name]
    const keepScope = saved.keep && previous && sameApi(previous.api, saved.api)
    if (keepScope) scope = {org: previous.org, space: previous.space}
    d.targets[plan.name] = {
      api: saved.api,
      ...(plan.caCert ? {caCert: plan.caCert} : {}),
      auth: saved.auth,
      org: scope.org,
      space: scope.space,
      savedAt: ctx.now().toISOString(),
    }
    d.current = plan.name
  })
  return scope
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

/** The stored target this login replaces already has an org for the same API (login keeps it). */
function keepsScope(previous: {api: string; org: NamedRef | null} | undefined, api: string): boolean {
  return previous !== undefined && previous.org !== null && sameApi(previous.api, api)
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
