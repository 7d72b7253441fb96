import {expect} from 'chai'

import {runChecks} from '../../../../src/checks/index.js'
import {identityRules} from '../../../../src/checks/identity/index.js'
import {classifyCredentials} from '../../../../src/derive/classify/credentials.js'
import {classifyEnvVars} from '../../../../src/derive/classify/env.js'
import {DEFAULT_POLICY} from '../../../../src/model/policy.js'
import {SALT, uaaClient} from '../../../helpers/identity-fixtures.js'
import {NOW, app, appEnv, binding, snapshot, space, ups} from '../../../helpers/snapshot.js'

/** Secrets planted in the raw data the collector would classify; none may reach a finding. */
const CANARIES = ['CANARYsecretA1b2', 'CANARYpassC3d4', 'CANARYenvE5f6']

describe('identity findings never carry secret values', () => {
  it('runs every identity rule over classified canary-laden data and finds no canary in the output', () => {
    const shared = classifyCredentials(
      {
        client_id: 'billing-client',
        client_secret: 'CANARYsecretA1b2',
        issuer: 'http://admin:CANARYpassC3d4@uaa.sys.example.com/oauth/token',
        skip_ssl_validation: true,
      },
      SALT,
    )
    const incomplete = classifyCredentials({client_id: 'orders', issuer: 'https://login.example.com'}, SALT)
    const s = snapshot({
      spaces: [space(), space({guid: 'space-2', name: 'dev'})],
      apps: [app(), app({guid: 'app-2', name: 'billing-dev', spaceGuid: 'space-2'})],
      serviceInstances: [
        ups({guid: 'si-1', credentials: shared}),
        ups({guid: 'si-2', name: 'billing-oidc-dev', spaceGuid: 'space-2', credentials: shared}),
        ups({guid: 'si-3', name: 'orders-oidc', credentials: incomplete}),
      ],
      bindings: [
        binding({guid: 'b1', credentials: shared}),
        binding({guid: 'b2', appGuid: 'app-2', serviceInstanceGuid: 'si-2', credentials: shared}),
      ],
      env: [
        appEnv({
          variables: classifyEnvVars(
            {CLIENT_SECRET: 'CANARYsecretA1b2', DB_URL: 'postgres://u:CANARYenvE5f6@db/x'},
            SALT,
          ),
        }),
      ],
      uaaClients: [
        uaaClient({authorities: ['uaa.admin'], redirectUris: ['https://gone.apps.example.com/cb']}),
      ],
    })
    const run = runChecks(s, DEFAULT_POLICY, NOW, identityRules)
    const fired = new Set(run.findings.map((f) => f.rule))
    for (const id of [
      'identity/secret-in-env',
      'identity/shared-client',
      'identity/insecure-issuer',
      'identity/incomplete-credentials',
      'identity/stale-credential',
      'identity/orphan-credential',
      'identity/overprivileged-client',
    ]) {
      expect(fired.has(id), `${id} fired`).to.equal(true)
    }
    const out = JSON.stringify(run)
    for (const canary of CANARIES) expect(out.includes(canary)).to.equal(false, 'canary leaked into findings')
  })
})
