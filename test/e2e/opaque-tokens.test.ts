/**
 * Opaque access tokens (UAA `token_format=opaque`, docs/platform-facts.md §9.1): the token says nothing about
 * its scopes, the grant response's `scope` does. cfguard must read that, not report `clients.read`
 * as missing.
 */
import {expect} from 'chai'

import {parseJson, runCli} from '../helpers/cli.js'
import {http, withSimulator} from '../helpers/sim.js'
import {cliEnv, upsWorld} from './rotate-world.js'

const SIM = {instanceStartupMs: 100, jobDurationMs: 150, accessTokenFormat: 'opaque' as const}

describe('opaque access tokens, end to end', function () {
  this.timeout(60_000)

  it('UAA clients are read with the scopes of the grant response', async () => {
    await withSimulator(SIM, async (sim) => {
      upsWorld(sim)
      // The knob is in force: a grant without token_format gets an opaque token (no JWT parts).
      const grant = await http('POST', `${sim.uaaUrl}/oauth/token`, {
        form: {
          grant_type: 'client_credentials',
          client_id: sim.admin.clientId,
          client_secret: sim.admin.clientSecret,
        },
      })
      expect(grant.status).to.equal(200)
      expect(String(grant.json.access_token).split('.')).to.have.length(1)
      expect(String(grant.json.scope).split(' ')).to.include('clients.read')

      const list = await runCli(['credentials', 'list', '--json'], {env: cliEnv(sim)})
      expect(list.code, list.stderr).to.equal(0)
      const gaps = parseJson<{gaps: {what: string; why: string}[]}>(list).result.gaps
      expect(gaps.filter((g) => g.what.startsWith('UAA clients'))).to.deep.equal([])

      const audit = await runCli(['identity', 'audit', '--json', '--fail-on', 'never'], {env: cliEnv(sim)})
      expect(audit.code, audit.stderr).to.equal(0)
      const coverage = parseJson<{coverage: {gaps: {what: string; why: string}[]}}>(audit).result.coverage
      expect(coverage.gaps.filter((g) => /UAA clients/.test(g.what))).to.deep.equal([])
    })
  })
})
