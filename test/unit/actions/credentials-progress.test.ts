/**
 * The progress renderers (cli/render/tasks.ts) fed with a real engine run on the fake platform:
 * listr2 tasks (simple renderer, so the output is plain lines), plain lines, and silence.
 */
import {expect} from 'chai'
import {PassThrough} from 'node:stream'

import {createProgress, progressMode} from '../../../src/cli/render/tasks.js'
import {collect, rotate} from '../../../src/rotate/engine.js'
import {eventToLine, type RotationEvent} from '../../../src/rotate/events.js'
import {baseOptions, upsWorld} from '../rotate/world.js'

function capture() {
  const stream = new PassThrough()
  let text = ''
  stream.on('data', (d: Buffer) => (text += d.toString()))
  return {stream, text: () => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')}
}

async function play(
  events: RotationEvent[],
  mode: 'tasks' | 'lines' | 'silent',
  target: {guid: string; name: string},
) {
  const out = capture()
  const progress = createProgress(mode, {stream: out.stream, renderer: 'simple'})
  progress.begin([target])
  for (const e of events) {
    progress.event(e)
    await new Promise((r) => setImmediate(r))
  }
  await progress.end()
  return out.text()
}

describe('rotation progress rendering', () => {
  it('chooses listr2 on a terminal, lines without one, nothing under --json', () => {
    expect(progressMode({json: false, isTTY: true})).to.equal('tasks')
    expect(progressMode({json: false, isTTY: false})).to.equal('lines')
    expect(progressMode({json: true, isTTY: true})).to.equal('silent')
  })

  it('listr2: one task per target, one subtask per step, settled by the engine’s events', async () => {
    const w = upsWorld()
    const {events} = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({graceMs: 3_600_000})),
    )
    const text = await play(events, 'tasks', {guid: w.ups, name: 'billing-oidc'})
    expect(text).to.match(/rotate billing-oidc/)
    expect(text).to.match(
      /Add the new secret to the UAA client \(changeMode ADD\): UAA client billing-client has the new secret/,
    )
    expect(text).to.match(/Rolling deployment of every bound app: 2 app\(s\) rolled/)
    expect(text).to.match(/Retire the old secret \(changeMode DELETE\) \[SKIPPED: grace period/)
    expect(text).to.match(/billing-oidc: billing-oidc rotated; the old credentials stay valid until/)
  })

  it('listr2: a failed step and the halted outcome show as failures; later steps as not run', async () => {
    const w = upsWorld()
    w.fake.faults = [{op: 'createDeployment', nth: 1, mode: 'fail-before'}]
    const {events, outcome} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions()))
    expect(outcome.status).to.equal('halted')
    const text = await play(events, 'tasks', {guid: w.ups, name: 'billing-oidc'})
    expect(text).to.match(/Rolling deployment of every bound app: injected failure of createDeployment/)
    expect(text).to.match(/Check every instance started after the update \[SKIPPED: not run\]/)
    expect(text).to.match(/halted: billing-oidc: stopped at roll-apps/)
  })

  it('lines: exactly one eventToLine per event, after its ISO time; silent: nothing', async () => {
    const w = upsWorld()
    const {events} = await collect(rotate(w.fake, {serviceInstanceGuid: w.ups}, baseOptions({dryRun: true})))
    const target = {guid: w.ups, name: 'billing-oidc'}
    expect(await play(events, 'lines', target)).to.equal(
      events.map((e) => `${e.at} ${eventToLine(e)}\n`).join(''),
    )
    expect(await play(events, 'lines', target)).to.match(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \[billing-oidc\] /,
    )
    expect(await play(events, 'silent', target)).to.equal('')
  })
})
