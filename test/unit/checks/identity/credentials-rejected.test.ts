import {expect} from 'chai'

import {runChecks} from '../../../../src/checks/index.js'
import {credentialsRejected} from '../../../../src/checks/identity/credentials-rejected.js'
import {DEFAULT_POLICY} from '../../../../src/model/policy.js'
import {credentialProbe} from '../../../helpers/identity-fixtures.js'
import {NOW, access, app, binding, oidcCredentials, snapshot, ups} from '../../../helpers/snapshot.js'

const verified = access({credentialProbes: {state: 'full'}})

describe('identity/credentials-rejected', () => {
  it('reports credentials the token endpoint rejects, as critical', () => {
    const s = snapshot({
      apps: [app()],
      serviceInstances: [ups()],
      bindings: [binding()],
      credentialProbes: [credentialProbe({outcome: 'rejected', detail: '401 unauthorized: Bad credentials'})],
      access: verified,
    })
    const [f, ...rest] = credentialsRejected.run(s, DEFAULT_POLICY, NOW)
    expect(rest).to.deep.equal([])
    expect(f).to.include({severity: 'critical'})
    expect(f!.evidence).to.deep.include({
      clientId: 'billing-client',
      secretFingerprint: 'hmac:aaaa',
      apps: ['billing-api'],
    })
    expect(f!.remediation).to.contain('cfguard credentials rotate billing-oidc')
  })

  it('does not fire for accepted probes, probe errors, or a rejection of a different secret', () => {
    const s = snapshot({
      serviceInstances: [
        ups({guid: 'si-1'}),
        ups({
          guid: 'si-2',
          credentials: oidcCredentials({clientId: 'other', secretFingerprint: 'hmac:bbbb'}),
        }),
        ups({
          guid: 'si-3',
          credentials: oidcCredentials({clientId: 'third', secretFingerprint: 'hmac:cccc'}),
        }),
      ],
      credentialProbes: [
        credentialProbe(),
        credentialProbe({
          clientId: 'other',
          secretFingerprint: 'hmac:bbbb',
          outcome: 'error',
          detail: 'timeout',
        }),
        credentialProbe({clientId: 'third', secretFingerprint: 'hmac:old', outcome: 'rejected'}),
      ],
      access: verified,
    })
    expect(credentialsRejected.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })

  it('runs only with --verify-credentials and reports a gap when probing was partial', () => {
    const s = snapshot({
      serviceInstances: [ups()],
      credentialProbes: [credentialProbe({outcome: 'rejected'})],
    })
    expect(runChecks(s, DEFAULT_POLICY, NOW, [credentialsRejected]).evaluated).to.deep.equal([])
    const partial = snapshot({
      serviceInstances: [ups()],
      access: access({credentialProbes: {state: 'partial', why: 'token endpoint unreachable for 1 client'}}),
    })
    const run = runChecks(partial, DEFAULT_POLICY, NOW, [credentialsRejected])
    expect(run.findings).to.deep.equal([])
    expect(run.gaps.map((g) => g.rules)).to.deep.equal([['identity/credentials-rejected']])
  })
})
