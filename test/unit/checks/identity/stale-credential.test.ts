import {expect} from 'chai'

import {
  CREDENTIALS_UPDATED_AT_ANNOTATION,
  ROTATED_AT_ANNOTATION,
  SECRET_SET_AT_ANNOTATION,
} from '../../../../src/derive/identity.js'
import {runChecks} from '../../../../src/checks/index.js'
import {staleCredential} from '../../../../src/checks/identity/stale-credential.js'
import {DEFAULT_POLICY} from '../../../../src/model/policy.js'
import {managed, offering, plan, serviceKey} from '../../../helpers/identity-fixtures.js'
import {
  NOW,
  access,
  app,
  auditEvent,
  binding,
  oidcCredentials,
  snapshot,
  ups,
} from '../../../helpers/snapshot.js'

const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString()

describe('identity/stale-credential', () => {
  it('medium past the max age, high past twice it, from the last credential audit event', () => {
    const s = snapshot({
      apps: [app()],
      serviceInstances: [ups({guid: 'si-1', name: 'billing-oidc'}), ups({guid: 'si-2', name: 'orders-oidc'})],
      bindings: [binding()],
      auditEvents: [
        auditEvent({guid: 'e1', createdAt: daysAgo(100)}),
        auditEvent({
          guid: 'e2',
          createdAt: daysAgo(200),
          target: {guid: 'si-2', type: 'service_instance', name: 'x'},
        }),
      ],
    })
    const findings = staleCredential.run(s, DEFAULT_POLICY, NOW)
    expect(findings.map((f) => [f.resource.name, f.severity, f.evidence.ageDays])).to.deep.equal([
      ['billing-oidc', 'medium', 100],
      ['orders-oidc', 'high', 200],
    ])
    expect(findings[0]!.evidence).to.deep.include({lastChangeSource: 'audit-event', maxAgeDays: 90})
    expect(findings[0]!.related.map((r) => r.name)).to.deep.equal(['billing-api'])
    expect(findings[0]!.remediation).to.equal(
      'rotate with zero downtime: cfguard credentials rotate billing-oidc',
    )
  })

  it('ages managed bindings and keys from created_at', () => {
    const s = snapshot({
      apps: [app()],
      serviceOfferings: [offering()],
      servicePlans: [plan()],
      serviceInstances: [managed()],
      bindings: [
        binding({guid: 'b1', serviceInstanceGuid: 'si-sso', createdAt: daysAgo(120), updatedAt: daysAgo(1)}),
        serviceKey({createdAt: daysAgo(95)}),
      ],
    })
    const findings = staleCredential.run(s, DEFAULT_POLICY, NOW)
    expect(
      findings.map((f) => [f.resource.kind, f.evidence.ageDays, f.evidence.lastChangeSource]),
    ).to.deep.equal([
      ['binding', 120, 'created'],
      ['service_key', 95, 'created'],
    ])
  })

  it('an old binding superseded by a newer one (strategy multiple) points at cleanup', () => {
    const s = snapshot({
      apps: [app()],
      serviceOfferings: [offering()],
      servicePlans: [plan()],
      serviceInstances: [managed()],
      bindings: [
        binding({guid: 'old', serviceInstanceGuid: 'si-sso', createdAt: daysAgo(150)}),
        binding({guid: 'new', serviceInstanceGuid: 'si-sso', createdAt: daysAgo(3)}),
      ],
    })
    const [f, ...rest] = staleCredential.run(s, DEFAULT_POLICY, NOW)
    expect(rest).to.deep.equal([])
    expect(f!.resource.guid).to.equal('old')
    expect(f!.evidence.superseded).to.equal(true)
    expect(f!.remediation).to.contain(
      'cf cleanup-outdated-service-bindings billing-api --service-instance billing-sso',
    )
  })

  it('a recent credentials-updated-at annotation or event clears it; updated_at does not count either way', () => {
    const s = snapshot({
      serviceInstances: [
        ups({
          guid: 'si-1',
          updatedAt: daysAgo(200),
          annotations: {[CREDENTIALS_UPDATED_AT_ANNOTATION]: daysAgo(10)},
        }),
        ups({guid: 'si-2', updatedAt: daysAgo(1)}),
      ],
      auditEvents: [
        auditEvent({guid: 'e1', createdAt: daysAgo(300)}),
        auditEvent({
          guid: 'e2',
          createdAt: daysAgo(30),
          target: {guid: 'si-2', type: 'service_instance', name: 'x'},
        }),
      ],
    })
    expect(staleCredential.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })

  it("after a rollback: the restored secret's own age counts, not the rollback's change", () => {
    const rolledBack = (setAt: string) =>
      ups({
        guid: 'si-1',
        createdAt: daysAgo(300),
        annotations: {
          [CREDENTIALS_UPDATED_AT_ANNOTATION]: daysAgo(1),
          [SECRET_SET_AT_ANNOTATION]: setAt,
          [ROTATED_AT_ANNOTATION]: daysAgo(200),
        },
      })
    const old = staleCredential.run(
      snapshot({
        serviceInstances: [rolledBack(daysAgo(100))],
        auditEvents: [auditEvent({createdAt: daysAgo(1)})],
      }),
      DEFAULT_POLICY,
      NOW,
    )
    expect(old.map((f) => [f.severity, f.evidence.ageDays])).to.deep.equal([['medium', 100]])
    const unknown = staleCredential.run(
      snapshot({serviceInstances: [rolledBack('unknown')]}),
      DEFAULT_POLICY,
      NOW,
    )
    expect(unknown.map((f) => [f.severity, f.evidence.ageDays])).to.deep.equal([['low', 'unknown']])
    expect(unknown[0]!.message).to.match(/a rollback on .* restored a secret of unrecorded age/)
    const young = staleCredential.run(
      snapshot({serviceInstances: [rolledBack(daysAgo(20))]}),
      DEFAULT_POLICY,
      NOW,
    )
    expect(young).to.deep.equal([])
  })

  it('unknown age: low with age "unknown" when the audit trail was read and the service is older than the limit', () => {
    const s = snapshot({
      serviceInstances: [
        ups({guid: 'si-1', createdAt: daysAgo(300)}),
        ups({guid: 'si-2', name: 'new-oidc', createdAt: daysAgo(20)}),
      ],
    })
    const findings = staleCredential.run(s, DEFAULT_POLICY, NOW)
    expect(findings).to.have.length(1)
    expect(findings[0]).to.include({severity: 'low'})
    expect(findings[0]!.evidence).to.deep.include({
      ageDays: 'unknown',
      lastChange: 'unknown',
      createdDaysAgo: 300,
    })
  })

  it('skips credentials whose age cannot be known because the audit trail was not read', () => {
    const s = snapshot({
      serviceInstances: [ups({createdAt: daysAgo(300)})],
      access: access({auditEvents: {state: 'none', why: '403 (space manager sees no events)'}}),
    })
    const run = runChecks(s, DEFAULT_POLICY, NOW, [staleCredential])
    expect(run.findings).to.deep.equal([])
    expect(run.gaps.map((g) => g.what)).to.deep.equal(['audit events (not read)'])
  })

  it('ignores non-identity credentials', () => {
    const s = snapshot({
      serviceInstances: [
        ups({name: 'db', credentials: oidcCredentials({shape: 'secret-bearing', clientId: null})}),
      ],
      auditEvents: [auditEvent({createdAt: daysAgo(400)})],
    })
    expect(staleCredential.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })
})
