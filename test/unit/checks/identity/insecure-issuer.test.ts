import {expect} from 'chai'

import {insecureIssuer} from '../../../../src/checks/identity/insecure-issuer.js'
import {DEFAULT_POLICY, type Policy} from '../../../../src/model/policy.js'
import {unreadUps} from '../../../helpers/identity-fixtures.js'
import {NOW, oidcCredentials, snapshot, ups} from '../../../helpers/snapshot.js'

const withAllowed = (allowedIssuers: string[]): Policy => ({
  ...DEFAULT_POLICY,
  identity: {...DEFAULT_POLICY.identity, allowedIssuers},
})

describe('identity/insecure-issuer', () => {
  it('reports plain http endpoints and TLS verification switched off', () => {
    const s = snapshot({
      serviceInstances: [
        ups({
          guid: 'si-1',
          name: 'billing-oidc',
          credentials: oidcCredentials({
            issuer: 'http://uaa.sys.example.com/oauth/token',
            tokenEndpoint: null,
          }),
        }),
        ups({guid: 'si-2', name: 'orders-oidc', credentials: oidcCredentials({tlsVerifyDisabled: true})}),
      ],
    })
    const findings = insecureIssuer.run(s, DEFAULT_POLICY, NOW)
    expect(findings.map((f) => [f.resource.name, f.message])).to.deep.equal([
      ['billing-oidc', 'billing-oidc: plain http (issuer)'],
      ['orders-oidc', 'orders-oidc: TLS verification switched off'],
    ])
    expect(findings[0]).to.include({severity: 'high'})
    expect(findings[0]!.evidence).to.deep.include({plainHttp: ['issuer'], tlsVerifyDisabled: false})
  })

  it('loopback issuers over http are fine (the local simulator), https is fine', () => {
    const s = snapshot({
      serviceInstances: [
        ups({
          guid: 'a',
          credentials: oidcCredentials({issuer: 'http://127.0.0.1:8443/oauth/token', tokenEndpoint: null}),
        }),
        ups({
          guid: 'b',
          credentials: oidcCredentials({issuer: 'http://localhost:9000', tokenEndpoint: null}),
        }),
        ups({guid: 'c', credentials: oidcCredentials({issuer: 'http://[::1]:9000/', tokenEndpoint: null})}),
        ups({guid: 'd', credentials: oidcCredentials({authDomain: 'authentication.eu10.hana.ondemand.com'})}),
        ups({guid: 'e'}),
      ],
    })
    expect(insecureIssuer.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })

  it('reports an issuer outside identity.allowedIssuers (host, wildcard and path prefix matching)', () => {
    const s = snapshot({
      serviceInstances: [
        ups({guid: 'si-1', name: 'ok-exact'}),
        ups({
          guid: 'si-2',
          name: 'ok-wildcard',
          credentials: oidcCredentials({issuer: 'https://tenant.login.example.com/x'}),
        }),
        ups({
          guid: 'si-3',
          name: 'rogue',
          credentials: oidcCredentials({issuer: 'https://evil.example.net/oauth/token'}),
        }),
      ],
    })
    const policy = withAllowed(['https://uaa.sys.example.com/oauth', 'https://*.login.example.com'])
    const findings = insecureIssuer.run(s, policy, NOW)
    expect(findings.map((f) => f.resource.name)).to.deep.equal(['rogue'])
    expect(findings[0]!.evidence.issuerNotAllowed).to.equal(true)
    expect(
      insecureIssuer.run(s, withAllowed(['https://uaa.sys.example.com/oauth/token/extra']), NOW),
    ).to.have.length(3)
  })

  it('skips credentials that were not read', () => {
    const s = snapshot({serviceInstances: [unreadUps({name: 'billing-oidc'})]})
    expect(insecureIssuer.run(s, withAllowed(['https://nowhere.example.com']), NOW)).to.deep.equal([])
  })
})
