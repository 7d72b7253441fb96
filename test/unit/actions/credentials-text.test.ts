import {expect} from 'chai'

import {renderCronSummary, renderOutcome, renderRotationPlan} from '../../../src/cli/views/credentials.js'
import {planOnly} from '../../../src/rotate/engine.js'
import type {RotationOutcome} from '../../../src/rotate/events.js'
import {baseOptions, managedWorld, upsWorld} from '../rotate/world.js'

describe('rotation plan and outcome text', () => {
  it('a UPS plan shows steps, apps, instances replaced, restarts, audit events and the retire mode', async () => {
    const w = upsWorld()
    const plan = await planOnly(
      w.fake,
      'rotate',
      {serviceInstanceGuid: w.ups},
      baseOptions({graceMs: 86_400_000}),
    )
    const text = renderRotationPlan(plan)
    expect(text.split('\n')[0]).to.equal(
      'Plan: rotate billing-oidc (UAA client secret in a user-provided service)',
    )
    expect(text).to.contain('  phase idle: no rotation in progress')
    expect(text).to.contain('    3.  Add the new secret to the UAA client (changeMode ADD)')
    expect(text).to.match(/ {4}- {3}Retire the old secret \(changeMode DELETE\) \(skipped: grace period/)
    expect(text).to.match(
      /apps: 2 of 3 roll, 5 web instance\(s\) replaced \(max in flight 1, 4 app\(s\) at a time\)/,
    )
    expect(text).to.match(/billing-batch\s+STOPPED\s+stopped: not rolled/)
    expect(text).to.contain('restarted (not rolled) at the end: billing-api worker')
    expect(text).to.match(/audit\.app\.deployment\.create\s+2\s+one rolling deployment per started app/)
    expect(text).to.match(/retire: the old secret stay valid until .* \(grace 1d\)/)
  })

  it('at 80 columns the audit events keep their columns: a reason that does not fit goes on its own line', async () => {
    const w = upsWorld()
    const plan = await planOnly(w.fake, 'rotate', {serviceInstanceGuid: w.ups}, baseOptions())
    const lines = renderRotationPlan(plan, 80).split('\n')
    for (const line of lines) expect(line.length, line).to.be.at.most(80)
    const start = lines.indexOf('  audit events this run writes:')
    expect(start).to.be.greaterThan(0)
    const block: string[] = []
    for (const line of lines.slice(start + 1)) {
      if (!line.startsWith('    ')) break
      block.push(line)
    }
    const rows = block.filter((l) => /^ {4}audit\./.test(l))
    expect(rows.length).to.be.greaterThan(2)
    // Every count starts in the same column, and every reason is on the line after its row.
    const countColumn = new Set(rows.map((r) => r.search(/ (\d+\+?)$/)))
    expect(countColumn.size, rows.join('\n')).to.equal(1)
    expect(block.length).to.equal(rows.length * 2)
    for (let i = 1; i < block.length; i += 2) expect(block[i]).to.match(/^ {8}\S/)
    // Wide enough: one line per event, as before.
    const wide = renderRotationPlan(plan, 200).split('\n')
    expect(
      wide.some((l) => /^ {4}audit\.app\.deployment\.create\s+\d+\s+one rolling deployment/.test(l)),
    ).to.equal(true)
  })

  it('a managed plan on an old Cloud Controller states the version gate and the refusal', async () => {
    const w = managedWorld()
    w.fake.version = '3.200.0'
    const plan = await planOnly(w.fake, 'rotate', {serviceInstanceGuid: w.si}, baseOptions())
    const text = renderRotationPlan(plan)
    expect(text).to.contain(
      'Cloud Controller 3.200.0 lacks credential bindings with strategy multiple (3.205.0+)',
    )
    expect(text).to.match(/refused: .*needs Cloud Controller 3\.205\.0/)
    expect(text).to.match(/next: upgrade the foundation, or accept downtime with --allow-downtime/)
  })

  it('an outcome names the next step', () => {
    const outcome: RotationOutcome = {
      status: 'halted',
      exitCode: 6,
      message: 'billing-oidc: stopped at roll-apps: timeout',
      action: 'rotate',
      kind: 'ups-uaa',
      target: {guid: 'si-1', name: 'billing-oidc'},
      rotationId: 'r1',
      failedStep: 'roll-apps',
      error: null,
      retireAfter: null,
    }
    expect(renderOutcome(outcome)).to.equal(
      'billing-oidc: halted: billing-oidc: stopped at roll-apps: timeout\n' +
        '  next: re-run `cfguard credentials rotate billing-oidc` to resume (the state is on the platform)',
    )
  })

  it('the cron summary lists every item and the counts', () => {
    const text = renderCronSummary({
      items: [
        {target: {name: 'a-oidc'}, action: 'rotate', status: 'completed', message: 'a-oidc rotated'},
        {target: {name: 'b-oidc'}, action: null, status: 'skipped', message: 'not due'},
      ],
      counts: {succeeded: 1, planned: 0, halted: 0, failed: 0, refused: 0, skipped: 1},
      exitCode: 0,
    })
    expect(text).to.equal(
      'a-oidc: rotate completed: a-oidc rotated\nb-oidc: skipped: not due\n1 succeeded, 0 halted, 0 failed, 0 refused, 1 skipped (exit 0)',
    )
  })
})
