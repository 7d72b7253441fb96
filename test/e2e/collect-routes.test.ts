/**
 * The route side of a collection and the opt-in reads, against the demo foundation: Gorouter
 * access logs (Log Cache), policy server, route policies, route reservations in scoped runs, and
 * the issuer / credential probes.
 */
import {expect} from 'chai'

import {evaluate} from '../../src/actions/evaluate.js'
import {DEFAULT_POLICY} from '../../src/model/policy.js'
import {useSimulator} from '../helpers/sim.js'
import {collect} from './collect-support.js'

describe('collection: routes, traffic, reservations and probes', function () {
  this.timeout(60_000)
  const ctx = useSimulator({scenario: 'demo'})

  it('--traffic reads each started routed app once and aggregates its Gorouter lines', async () => {
    const {sim} = ctx
    sim.resetRequests()
    const run = await collect(sim, {families: ['routes'], traffic: {windowSeconds: 3600}})
    const routedStarted = run.snapshot.apps.filter(
      (a) =>
        a.state === 'STARTED' &&
        run.snapshot.routes.some((r) => r.destinations.some((d) => d.appGuid === a.guid)),
    )
    expect(sim.requests.filter((r) => r.origin === 'logcache')).to.have.length(routedStarted.length)
    const traffic = run.snapshot.traffic!
    expect(run.snapshot.access.traffic).to.deep.equal({state: 'full'})
    expect(traffic.windowSeconds).to.equal(3600)
    const search = run.snapshot.apps.find((a) => a.name === 'search')!
    const perIndex = new Map<number, number>()
    for (const s of traffic.stats.filter((x) => x.appGuid === search.guid)) {
      perIndex.set(s.instanceIndex, (perIndex.get(s.instanceIndex) ?? 0) + s.requests)
    }
    expect(perIndex.get(1)!).to.be.greaterThan(3 * perIndex.get(0)!)
    expect(traffic.linesSkipped).to.be.at.least(1)
    // Routes only: no secret read, no identity lists.
    expect(run.stats.auditEventsCreated).to.equal(0)
    expect(run.snapshot.env).to.deep.equal([])
    expect(run.snapshot.access.env.state).to.equal('not-requested')
    expect(
      sim.requests.some(
        (r) => r.path === '/v3/audit_events' || (r.origin === 'uaa' && r.path === '/oauth/clients'),
      ),
    ).to.equal(false)
  })

  it('reads network policies and route policies, and routes/* rules see them', async () => {
    const {sim} = ctx
    const run = await collect(sim, {families: ['routes']})
    expect(run.snapshot.access.networkPolicies).to.deep.equal({state: 'full'})
    expect(run.snapshot.networkPolicies.length).to.be.greaterThan(0)
    expect(run.snapshot.routePolicies.map((p) => p.source)).to.include('cf:any')
    const result = evaluate({
      snapshot: run.snapshot,
      policy: DEFAULT_POLICY,
      now: new Date(),
      selection: {families: ['routes']},
      collection: run.stats,
    }).result
    const rules = new Set(result.findings.map((f) => `${f.rule} ${f.resource.name}`))
    expect(rules.has('routes/internal-unreachable pricing.apps.internal')).to.equal(true)
    expect(rules.has('routes/policy-any public-api.secure.cfguard.test')).to.equal(true)
  })

  it('a scoped run asks route reservations for unserved redirect hosts: free stays high, taken elsewhere is served', async () => {
    const {sim} = ctx
    // A redirect to a host served only in another org (globex/shared-services: ledger-sync).
    sim.state.uaa.clients.get('orders')!.redirectUris.push('https://ledger-sync.apps.cfguard.test/cb')
    const run = await collect(sim, {org: 'acme', space: 'prod', cache: false})
    const reservations = run.snapshot.routeReservations ?? []
    const byHost = (host: string) => reservations.filter((r) => r.host === host)
    expect(byHost('portal-login').map((r) => [r.path, r.matchingRoute])).to.deep.equal([
      ['', false],
      ['/callback', false],
    ])
    expect(byHost('ledger-sync').find((r) => r.path === '')?.matchingRoute).to.equal(true)
    expect(byHost('orders')).to.deep.equal([])
    const result = evaluate({
      snapshot: run.snapshot,
      policy: DEFAULT_POLICY,
      now: new Date(),
      selection: {only: ['identity/redirect-uri-takeover']},
      collection: run.stats,
    }).result
    expect(
      result.findings.map((f) => [f.resource.name, f.severity, f.evidence.confirmedByReservation]),
    ).to.deep.equal([['portal', 'high', true]])
  })

  it('probes issuers and credentials (https or loopback only), once per distinct client and secret', async () => {
    const {sim} = ctx
    sim.resetRequests()
    const run = await collect(sim, {cache: false, checkIssuers: true, verifyCredentials: true})
    const issuers = run.snapshot.issuerProbes
    const uaaIssuer = issuers.find((p) => p.issuer === `${sim.uaaUrl}/oauth/token`)!
    expect(uaaIssuer).to.deep.include({
      discoveryOk: true,
      discoveredIssuer: `${sim.uaaUrl}/oauth/token`,
      error: null,
    })
    expect(uaaIssuer.jwksKeys).to.be.greaterThan(0)
    expect(issuers.some((p) => p.issuer.startsWith('http://idp.legacy.invalid'))).to.equal(false)
    const partner = issuers.find((p) => p.issuer.includes('/zones/partner'))!
    expect(partner.discoveredIssuer).to.equal('https://partner-idp.example.invalid/oauth/token')
    const outcome = (clientId: string) =>
      run.snapshot.credentialProbes.find((p) => p.clientId === clientId)?.outcome
    expect(outcome('analytics')).to.equal('rejected')
    expect(outcome('portal')).to.equal('accepted')
    expect(outcome('billing')).to.equal('accepted')
    expect(outcome('intranet')).to.equal(undefined)
    expect(run.snapshot.access.issuerProbes).to.deep.equal({state: 'full'})
    expect(run.snapshot.access.credentialProbes).to.deep.equal({state: 'full'})
    // One grant per distinct client and secret: the shared reporting client is probed once.
    expect(run.snapshot.credentialProbes.filter((p) => p.clientId === 'reporting')).to.have.length(1)
  })
})
