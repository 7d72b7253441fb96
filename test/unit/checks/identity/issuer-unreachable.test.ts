import {expect} from 'chai'

import {runChecks} from '../../../../src/checks/index.js'
import {issuerUnreachable} from '../../../../src/checks/identity/issuer-unreachable.js'
import {DEFAULT_POLICY} from '../../../../src/model/policy.js'
import {issuerProbe} from '../../../helpers/identity-fixtures.js'
import {NOW, access, oidcCredentials, snapshot, ups} from '../../../helpers/snapshot.js'

const probed = access({issuerProbes: {state: 'full'}})

describe('identity/issuer-unreachable', () => {
  it('reports failed discovery, a different issuer, and an empty or unreachable JWKS', () => {
    const issuers = [
      'https://a.example.com',
      'https://b.example.com',
      'https://c.example.com',
      'https://d.example.com',
    ]
    const s = snapshot({
      serviceInstances: issuers.map((issuer, i) =>
        ups({guid: `si-${i}`, name: `svc-${i}`, credentials: oidcCredentials({issuer, tokenEndpoint: null})}),
      ),
      issuerProbes: [
        issuerProbe({
          issuer: issuers[0],
          discoveryOk: false,
          discoveredIssuer: null,
          jwksKeys: null,
          error: 'ECONNREFUSED',
        }),
        issuerProbe({issuer: issuers[1], discoveredIssuer: 'https://b.example.com/'}),
        issuerProbe({issuer: issuers[2], discoveredIssuer: issuers[2], jwksKeys: 0}),
        issuerProbe({issuer: issuers[3], discoveredIssuer: issuers[3], jwksKeys: null, error: 'jwks 404'}),
      ],
      access: probed,
    })
    const findings = issuerUnreachable.run(s, DEFAULT_POLICY, NOW)
    expect(findings.map((f) => f.message)).to.deep.equal([
      'svc-0: issuer https://a.example.com discovery failed (ECONNREFUSED)',
      'svc-1: issuer https://b.example.com discovery names a different issuer (https://b.example.com/)',
      'svc-2: issuer https://c.example.com JWKS has no keys',
      'svc-3: issuer https://d.example.com JWKS unreachable (jwks 404)',
    ])
    expect(findings[0]).to.include({severity: 'medium'})
  })

  it('matches probes by issuer or token endpoint; a healthy issuer does not fire', () => {
    const s = snapshot({
      serviceInstances: [ups()],
      issuerProbes: [issuerProbe()],
      access: probed,
    })
    expect(issuerUnreachable.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })

  it('is skipped entirely when --check-issuers was not asked for; unprobed issuers are skipped', () => {
    const s = snapshot({
      serviceInstances: [ups()],
      issuerProbes: [issuerProbe({discoveryOk: false})],
    })
    expect(runChecks(s, DEFAULT_POLICY, NOW, [issuerUnreachable]).evaluated).to.deep.equal([])
    const unprobed = snapshot({
      serviceInstances: [
        ups({credentials: oidcCredentials({issuer: 'https://other.example.com', tokenEndpoint: null})}),
      ],
      issuerProbes: [issuerProbe({discoveryOk: false})],
      access: probed,
    })
    expect(issuerUnreachable.run(unprobed, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })
})
