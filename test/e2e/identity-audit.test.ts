/**
 * `cfguard identity audit` and `identity list` as a user runs them (built CLI, spawned) against
 * the demo foundation: every planted identity rule fires on its planted resource and on nothing
 * else (the clean look-alikes), a space auditor gets the structural rules and coverage gaps, and
 * the flags behave (env twins, usage errors, --no-secrets).
 */
import {expect} from 'chai'

import type {AuditResult} from '../../src/model/finding.js'
import type {IdentityInventory} from '../../src/actions/identity-list.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {useSimulator} from '../helpers/sim.js'
import {adminEnv, demoPolicy} from './identity-support.js'

const pairs = (r: AuditResult) => r.findings.map((f) => `${f.rule} ${f.resource.name}`).sort()

describe('cfguard identity audit on the demo foundation', function () {
  this.timeout(120_000)
  const ctx = useSimulator({scenario: 'demo'})

  it('reports every planted identity rule on its planted resource, and nothing on the look-alikes', async () => {
    const {sim} = ctx
    const r = await runCli(
      ['identity', 'audit', '--json', '--policy', demoPolicy(), '--check-issuers', '--verify-credentials'],
      {env: adminEnv(sim)},
    )
    const doc = parseJson<AuditResult>(r)
    expect(pairs(doc.result)).to.deep.equal(
      [
        'identity/credentials-rejected analytics-oidc',
        'identity/drift ledger',
        'identity/incomplete-credentials inventory-oidc',
        'identity/insecure-issuer legacy-sso',
        'identity/issuer-unreachable partner-oidc',
        'identity/missing payments-ui',
        'identity/orphan-credential old-batch-oidc',
        'identity/overprivileged-client ops-automation',
        'identity/redirect-uri-takeover portal',
        'identity/secret-in-env billing-api',
        'identity/shared-client reporting',
        'identity/stale-credential legacy-crm-oidc',
      ].sort(),
    )
    expect(r.code).to.equal(3)
    expect(doc.status).to.equal(3)
    expect(doc.result.coverage.gaps).to.deep.equal([])
    expect(doc.result.coverage.auditEventsCreated).to.be.greaterThan(0)
    expect(doc.result.findings.every((f) => f.rule.startsWith('identity/'))).to.equal(true)
    expect(doc.result).to.not.have.property('routeMap')
    const secretInEnv = doc.result.findings.find((f) => f.rule === 'identity/secret-in-env')!
    expect(secretInEnv.evidence.variable).to.equal('CLIENT_SECRET')
    expect(String(secretInEnv.evidence.fingerprint)).to.match(/^hmac:[0-9a-f]{24}$/)
  })

  it('opt-in rules stay silent without their flags (no gap either)', async () => {
    const {sim} = ctx
    const r = await runCli(['identity', 'audit', '--json', '--policy', demoPolicy(), '--fail-on', 'never'], {
      env: adminEnv(sim),
    })
    const doc = parseJson<AuditResult>(r)
    expect(r.code).to.equal(0)
    const rules = new Set(doc.result.findings.map((f) => f.rule))
    expect(rules.has('identity/issuer-unreachable')).to.equal(false)
    expect(rules.has('identity/credentials-rejected')).to.equal(false)
    expect(rules.has('identity/secret-in-env')).to.equal(true)
    expect(doc.result.coverage.gaps).to.deep.equal([])
  })

  it('as a space auditor: completes, reports the structural rules, lists the secret-dependent ones as gaps', async () => {
    const {sim} = ctx
    const before = sim.auditEvents().filter((e) => e.type.endsWith('.show')).length
    const r = await runCli(['identity', 'audit', '--json', '--policy', demoPolicy()], {
      env: {
        CFGUARD_API: sim.apiUrl,
        CFGUARD_USERNAME: sim.users.spaceAuditor.username,
        CFGUARD_PASSWORD: sim.users.spaceAuditor.password,
      },
    })
    const doc = parseJson<AuditResult>(r)
    expect([0, 3]).to.include(r.code)
    expect(pairs(doc.result)).to.include('identity/missing payments-ui')
    const gapRules = new Set(doc.result.coverage.gaps.flatMap((g) => g.rules ?? []))
    for (const rule of [
      'identity/secret-in-env',
      'identity/incomplete-credentials',
      'identity/insecure-issuer',
      'identity/shared-client',
      'identity/overprivileged-client',
      'identity/redirect-uri-takeover',
    ]) {
      expect(gapRules.has(rule), `${rule} should be a coverage gap`).to.equal(true)
      expect(doc.result.findings.some((f) => f.rule === rule)).to.equal(false)
    }
    const envGap = doc.result.coverage.gaps.find((g) => g.rules?.includes('identity/secret-in-env'))!
    expect(envGap.why).to.match(/^403 CF-NotAuthorized/)
    expect(doc.result.coverage.auditEventsCreated).to.equal(0)
    expect(sim.auditEvents().filter((e) => e.type.endsWith('.show')).length).to.equal(before)
  })

  it('CFGUARD_NO_SECRETS=true (the --no-secrets twin) reads no secret: zero *.show audit events', async () => {
    const {sim} = ctx
    const before = sim.auditEvents().filter((e) => e.type.endsWith('.show')).length
    const r = await runCli(['identity', 'audit', '--policy', demoPolicy()], {
      env: adminEnv(sim, {CFGUARD_NO_SECRETS: 'true', CFGUARD_FORMAT: 'json', CFGUARD_FAIL_ON: 'never'}),
    })
    expect(r.code).to.equal(0)
    const result = JSON.parse(r.stdout) as AuditResult
    expect(sim.auditEvents().filter((e) => e.type.endsWith('.show')).length).to.equal(before)
    expect(result.coverage.auditEventsCreated).to.equal(0)
    expect(result.coverage.gaps.some((g) => g.why === '--no-secrets')).to.equal(true)
    // Structural identity still works without secrets: the unprotected app, the drifting instances.
    expect(pairs(result)).to.include.members(['identity/missing payments-ui', 'identity/drift ledger'])
  })

  it('a bad --max-age is a usage error before anything is asked of the foundation', async () => {
    const {sim} = ctx
    sim.resetRequests()
    const r = await runCli(['identity', 'audit', '--max-age', 'soon'], {env: adminEnv(sim)})
    expect(r.code).to.equal(2)
    expect(r.stderr.trim().split('\n')[0]).to.equal(
      'cfguard: invalid --max-age "soon": use a number with a unit, e.g. 90d, 12h, 15m, 30s',
    )
    expect(sim.requests).to.deep.equal([])
    const c = await runCli(['identity', 'audit', '--concurrency', '0'], {env: adminEnv(sim)})
    expect(c.code).to.equal(2)
  })

  it('--max-age overrides the policy age (stale-credential counts against it)', async () => {
    const {sim} = ctx
    const r = await runCli(
      [
        'identity',
        'audit',
        '--json',
        '--rules',
        'identity/stale-credential',
        '--max-age',
        '10d',
        '--fail-on',
        'never',
      ],
      {env: adminEnv(sim)},
    )
    const names = parseJson<AuditResult>(r).result.findings.map((f) => f.resource.name)
    // Credentials rotated 12 days ago are now too old; the 2-day-old ledger rotation is not.
    expect(names).to.include.members(['billing-oidc', 'orders-oidc', 'legacy-crm-oidc'])
    expect(names).to.not.include('ledger-oidc')
  })

  it('identity-audit is an alias; identity list (identities) shows the inventory', async () => {
    const {sim} = ctx
    const alias = await runCli(
      ['identity-audit', '--json', '--fail-on', 'never', '--rules', 'identity/orphan-credential'],
      {
        env: adminEnv(sim),
      },
    )
    expect(parseJson<AuditResult>(alias).result.findings.map((f) => f.resource.name)).to.deep.equal([
      'old-batch-oidc',
    ])

    const list = await runCli(['identities', '--json', '-o', 'acme', '-s', 'prod'], {env: adminEnv(sim)})
    expect(list.code).to.equal(0)
    const inv = parseJson<IdentityInventory>(list).result
    expect(inv.target).to.include({org: 'acme', space: 'prod'})
    const billing = inv.entries.find((e) => e.app?.name === 'billing-api' && e.source === 'user-provided')!
    expect(billing).to.deep.include({clientId: 'billing', read: 'read', identity: 'yes'})
    expect(billing.serviceInstance?.name).to.equal('billing-oidc')
    expect(billing.issuer).to.equal(`${sim.uaaUrl}/oauth/token`)
    expect(inv.entries.some((e) => e.app === null && e.serviceInstance?.name === 'old-batch-oidc')).to.equal(
      true,
    )
    expect(inv.entries.some((e) => e.source === 'env' && e.variable === 'CLIENT_SECRET')).to.equal(true)

    const table = await runCli(['identity', 'list', '-o', 'acme', '-s', 'prod'], {env: adminEnv(sim)})
    expect(table.code).to.equal(0)
    const lines = table.stdout.split('\n')
    expect(lines[0]).to.match(/^APP\s+SPACE\s+SOURCE\s+VIA\s+CLIENT ID\s+SECRET\s+AGE\s+READ$/)
    expect(Math.max(...lines.map((l) => l.length))).to.be.at.most(100)
  })
})
