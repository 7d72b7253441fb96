import {expect} from 'chai'

import {runChecks} from '../../../../src/checks/index.js'
import {incompleteCredentials} from '../../../../src/checks/identity/incomplete-credentials.js'
import {DEFAULT_POLICY} from '../../../../src/model/policy.js'
import {managed, offering, plan, unreadUps} from '../../../helpers/identity-fixtures.js'
import {NOW, access, app, binding, oidcCredentials, snapshot, ups} from '../../../helpers/snapshot.js'

describe('identity/incomplete-credentials', () => {
  it('reports a client id without a secret, and credentials without any issuer', () => {
    const s = snapshot({
      apps: [app()],
      serviceInstances: [
        ups({
          guid: 'si-1',
          name: 'billing-oidc',
          credentials: oidcCredentials({hasSecret: false, secretFingerprint: null}),
        }),
        ups({
          guid: 'si-2',
          name: 'orders-oidc',
          credentials: oidcCredentials({issuer: null, tokenEndpoint: null, authDomain: null}),
        }),
      ],
      bindings: [binding()],
    })
    const findings = incompleteCredentials.run(s, DEFAULT_POLICY, NOW)
    expect(findings.map((f) => [f.resource.name, f.evidence.missing])).to.deep.equal([
      ['billing-oidc', ['client secret']],
      ['orders-oidc', ['issuer / token endpoint / auth domain']],
    ])
    expect(findings[0]).to.include({severity: 'high'})
    expect(findings[0]!.related.map((r) => r.name)).to.deep.equal(['billing-api'])
    expect(findings[0]!.remediation).to.contain(
      'cf update-user-provided-service billing-oidc -p credentials.json',
    )
  })

  it('reports a managed binding missing its client id under the binding', () => {
    const s = snapshot({
      apps: [app()],
      serviceOfferings: [offering()],
      servicePlans: [plan()],
      serviceInstances: [managed()],
      bindings: [binding({serviceInstanceGuid: 'si-sso', credentials: oidcCredentials({clientId: null})})],
    })
    const [f] = incompleteCredentials.run(s, DEFAULT_POLICY, NOW)
    expect(f!.resource).to.include({kind: 'binding', name: 'billing-sso/billing-api'})
    expect(f!.evidence.missing).to.deep.equal(['client id'])
  })

  it('does not fire for complete credentials, public clients, or non-identity credentials', () => {
    const s = snapshot({
      serviceInstances: [
        ups({guid: 'si-1'}),
        ups({
          guid: 'si-2',
          credentials: oidcCredentials({hasSecret: false, secretFingerprint: null, isPublic: true}),
        }),
        ups({
          guid: 'si-3',
          credentials: oidcCredentials({issuer: null, tokenEndpoint: null, authDomain: 'https://login'}),
        }),
        ups({
          guid: 'si-4',
          credentials: oidcCredentials({shape: 'secret-bearing', clientId: null, hasSecret: false}),
        }),
      ],
    })
    expect(incompleteCredentials.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })

  it('skips credentials that were not read and reports the gap', () => {
    const s = snapshot({
      serviceInstances: [unreadUps({name: 'billing-oidc'})],
      access: access({upsCredentials: {state: 'none', why: '403 CF-NotAuthorized (space auditor)'}}),
    })
    const run = runChecks(s, DEFAULT_POLICY, NOW, [incompleteCredentials])
    expect(run.findings).to.deep.equal([])
    expect(run.gaps[0]).to.deep.include({what: 'user-provided service credentials (not read)'})
  })
})
