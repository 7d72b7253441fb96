/**
 * CFGUARD_TRACE shows every request of a run, the opt-in issuer and credential probes included:
 * they go through a transport built in the same place as the session's (cf/session.ts).
 */
import {randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {runCli, tempDir} from '../helpers/cli.js'
import {ccAs, useSimulator} from '../helpers/sim.js'
import {adminEnv, demoPolicy} from './identity-support.js'

describe('the trace shows issuer and credential probes', function () {
  this.timeout(120_000)
  const ctx = useSimulator({scenario: 'demo'})
  const secret = `canary-probe-${randomBytes(9).toString('hex')}`
  // A path nothing else asks for: a request under it can only come from a probe.
  const issuerPath = '/probe-issuer-trace'

  before(async () => {
    const {sim} = ctx
    const api = await ccAs(sim, 'adminClient')
    const billing = [...sim.state.apps.all()].find((a) => a.name === 'billing-api')!
    const ups = await api.post('/v3/service_instances', {
      type: 'user-provided',
      name: 'probe-oidc',
      credentials: {client_id: 'probe-client', client_secret: secret, issuer: `${sim.uaaUrl}${issuerPath}`},
      relationships: {space: {data: {guid: billing.spaceGuid}}},
    })
    expect(ups.status).to.equal(201)
    const bind = await api.post('/v3/service_credential_bindings', {
      type: 'app',
      relationships: {service_instance: {data: {guid: ups.json.guid}}, app: {data: {guid: billing.guid}}},
    })
    expect(bind.status).to.equal(201)
  })

  it('with --check-issuers --verify-credentials, both probes are in the trace file, the secret is not', async () => {
    const {sim} = ctx
    const home = tempDir('cfguard-home-')
    const trace = join(home, 'trace.log')
    const r = await runCli(
      ['identity', 'audit', '--policy', demoPolicy(), '--check-issuers', '--verify-credentials', '--json'],
      {env: adminEnv(sim, {CFGUARD_HOME: home, CFGUARD_TRACE: trace})},
    )
    expect([0, 3], r.stderr.slice(0, 300)).to.include(r.code)
    const text = readFileSync(trace, 'utf8')
    const requests = [...text.matchAll(/^REQUEST .*\n(\w+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`)
    const probes = requests.filter((line) => line.includes(issuerPath))
    expect(probes, 'probe requests in the trace').to.include.members([
      `GET ${sim.uaaUrl}${issuerPath}/.well-known/openid-configuration`,
      `POST ${sim.uaaUrl}${issuerPath}/oauth/token`,
    ])
    // The session's own requests are there too, in the same file.
    expect(requests.some((line) => line.startsWith(`GET ${sim.apiUrl}/v3/apps`))).to.equal(true)
    expect(text.includes(secret), 'the probed client secret leaked into the trace').to.equal(false)
  })
})
