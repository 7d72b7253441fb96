import {expect} from 'chai'

import {internalUnreachableRule} from '../../../../src/checks/routes/internal-unreachable.js'
import {access, destination} from '../../../helpers/snapshot.js'
import {
  internalDomain,
  networkPolicy,
  routeOn,
  routedSnapshot,
  runRule,
  runWithRunner,
} from '../../../helpers/route-fixtures.js'

const internal = internalDomain()

describe('routes/internal-unreachable', () => {
  it('fires when no policy allows any source to the destination port', () => {
    const s = routedSnapshot({
      domains: [internal],
      routes: [routeOn(internal, {destinations: [destination({port: 9000})]})],
      networkPolicies: [networkPolicy({portStart: 8080, portEnd: 8080})],
    })
    const findings = runRule(internalUnreachableRule, s)
    expect(findings).to.have.length(1)
    expect(findings[0]?.message).to.equal(
      'internal route billing.apps.internal → billing-api:9000: no network policy lets any app reach it',
    )
    expect(findings[0]?.remediation).to.equal(
      'cf add-network-policy SOURCE_APP billing-api --protocol tcp --port 9000',
    )
    expect(findings[0]?.evidence.policiesToOtherPorts).to.deep.equal(['tcp:8080'])
  })

  it('does not fire when a tcp policy range covers the port (default port 8080 when unset)', () => {
    const s = routedSnapshot({
      domains: [internal],
      routes: [routeOn(internal, {destinations: [destination({port: null})]})],
      networkPolicies: [networkPolicy({portStart: 8000, portEnd: 8999})],
    })
    expect(runRule(internalUnreachableRule, s)).to.deep.equal([])
  })

  it('a policy range that starts above the port does not cover it', () => {
    const s = routedSnapshot({
      domains: [internal],
      routes: [routeOn(internal, {destinations: [destination({port: 8000})]})],
      networkPolicies: [networkPolicy({portStart: 8080, portEnd: 8999})],
    })
    expect(runRule(internalUnreachableRule, s)).to.have.length(1)
  })

  it('a udp policy does not make an http destination reachable', () => {
    const s = routedSnapshot({
      domains: [internal],
      routes: [routeOn(internal)],
      networkPolicies: [networkPolicy({protocol: 'udp'})],
    })
    expect(runRule(internalUnreachableRule, s)).to.have.length(1)
  })

  it('ignores public routes', () => {
    expect(runRule(internalUnreachableRule, routedSnapshot())).to.deep.equal([])
  })

  it('without a full read of the policies: a coverage gap, no findings', () => {
    for (const state of ['none', 'partial'] as const) {
      const s = routedSnapshot({
        domains: [internal],
        routes: [routeOn(internal)],
        access: access({networkPolicies: {state, why: 'token lacks network.admin / network.write'}}),
      })
      const run = runWithRunner(internalUnreachableRule, s)
      expect(run.findings).to.deep.equal([])
      expect(run.gaps.map((g) => g.rules)).to.deep.equal([['routes/internal-unreachable']])
    }
  })
})
