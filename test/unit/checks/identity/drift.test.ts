import {expect} from 'chai'

import {runChecks} from '../../../../src/checks/index.js'
import {credentialDrift} from '../../../../src/checks/identity/drift.js'
import {DEFAULT_POLICY} from '../../../../src/model/policy.js'
import {managed, offering, plan} from '../../../helpers/identity-fixtures.js'
import {
  NOW,
  access,
  app,
  auditEvent,
  binding,
  deployment,
  instance,
  proc,
  snapshot,
  ups,
} from '../../../helpers/snapshot.js'

const CHANGED = '2026-11-25T00:00:00Z'
const before = '2026-11-20T00:00:00Z'
const after = '2026-11-26T00:00:00Z'

const withInstances = (...since: (string | null)[]) =>
  proc({actual: since.map((s, index) => instance({index, instanceGuid: `inst-${index}`, since: s}))})

const upsSnapshot = (overrides = {}) =>
  snapshot({
    apps: [app()],
    serviceInstances: [ups()],
    bindings: [binding()],
    auditEvents: [auditEvent({createdAt: CHANGED})],
    processes: [withInstances(before, after)],
    ...overrides,
  })

describe('identity/drift', () => {
  it('reports an app whose instances started before its UPS credentials changed, with counts', () => {
    const [f, ...rest] = credentialDrift.run(upsSnapshot(), DEFAULT_POLICY, NOW)
    expect(rest).to.deep.equal([])
    expect(f).to.include({rule: 'identity/drift', severity: 'high'})
    expect(f!.resource.name).to.equal('billing-api')
    expect(f!.evidence).to.deep.include({
      staleInstances: 1,
      currentInstances: 1,
      unknownInstances: 0,
      lastChange: CHANGED,
      lastChangeSource: 'audit-event',
      oldestInstanceSince: before,
      deploymentActive: false,
    })
    expect(f!.message).to.equal(
      `1 of 2 instances of billing-api started before billing-oidc's credential last changed (${CHANGED}); they still hold the previous value`,
    )
    expect(f!.remediation).to.contain('cf restart billing-api --strategy rolling')
  })

  it('counts from the binding when the app was bound after the credential changed', () => {
    const s = upsSnapshot({
      bindings: [binding({createdAt: '2026-11-27T00:00:00Z'})],
      processes: [withInstances(after, after)],
    })
    const [f] = credentialDrift.run(s, DEFAULT_POLICY, NOW)
    expect(f!.evidence).to.deep.include({staleInstances: 2, lastChangeSource: 'bound'})
  })

  it('managed bindings: only the active (newest) binding is compared', () => {
    const s = snapshot({
      apps: [app()],
      serviceOfferings: [offering()],
      servicePlans: [plan()],
      serviceInstances: [managed()],
      bindings: [
        binding({guid: 'old', serviceInstanceGuid: 'si-sso', createdAt: '2026-11-22T00:00:00Z'}),
        binding({guid: 'new', serviceInstanceGuid: 'si-sso', createdAt: CHANGED}),
      ],
      processes: [withInstances(before, before)],
      deployments: [deployment()],
    })
    const findings = credentialDrift.run(s, DEFAULT_POLICY, NOW)
    expect(findings).to.have.length(1)
    expect(findings[0]!.related[0]).to.include({kind: 'binding', guid: 'new'})
    expect(findings[0]!.evidence).to.deep.include({staleInstances: 2, deploymentActive: true})
  })

  it('does not fire when every running instance started after the change; crashed ones do not count', () => {
    const s = upsSnapshot({
      processes: [
        proc({
          actual: [
            instance({index: 0, since: after}),
            instance({index: 1, state: 'CRASHED', since: before}),
            instance({index: 2, state: 'DOWN', since: null}),
          ],
        }),
      ],
    })
    expect(credentialDrift.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
    expect(
      credentialDrift.run(upsSnapshot({apps: [app({state: 'STOPPED'})]}), DEFAULT_POLICY, NOW),
    ).to.deep.equal([])
  })

  it('instances with unknown start are counted unknown, never current', () => {
    const onlyUnknown = upsSnapshot({processes: [withInstances(null, after)]})
    expect(credentialDrift.run(onlyUnknown, DEFAULT_POLICY, NOW)).to.deep.equal([])
    const mixed = upsSnapshot({
      processes: [withInstances(before, null), proc({guid: 'p2', type: 'worker', actual: null})],
    })
    const [f] = credentialDrift.run(mixed, DEFAULT_POLICY, NOW)
    expect(f!.evidence).to.deep.include({staleInstances: 1, currentInstances: 0, unknownInstances: 3})
  })

  it('skips apps whose instances were not read, and credentials whose change time is unknown', () => {
    const unread = upsSnapshot({
      processes: [proc({actual: null})],
      access: access({instances: {state: 'none', why: 'stats: 503'}}),
    })
    const run = runChecks(unread, DEFAULT_POLICY, NOW, [credentialDrift])
    expect(run.findings).to.deep.equal([])
    expect(run.gaps.map((g) => g.what)).to.deep.equal(['process instance state (not read)'])
    expect(credentialDrift.run(upsSnapshot({auditEvents: []}), DEFAULT_POLICY, NOW)).to.deep.equal([])
  })
})
