import {expect} from 'chai'

import {auditLine, auditRecord, eventToLine, type RotationEvent} from '../../../src/rotate/events.js'
import {registerSecret} from '../../../src/redact.js'

const stamp = {
  at: '2026-11-28T12:00:00.000Z',
  action: 'rotate' as const,
  target: {guid: 'ups-guid', name: 'billing-oidc'},
  rotationId: 'r-1',
}

describe('events: plain lines and audit records', () => {
  it('renders one plain line per event type', () => {
    const events: RotationEvent[] = [
      {
        ...stamp,
        type: 'step-start',
        step: 'add-secret',
        title: 'Add the new secret',
        detail: 'Add the new secret',
      },
      {...stamp, type: 'step-skip', step: 'persist-secret', title: 'x', detail: 'already done (phase added)'},
      {
        ...stamp,
        type: 'step-done',
        step: 'add-secret',
        title: 'x',
        detail: 'UAA client c has the new secret',
      },
      {
        ...stamp,
        type: 'step-failed',
        step: 'roll-apps',
        title: 'x',
        detail: 'deployment CANCELED',
        error: {code: 'ROTATION_HALTED', exitCode: 6},
      },
      {...stamp, type: 'warning', step: 'roll-apps', detail: 'app a is stopped'},
    ]
    expect(events.map(eventToLine)).to.deep.equal([
      '[billing-oidc] add-secret: Add the new secret ...',
      '[billing-oidc] persist-secret: skipped (already done (phase added))',
      '[billing-oidc] add-secret: done (UAA client c has the new secret)',
      '[billing-oidc] roll-apps: FAILED: deployment CANCELED',
      '[billing-oidc] warning: app a is stopped',
    ])
  })

  it('builds audit records with step, rotation id, guids and fingerprints only', () => {
    const event: RotationEvent = {
      ...stamp,
      type: 'step-done',
      step: 'persist-secret',
      title: 't',
      detail: 'stored',
      data: {state_guid: 'store-guid', pending_fingerprint: 'hmac:1234'},
    }
    expect(auditRecord(event)).to.deep.equal({
      ts: '2026-11-28T12:00:00.000Z',
      event: 'step-done',
      action: 'rotate',
      rotation_id: 'r-1',
      target_guid: 'ups-guid',
      target_name: 'billing-oidc',
      step: 'persist-secret',
      status: 'done',
      detail: 'stored',
      data: {state_guid: 'store-guid', pending_fingerprint: 'hmac:1234'},
    })
    expect(JSON.parse(auditLine(event)).status).to.equal('done')
  })

  it('masks a registered secret wherever it would slip into a line or record', () => {
    const canary = 'events-canary-7f3a91c2'
    registerSecret(canary)
    const event: RotationEvent = {
      ...stamp,
      type: 'warning',
      step: null,
      detail: `oops ${canary}`,
      data: {note: canary},
    }
    expect(eventToLine(event).includes(canary)).to.equal(false)
    expect(auditLine(event).includes(canary)).to.equal(false)
  })
})
