import {expect} from 'chai'

import {loadSuppressions, parseSuppressions} from '../../../src/config/suppressions.js'
import {applySuppressions, displayedPath, matchesResource} from '../../../src/config/suppressions-apply.js'
import type {Finding, ResourceRef} from '../../../src/model/finding.js'
import type {Suppression} from '../../../src/model/policy.js'
import {CATALOG_RULE_IDS, FIXTURES, NOW, rejection} from './policy-fixtures.js'

function finding(rule: string, resource: ResourceRef, fingerprint: string): Finding {
  return {
    rule,
    severity: 'high',
    title: rule,
    message: `${rule} on ${resource.name}`,
    resource,
    related: [],
    evidence: {},
    remediation: 'fix it',
    fingerprint,
  }
}

const BILLING: ResourceRef = {
  kind: 'app',
  guid: '0b6f7c1e-2d3a-4b5c-9d8e-7f6a5b4c3d2e',
  name: 'billing-api',
  space: 'prod',
  org: 'acme',
}
const INVOICING: ResourceRef = {kind: 'app', guid: 'a-2', name: 'invoicing', space: 'prod', org: 'acme'}
const STAGING_BILLING: ResourceRef = {
  kind: 'app',
  guid: 'a-3',
  name: 'billing-api',
  space: 'staging',
  org: 'acme',
}
const ROUTE: ResourceRef = {
  kind: 'route',
  guid: 'r-1',
  name: 'old.apps.example.com/admin',
  space: 'prod',
  org: 'acme',
}

const sharedBilling = finding('identity/shared-client', BILLING, 'fp-shared-billing')
const sharedInvoicing = finding('identity/shared-client', INVOICING, 'fp-shared-invoicing')
const sharedStaging = finding('identity/shared-client', STAGING_BILLING, 'fp-shared-staging')
const secretBilling = finding('identity/secret-in-env', BILLING, 'fp-secret-billing')
const orphanRoute = finding('routes/orphan', ROUTE, 'fp-orphan')

const suppression = (over: Partial<Suppression>): Suppression => ({
  rule: 'identity/shared-client',
  resource: 'billing-*',
  reason: 'SEC-412',
  expires: '2027-03-31',
  source: 'cfguard.yml:12',
  ...over,
})

describe('suppressions', () => {
  describe('applySuppressions', () => {
    it('an active suppression hides the findings it matches and records why', () => {
      const out = applySuppressions(
        [sharedBilling, secretBilling, sharedInvoicing],
        [suppression({resource: 'acme/prod/billing-*'})],
        NOW,
      )
      expect(out.kept).to.deep.equal([secretBilling, sharedInvoicing])
      expect(out.suppressed).to.deep.equal([
        {fingerprint: 'fp-shared-billing', rule: 'identity/shared-client', reason: 'SEC-412'},
      ])
      expect(out.warnings).to.deep.equal([])
    })

    it('only hides the named rule on the resource, not other rules', () => {
      const out = applySuppressions([secretBilling], [suppression({})], NOW)
      expect(out.kept).to.deep.equal([secretBilling])
      expect(out.suppressed).to.deep.equal([])
    })

    it('holds through the whole expiry day (UTC), then lets findings through with a warning', () => {
      const s = suppression({expires: '2026-11-28'})
      const lastMoment = new Date('2026-11-28T23:59:59.999Z')
      expect(applySuppressions([sharedBilling], [s], lastMoment).kept).to.deep.equal([])

      const out = applySuppressions([sharedBilling, sharedStaging], [s], new Date('2026-11-29T00:00:00Z'))
      expect(out.kept).to.deep.equal([sharedBilling, sharedStaging])
      expect(out.suppressed).to.deep.equal([])
      expect(out.warnings).to.deep.equal([
        {
          level: 'warning',
          message:
            'suppression cfguard.yml:12 (identity/shared-client on billing-*) expired on 2026-11-28; 2 findings it covered are reported again: renew it with a new reason and expires, or remove it',
        },
      ])
    })

    it('warns about an expired suppression even when it matches nothing now', () => {
      const out = applySuppressions([], [suppression({expires: '2026-01-31'})], NOW)
      expect(out.warnings.map((w) => w.level)).to.deep.equal(['warning'])
      expect(out.warnings[0]?.message).to.include('expired on 2026-01-31; 0 findings')
    })

    it('gives a heads-up when a used suppression ends within two weeks', () => {
      const soon = suppression({expires: '2026-12-05'})
      const out = applySuppressions([sharedBilling], [soon], NOW)
      expect(out.kept).to.deep.equal([])
      expect(out.warnings).to.deep.equal([
        {
          level: 'info',
          message:
            'suppression cfguard.yml:12 (identity/shared-client on billing-*) expires on 2026-12-05, in 7 days; renew it with a new reason and expires, or fix what it covers',
        },
      ])
      expect(
        applySuppressions([sharedBilling], [suppression({expires: '2026-11-28'})], NOW).warnings[0]?.message,
      ).to.include('expires on 2026-11-28, today;')
      expect(
        applySuppressions([sharedBilling], [suppression({expires: '2026-12-13'})], NOW).warnings,
      ).to.deep.equal([])
    })

    it('matches a resource guid, in any case, and nothing else by it', () => {
      const s = suppression({rule: 'identity/secret-in-env', resource: BILLING.guid.toUpperCase()})
      const other = finding('identity/secret-in-env', STAGING_BILLING, 'fp-secret-staging')
      const out = applySuppressions([secretBilling, other], [s], NOW)
      expect(out.suppressed.map((x) => x.fingerprint)).to.deep.equal(['fp-secret-billing'])
      expect(out.kept).to.deep.equal([other])
    })

    it('matches a glob on the name, or on org/space/name', () => {
      expect(matchesResource('billing-*', BILLING)).to.equal(true)
      expect(matchesResource('billing-?pi', BILLING)).to.equal(true)
      expect(matchesResource('acme/prod/*', BILLING)).to.equal(true)
      expect(matchesResource('acme/*/billing-api', STAGING_BILLING)).to.equal(true)
      expect(matchesResource('acme/prod/*', STAGING_BILLING)).to.equal(false)
      expect(matchesResource('Billing-*', BILLING)).to.equal(false)
      expect(matchesResource('billing', BILLING)).to.equal(false)
      // Route names carry a path; a glob on the name still works.
      expect(matchesResource('*/admin', ROUTE)).to.equal(true)
      expect(matchesResource('old.apps.example.com/admin', ROUTE)).to.equal(true)
      // Without both org and space only the name is matched.
      const client: ResourceRef = {kind: 'uaa_client', guid: 'billing', name: 'billing'}
      expect(matchesResource('billing', client)).to.equal(true)
      expect(matchesResource('acme/prod/billing', client)).to.equal(false)
    })

    it('warns, like an expired one, about a suppression that matched nothing, naming what the findings show', () => {
      const unused = suppression({
        rule: 'routes/orphan',
        resource: 'gone.apps.example.com',
        source: 's.yml:3',
      })
      const out = applySuppressions([orphanRoute], [unused], NOW)
      expect(out.kept).to.deep.equal([orphanRoute])
      expect(out.warnings).to.deep.equal([
        {
          level: 'warning',
          message: `unused suppression s.yml:3 (routes/orphan on gone.apps.example.com): it matched no finding (its rule's findings show "${displayedPath(orphanRoute.resource)}"); fix the pattern, or remove it if the problem is gone`,
        },
      ])
      const none = applySuppressions([], [unused], NOW)
      expect(none.warnings.map((w) => [w.level, w.message.includes('show')])).to.deep.equal([
        ['warning', false],
      ])
    })

    it('matches what the report displays: org/space/name, org/name, or the name alone', () => {
      const orgOnly: ResourceRef = {kind: 'domain', guid: 'g', name: 'prod', org: 'acme'}
      expect(matchesResource('acme/prod', orgOnly)).to.equal(true)
      expect(matchesResource('acme/*', orgOnly)).to.equal(true)
      // the README's old example could never match: shared-client findings are UAA clients
      const client: ResourceRef = {kind: 'uaa_client', guid: 'billing', name: 'billing'}
      expect(displayedPath(client)).to.equal('billing')
      expect(matchesResource('billing*', client)).to.equal(true)
    })

    it('does not call a suppression unused when its rule did not run', () => {
      const s = suppression({rule: 'routes/orphan', resource: 'gone.apps.example.com'})
      const out = applySuppressions([], [s], NOW, {evaluatedRules: ['identity/shared-client']})
      expect(out.warnings).to.deep.equal([])
    })

    it('marks every active suppression that matched as used, the first one gives the reason', () => {
      const byName = suppression({reason: 'first'})
      const byPath = suppression({resource: 'acme/prod/*', reason: 'second'})
      const out = applySuppressions([sharedBilling], [byName, byPath], NOW)
      expect(out.suppressed).to.deep.equal([
        {fingerprint: 'fp-shared-billing', rule: 'identity/shared-client', reason: 'first'},
      ])
      expect(out.warnings).to.deep.equal([])
    })
  })

  describe('suppression file', () => {
    it('parses entries with their source line', () => {
      const text = [
        'version: 1',
        'suppressions:',
        '  - rule: routes/orphan',
        '    resource: old-*',
        '    reason: "  DNS migration  "',
        '    expires: 2027-01-31',
      ].join('\n')
      expect(
        parseSuppressions(text, {file: 's.yml', knownRuleIds: CATALOG_RULE_IDS, now: NOW}),
      ).to.deep.equal([
        {
          rule: 'routes/orphan',
          resource: 'old-*',
          reason: 'DNS migration',
          expires: '2027-01-31',
          source: 's.yml:3',
        },
      ])
    })

    it('is checked like the policy file: one located error line, exit 2', async () => {
      const err = await rejection(() =>
        loadSuppressions({
          cwd: FIXTURES,
          path: 'malformed/bad-suppression-file.yml',
          knownRuleIds: CATALOG_RULE_IDS,
          now: NOW,
        }),
      )
      expect(err.exitCode).to.equal(2)
      expect(err.message).to.equal(
        'malformed/bad-suppression-file.yml:5:13: suppressions[0].reason is empty; give a reason (for example reason: "SEC-412: split the client at the v2 cutover")',
      )
    })

    it('needs its own version and suppressions keys', () => {
      expect(() =>
        parseSuppressions('version: 1\nsupressions: []\n', {
          file: 's.yml',
          knownRuleIds: CATALOG_RULE_IDS,
          now: NOW,
        }),
      ).to.throw('s.yml:2:1: unknown key "supressions" at the top level; did you mean "suppressions"?')
    })

    it('finds nothing when there is no suppression file', async () => {
      const out = await loadSuppressions({cwd: `${FIXTURES}/discover/empty`, knownRuleIds: CATALOG_RULE_IDS})
      expect(out).to.deep.equal({suppressions: [], source: null})
    })
  })
})
