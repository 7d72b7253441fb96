import {expect} from 'chai'

import {protocolMismatchRule} from '../../../../src/checks/routes/protocol-mismatch.js'
import {destination, route} from '../../../helpers/snapshot.js'
import {routeOn, routedSnapshot, runRule, tcpDomain} from '../../../helpers/route-fixtures.js'

describe('routes/protocol-mismatch', () => {
  it('fires when destinations of one app process disagree on protocol', () => {
    const s = routedSnapshot({
      routes: [
        route({
          destinations: [destination(), destination({guid: 'dest-2', port: 9090, protocol: 'http2'})],
        }),
      ],
    })
    const findings = runRule(protocolMismatchRule, s)
    expect(findings).to.have.length(1)
    expect(findings[0]?.message).to.equal(
      'route billing.apps.example.com: destinations of billing-api/web disagree on protocol (http1 vs http2)',
    )
    expect(findings[0]?.remediation).to.equal(
      'cf update-destination billing-api apps.example.com --hostname billing --app-protocol http2',
    )
  })

  it('fires on an http2 destination of a TCP route and a tcp destination of an HTTP route', () => {
    const tcp = tcpDomain()
    const s = routedSnapshot({
      domains: [tcp, ...routedSnapshot().domains],
      routes: [
        routeOn(tcp, {guid: 'route-tcp', destinations: [destination({protocol: 'http2'})]}),
        route({destinations: [destination({protocol: 'tcp'})]}),
      ],
    })
    const findings = runRule(protocolMismatchRule, s)
    expect(findings.map((f) => f.evidence.routeProtocol).sort()).to.deep.equal(['http', 'tcp'])
    expect(findings.find((f) => f.evidence.routeProtocol === 'tcp')?.message).to.contain(
      'TCP route tcp.example.com:1024 has an http2 destination',
    )
  })

  it('treats an unset protocol as the route default (no mismatch)', () => {
    const tcp = tcpDomain()
    const s = routedSnapshot({
      domains: [tcp, ...routedSnapshot().domains],
      routes: [
        route({destinations: [destination(), destination({guid: 'dest-2', protocol: null})]}),
        routeOn(tcp, {guid: 'route-tcp', destinations: [destination({protocol: null})]}),
      ],
    })
    expect(runRule(protocolMismatchRule, s)).to.deep.equal([])
  })

  it('does not compare destinations of different apps', () => {
    const s = routedSnapshot({
      routes: [
        route({
          destinations: [destination(), destination({guid: 'd2', appGuid: 'app-2', protocol: 'http2'})],
        }),
      ],
    })
    expect(runRule(protocolMismatchRule, s)).to.deep.equal([])
  })

  it('judges destinations of apps it cannot see by the route data alone, naming them by guid', () => {
    const s = routedSnapshot({
      apps: [],
      routes: [route({destinations: [destination({appGuid: 'app-x', protocol: 'tcp'})]})],
    })
    expect(runRule(protocolMismatchRule, s).map((f) => f.evidence.app)).to.deep.equal(['app-x'])
  })
})
