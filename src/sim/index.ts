/**
 * The foundation simulator: a stateful Cloud Controller v3 (+ policy server), UAA and Log Cache
 * over real HTTP on loopback, built from docs/platform-facts.md. It shares no code with the client.
 */
import {randomBytes} from 'node:crypto'

import {createCcApp} from './cc/index.js'
import {iso} from './core/clock.js'
import type {App} from './core/model.js'
import {SimState} from './core/state.js'
import {createLogCacheApp} from './logcache/index.js'
import {createNetworkApp} from './network/policies.js'
import {renderVcap} from './runtime/vcap.js'
import type {BaseFoundation} from './scenarios/base.js'
import {buildDemo} from './scenarios/demo.js'
import {buildEmpty} from './scenarios/empty.js'
import {buildGenerated} from './scenarios/generated.js'
import {Faults} from './server/faults.js'
import {ccFaults, plainFaults, uaaFaults} from './server/fault-responses.js'
import {startOriginServer, type OriginHooks, type OriginServer} from './server/http.js'
import {makeSimTls, type SimTls} from './server/tls.js'
import {signingKey} from './uaa/keys.js'
import {createUaaApp} from './uaa/index.js'
import {TokenService} from './uaa/tokens.js'
import type {
  AuditEventView,
  Origin,
  RequestRecord,
  SimInstanceView,
  SimUserName,
  Simulator,
  SimulatorOptions,
  TrafficController,
} from './types.js'

export type * from './types.js'
export {Builder} from './scenarios/builder.js'
export type {SimState} from './core/state.js'

const LOOPBACK = new Set(['127.0.0.1', '::1'])

function newState(options: SimulatorOptions, seed: number): SimState {
  const state = new SimState({
    ccVersion: options.ccVersion ?? '3.228.0',
    accessTokenValiditySeconds: options.accessTokenValiditySeconds ?? 1200,
    refreshTokenValiditySeconds: options.refreshTokenValiditySeconds ?? 2_592_000,
    instanceStartupMs: options.instanceStartupMs ?? 300,
    maxBindingsPerAppServiceInstance: options.maxBindingsPerAppServiceInstance ?? 5,
    jobDurationMs: options.jobDurationMs ?? 200,
    seed,
    accessTokenFormat: options.accessTokenFormat ?? 'jwt',
  })
  state.diegoUnavailable = options.diegoUnavailable ?? false
  return state
}

/** The public names of the origins (`tls.hostname`) and the throwaway CA's certificate, if TLS. */
async function originNames(
  options: SimulatorOptions,
): Promise<{names: Record<Origin, string | undefined>; tls: SimTls | null}> {
  const domain = options.tls?.hostname?.toLowerCase().replace(/\.$/, '')
  if (
    domain !== undefined &&
    !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(domain)
  )
    throw new Error(`not a DNS domain: "${options.tls?.hostname}" (e.g. sys.cfguard.test)`)
  const names: Record<Origin, string | undefined> = {
    cc: domain && `api.${domain}`,
    uaa: domain && `uaa.${domain}`,
    logcache: domain && `log-cache.${domain}`,
  }
  const tls: SimTls | null = options.tls
    ? await makeSimTls({
        dns: [...Object.values(names).filter((n): n is string => n !== undefined), 'localhost'],
        ips: ['127.0.0.1', '::1'],
      })
    : null
  return {names, tls}
}

interface OriginSetup {
  host: string
  state: SimState
  tokens: TokenService
  faults: Faults
  requests: RequestRecord[]
  names: Record<Origin, string | undefined>
  tls: SimTls | null
}

/** Starts UAA, CC (+ policy server) and Log Cache; on a failure, closes those already listening. */
async function startOrigins(options: SimulatorOptions, o: OriginSetup): Promise<OriginServer[]> {
  const {state, tokens, tls} = o
  const servers: OriginServer[] = []
  const start = async (
    origin: Origin,
    app: Parameters<typeof startOriginServer>[0]['app'],
    port: number,
    hooks: OriginHooks,
  ) => {
    const server = await startOriginServer({
      origin,
      app,
      host: o.host,
      port,
      faults: o.faults,
      latencyMs: options.latencyMs ?? 0,
      clock: state.clock,
      record: (r) => o.requests.push(r),
      hooks,
      tls: tls ? {cert: tls.cert, key: tls.key} : undefined,
      publicHost: o.names[origin],
    })
    servers.push(server)
    return server
  }
  try {
    const uaa = await start('uaa', createUaaApp(state, tokens), options.ports?.uaa ?? 0, uaaFaults)
    const cc = await start(
      'cc',
      createCcApp(state, tokens, {
        rateLimit: options.rateLimit ?? null,
        network: createNetworkApp(state, tokens),
      }),
      options.ports?.cc ?? 0,
      ccFaults,
    )
    const logCache = await start(
      'logcache',
      createLogCacheApp(state, tokens),
      options.ports?.logCache ?? 0,
      plainFaults,
    )
    state.urls = {api: cc.url, uaa: uaa.url, logCache: logCache.url}
  } catch (err) {
    await Promise.all(servers.map((s) => s.close()))
    throw err
  }
  return servers
}

const SCENARIOS = ['empty', 'demo', 'generated']

/** Refused before any origin listens: a bad name must not leave servers behind. */
function checkScenario(scenario: string): void {
  if (!SCENARIOS.includes(scenario))
    throw new Error(`unknown scenario "${scenario}" (${SCENARIOS.join(', ')})`)
}

function buildScenario(state: SimState, scenario: string, apps: number | undefined): BaseFoundation {
  if (scenario === 'generated') return buildGenerated(state, apps ?? 100)
  if (scenario === 'demo') return buildDemo(state)
  return buildEmpty(state)
}

type FindApp = (ref: string) => App | undefined

function trafficController(state: SimState, findApp: FindApp): TrafficController {
  return {
    set(app, profile) {
      const a = findApp(app)
      if (!a) throw new Error(`no app ${app}`)
      const entry = state.traffic.get(a.guid)
      state.traffic.set(a.guid, {profile: {...profile}, rawLines: entry?.rawLines ?? [], cache: null})
      state.trafficLru.delete(a.guid)
    },
    addRawLine(app, line) {
      const a = findApp(app)
      if (!a) throw new Error(`no app ${app}`)
      const entry = state.traffic.get(a.guid) ?? {profile: {}, rawLines: [], cache: null}
      entry.rawLines.push(line)
      entry.cache = null
      state.trafficLru.delete(a.guid)
      state.traffic.set(a.guid, entry)
    },
    clear(app) {
      const a = findApp(app)
      if (a) {
        state.traffic.delete(a.guid)
        state.trafficLru.delete(a.guid)
      }
    },
  }
}

function instancesOf(state: SimState, findApp: FindApp, ref: string): SimInstanceView[] {
  state.sync()
  const app = findApp(ref)
  if (!app) return []
  return state.processes.lookup('app', app.guid).flatMap((p) =>
    p.actual.map((i) => ({
      instanceGuid: i.guid,
      index: i.index,
      processGuid: p.guid,
      type: p.type,
      state: i.state,
      startedAt: new Date(i.startedAt).toISOString(),
      vcapServices: renderVcap(i.env.vcap),
      environmentVariables: {...i.env.environmentVariables},
    })),
  )
}

function auditEventsOf(state: SimState, filter: {targetGuid?: string; type?: string}): AuditEventView[] {
  state.sync()
  const rows = filter.targetGuid ? state.events.lookup('target', filter.targetGuid) : [...state.events.all()]
  return rows
    .filter((e) => !filter.type || e.type === filter.type)
    .map((e) => ({
      guid: e.guid,
      type: e.type,
      createdAt: iso(e.createdAt),
      actor: {...e.actor},
      target: {...e.target},
      data: e.data,
      spaceGuid: e.spaceGuid,
      orgGuid: e.orgGuid,
    }))
}

async function tokenFor(
  state: SimState,
  tokens: TokenService,
  base: BaseFoundation,
  user: SimUserName | 'adminClient',
): Promise<string> {
  if (user === 'adminClient') {
    const client = state.uaa.clients.get(base.admin.clientId)!
    return (await tokens.access(client, 'client_credentials', client.authorities, null)).token
  }
  const client = state.uaa.clients.get('cf')!
  const u = state.uaa.usersByName.get(base.users[user].username)!
  return (
    await tokens.access(
      client,
      'password',
      client.scope.filter((s) => u.groups.includes(s)),
      u,
    )
  ).token
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1'
  if (!LOOPBACK.has(host))
    throw new Error(`the simulator listens on loopback only (127.0.0.1 or ::1), not "${host}"`)
  const scenario = options.scenario ?? 'empty'
  checkScenario(scenario)
  const seed = options.seed ?? 1
  const state = newState(options, seed)
  const tokens = new TokenService(state, await signingKey())
  const faults = new Faults(seed)
  const requests: RequestRecord[] = []
  const {names, tls} = await originNames(options)
  const servers = await startOrigins(options, {host, state, tokens, faults, requests, names, tls})
  const base = buildScenario(state, scenario, options.apps)
  const findApp: FindApp = (ref) => state.apps.get(ref) ?? [...state.apps.all()].find((a) => a.name === ref)

  const sim: Simulator = {
    apiUrl: state.urls.api,
    uaaUrl: state.urls.uaa,
    logCacheUrl: state.urls.logCache,
    caPem: tls?.caPem ?? null,
    admin: base.admin,
    users: base.users,
    clock: {
      now: () => state.clock.now(),
      advance: (ms) => state.clock.advance(ms),
      pause: () => state.clock.pause(),
      resume: () => state.clock.resume(),
    },
    requests,
    resetRequests: () => {
      requests.length = 0
    },
    faults,
    traffic: trafficController(state, findApp),
    state,
    instances(ref: string): SimInstanceView[] {
      return instancesOf(state, findApp, ref)
    },
    get secretChanges() {
      return state.uaa.secretChanges
    },
    uaaAccepts(clientId, secret) {
      return state.uaa.clients.get(clientId)?.secrets.includes(secret) ?? false
    },
    auditEvents(filter = {}): AuditEventView[] {
      return auditEventsOf(state, filter)
    },
    tokenFor(user: SimUserName | 'adminClient'): Promise<string> {
      return tokenFor(state, tokens, base, user)
    },
    passcodeFor(user: SimUserName): string {
      const u = state.uaa.usersByName.get(base.users[user].username)!
      const code = randomBytes(12).toString('base64url')
      state.uaa.passcodes.set(code, {userId: u.id, expiresAt: state.now() + 300_000})
      return code
    },
    async stop() {
      await Promise.all(servers.map((s) => s.close()))
    },
  }
  return sim
}
