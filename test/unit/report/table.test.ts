import {expect} from 'chai'

import {formatTable} from '../../../src/report/table.js'
import {HOSTILE_APP, RULES, allKindsResult, auditResult, emptyResult} from '../../helpers/report-fixtures.js'

const ANSI = /\u001b\[[0-9;]*m/g

const EXPECTED = [
  'cfguard audit of https://api.sys.example.com (CC 3.228.0)',
  'scope: org acme, all spaces · generated 2026-11-28T20:00:00Z',
  '13 findings: 1 critical, 4 high, 4 medium, 2 low, 2 info · fail-on high: 5 at or above → exit 3',
  '',
  'CRITICAL (1)',
  '  routes/internal-exposed  app acme/prod/ledger',
  '      app ledger has a route on the internal domain apps.internal and a public route',
  '      ledger.apps.example.com',
  '      fix: cf unmap-route ledger apps.example.com --hostname ledger',
  '',
  'HIGH (4)',
  '  identity/secret-in-env  app acme/prod/billing-api',
  '      app billing-api sets CLIENT_SECRET in its environment variables',
  '      fix: move it into a user-provided service: cf cups billing-oidc -p credentials.json, then',
  '           cf unset-env billing-api CLIENT_SECRET',
  '  identity/shared-client  service instance acme/prod/billing-oidc',
  '      client billing-client is bound to 2 apps in 2 spaces (prod, staging)',
  '      fix: create one UAA client per app and bind each app its own service instance',
  '  routes/no-healthy-instances  route acme/prod/reports.apps.example.com',
  '      route reports.apps.example.com sends traffic to reports, whose 2 instances are all CRASHED',
  '      fix: cf logs reports --recent, fix the crash, then cf restart reports',
  '  routes/policy-missing  route acme/prod/portal.secure.example.com',
  '      route portal.secure.example.com is on secure.example.com, which enforces route policies, and',
  '      has none: every request is denied',
  '      fix: cf add-route-policy secure.example.com --hostname portal --source cf:space:GUID',
  '',
  'MEDIUM (4)',
  '  identity/stale-credential  service instance acme/prod/payments-sso',
  '      credentials of payments-sso last changed 143 days ago (policy: 90 days)',
  '      fix: cfguard credentials rotate payments-sso',
  '  routes/health-check  process acme/prod/billing-api/web',
  '      routed process billing-api/web uses the "process" health check',
  '      fix: cf set-health-check billing-api http --endpoint /health',
  '  routes/sensitive-path-public  route acme/prod/ops.apps.example.com/actuator',
  '      public route ops.apps.example.com/actuator exposes an operational path (/actuator)',
  '      fix: map the path on apps.internal instead, or bind an authenticating route service',
  '  routes/stopped-app  app acme/staging/legacy<script>window.__pwned=true</script><img',
  '      src="http://127.0.0.1:9/leak" onerror="window.__pwned=true">',
  '      route legacy.apps.example.com maps to the stopped app',
  '      legacy<script>window.__pwned=true</script><img src="http://127.0.0.1:9/leak"',
  '      onerror="window.__pwned=true"> | and more',
  '      fix: cf start the app, or cf unmap-route it',
  '',
  'LOW (2)',
  '  routes/multiple-apps  route acme/prod/checkout.apps.example.com',
  '      route checkout.apps.example.com maps to 2 apps (checkout-blue, checkout-green) and no',
  '      deployment is active',
  '      fix: cf unmap-route checkout-blue apps.example.com --hostname checkout',
  '  routes/orphan  route acme/prod/old-checkout.apps.example.com',
  '      route old-checkout.apps.example.com has no destinations',
  '      fix: cf delete-route apps.example.com --hostname old-checkout',
  '',
  'INFO (2)',
  '  routes/lb-ineffective  route acme/prod/search.apps.example.com',
  '      route search.apps.example.com uses hash load balancing but search runs 1 instance',
  '      fix: scale search to 2 or more instances, or drop the option',
  '  routes/unrouted-app  app acme/staging/invoice-worker',
  '      started app invoice-worker has running web instances and no route',
  '      fix: nothing to do if it is a worker; otherwise cf map-route invoice-worker apps.example.com',
  '',
  'Checked 14 apps, 12 routes, 6 service instances with 41 API requests.',
  '  not checked: user-provided service credentials (not read) because 403 CF-NotAuthorized in space',
  '    acme/staging (space auditor) (rules: identity/shared-client, identity/stale-credential)',
  'Audit events created on the platform by this run: 6 (credential reads show up in `cf events`).',
  '1 finding suppressed by policy or baseline (listed in --format json).',
].join('\n')

describe('report/table', () => {
  it('renders the realistic fixture exactly (width 100, no colour)', () => {
    expect(formatTable(auditResult(), {rules: RULES})).to.equal(`${EXPECTED}\n`)
  })

  it('keeps every line within the width, for several widths and fixtures', () => {
    for (const width of [60, 80, 100, 140]) {
      for (const result of [auditResult(), allKindsResult(), emptyResult()]) {
        const text = formatTable(result, {rules: RULES, width, compliance: 'soc2', color: true})
        for (const line of text.replace(ANSI, '').split('\n')) {
          // Issue 16: a command is never broken over lines (it could not be pasted); only a
          // command longer than the whole width may stick out, alone on its line.
          if ([...line].length > width)
            expect(line.trim(), `line over ${width}: ${line}`).to.match(/^cf(guard)? /)
          else expect([...line].length).to.be.at.most(width)
        }
      }
    }
  })

  it('prints no ANSI codes unless colour is asked for', () => {
    expect(formatTable(auditResult(), {rules: RULES})).not.to.match(ANSI)
    const coloured = formatTable(auditResult(), {rules: RULES, color: true})
    expect(coloured).to.match(ANSI)
    expect(coloured.replace(ANSI, '')).to.equal(formatTable(auditResult(), {rules: RULES}))
  })

  it('strips terminal escapes and control characters from user data', () => {
    const result = auditResult()
    result.findings[0]!.resource.name = 'evil\u001b]0;pwned\u0007\u001b[2Japp\u0000'
    const text = formatTable(result, {rules: RULES, color: false})
    expect(text).to.contain('acme/prod/evilapp')
    expect(/[\u0000-\u0008\u001b\u007f]/.test(text)).to.equal(false)
  })

  it('says when everything passed and nothing was left unchecked', () => {
    const text = formatTable(emptyResult(), {})
    expect(text).to.contain('0 findings: 0 critical, 0 high, 0 medium, 0 low, 0 info · fail-on high: pass')
    expect(text).to.contain('No findings.')
    expect(text).to.contain('no coverage gaps')
  })

  it('states the gate for other thresholds', () => {
    expect(formatTable(auditResult(), {failOn: 'critical'})).to.contain(
      'fail-on critical: 1 at or above → exit 3',
    )
    expect(formatTable(auditResult(), {failOn: 'never'})).to.contain('fail-on never: not gating')
    const onlyLow = {...auditResult(), findings: auditResult().findings.filter((f) => f.severity === 'low')}
    expect(formatTable(onlyLow, {failOn: 'medium'})).to.contain('fail-on medium: pass')
  })

  it('names the foundation of each finding in multi-foundation results', () => {
    const text = formatTable(allKindsResult(), {})
    expect(text).to.contain('identity/overprivileged-client  [eu-1] app acme/prod/app-0')
    expect(text).to.contain('[us-1] uaa client uaa-client-8')
    expect(text).to.contain('scope: all orgs, all spaces, foundation eu-1')
  })

  it('redacts secret-shaped text as defense in depth', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'
    const result = auditResult()
    result.findings[0]!.message = `leaked token ${jwt} in a message`
    const text = formatTable(result, {})
    expect(text.includes(jwt)).to.equal(false, 'token leaked into the table')
    expect(text).to.contain('leaked token [REDACTED] in a message')
  })

  it('prints the hostile app name as plain text', () => {
    expect(formatTable(auditResult(), {})).to.contain('legacy<script>window.__pwned=true</script><img')
    expect(HOSTILE_APP).to.contain('<script>')
  })
})
