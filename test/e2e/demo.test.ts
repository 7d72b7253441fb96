/**
 * `cfguard demo` (what `npm run demo` runs): the report names every rule, the user's own home is
 * left alone, and --json gives the result.
 */
import {expect} from 'chai'
import {readdirSync} from 'node:fs'

import type {DemoResult} from '../../src/actions/demo.js'
import {parseJson, runCli, tempDir} from '../helpers/cli.js'

describe('e2e: cfguard demo', function () {
  this.timeout(120_000)
  let ruleIds: string[]

  before(async () => {
    ruleIds = parseJson<{id: string}[]>(await runCli(['rules', '--json'])).result.map((r) => r.id)
    expect(ruleIds.length).to.be.greaterThan(30)
  })

  it('prints a report naming every planted rule, then a rotation plan, exits 0, and leaves $CFGUARD_HOME alone', async () => {
    const home = tempDir('cfguard-home-demo-')
    const r = await runCli(['demo'], {env: {CFGUARD_HOME: home}})
    expect(r.code, r.stderr).to.equal(0)
    expect(ruleIds.filter((id) => !r.stdout.includes(id))).to.deep.equal([])
    expect(r.stdout).to.match(/^cfguard demo — audit of http:\/\/127\.0\.0\.1:\d+ /)
    expect(r.stdout).to.contain('Rotation plan for billing-oidc (dry run: nothing was changed)')
    expect(r.stdout).to.contain('Plan: rotate billing-oidc')
    expect(r.stdout).to.contain('routes/drift  route acme/prod/promo.apps.cfguard.test')
    // Nothing in the demo is a secret that reaches the report, so nothing is redacted in it: a
    // redaction here means a harmless value (a token endpoint URL) was taken for one.
    expect(r.stdout).not.to.contain('[REDACTED]')
    // Quiet: one intro line on stderr, nothing else.
    expect(r.stderr.trim().split('\n')).to.have.length(1)
    expect(readdirSync(home)).to.deep.equal([])
  })

  it('--json gives the audit result with every rule, the drift it caused, and the plan', async () => {
    const r = await runCli(['demo', '--json'])
    expect(r.code, r.stderr).to.equal(0)
    const doc = parseJson<DemoResult>(r)
    expect(doc.status).to.equal(0)
    const found = new Set(doc.result.audit.findings.map((f) => f.rule))
    expect(ruleIds.filter((id) => !found.has(id))).to.deep.equal([])
    const drift = doc.result.audit.findings.filter((f) => f.rule === 'routes/drift')
    expect(drift.map((f) => f.resource.name).sort()).to.deep.equal([
      'orders.apps.cfguard.test',
      'promo.apps.cfguard.test',
    ])
    expect(doc.result.rotation.plan.kind).to.equal('ups-uaa')
    expect(doc.result.rotation.plan.apps.map((a) => a.name)).to.deep.equal(['billing-api'])
    expect(doc.result.audit.coverage.gaps).to.deep.equal([])
  })
})
