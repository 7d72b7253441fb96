/**
 * Foundations for the rotation end-to-end tests, built straight into the simulator's state (the
 * CLI under test then works on them over HTTP), and the watcher that checks, every ~50 ms while
 * the CLI runs, that every running instance holds a secret its identity provider accepts.
 */
import {randomBytes} from 'node:crypto'

import {Builder, type Simulator} from '../../src/sim/index.js'
import {startLoopback} from '../helpers/loopback.js'

export const CLIENT = 'billing-client'
export const SPACE = 'dev'
export const ORG = 'acme'

export const secret = (): string => randomBytes(24).toString('base64url')

/** The environment a cron job would have: API, client credentials, target space, fast polling. */
export function cliEnv(sim: Simulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CFGUARD_API: sim.apiUrl,
    CFGUARD_CLIENT_ID: sim.admin.clientId,
    CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
    CFGUARD_ORG: ORG,
    CFGUARD_SPACE: SPACE,
    CFGUARD_POLL_INTERVAL: '100ms',
    ...extra,
  }
}

function builder(sim: Simulator) {
  const b = new Builder(sim.state)
  const space = [...sim.state.spaces.all()].find((s) => s.name === SPACE)!
  return {b, space}
}

export interface UpsWorld {
  ups: {guid: string; name: string}
  clientId: string
  initialSecret: string
  apps: string[]
}

/**
 * A UPS `billing-oidc` holding a secret of the simulator's UAA client `billing-client` (no
 * client_credentials grant: probes read UAA's "Unauthorized grant type"), bound to a started app
 * with a worker, a second started app, and a stopped one.
 */
export function upsWorld(
  sim: Simulator,
  opts: {name?: string; clientId?: string; tokenEndpoint?: string; createdAgoMs?: number} = {},
): UpsWorld {
  const {b, space} = builder(sim)
  const clientId = opts.clientId ?? CLIENT
  const initialSecret = secret()
  if (!opts.tokenEndpoint) {
    b.uaaClient({
      clientId,
      secrets: [initialSecret],
      authorizedGrantTypes: ['authorization_code', 'refresh_token'],
      scope: ['openid'],
      redirectUris: ['https://billing.apps.cfguard.test/callback'],
    })
  }
  const name = opts.name ?? 'billing-oidc'
  const ups = b.ups(
    space,
    name,
    {
      client_id: clientId,
      client_secret: initialSecret,
      ...(opts.tokenEndpoint ? {token_endpoint: opts.tokenEndpoint} : {issuer: `${sim.uaaUrl}/oauth/token`}),
      scope: 'openid',
    },
    {createdAgoMs: opts.createdAgoMs ?? 120 * 86_400_000},
  )
  const api = b.app({space, name: `${name}-api`, instances: 2, processes: [{type: 'worker', instances: 1}]})
  const web = b.app({space, name: `${name}-web`, instances: 2})
  const batch = b.app({space, name: `${name}-batch`, instances: 1})
  for (const app of [api, web, batch]) b.bind(app, ups, {createdAgoMs: 100 * 86_400_000})
  b.start(api, 10 * 86_400_000)
  b.start(web, 10 * 86_400_000)
  return {ups: {guid: ups.guid, name}, clientId, initialSecret, apps: [api.name, web.name, batch.name]}
}

export interface ManagedWorld {
  si: {guid: string; name: string}
  apps: string[]
}

/** A managed SSO instance (a UAA client per binding) bound by name `sso` to two started apps. */
export function managedWorld(sim: Simulator, opts: {name?: string; keys?: string[]} = {}): ManagedWorld {
  const {b, space} = builder(sim)
  const plan = [...sim.state.plans.all()].find((p) => p.name === 'standard')!
  const name = opts.name ?? 'billing-sso'
  const si = b.managed(space, name, plan)
  const api = b.app({space, name: `${name}-api`, instances: 2})
  const web = b.app({space, name: `${name}-web`, instances: 2})
  for (const app of [api, web]) b.bind(app, si, {name: 'sso', createdAgoMs: 100 * 86_400_000})
  for (const key of opts.keys ?? []) b.bind(null, si, {name: key, createdAgoMs: 120 * 86_400_000})
  b.start(api, 10 * 86_400_000)
  b.start(web, 10 * 86_400_000)
  return {si: {guid: si.guid, name}, apps: [api.name, web.name]}
}

interface VcapItem {
  instance_name?: string
  credentials?: Record<string, unknown>
}

export interface Sample {
  /** Running instances checked. */
  running: number
  /** Running instances holding a secret the provider rejects, as `app/index/type`. */
  rejected: string[]
}

/**
 * Checks every RUNNING instance (all process types) of `apps`: the credentials it holds for the
 * service `serviceName` must be accepted (`accepts(clientId, secret)`).
 */
export function sample(
  sim: Simulator,
  apps: string[],
  serviceName: string,
  accepts: (clientId: string, secret: string) => boolean,
): Sample {
  const out: Sample = {running: 0, rejected: []}
  for (const app of apps) {
    for (const i of sim.instances(app)) {
      if (i.state !== 'RUNNING') continue
      out.running++
      const items = Object.values(i.vcapServices).flat() as VcapItem[]
      const mine = items.filter((v) => v.instance_name === serviceName)
      if (mine.length === 0) {
        out.rejected.push(`${app}/${i.index}/${i.type} (no credentials)`)
        continue
      }
      for (const v of mine) {
        const c = v.credentials ?? {}
        const id = c.client_id
        const s = c.client_secret
        if (typeof id !== 'string' || typeof s !== 'string' || !accepts(id, s))
          out.rejected.push(`${app}/${i.index}/${i.type}`)
      }
    }
  }
  return out
}

/** Samples every ~50 ms until stopped; `violations` collects every rejected instance seen. */
export function watch(sim: Simulator, check: () => Sample) {
  const violations = new Set<string>()
  let samples = 0
  let maxRunning = 0
  const tick = () => {
    const s = check()
    samples++
    maxRunning = Math.max(maxRunning, s.running)
    for (const r of s.rejected) violations.add(r)
  }
  tick()
  const timer = setInterval(tick, 50)
  return {
    stop() {
      clearInterval(timer)
      tick()
      return {samples, maxRunning, violations: [...violations]}
    },
  }
}

/** UAA `PUT /oauth/clients/:id/secret` requests the simulator served, by changeMode. */
export function secretChanges(sim: Simulator, clientId: string, mode: string) {
  return sim.secretChanges.filter((c) => c.clientId === clientId && c.changeMode === mode)
}

export interface SharedCopy {
  ups: {guid: string; name: string}
  space: string
  apps: string[]
}

/**
 * The same UAA client and secret as `w`, pasted into a user-provided service of the same name in
 * another space (`staging` by default) and bound to a started app there: what happens when a team
 * copies a service with `cf cups` instead of asking for a client of its own.
 */
export function sharedCopy(
  sim: Simulator,
  w: UpsWorld,
  opts: {space?: string; appName?: string; extra?: Record<string, unknown>} = {},
): SharedCopy {
  const b = new Builder(sim.state)
  const org = [...sim.state.orgs.all()].find((o) => o.name === ORG)!
  const spaceName = opts.space ?? 'staging'
  const space =
    [...sim.state.spaces.all()].find((s) => s.name === spaceName && s.orgGuid === org.guid) ??
    b.space(org, spaceName)
  const ups = b.ups(
    space,
    w.ups.name,
    {
      client_id: w.clientId,
      client_secret: w.initialSecret,
      issuer: `${sim.uaaUrl}/oauth/token`,
      // A copy is seldom exact: extra keys stay as they are when the secret moves.
      ...(opts.extra ?? {scope: 'openid profile'}),
    },
    {createdAgoMs: 90 * 86_400_000},
  )
  const app = b.app({space, name: opts.appName ?? `${w.ups.name}-${spaceName}`, instances: 2})
  b.bind(app, ups, {createdAgoMs: 80 * 86_400_000})
  b.start(app, 5 * 86_400_000)
  return {ups: {guid: ups.guid, name: w.ups.name}, space: spaceName, apps: [app.name]}
}

/**
 * Another identity provider's token endpoint on loopback: a secret in `accepted` gets RFC 6749's
 * `unauthorized_client` (right secret, grant not allowed), any other `invalid_client`.
 */
export async function fakeIdp(): Promise<{
  tokenEndpoint: string
  accepted: Set<string>
  close(): Promise<void>
}> {
  const accepted = new Set<string>()
  const idp = await startLoopback((req, res) => {
    const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /i, ''), 'base64').toString()
    const given = decodeURIComponent(auth.slice(auth.indexOf(':') + 1))
    res.setHeader('content-type', 'application/json')
    if (accepted.has(given)) {
      res
        .writeHead(400)
        .end(JSON.stringify({error: 'unauthorized_client', error_description: 'grant not allowed'}))
    } else res.writeHead(401).end(JSON.stringify({error: 'invalid_client'}))
  })
  return {tokenEndpoint: `${idp.url}/oauth2/token`, accepted, close: idp.close}
}

/**
 * Waits until `ready()` holds (checked every 20 ms), to order a test by what the platform shows
 * rather than by a guessed delay; the cap only turns a hang into a clear failure.
 */
export async function until(ready: () => boolean, what: string, capMs = 60_000): Promise<void> {
  for (let waited = 0; !ready(); waited += 20) {
    if (waited >= capMs) throw new Error(`gave up waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The JSON lease cfguard keeps on a service instance while it rotates it (undefined when free). */
export function leaseOf(sim: Simulator, guid: string): string | undefined {
  return sim.state.serviceInstances.get(guid)!.metadata.annotations['cfguard.io/lease']
}

/** True once an app of `apps` has an ACTIVE deployment (a rotation is rolling it). */
export function rolling(sim: Simulator, apps: string[]): boolean {
  const guids = new Set([...sim.state.apps.all()].filter((a) => apps.includes(a.name)).map((a) => a.guid))
  return [...sim.state.deployments.all()].some((d) => guids.has(d.appGuid) && d.statusValue === 'ACTIVE')
}
