import {expect} from 'chai'

import {gapsFor, summarizeAccess} from '../../../src/collect/access.js'
import {minimumRequests, requestBreakdown, type FoundationCounts} from '../../../src/collect/cost.js'

describe('collect/access: read states → access and gaps', () => {
  const denied = (place: string) => ({read: 'denied' as const, why: '403 CF-NotAuthorized (auditor)', place})

  it('is full when everything applicable was read (or there was nothing)', () => {
    expect(summarizeAccess([])).to.deep.equal({state: 'full'})
    expect(summarizeAccess([{read: 'read'}, {read: 'not-applicable'}])).to.deep.equal({state: 'full'})
  })

  it('is none when nothing was read, partial when some was, and says why and where', () => {
    expect(summarizeAccess([denied('acme/prod'), denied('acme/dev')])).to.deep.equal({
      state: 'none',
      why: '403 CF-NotAuthorized (auditor) in acme/dev, acme/prod',
    })
    const partial = summarizeAccess([{read: 'read'}, denied('acme/prod'), {read: 'failed', why: '503'}])
    expect(partial.state).to.equal('partial')
    expect(partial.why).to.equal('403 CF-NotAuthorized (auditor) in acme/prod; 503')
  })

  it('makes one gap per reason with counts and places', () => {
    const gaps = gapsFor(
      (n) => `environment of ${n} apps`,
      [
        denied('acme/prod'),
        denied('acme/prod'),
        {read: 'skipped', why: '--no-secrets', place: 'acme/dev'},
        {read: 'read', place: 'acme/dev'},
      ],
    )
    expect(gaps).to.deep.equal([
      {what: 'environment of 2 apps (acme/prod)', why: '403 CF-NotAuthorized (auditor)'},
      {what: 'environment of 1 apps', why: '--no-secrets'},
    ])
  })
})

describe('collect/cost: the request minimum', () => {
  const counts: FoundationCounts = {
    spaces: 400,
    apps: 10_000,
    processes: 11_000,
    routes: 15_000,
    domains: 4,
    serviceInstances: 7_000,
    credentialBindings: 12_000,
    routeBindings: 0,
    activeDeployments: 0,
    auditEvents: 1_200,
    uaaClients: 5_100,
    unboundUserProvided: 30,
    serviceKeys: 12,
  }
  const all = {
    ccVersion: '3.228.0',
    families: ['identity', 'routes'] as const,
    secrets: true,
    scope: 'all' as const,
  }

  it('is pages of 5000 per list plus one read per item without a list endpoint', () => {
    const b = requestBreakdown(counts, {
      ...all,
      families: ['identity', 'routes'],
      uaaClientsReadable: true,
      networkPolicyServer: true,
      session: true,
    })
    expect(b).to.include({
      session: 2,
      spaces: 1,
      apps: 2,
      processes: 3,
      routes: 3,
      domains: 1,
      serviceInstances: 2,
      credentialBindings: 3,
      routeBindings: 1,
      deployments: 1,
      auditEvents: 1,
      uaaClients: 11,
      networkPolicies: 1,
      env: 10_000,
      upsCredentials: 30,
      bindingDetails: 12,
      processStats: 0,
    })
    expect(
      minimumRequests(counts, {
        ...all,
        families: ['identity', 'routes'],
        uaaClientsReadable: true,
        networkPolicyServer: true,
        session: true,
      }),
    ).to.equal(2 + 1 + 2 + 3 + 3 + 1 + 2 + 3 + 1 + 1 + 1 + 11 + 1 + 10_000 + 30 + 12)
  })

  it('reads no secret with --no-secrets, and nothing identity-only for routes alone', () => {
    const noSecrets = requestBreakdown(counts, {...all, families: ['identity'], secrets: false})
    expect([noSecrets.env, noSecrets.upsCredentials, noSecrets.bindingDetails]).to.deep.equal([0, 0, 0])
    const routes = requestBreakdown(counts, {...all, families: ['routes'], uaaClientsReadable: true})
    expect([routes.env, routes.auditEvents, routes.uaaClients]).to.deep.equal([0, 0, 0])
  })

  it("filters binding lists by the scope's service instances in batches of 200 (none without instances)", () => {
    const scoped = {...counts, serviceInstances: 450, credentialBindings: 600, routeBindings: 2}
    const b = requestBreakdown(scoped, {...all, families: ['identity'], scope: 'org', scopeLookups: 1})
    expect([b.credentialBindings, b.routeBindings, b.scopeLookups]).to.deep.equal([3, 3, 1])
    const empty = requestBreakdown(
      {...scoped, serviceInstances: 0},
      {...all, families: ['identity'], scope: 'space'},
    )
    expect([empty.credentialBindings, empty.routeBindings]).to.deep.equal([0, 0])
  })

  it('adds /stats per routed process only before CC 3.211, and Log Cache reads with --traffic', () => {
    const c = {...counts, routedProcesses: 9_000, routedStartedApps: 8_000}
    expect(requestBreakdown(c, {...all, families: ['routes'], ccVersion: '3.210.9'}).processStats).to.equal(
      9_000,
    )
    expect(requestBreakdown(c, {...all, families: ['routes'], ccVersion: '3.211.0'}).processStats).to.equal(0)
    expect(requestBreakdown(c, {...all, families: ['routes'], traffic: true}).traffic).to.equal(8_000)
  })
})
