import {expect} from 'chai'

import {loadPolicy, parsePolicy} from '../../../src/config/policy.js'
import {DEFAULT_POLICY, type Policy} from '../../../src/model/policy.js'
import {CATALOG_RULE_IDS, FIXTURES, NOW, rejection} from './policy-fixtures.js'

const load = (path: string | undefined, cwd = FIXTURES, extra: {suppressionsPath?: string} = {}) =>
  loadPolicy({cwd, path, knownRuleIds: CATALOG_RULE_IDS, now: NOW, ...extra})

describe('policy file (cfguard.yml)', () => {
  it('maps a complete policy file to the Policy the checks read', async () => {
    const loaded = await load('full.yml')
    const expected: Policy = {
      maxCredentialAgeDays: 60,
      identity: {
        required: [
          {labelSelector: 'exposure=public,tier in (web,api)'},
          {name: '*-api', orgs: ['acme'], spaces: ['prod', 'staging']},
        ],
        sources: ['binding', 'route-service'],
        allowedIssuers: ['https://login.sys.example.com/oauth/token'],
        sharedClientMaxSpaces: 2,
        sharedClientMaxApps: 4,
      },
      routes: {
        internalApps: [{name: '*-internal'}, {labelSelector: '!public', spaces: ['prod']}],
        loadBalancing: [
          {selector: {labelSelector: 'session=sticky'}, algorithm: 'hash'},
          {selector: {name: 'batch-*'}, algorithm: 'least-connection'},
        ],
        sensitivePaths: ['/admin', '/actuator', '/private'],
        sensitiveHostSuffixes: ['-internal', '-ops'],
        trafficImbalanceFactor: 3.5,
      },
      severityOverrides: {'routes/orphan': 'medium', 'identity/stale-credential': 'high'},
      disabledRules: ['routes/weights-ignored'],
      enabledOnly: ['identity/shared-client', 'identity/stale-credential', 'routes/orphan'],
      suppressions: [
        {
          rule: 'identity/shared-client',
          resource: 'acme/prod/billing-*',
          reason: 'SEC-412: billing and invoicing share a client until the v2 cutover',
          expires: '2027-03-31',
          source: 'full.yml:40',
        },
        {
          rule: 'routes/orphan',
          resource: '6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
          reason: 'kept for the DNS migration (owner: platform team)',
          expires: '2026-12-31',
          source: 'full.yml:44',
        },
      ],
    }
    expect(loaded.policy).to.deep.equal(expected)
    expect(loaded.source).to.equal('full.yml')
    expect(loaded.warnings).to.deep.equal([])
  })

  it('applies the defaults for everything a minimal file leaves out', async () => {
    const loaded = await load('minimal.yml')
    expect(loaded.policy).to.deep.equal(DEFAULT_POLICY)
    expect(loaded.source).to.equal('minimal.yml')
  })

  it('uses the defaults when there is no cfguard.yml in the working directory', async () => {
    const loaded = await load(undefined, `${FIXTURES}/discover/empty`)
    expect(loaded.policy).to.deep.equal(DEFAULT_POLICY)
    expect(loaded.source).to.equal(null)
    expect(loaded.suppressionsSource).to.equal(null)
    // A copy: changing it must not change the shared defaults.
    loaded.policy.routes.sensitivePaths.push('/mutated')
    expect(DEFAULT_POLICY.routes.sensitivePaths).to.not.include('/mutated')
  })

  it('finds cfguard.yml and the suppression file next to it in the working directory', async () => {
    const loaded = await load(undefined, `${FIXTURES}/discover/with-file`)
    expect(loaded.source).to.equal('cfguard.yml')
    expect(loaded.suppressionsSource).to.equal('.cfguard-suppressions.yml')
    expect(loaded.policy.maxCredentialAgeDays).to.equal(30)
    expect(loaded.policy.suppressions.map((s) => [s.rule, s.source])).to.deep.equal([
      ['routes/orphan', 'cfguard.yml:5'],
      ['identity/shared-client', '.cfguard-suppressions.yml:3'],
    ])
  })

  it('looks for the suppression file next to a policy given by path', async () => {
    const loaded = await load('discover/with-file/cfguard.yml')
    expect(loaded.suppressionsSource).to.equal('discover/with-file/.cfguard-suppressions.yml')
    expect(loaded.policy.suppressions).to.have.length(2)
  })

  it('lets --suppressions FILE replace the discovered suppression file', async () => {
    const cwd = `${FIXTURES}/discover/with-file`
    const loaded = await load(undefined, cwd, {suppressionsPath: 'other-suppressions.yml'})
    expect(loaded.suppressionsSource).to.equal('other-suppressions.yml')
    expect(loaded.policy.suppressions.map((s) => s.rule)).to.deep.equal([
      'routes/orphan',
      'routes/weights-ignored',
    ])
  })

  it('reads a duration in any unit, or a plain number of days, as days', () => {
    const days = (value: string) =>
      parsePolicy(`version: 1\nidentity:\n  maxCredentialAge: ${value}\n`, {
        file: 'p.yml',
        knownRuleIds: CATALOG_RULE_IDS,
        now: NOW,
      }).policy.maxCredentialAgeDays
    expect(days('12w')).to.equal(84)
    expect(days('36h')).to.equal(1.5)
    expect(days('45')).to.equal(45)
  })

  it('warns when a rule is both in rules.only and rules.disable', () => {
    const text = 'version: 1\nrules:\n  only: [routes/orphan]\n  disable: [routes/orphan]\n'
    const parsed = parsePolicy(text, {file: 'p.yml', knownRuleIds: CATALOG_RULE_IDS, now: NOW})
    expect(parsed.warnings).to.deep.equal([
      'p.yml:4:13: routes/orphan is in both rules.only and rules.disable; it will not run',
    ])
  })

  it('accepts maxApps: null as "no app limit"', () => {
    const text = 'version: 1\nidentity:\n  sharedClient:\n    maxApps: null\n'
    const parsed = parsePolicy(text, {file: 'p.yml', knownRuleIds: CATALOG_RULE_IDS, now: NOW})
    expect(parsed.policy.identity.sharedClientMaxApps).to.equal(null)
  })

  it('fails with exit 2 when --policy names a file that does not exist', async () => {
    const err = await rejection(() => load('nope/cfguard.yml'))
    expect(err.exitCode).to.equal(2)
    expect(err.message).to.equal('nope/cfguard.yml (from --policy / CFGUARD_POLICY) does not exist')
  })

  it('fails with exit 2 when --suppressions names a file that does not exist', async () => {
    const err = await rejection(() => load('minimal.yml', FIXTURES, {suppressionsPath: 'missing.yml'}))
    expect(err.exitCode).to.equal(2)
    expect(err.message).to.equal('missing.yml (from --suppressions / CFGUARD_SUPPRESSIONS) does not exist')
  })

  it('refuses to guess between cfguard.yml and cfguard.yaml', async () => {
    const err = await rejection(() => load(undefined, `${FIXTURES}/discover/both`))
    expect(err.exitCode).to.equal(2)
    expect(err.message).to.equal('both cfguard.yml and cfguard.yaml exist; cfguard reads one')
  })
})
