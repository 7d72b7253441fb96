import {expect} from 'chai'

import type {RotationEvent} from '../../../src/rotate/events.js'
import {runMachine, type Step} from '../../../src/rotate/machine.js'
import type {RotationPlatform} from '../../../src/rotate/platform.js'

describe('rotate machine: live step progress', () => {
  it('yields progress while a step runs, before the step is done', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const steps: Step<object>[] = [
      {
        id: 'roll-apps',
        title: 'Rolling deployment of every bound app',
        when: () => true,
        async run(_p, _s, ctx) {
          ctx.progress('0 of 2 apps deployed, 1 of 4 instances replaced')
          await gate
          ctx.progress('2 of 2 apps deployed, 4 of 4 instances replaced')
          return {detail: '2 app(s) rolled'}
        },
      },
    ]
    const run = runMachine<object>({
      platform: {} as RotationPlatform,
      state: {},
      steps,
      stamp: () => ({at: 'now', action: 'rotate', target: {guid: 'g', name: 'n'}, rotationId: 'r'}),
      heartbeat: async () => {},
    })
    const seen: RotationEvent[] = []
    seen.push((await run.next()).value as RotationEvent)
    // The step is still blocked: its first progress must come out now, not at the end.
    const during = (await run.next()).value as RotationEvent
    expect(during.type).to.equal('step-progress')
    expect(during.detail).to.equal('0 of 2 apps deployed, 1 of 4 instances replaced')
    release()
    for (;;) {
      const next = await run.next()
      if (next.done) break
      seen.push(next.value)
    }
    expect(seen.map((e) => e.type)).to.deep.equal(['step-start', 'step-progress', 'step-done'])
    expect(seen[1]!.detail).to.contain('4 of 4 instances replaced')
  })
})
