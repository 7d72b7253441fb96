import {expect} from 'chai'

import {runChecks} from '../../../../src/checks/index.js'
import {secretInEnv} from '../../../../src/checks/identity/secret-in-env.js'
import {DEFAULT_POLICY} from '../../../../src/model/policy.js'
import {envVar} from '../../../helpers/identity-fixtures.js'
import {NOW, access, app, appEnv, oidcCredentials, snapshot, ups} from '../../../helpers/snapshot.js'

describe('identity/secret-in-env', () => {
  it('reports each secret-looking variable of an app, with class and fingerprint', () => {
    const s = snapshot({
      apps: [app()],
      env: [
        appEnv({
          variables: [
            envVar({name: 'CLIENT_SECRET', class: 'secret-literal', fingerprint: 'hmac:111'}),
            envVar({name: 'ID_TOKEN', class: 'jwt', fingerprint: 'hmac:222'}),
          ],
        }),
      ],
    })
    const findings = secretInEnv.run(s, DEFAULT_POLICY, NOW)
    expect(findings.map((f) => f.evidence.variable)).to.deep.equal(['CLIENT_SECRET', 'ID_TOKEN'].sort())
    const f = findings.find((x) => x.evidence.variable === 'CLIENT_SECRET')!
    expect(f).to.include({rule: 'identity/secret-in-env', severity: 'high'})
    expect(f.resource).to.deep.equal({
      kind: 'app',
      guid: 'app-1',
      name: 'billing-api',
      space: 'prod',
      org: 'acme',
    })
    expect(f.evidence).to.deep.include({valueClass: 'secret-literal', fingerprint: 'hmac:111'})
    expect(f.message).to.equal(
      'app billing-api sets CLIENT_SECRET to a literal secret in its environment variables',
    )
    expect(new Set(findings.map((x) => x.fingerprint)).size).to.equal(2)
  })

  it('names the service that already holds the same secret', () => {
    const s = snapshot({
      apps: [app()],
      serviceInstances: [ups({credentials: oidcCredentials({secretFingerprint: 'hmac:same'})})],
      env: [appEnv({variables: [envVar({fingerprint: 'hmac:same'})]})],
    })
    const [f] = secretInEnv.run(s, DEFAULT_POLICY, NOW)
    expect(f!.evidence.sameSecretAs).to.deep.equal(['billing-oidc'])
    expect(f!.related.map((r) => r.name)).to.deep.equal(['billing-oidc'])
    expect(f!.remediation).to.contain('cf unset-env billing-api CLIENT_SECRET')
  })

  it('does not fire for references, plain values or empty secrets', () => {
    const s = snapshot({
      apps: [app()],
      env: [
        appEnv({
          variables: [
            envVar({name: 'CLIENT_SECRET', class: 'reference', fingerprint: null}),
            envVar({name: 'TOKEN_ENDPOINT', class: 'reference', fingerprint: null}),
            envVar({name: 'JAVA_OPTS', class: 'plain', fingerprint: null}),
            envVar({name: 'DB_PASSWORD', class: 'empty', fingerprint: null}),
          ],
        }),
      ],
    })
    expect(secretInEnv.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })

  it('skips apps whose environment was not read, and the runner reports the gap', () => {
    const s = snapshot({
      apps: [app(), app({guid: 'app-2', name: 'orders'})],
      env: [appEnv({read: 'denied', variables: [envVar()]})],
      access: access({env: {state: 'partial', why: '403 CF-NotAuthorized (space auditor)'}}),
    })
    const run = runChecks(s, DEFAULT_POLICY, NOW, [secretInEnv])
    expect(run.findings).to.deep.equal([])
    expect(run.gaps).to.deep.equal([
      {
        what: 'app environment variables (partly read)',
        why: '403 CF-NotAuthorized (space auditor)',
        rules: ['identity/secret-in-env'],
      },
    ])
  })
})
