import {expect} from 'chai'

import {loadPolicy, parsePolicy} from '../../../src/config/policy.js'
import {CATALOG_RULE_IDS, FIXTURES, NOW, rejection} from './policy-fixtures.js'

/** Loads test/fixtures/policy/malformed/<name> and returns the error it must fail with. */
async function policyError(name: string) {
  const err = await rejection(() =>
    loadPolicy({cwd: FIXTURES, path: `malformed/${name}`, knownRuleIds: CATALOG_RULE_IDS, now: NOW}),
  )
  expect(err.code).to.equal('POLICY_INVALID')
  expect(err.exitCode).to.equal(2)
  expect(err.message).to.not.include('\n')
  return err.message
}

describe('policy file errors: one line, file:line:column, what to do, exit 2', () => {
  it('a YAML syntax error', async () => {
    expect(await policyError('syntax-error.yml')).to.equal(
      'malformed/syntax-error.yml:4:3: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]; fix the YAML there (indentation, quotes, brackets)',
    )
  })

  it('exponential aliases ("billion laughs"): refused at the first alias, not expanded', async () => {
    expect(await policyError('billion-laughs.yml')).to.equal(
      'malformed/billion-laughs.yml:3:8: too many YAML aliases (*name) expand here; write the values out instead',
    )
  })

  it('a wrong type deep inside a list', async () => {
    expect(await policyError('wrong-type-in-list.yml')).to.equal(
      'malformed/wrong-type-in-list.yml:6:15: identity.requiredFor[1].spaces must be a list of space names, not "prod" (for example spaces: [prod, staging])',
    )
  })

  it('an unknown key, with the likely spelling', async () => {
    expect(await policyError('unknown-key.yml')).to.equal(
      'malformed/unknown-key.yml:4:3: unknown key "sensitvePaths" in routes; did you mean "sensitivePaths"?',
    )
  })

  it('an unknown rule id in rules.disable', async () => {
    expect(await policyError('unknown-rule-disable.yml')).to.equal(
      'malformed/unknown-rule-disable.yml:5:7: unknown rule id "routes/orphans" in rules.disable[1]; did you mean "routes/orphan"?',
    )
  })

  it('an unknown rule id as a severity override key (points at the key)', async () => {
    expect(await policyError('unknown-rule-severity.yml')).to.equal(
      'malformed/unknown-rule-severity.yml:5:5: unknown rule id "identity/stale-credentials" in rules.severity; did you mean "identity/stale-credential"?',
    )
  })

  it('an unknown rule id in a suppression', async () => {
    expect(await policyError('unknown-rule-suppression.yml')).to.equal(
      'malformed/unknown-rule-suppression.yml:3:11: unknown rule id "identity/shared-clients" in suppressions[0].rule; did you mean "identity/shared-client"?',
    )
  })

  it('an unknown rule id with nothing close says where the list is', () => {
    const text = 'version: 1\nrules:\n  disable: [billing/everything]\n'
    expect(() => parsePolicy(text, {file: 'p.yml', knownRuleIds: CATALOG_RULE_IDS, now: NOW})).to.throw(
      'p.yml:3:13: unknown rule id "billing/everything" in rules.disable[0]; run `cfguard rules` to list every rule id',
    )
  })

  it('rule ids come from the caller: an id unknown to this registry is rejected', () => {
    const text = 'version: 1\nrules:\n  disable: [routes/orphan]\n'
    expect(() => parsePolicy(text, {file: 'p.yml', knownRuleIds: ['identity/drift'], now: NOW})).to.throw(
      /^p\.yml:3:13: unknown rule id "routes\/orphan"/,
    )
  })

  it('a bad duration', async () => {
    expect(await policyError('bad-duration.yml')).to.equal(
      'malformed/bad-duration.yml:3:21: identity.maxCredentialAge: "3 months" is not a duration or a number of days; use a number with a unit such as 90d, 12w or 36h, or a plain number of days',
    )
  })

  it('a bad label selector', async () => {
    expect(await policyError('bad-label-selector.yml')).to.equal(
      'malformed/bad-label-selector.yml:5:22: routes.internalApps[1].labelSelector: "tier=(internal" is not a label selector; use key, !key, key=value, key!=value, key in (a,b) or key notin (a,b), separated by commas',
    )
  })

  it('a bad severity', async () => {
    expect(await policyError('bad-severity.yml')).to.equal(
      'malformed/bad-severity.yml:4:20: rules.severity.routes/orphan: "urgent" is not a severity; use one of: critical, high, medium, low, info',
    )
  })

  it('a suppression without a reason (points at the entry)', async () => {
    expect(await policyError('suppression-no-reason.yml')).to.equal(
      'malformed/suppression-no-reason.yml:7:5: suppressions[1] is missing "reason"; add reason: "SEC-412: split the client at the v2 cutover"',
    )
  })

  it('a suppression whose reason is blank', async () => {
    expect(await policyError('suppression-empty-reason.yml')).to.equal(
      'malformed/suppression-empty-reason.yml:5:13: suppressions[0].reason is empty; give a reason (for example reason: "SEC-412: split the client at the v2 cutover")',
    )
  })

  it('a suppression without an expiry', async () => {
    expect(await policyError('suppression-no-expiry.yml')).to.equal(
      'malformed/suppression-no-expiry.yml:3:5: suppressions[0] is missing "expires"; add expires: 2027-03-31',
    )
  })

  it('a date that does not exist', async () => {
    expect(await policyError('bad-date.yml')).to.equal(
      'malformed/bad-date.yml:6:14: suppressions[0].expires: "2027-02-30" is not a date (YYYY-MM-DD); use a real calendar date, e.g. 2027-03-31',
    )
  })

  it('an expiry more than a year ahead', async () => {
    expect(await policyError('expiry-too-far.yml')).to.equal(
      'malformed/expiry-too-far.yml:6:14: suppressions[0].expires 2028-06-30 is more than a year ahead; pick a date on or before 2027-11-28 (suppressions are reviewed at least yearly)',
    )
  })

  it('a file without version: 1', async () => {
    expect(await policyError('no-version.yml')).to.equal(
      'malformed/no-version.yml:1:1: the file is missing "version"; add version: 1',
    )
  })

  it('reports the first problem in file order when there are several', () => {
    const text = [
      'version: 1',
      'identity:',
      '  maxCredentialAge: soon',
      'rules:',
      '  disable: [routes/nope]',
      'routez: {}',
    ].join('\n')
    expect(() => parsePolicy(text, {file: 'p.yml', knownRuleIds: CATALOG_RULE_IDS, now: NOW})).to.throw(
      /^p\.yml:3:21: identity\.maxCredentialAge: "soon"/,
    )
  })

  const inline: [string, string, string][] = [
    ['an empty file', '', 'p.yml:1:1: the file is empty; start it with version: 1'],
    [
      'a list at the top',
      '- version: 1\n',
      'p.yml:1:1: the file must be a YAML mapping that starts with version: 1, not a list',
    ],
    ['another version', 'version: 2\n', 'p.yml:1:10: version is 2; it must be 1'],
    [
      'a duplicate key',
      'version: 1\nversion: 1\n',
      'p.yml:2:1: YAML syntax error: Map keys must be unique; fix the YAML there (indentation, quotes, brackets)',
    ],
    [
      'an empty selector',
      'version: 1\nidentity:\n  requiredFor:\n    - {}\n',
      'p.yml:4:7: identity.requiredFor[0] is empty; give at least one of: labelSelector, name, orgs, spaces',
    ],
    [
      'a zero limit',
      'version: 1\nidentity:\n  sharedClient:\n    maxSpaces: 0\n',
      'p.yml:4:16: identity.sharedClient.maxSpaces is 0; it must be at least 1',
    ],
    [
      'an unknown algorithm',
      'version: 1\nroutes:\n  loadBalancing:\n    - apps: {name: x}\n      algorithm: sticky\n',
      'p.yml:5:18: routes.loadBalancing[0].algorithm: "sticky" is not a load-balancing algorithm; use one of: round-robin, least-connection, hash',
    ],
    [
      'a path without /',
      'version: 1\nroutes:\n  sensitivePaths: [admin]\n',
      'p.yml:3:20: routes.sensitivePaths[0]: "admin" is not a path prefix starting with / (for example /admin)',
    ],
    [
      'an empty only list',
      'version: 1\nrules:\n  only: []\n',
      'p.yml:3:9: rules.only is empty; list at least one item (for example only: [identity/secret-in-env, identity/stale-credential])',
    ],
    [
      'a malformed rule id key',
      'version: 1\nrules:\n  severity:\n    Orphan: low\n',
      'p.yml:4:5: rules.severity: key "Orphan" is not a rule id (family/name) (for example routes/orphan)',
    ],
    [
      'an issuer that is not a URL',
      'version: 1\nidentity:\n  allowedIssuers: [login]\n',
      'p.yml:3:20: identity.allowedIssuers[0]: "login" is not an issuer URL; use a full URL such as https://login.sys.example.com/oauth/token',
    ],
    [
      'a zero age',
      'version: 1\nidentity:\n  maxCredentialAge: 0d\n',
      'p.yml:3:21: identity.maxCredentialAge: "0d" is not a duration or a number of days; use a number with a unit such as 90d, 12w or 36h, or a plain number of days',
    ],
    [
      'a misspelt suppression key (not "missing reason")',
      'version: 1\nsuppressions:\n  - rule: routes/orphan\n    resource: x\n    reasn: y\n    expires: 2027-01-01\n',
      'p.yml:5:5: unknown key "reasn" in suppressions[0]; did you mean "reason"?',
    ],
  ]
  for (const [what, text, message] of inline) {
    it(`${what}`, () => {
      expect(() => parsePolicy(text, {file: 'p.yml', knownRuleIds: CATALOG_RULE_IDS, now: NOW}))
        .to.throw(message)
        .with.property('exitCode', 2)
    })
  }
})
