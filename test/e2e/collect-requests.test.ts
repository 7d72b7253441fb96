/**
 * The collector against the simulator (in process): the number of requests equals the documented
 * minimum for the foundation (counted from the simulator's own state, not from the collector), a
 * cached second run re-reads exactly what changed, and the concurrency limit holds.
 */
import {expect} from 'chai'

import {minimumRequests, type CostOptions} from '../../src/collect/index.js'
import type {Session} from '../../src/cf/session.js'
import type {Simulator} from '../../src/sim/index.js'
import {tempDir} from '../helpers/cli.js'
import {ccAs, useSimulator} from '../helpers/sim.js'
import {collect, countFoundation} from './collect-support.js'

/** The cost options of a full admin run (both rule families, secrets, every org); tests override one or two. */
const FULL_RUN: CostOptions = {
  ccVersion: '3.228.0',
  families: ['identity', 'routes'],
  secrets: true,
  scope: 'all',
  session: true,
  uaaClientsReadable: true,
  networkPolicyServer: true,
}

/** Requests the log holds more than once (method and path), to name what an extra request was. */
function duplicates(sim: Simulator): string[] {
  const seen = new Map<string, number>()
  for (const r of sim.requests)
    seen.set(`${r.method} ${r.path}`, (seen.get(`${r.method} ${r.path}`) ?? 0) + 1)
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`)
}

/**
 * The wire count is the minimum plus the attempts the transport made again (it reports each);
 * a retry is the network's doing, an extra request would be cfguard's. At most a couple under
 * load; the message names any request made twice.
 */
function expectMinimum(sim: Simulator, transport: Session['transport']['stats'], expected: number): void {
  const why = JSON.stringify({
    retries: transport.retries,
    authReplays: transport.authReplays,
    twice: duplicates(sim),
  })
  expect(transport.retries, why).to.be.at.most(2)
  expect(transport.authReplays, why).to.equal(0)
  expect(sim.requests.length - transport.retries, why).to.equal(expected)
}

/** Per-item reads of a request log, as `kind:guid`. */
function perItemReads(sim: Simulator): string[] {
  const out: string[] = []
  for (const r of sim.requests) {
    const m =
      /^\/v3\/apps\/([^/]+)\/env$/.exec(r.path) ??
      /^\/v3\/service_instances\/([^/]+)\/credentials$/.exec(r.path) ??
      /^\/v3\/service_credential_bindings\/([^/]+)\/details$/.exec(r.path)
    if (!m) continue
    const kind = r.path.endsWith('/env') ? 'env' : r.path.endsWith('/credentials') ? 'credentials' : 'details'
    out.push(`${kind}:${m[1]}`)
  }
  return out.sort()
}

describe('collection requests on a generated foundation', function () {
  this.timeout(180_000)
  // 3,400 apps: routes exceed one page of 5000, so paging is part of the count.
  const ctx = useSimulator({scenario: 'generated', apps: 3400, seed: 7})

  it('makes exactly the documented minimum of requests (pages read in parallel)', async () => {
    const {sim} = ctx
    const api = await ccAs(sim, 'adminClient')
    // An unbound UPS and a service key: the other per-item reads of the formula.
    const space = [...sim.state.spaces.all()][3]!
    const unbound = await api.post('/v3/service_instances', {
      type: 'user-provided',
      name: 'unbound-oidc',
      credentials: {client_id: 'lonely', client_secret: 's3cr3t-unbound', issuer: 'https://uaa.example.com'},
      relationships: {space: {data: {guid: space.guid}}},
    })
    expect(unbound.status).to.equal(201)
    const counts = countFoundation(sim)
    expect(counts.routes).to.be.greaterThan(5000)
    sim.resetRequests()
    const run = await collect(sim, {cache: false})
    const expected = minimumRequests(counts, FULL_RUN)
    expectMinimum(sim, run.transport, expected)
    expect(run.stats.requests).to.equal(sim.requests.length)
    expect(run.snapshot.apps).to.have.length(counts.apps)
    expect(run.snapshot.routes).to.have.length(counts.routes)
    expect(run.stats.auditEventsCreated).to.equal(
      counts.apps + counts.unboundUserProvided + counts.serviceKeys,
    )
    expect(run.stats.gaps).to.deep.equal([])
  })

  it('a cached second run re-reads exactly the changed apps and services', async () => {
    const {sim} = ctx
    const api = await ccAs(sim, 'adminClient')
    const home = tempDir('cfguard-home-')
    await collect(sim, {home})
    const apps = [...sim.state.apps.all()]
    const upsBound = [...sim.state.serviceInstances.all()].find(
      (si) => si.type === 'user-provided' && sim.state.bindings.lookup('instance', si.guid).length >= 2,
    )!
    const unbound = [...sim.state.serviceInstances.all()].find((si) => si.name === 'unbound-oidc')!
    const changedApp = apps[10]!
    const boundApps = new Set(sim.state.bindings.lookup('instance', upsBound.guid).map((b) => b.appGuid))
    const newlyBound = apps.find((a) => a.spaceGuid === upsBound.spaceGuid && !boundApps.has(a.guid))!

    expect(
      (await api.patch(`/v3/apps/${changedApp.guid}/environment_variables`, {var: {FEATURE_X: 'on'}})).status,
    ).to.equal(200)
    expect(
      (
        await api.patch(`/v3/service_instances/${upsBound.guid}`, {
          credentials: {...upsBound.credentials, rotated: 'yes'},
        })
      ).status,
    ).to.equal(200)
    expect(
      (
        await api.patch(`/v3/service_instances/${unbound.guid}`, {
          credentials: {client_id: 'lonely', client_secret: 'n3w'},
        })
      ).status,
    ).to.equal(200)
    const bound = await api.post('/v3/service_credential_bindings', {
      type: 'app',
      relationships: {service_instance: {data: {guid: upsBound.guid}}, app: {data: {guid: newlyBound.guid}}},
    })
    expect(bound.status).to.equal(201)

    const expectedEnv = new Set([
      changedApp.guid,
      newlyBound.guid,
      ...sim.state.bindings.lookup('instance', upsBound.guid).map((b) => b.appGuid!),
    ])
    sim.resetRequests()
    const second = await collect(sim, {home})
    expect(perItemReads(sim)).to.deep.equal(
      [...[...expectedEnv].map((g) => `env:${g}`), `credentials:${unbound.guid}`].sort(),
    )
    expect(second.stats.auditEventsCreated).to.equal(expectedEnv.size + 1)

    sim.resetRequests()
    const third = await collect(sim, {home})
    expect(perItemReads(sim)).to.deep.equal([])
    expect(third.stats.auditEventsCreated).to.equal(0)
    // Same answers from the cache as from the platform.
    const fresh = await collect(sim, {home, cache: false})
    expect(third.snapshot.env).to.deep.equal(fresh.snapshot.env)
    expect(third.snapshot.serviceInstances).to.deep.equal(fresh.snapshot.serviceInstances)
    expect(third.snapshot.bindings).to.deep.equal(fresh.snapshot.bindings)
  })
})

describe('collection requests: scopes, versions and modes', function () {
  this.timeout(120_000)

  describe('a scoped run (one org)', () => {
    const ctx = useSimulator({scenario: 'generated', apps: 600, seed: 3})

    it('filters by the org and still makes exactly the minimum', async () => {
      const {sim} = ctx
      const orgName = [...sim.state.orgs.all()][1]!.name
      const counts = countFoundation(sim, orgName)
      sim.resetRequests()
      const run = await collect(sim, {org: orgName, cache: false})
      expect(run.snapshot.target.org).to.equal(orgName)
      expect(run.snapshot.apps).to.have.length(counts.apps)
      expectMinimum(sim, run.transport, minimumRequests(counts, {...FULL_RUN, scope: 'org', scopeLookups: 1}))
    })

    it('--no-secrets writes no *.show audit event and makes only the list requests', async () => {
      const {sim} = ctx
      const shows = () => sim.auditEvents().filter((e) => e.type.endsWith('.show')).length
      const before = shows()
      const counts = countFoundation(sim)
      sim.resetRequests()
      const run = await collect(sim, {secrets: false})
      expect(shows()).to.equal(before)
      expect(run.stats.auditEventsCreated).to.equal(0)
      expect(perItemReads(sim)).to.deep.equal([])
      expectMinimum(sim, run.transport, minimumRequests(counts, {...FULL_RUN, secrets: false}))
      expect(run.snapshot.access.env).to.deep.equal({state: 'none', why: '--no-secrets'})
      expect(run.stats.gaps.map((g) => g.why)).to.include('--no-secrets')
    })

    it('never has more requests in flight than --concurrency', async () => {
      const {sim} = ctx
      sim.faults.set({latencyMs: 3})
      let inFlight = 0
      let peak = 0
      try {
        await collect(sim, {
          cache: false,
          concurrency: 3,
          onSession: (session) => {
            const request = session.transport.request.bind(session.transport)
            session.transport.request = async (req) => {
              inFlight++
              peak = Math.max(peak, inFlight)
              try {
                return await request(req)
              } finally {
                inFlight--
              }
            }
          },
        })
      } finally {
        sim.faults.clear()
      }
      expect(peak).to.be.at.most(3)
      expect(peak).to.be.greaterThan(1)
    })
  })

  describe('CC before 3.211 (no embedded instances)', () => {
    const ctx = useSimulator({scenario: 'generated', apps: 150, seed: 5, ccVersion: '3.205.0'})

    it('reads /stats once per routed process of a started app, and the count is still the minimum', async () => {
      const {sim} = ctx
      const counts = countFoundation(sim)
      sim.resetRequests()
      const run = await collect(sim, {cache: false})
      const stats = sim.requests.filter((r) => /^\/v3\/processes\/[^/]+\/stats$/.test(r.path)).length
      expect(stats).to.equal(counts.routedProcesses)
      expectMinimum(sim, run.transport, minimumRequests(counts, {...FULL_RUN, ccVersion: '3.205.0'}))
      expect(run.snapshot.access.routePolicies.state).to.equal('unsupported')
      const routedWeb = run.snapshot.processes.filter((p) => p.actual !== null && p.actual.length > 0)
      expect(routedWeb.length).to.equal(counts.routedProcesses)
    })
  })
})
