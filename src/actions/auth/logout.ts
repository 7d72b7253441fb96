/**
 * `cfguard logout`: stored targets forgotten, their tokens revoked at UAA when it answers. A cf
 * CLI session is left alone.
 */
import {connect} from '../../cf/session.js'
import {reachFor} from '../../config/ca-cert.js'
import {ConfigStore, type StoredTarget} from '../../config/store.js'
import {envFlag} from '../../config/targets.js'
import type {RunContext} from '../../context.js'
import {usageError} from '../../errors.js'

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
    if (t) revoked += await revokeTokens(ctx, name, t)
  }
  await store.update((d) => {
    for (const n of names) delete d.targets[n]
    if (d.current && !d.targets[d.current]) d.current = null
  })
  return {loggedOut: names, revoked}
}

/** Revokes a stored target's tokens at UAA; how many were revoked (a failure is a warning). */
async function revokeTokens(ctx: RunContext, name: string, t: StoredTarget): Promise<number> {
  // A client login's kept token is revoked too (it would otherwise live until it expires).
  const stored = t.auth.kind === 'user' ? [t.auth.refreshToken, t.auth.accessToken] : [t.auth.accessToken]
  if (!stored.some(Boolean)) return 0
  let revoked = 0
  try {
    const conn = await connect(
      ctx,
      t.api,
      reachFor(ctx, {
        skipSslValidation: envFlag(ctx.env, 'CFGUARD_SKIP_SSL_VALIDATION'),
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
  return revoked
}
