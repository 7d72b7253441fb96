/**
 * The README's policy example, used as written against the demo foundation: its suppression
 * matches what a finding displays (issue 16: the old example, `identity/shared-client` on
 * `acme/prod/billing-*`, could never match, since that rule's findings are UAA clients shown
 * without org or space), so it hides that finding and is not reported unused.
 */
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {AuditResult} from '../../src/model/finding.js'
import {ROOT, parseJson, runCli, tempDir} from '../helpers/cli.js'
import {useSimulator} from '../helpers/sim.js'

/** The first YAML block after the README's policy heading, with the expiry moved into the future. */
function readmePolicy(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Policy, suppressions, baselines'))
  const block = /```yaml\n([\s\S]*?)\n```/.exec(section)
  expect(block, 'README has a policy example').to.not.equal(null)
  // the example's date is for reading; this test is about the pattern, not the calendar
  const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
  return block![1]!.replace(/expires: \d{4}-\d{2}-\d{2}/g, `expires: ${soon}`)
}

describe("e2e: the README's suppression example matches a real finding", function () {
  this.timeout(120_000)
  const ctx = useSimulator({scenario: 'demo'})

  it('hides the finding it names and is not reported unused', async () => {
    const policy = readmePolicy()
    const rule = /- rule: (\S+)/.exec(policy)![1]!
    const dir = tempDir('cfguard-readme-policy-')
    writeFileSync(join(dir, 'cfguard.yml'), `${policy}\n`)
    const r = await runCli(['audit', '--all', '--json', '--fail-on', 'never'], {
      cwd: dir,
      env: {
        CFGUARD_API: ctx.sim.apiUrl,
        CFGUARD_CLIENT_ID: ctx.sim.admin.clientId,
        CFGUARD_CLIENT_SECRET: ctx.sim.admin.clientSecret,
      },
    })
    expect(r.code, r.stderr).to.equal(0)
    const doc = parseJson<AuditResult>(r)
    expect(doc.warnings.filter((w) => w.includes('unused suppression'))).to.deep.equal([])
    expect((doc.result.suppressed ?? []).map((s) => s.rule)).to.include(rule)
  })
})
