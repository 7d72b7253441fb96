import {expect} from 'chai'

import type {RotationEvent} from '../../../src/rotate/events.js'
import {runMachine, type Step} from '../../../src/rotate/machine.js'
import type {RotationPlatform} from '../../../src/rotate/platform.js'

function machine(steps: Step<object>[]) {
  return runMachine<object>({
    platform: {} as RotationPlatform,
    state: {},
    steps,
    stamp: () => ({at: 'now', action: 'rotate', target: {guid: 'g', name: 'n'}, rotationId: 'r'}),
    heartbeat: async () => {},
  })
}

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r))
}

describe('rotate machine: live step progress', () => {
  it('yields progress while a step runs, before the step is done', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const run = machine([
      {
        id: 'roll-apps',
        title: 'Rolling deployment of every bound app',
        when: () => true,
        async run(_p, _s, ctx) {
          await ctx.progress('0 of 2 apps deployed, 1 of 4 instances replaced')
          await gate
          await ctx.progress('2 of 2 apps deployed, 4 of 4 instances replaced')
          return {detail: '2 app(s) rolled'}
        },
      },
    ])
    const seen: RotationEvent[] = []
    seen.push((await run.next()).value as RotationEvent)
    // The step is still blocked: its first progress must come out now, not at the end.
    const during = (await run.next()).value as RotationEvent
    expect(during.type).to.equal('step-progress')
    expect(during.detail).to.equal('0 of 2 apps deployed, 1 of 4 instances replaced')
    seen.push(during)
    release()
    for (;;) {
      const next = await run.next()
      if (next.done) break
      seen.push(next.value)
    }
    expect(seen.map((e) => e.type)).to.deep.equal([
      'step-start',
      'step-progress',
      'step-progress',
      'step-done',
    ])
    expect(seen[2]!.detail).to.contain('4 of 4 instances replaced')
  })

  it('a machine not resumed after a progress event runs nothing further (a killed process)', async () => {
    let after = false
    const run = machine([
      {
        id: 'roll-apps',
        title: 'Rolling deployment of every bound app',
        when: () => true,
        async run(_p, _s, ctx) {
          await ctx.progress('deploying')
          after = true
        },
      },
    ])
    await run.next()
    expect(((await run.next()).value as RotationEvent).type).to.equal('step-progress')
    await ticks(20)
    expect(after).to.equal(false)
  })
})
