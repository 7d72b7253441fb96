/**
 * `generated`: N apps, deterministic per seed. Shape per the benchmarks: 50 orgs and 400 spaces
 * at 10,000 apps (scaled down for small N, at least one each), ~1.5 routes, ~0.6 user-provided
 * services, ~1.2 credential bindings and 2 web instances per app. Some UPSs hold OIDC client
 * credentials whose client exists in the simulator's UAA.
 */
import type {App, Org, ServiceInstance, Space} from '../core/model.js'
import type {SimState} from '../core/state.js'
import {buildBase, type BaseFoundation} from './base.js'

const DAY = 86_400_000

export function buildGenerated(state: SimState, appCount: number): BaseFoundation {
  const base = buildBase(state)
  const {b, domains, plans} = base
  const r = state.random.fork('generated')
  const uaa = state.urls.uaa
  const orgCount = clamp(Math.round(appCount / 200), 1, 50)
  const spaceCount = Math.max(orgCount, clamp(Math.round(appCount / 25), 1, 400))

  const orgs: Org[] = [base.acme]
  for (let i = 1; i < orgCount; i++) orgs.push(b.org(`org-${pad(i, 3)}`))
  const spaces: Space[] = [base.dev]
  for (let i = 1; i < spaceCount; i++) spaces.push(b.space(orgs[i % orgs.length]!, `space-${pad(i, 3)}`))

  const lb = state.ccVersionAtLeast('3.187.0') ? 'least-connection' : 'least-connections'
  const withOptions = state.ccVersionAtLeast('3.183.0')
  const withHash = state.ccVersionAtLeast('3.210.0')
  const sharedManaged = new Map<string, ServiceInstance>()
  const lastUps = new Map<string, ServiceInstance>()
  const width = String(appCount).length

  const oidcCredentials = (name: string) => {
    const clientId = `${name}-client`
    const secret = r.token(32)
    b.uaaClient({
      clientId,
      secrets: [secret],
      name,
      authorities: ['uaa.resource'],
      authorizedGrantTypes: ['client_credentials'],
    })
    return {
      client_id: clientId,
      client_secret: secret,
      issuer: `${uaa}/oauth/token`,
      token_endpoint: `${uaa}/oauth/token`,
      auth_domain: uaa,
      scopes: ['openid'],
    }
  }

  for (let i = 0; i < appCount; i++) {
    const space = spaces[i % spaces.length]!
    const name = `app-${pad(i, width)}`
    const env: Record<string, string> = {JAVA_OPTS: '-Xmx512m', SPRING_PROFILES_ACTIVE: 'cloud'}
    if (r.chance(0.05)) env.CLIENT_SECRET = r.token(24)
    const app: App = b.app({
      space,
      name,
      instances: 2,
      processes: r.chance(0.1) ? [{type: 'worker', instances: 1}] : [],
      env,
      createdAgoMs: r.int(30, 400) * DAY,
      labels: {team: `team-${i % 7}`, tier: r.pick(['frontend', 'backend', 'batch'])},
    })

    const internal = r.chance(0.05)
    const options: Record<string, string> = {}
    if (withOptions && !internal) {
      const roll = r.float()
      if (roll < 0.1) options.loadbalancing = lb
      else if (withHash && roll < 0.13)
        Object.assign(options, {loadbalancing: 'hash', hash_header: 'X-User-ID'})
    }
    const first = b.route(space, internal ? domains.internal : domains.apps, name, {
      options,
      createdAgoMs: r.int(10, 300) * DAY,
    })
    b.map(first, app)
    if (r.chance(0.5)) {
      const second = r.chance(0.5)
        ? b.route(space, domains.apps, `${name}-api`, {createdAgoMs: r.int(10, 300) * DAY})
        : b.route(space, domains.apps, name, {path: '/v2', createdAgoMs: r.int(10, 300) * DAY})
      b.map(second, app)
    }

    let ups: ServiceInstance | null = null
    if (r.chance(0.6)) {
      const credentials = r.chance(0.5)
        ? oidcCredentials(name)
        : {uri: `postgres://db-${i}.data.cfguard.test:5432/app`, username: `u${i}`, password: r.token(20)}
      ups = b.ups(space, `${name}-creds`, credentials, {
        tags: ['client_id' in credentials ? 'oidc' : 'db'],
        createdAgoMs: r.int(20, 200) * DAY,
      })
      b.bind(app, ups, {createdAgoMs: r.int(5, 19) * DAY})
      if (r.chance(0.3)) b.updateUps(ups, {...ups.credentials}, r.int(4, 18) * DAY)
    }
    if (r.chance(0.4)) {
      let managed = sharedManaged.get(space.guid)
      if (!managed) {
        managed = b.managed(
          space,
          `shared-${space.name}`,
          spaces.indexOf(space) % 2 === 0 ? plans.sso : plans.redis,
          r.int(60, 300) * DAY,
        )
        sharedManaged.set(space.guid, managed)
      }
      b.bind(app, managed, {createdAgoMs: r.int(5, 50) * DAY})
    }
    const neighbour = lastUps.get(space.guid)
    if (neighbour && r.chance(0.2)) b.bind(app, neighbour, {createdAgoMs: r.int(5, 50) * DAY})
    if (ups) lastUps.set(space.guid, ups)

    // Log Cache lost the metrics of a few processes: their stats come with a warning.
    if (r.chance(0.01)) b.web(app).metricsUnavailable = true
    if (r.chance(0.9)) {
      b.start(app, r.int(1, 3) * DAY)
      // A few credentials change after the instances started: those instances drift.
      if (ups && r.chance(0.05)) b.updateUps(ups, {...ups.credentials, rotated: 'true'}, DAY / 2)
    }
  }
  return base
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n))
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}
