/** Shared by the collector's simulator tests: one collection in process, and the foundation's size. */
import {createContext} from '../../src/context.js'
import {type Session} from '../../src/cf/session.js'
import {openSession} from '../../src/actions/session.js'
import {collectSnapshot, type CollectOptions, type FoundationCounts} from '../../src/collect/index.js'
import {AUDIT_EVENT_TYPES} from '../../src/collect/lists.js'
import {loadOrCreateSalt} from '../../src/config/salt.js'
import type {SimUserName, Simulator} from '../../src/sim/index.js'
import {tempDir} from '../helpers/cli.js'

const DAY = 86_400_000

interface RunOptions extends Partial<Omit<CollectOptions, 'scope' | 'salt'>> {
  home?: string
  user?: SimUserName
  org?: string
  space?: string
  /** Called with the open session before collecting (to instrument it). */
  onSession?: (session: Session) => void
}

export async function collect(sim: Simulator, o: RunOptions = {}) {
  const home = o.home ?? tempDir('cfguard-home-')
  const env: Record<string, string> = {
    CFGUARD_HOME: home,
    CF_HOME: tempDir('cf-home-'),
    CFGUARD_API: sim.apiUrl,
  }
  if (o.user) {
    env.CFGUARD_USERNAME = sim.users[o.user].username
    env.CFGUARD_PASSWORD = sim.users[o.user].password
  } else {
    env.CFGUARD_CLIENT_ID = sim.admin.clientId
    env.CFGUARD_CLIENT_SECRET = sim.admin.clientSecret
  }
  const warnings: string[] = []
  const ctx = createContext({env, home, warn: (m) => warnings.push(m)})
  const session = await openSession(ctx, {org: o.org, space: o.space})
  try {
    o.onSession?.(session)
    const scope = await session.resolveScope()
    const result = await collectSnapshot(session, ctx, {
      scope,
      families: o.families ?? ['identity', 'routes'],
      secrets: o.secrets ?? true,
      cache: o.cache ?? true,
      concurrency: o.concurrency ?? 16,
      checkIssuers: o.checkIssuers ?? false,
      verifyCredentials: o.verifyCredentials ?? false,
      traffic: o.traffic ?? null,
      routeBaseline: null,
      salt: loadOrCreateSalt(home),
    })
    // Attempts the transport made again (a keep-alive socket closed under load, a 5xx): the wire
    // count is the minimum plus these, and a test says so rather than hoping none happen.
    return {...result, warnings, home, transport: session.transport.stats}
  } finally {
    session.close()
  }
}

/** The foundation's size as the simulator holds it (admin view; optionally one org). */
export function countFoundation(sim: Simulator, orgName?: string): FoundationCounts {
  const s = sim.state
  const org = orgName ? [...s.orgs.all()].find((o) => o.name === orgName) : undefined
  const spaces = [...s.spaces.all()].filter((sp) => !org || sp.orgGuid === org.guid)
  const inSpace = new Set(spaces.map((sp) => sp.guid))
  const apps = [...s.apps.all()].filter((a) => inSpace.has(a.spaceGuid))
  const appGuids = new Set(apps.map((a) => a.guid))
  const instances = [...s.serviceInstances.all()].filter((si) => inSpace.has(si.spaceGuid))
  const siGuids = new Set(instances.map((si) => si.guid))
  const bindings = [...s.bindings.all()].filter((b) => (org ? siGuids.has(b.serviceInstanceGuid) : true))
  const live = (b: {lastOperation: {type: string; state: string}}) =>
    !(b.lastOperation.type === 'create' && b.lastOperation.state === 'failed')
  const boundInScope = new Set(
    bindings
      .filter((b) => b.type === 'app' && live(b) && appGuids.has(b.appGuid ?? ''))
      .map((b) => b.serviceInstanceGuid),
  )
  const since = sim.clock.now().getTime() - 31 * DAY
  const routes = [...s.routes.all()].filter((r) => inSpace.has(r.spaceGuid))
  return {
    spaces: spaces.length,
    apps: apps.length,
    processes: [...s.processes.all()].filter((p) => appGuids.has(p.appGuid)).length,
    routes: routes.length,
    domains: s.domains.size,
    serviceInstances: instances.length,
    credentialBindings: bindings.length,
    routeBindings: [...s.routeBindings.all()].filter((rb) => !org || siGuids.has(rb.serviceInstanceGuid))
      .length,
    activeDeployments: s.deployments.lookup('active', 'yes').length,
    auditEvents: sim
      .auditEvents()
      .filter(
        (e) =>
          AUDIT_EVENT_TYPES.includes(e.type) &&
          Date.parse(e.createdAt) > since &&
          (!org || e.orgGuid === org.guid),
      ).length,
    uaaClients: s.uaa.clients.size,
    unboundUserProvided: instances.filter((si) => si.type === 'user-provided' && !boundInScope.has(si.guid))
      .length,
    serviceKeys: bindings.filter((b) => b.type === 'key' && live(b) && siGuids.has(b.serviceInstanceGuid))
      .length,
    routedProcesses: [...s.processes.all()].filter((p) => {
      const app = s.apps.get(p.appGuid)
      return (
        app?.state === 'STARTED' &&
        appGuids.has(p.appGuid) &&
        p.instances > 0 &&
        routes.some((r) => r.destinations.some((d) => d.appGuid === p.appGuid && d.processType === p.type))
      )
    }).length,
  }
}
