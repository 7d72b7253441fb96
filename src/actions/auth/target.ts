/**
 * `cfguard target`: what this run targets (and from where), or a stored target made current, or
 * its org and space changed.
 */
import {readCfCliConfig} from '../../config/cf-cli-config.js'
import {ConfigStore, type NamedRef, validateTargetName} from '../../config/store.js'
import type {RunContext} from '../../context.js'
import {usageError} from '../../errors.js'
import {openSession, type SessionOptions} from '../session.js'

/** What `login` and `target` print about a target. */
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
