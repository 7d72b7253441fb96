/**
 * Issue 16, "Polish seen": each text a new user tripped over, checked against what it printed
 * before (every assertion here failed on the old wording).
 */
import {expect} from 'chai'

import {renderCronSummary, renderOutcome} from '../../../src/cli/views/credentials.js'
import {type IdentityEntry, type IdentityInventory} from '../../../src/actions/identity-list.js'
import {renderInventory} from '../../../src/cli/views/identity.js'
import {snapshotGaps, type SnapshotSummary} from '../../../src/actions/snapshot.js'
import {renderSnapshotSummary} from '../../../src/cli/views/snapshot.js'
import {multipleAppsRule} from '../../../src/checks/routes/multiple-apps.js'
import {summarize} from '../../../src/rotate/cron.js'
import {collect, rotate} from '../../../src/rotate/engine.js'
import type {RotationOutcome} from '../../../src/rotate/events.js'
import {routedSnapshot, runRule, webApp} from '../../helpers/route-fixtures.js'
import {destination, org, route, space} from '../../helpers/snapshot.js'
import {baseOptions, keyWorld, upsWorld} from '../rotate/world.js'

describe('issue 16 polish', () => {
  it('a dry run says "dry-run: nothing was changed" once, not "dry-run: dry run:"', async () => {
    const w = upsWorld()
    const {outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({dryRun: true})))
    const text = renderOutcome(outcome)
    expect(text).not.to.match(/dry.run: dry.run/i)
    expect(text.split('\n')[0]).to.equal('billing-oidc: dry-run: nothing was changed')
  })

  it('a dry run of --all-due is counted as planned, not as succeeded', () => {
    const item = (status: 'dry-run' | 'completed') => ({
      target: {guid: 'g', name: 'legacy-oidc'},
      action: 'rotate' as const,
      status,
      exitCode: 0 as const,
      message: 'nothing was changed',
      rotationId: null,
    })
    const summary = summarize([item('dry-run')])
    expect(summary.counts).to.include({succeeded: 0, planned: 1})
    const text = renderCronSummary(summary)
    expect(text).not.to.contain('1 succeeded')
    expect(text.split('\n').at(-1)).to.equal(
      '1 planned (dry run: nothing was changed), 0 succeeded, 0 halted, 0 failed, 0 refused, 0 skipped (exit 0)',
    )
    expect(summarize([item('completed')]).counts).to.include({succeeded: 1, planned: 0})
  })

  describe('an interrupted rotation says how to resume', () => {
    const interrupted = (status: 'failed' | 'halted'): RotationOutcome => ({
      status,
      exitCode: status === 'halted' ? 6 : 5,
      message: status === 'halted' ? 'billing-oidc: stopped at roll-apps: interrupted' : 'interrupted',
      action: 'rotate',
      kind: 'ups-uaa',
      target: {guid: 'si-1', name: 'billing-oidc'},
      rotationId: null,
      failedStep: 'lease',
      error: {code: 'INTERRUPTED', message: 'interrupted', suggestions: []},
      retireAfter: null,
    })

    it('before anything changed (Ctrl-C while taking the lease)', () => {
      expect(renderOutcome(interrupted('failed'))).to.equal(
        'billing-oidc: failed: interrupted\n' +
          '  next: re-run `cfguard credentials rotate billing-oidc` to resume: this run stopped before changing anything',
      )
    })

    it('part-way (the state is on the platform)', () => {
      expect(renderOutcome(interrupted('halted'))).to.match(
        /\n {2}next: re-run `cfguard credentials rotate billing-oidc` to resume \(the state is on the platform\)$/,
      )
    })
  })

  it('a mistyped --key names the closest service key', async () => {
    const w = keyWorld()
    const {outcome} = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.si, keyName: 'ci-deploer'}, baseOptions({dryRun: true})),
    )
    expect(outcome.exitCode).to.not.equal(0)
    expect(outcome.message).to.contain(
      'it has no service key named "ci-deploer"; did you mean "ci-deployer"?',
    )
  })

  it('identity list counts in the singular when there is one credential', () => {
    const entry: IdentityEntry = {
      app: null,
      source: 'user-provided',
      serviceInstance: {guid: 'si-1', name: 'old-batch-oidc', type: 'user-provided', offering: null},
      bindingGuid: null,
      variable: null,
      identity: 'yes',
      shape: 'oidc-client',
      clientId: 'old-batch',
      issuer: null,
      secretFingerprint: null,
      lastChange: null,
      lastChangeSource: null,
      ageDays: null,
      read: 'read',
    }
    const one: IdentityInventory = {
      schemaVersion: 1,
      target: routedSnapshot().target,
      generatedAt: '2026-12-01T00:00:00Z',
      entries: [entry],
      coverage: {apps: 1, serviceInstances: 1, gaps: [], auditEventsCreated: 1, requests: 1},
    }
    const text = renderInventory(one)
    expect(text).not.to.match(/\b1 credentials\b|\b1 apps\b|\b1 requests\b|\b1 audit events\b/)
    expect(text).to.contain(
      '1 credential reaches 0 of 1 app (1 request, 1 audit event written by secret reads)',
    )
  })

  it('snapshot names the flag that reads secrets without nested brackets', () => {
    const summary: SnapshotSummary = {
      kind: 'cfguard-snapshot',
      file: 'snap.json',
      target: {api: 'https://api.example.com', ccVersion: '3.228.0', org: null, space: null},
      collectedAt: '2026-12-01T00:00:00Z',
      secretsRead: false,
      counts: {
        orgs: 1,
        spaces: 1,
        apps: 3,
        processes: 3,
        routes: 1,
        domains: 1,
        serviceInstances: 1,
        bindings: 0,
      },
      gaps: snapshotGaps([{what: 'environment of 3 apps', why: '--no-secrets'}]),
      requests: 9,
      auditEventsCreated: 0,
    } as SnapshotSummary
    const text = renderSnapshotSummary(summary)
    expect(text).not.to.contain('(not asked for (--secrets))')
    expect(text).to.contain('  not read: environment of 3 apps (--secrets was not given)')
  })

  it('a route split between two apps of the same name says which space each is in', () => {
    const a = webApp('app-1', 'gateway', {createdAt: '2026-01-01T00:00:00Z'})
    const b = webApp('app-2', 'gateway', {createdAt: '2026-06-01T00:00:00Z', spaceGuid: 'space-2'})
    const s = routedSnapshot({
      spaces: [space(), space({guid: 'space-2', name: 'staging'})],
      orgs: [org()],
      apps: [a.app, b.app],
      processes: [a.process, b.process],
      routes: [route({destinations: [destination(), destination({guid: 'd-2', appGuid: 'app-2'})]})],
    })
    const [finding] = runRule(multipleAppsRule, s)
    expect(finding?.message).not.to.contain('(gateway, gateway)')
    expect(finding?.message, finding?.message).to.contain(
      'sends traffic to 2 apps (gateway in acme/prod, gateway in acme/staging)',
    )
  })
})
