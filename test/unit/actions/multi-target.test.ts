import {expect} from 'chai'

import {createContext} from '../../../src/context.js'
import {
  auditTargets,
  envSuffix,
  foundationEnv,
  mergeResults,
  multiTargetExitCode,
  parseTargetNames,
  type FoundationRun,
} from '../../../src/actions/multi-target.js'
import {CfguardError} from '../../../src/errors.js'
import type {AuditResult, Finding} from '../../../src/model/finding.js'

const NOW = new Date('2026-11-28T20:00:00.000Z')

function finding(rule: string, name: string, severity: Finding['severity'], fingerprint: string): Finding {
  return {
    rule,
    severity,
    title: rule,
    message: `${rule} on ${name}`,
    resource: {kind: 'app', guid: `g-${name}`, name, space: 'prod', org: 'acme'},
    related: [],
    evidence: {},
    remediation: 'fix it',
    fingerprint,
  }
}

function result(api: string, findings: Finding[], extra: Partial<AuditResult> = {}): AuditResult {
  return {
    schemaVersion: 1,
    target: {api, ccVersion: '3.228.0', org: 'acme', space: null},
    generatedAt: '2026-11-28T19:59:00.000Z',
    summary: {critical: 0, high: 0, medium: 0, low: 0, info: 0},
    findings,
    coverage: {
      apps: 10,
      routes: 12,
      serviceInstances: 4,
      gaps: [{what: 'audit events (not read)', why: '403', rules: ['identity/stale-credential']}],
      auditEventsCreated: 2,
      requests: 30,
    },
    ...extra,
  }
}

const staging = (): FoundationRun => ({
  name: 'staging',
  result: result(
    'https://api.staging.test',
    [finding('identity/secret-in-env', 'billing-api', 'high', 'fp-1')],
    {
      suppressed: [{fingerprint: 'fp-9', rule: 'routes/orphan', reason: 'SEC-1'}],
    },
  ),
  error: null,
})
const prod = (): FoundationRun => ({
  name: 'prod',
  result: result('https://api.prod.test', [
    finding('identity/secret-in-env', 'billing-api', 'high', 'fp-2'),
    finding('routes/orphan', 'old-landing', 'low', 'fp-3'),
  ]),
  error: null,
})
const broken = (): FoundationRun => ({
  name: 'dr',
  result: null,
  error: {code: 'API_UNAVAILABLE', message: 'https://api.dr.test is unreachable', exitCode: 5},
})

describe('multi-foundation audit (actions/multi-target)', () => {
  describe('mergeResults', () => {
    it('keeps every finding with its foundation, so one rule can be compared across foundations', () => {
      const merged = mergeResults([staging(), prod()], NOW)
      const byRule = merged.findings
        .filter((f) => f.rule === 'identity/secret-in-env')
        .map((f) => `${f.foundation}:${f.resource.name}`)
      expect(byRule).to.deep.equal(['staging:billing-api', 'prod:billing-api'])
      expect(merged.findings.every((f) => f.foundation !== undefined)).to.equal(true)
      expect(merged.summary).to.deep.equal({critical: 0, high: 2, medium: 0, low: 1, info: 0})
      expect(merged.generatedAt).to.equal(NOW.toISOString())
    })

    it('sums coverage, prefixes gaps and suppressions with the foundation, and lists each target', () => {
      const merged = mergeResults([staging(), prod()], NOW)
      expect(merged.coverage).to.include({
        apps: 20,
        routes: 24,
        serviceInstances: 8,
        auditEventsCreated: 4,
        requests: 60,
      })
      expect(merged.coverage.gaps.map((g) => g.what)).to.deep.equal([
        'staging: audit events (not read)',
        'prod: audit events (not read)',
      ])
      expect(merged.suppressed).to.deep.equal([
        {fingerprint: 'fp-9', rule: 'routes/orphan', reason: 'staging: SEC-1'},
      ])
      expect(merged.target).to.deep.equal({
        api: 'https://api.staging.test, https://api.prod.test',
        ccVersion: '3.228.0',
        org: 'acme',
        space: null,
      })
      expect(
        merged.foundations?.map((f) => [f.name, f.target?.api, f.summary?.high, f.coverage?.apps]),
      ).to.deep.equal([
        ['staging', 'https://api.staging.test', 0, 10],
        ['prod', 'https://api.prod.test', 0, 10],
      ])
    })

    it('turns a foundation that could not be audited into a gap and an outcome with its error', () => {
      const merged = mergeResults([prod(), broken()], NOW)
      expect(merged.findings).to.have.length(2)
      const gap = merged.coverage.gaps.find((g) => g.what.startsWith('foundation dr'))
      expect(gap?.why).to.equal('https://api.dr.test is unreachable')
      const dr = merged.foundations?.find((f) => f.name === 'dr')
      expect(dr).to.deep.equal({
        name: 'dr',
        target: null,
        summary: null,
        coverage: null,
        error: {code: 'API_UNAVAILABLE', message: 'https://api.dr.test is unreachable', exitCode: 5},
      })
      expect(merged.target.api).to.equal('https://api.prod.test')
    })

    it('sets org and space only when every foundation agrees', () => {
      const other = prod()
      other.result!.target.org = 'globex'
      expect(mergeResults([staging(), other], NOW).target.org).to.equal(null)
    })
  })

  describe('multiTargetExitCode', () => {
    it('exits 3 on findings at or above --fail-on, 0 below', () => {
      const merged = mergeResults([staging(), prod()], NOW)
      expect(multiTargetExitCode(merged, 'high')).to.equal(3)
      expect(multiTargetExitCode(merged, 'critical')).to.equal(0)
      expect(multiTargetExitCode(merged, 'never')).to.equal(0)
    })

    it('a foundation that failed wins with its own exit code, unless --fail-on never', () => {
      const merged = mergeResults([prod(), broken()], NOW)
      expect(multiTargetExitCode(merged, 'high')).to.equal(5)
      expect(multiTargetExitCode(merged, 'critical')).to.equal(5)
      expect(multiTargetExitCode(merged, 'never')).to.equal(0)
    })
  })

  describe('foundationEnv', () => {
    const env = {
      CFGUARD_API: 'https://api.elsewhere.test',
      CFGUARD_TARGET: 'x',
      CFGUARD_CLIENT_ID: 'audit-bot',
      CFGUARD_CLIENT_SECRET: 'global-secret',
      CFGUARD_CLIENT_SECRET_PROD_EU: 'prod-eu-secret',
      CFGUARD_CLIENT_ID_PROD_EU: 'prod-bot',
      CFGUARD_FAIL_ON: 'high',
    }

    it('drops the API and target (the stored target decides) and keeps everything else', () => {
      const out = foundationEnv(env, 'staging')
      expect(out.CFGUARD_API).to.equal(undefined)
      expect(out.CFGUARD_TARGET).to.equal(undefined)
      expect(out.CFGUARD_CLIENT_ID).to.equal('audit-bot')
      expect(out.CFGUARD_CLIENT_SECRET === 'global-secret').to.equal(true)
      expect(out.CFGUARD_FAIL_ON).to.equal('high')
    })

    it("uses a foundation's own credential variables instead of the shared ones", () => {
      const out = foundationEnv(env, 'prod-eu')
      expect(out.CFGUARD_CLIENT_ID).to.equal('prod-bot')
      expect(out.CFGUARD_CLIENT_SECRET === 'prod-eu-secret').to.equal(true)
      expect(envSuffix('prod-eu.1')).to.equal('PROD_EU_1')
    })

    it('an own username replaces the shared client credentials entirely', () => {
      const out = foundationEnv({...env, CFGUARD_USERNAME_DR: 'alice', CFGUARD_PASSWORD_DR: 'pw'}, 'dr')
      expect(out.CFGUARD_CLIENT_ID).to.equal(undefined)
      expect(out.CFGUARD_CLIENT_SECRET).to.equal(undefined)
      expect(out.CFGUARD_USERNAME).to.equal('alice')
    })
  })

  describe('parseTargetNames', () => {
    it('splits, trims and de-duplicates; an empty list is a usage error', () => {
      expect(parseTargetNames(' staging, prod ,staging,')).to.deep.equal(['staging', 'prod'])
      expect(() => parseTargetNames(' , ')).to.throw(CfguardError, /at least one/)
    })
  })

  describe('auditTargets', () => {
    it('audits each foundation with its own env and prefixed messages, in --targets order', async () => {
      const warnings: string[] = []
      const seen: string[] = []
      const ctx = createContext({
        env: {CFGUARD_API: 'https://api.x.test', CFGUARD_CLIENT_SECRET_PROD: 's'},
        warn: (m) => warnings.push(m),
        now: () => NOW,
      })
      const {merged} = await auditTargets(ctx, {
        names: ['staging', 'prod'],
        auditOne: async (name, own) => {
          seen.push(`${name}:${own.env.CFGUARD_API ?? '-'}:${own.env.CFGUARD_CLIENT_SECRET ? 'own' : 'none'}`)
          own.warn('slow API')
          // prod answers first: the merge still follows --targets order.
          if (name === 'staging') await new Promise((r) => setTimeout(r, 20))
          return (name === 'staging' ? staging() : prod()).result!
        },
      })
      expect(seen.sort()).to.deep.equal(['prod:-:own', 'staging:-:none'])
      expect(warnings.sort()).to.deep.equal(['[prod] slow API', '[staging] slow API'])
      expect(merged.foundations?.map((f) => f.name)).to.deep.equal(['staging', 'prod'])
    })

    it('records a failing foundation and keeps the others', async () => {
      const warnings: string[] = []
      const ctx = createContext({warn: (m) => warnings.push(m), now: () => NOW})
      const {merged} = await auditTargets(ctx, {
        names: ['prod', 'dr'],
        auditOne: async (name) => {
          if (name === 'dr') throw new CfguardError('TOKEN_EXPIRED', 'the stored login of dr has expired')
          return prod().result!
        },
      })
      expect(merged.foundations?.[1]?.error).to.deep.equal({
        code: 'TOKEN_EXPIRED',
        message: 'the stored login of dr has expired',
        exitCode: 4,
      })
      expect(multiTargetExitCode(merged, 'high')).to.equal(4)
      expect(warnings).to.deep.equal(['[dr] not audited: the stored login of dr has expired'])
    })

    it('throws the first error when no foundation could be audited, and bugs at once', async () => {
      const ctx = createContext({now: () => NOW})
      let caught: unknown
      try {
        await auditTargets(ctx, {
          names: ['a', 'b'],
          auditOne: async (name) => {
            throw new CfguardError('API_UNAVAILABLE', `${name} down`)
          },
        })
      } catch (err) {
        caught = err
      }
      expect((caught as CfguardError).message).to.equal('a down')
      let bug: unknown
      try {
        await auditTargets(ctx, {
          names: ['a'],
          auditOne: async () => {
            throw new TypeError('oops')
          },
        })
      } catch (err) {
        bug = err
      }
      expect(bug).to.be.instanceOf(TypeError)
    })
  })
})
