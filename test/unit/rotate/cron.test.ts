import {expect} from 'chai'

import {ANNOTATION} from '../../../src/model/annotations.js'
import {rotateAllDue, summarize, type CronSummary} from '../../../src/rotate/cron.js'
import {collect, rotate} from '../../../src/rotate/engine.js'
import type {RotationEvent} from '../../../src/rotate/events.js'
import {FakePlatform} from '../../helpers/fake-platform.js'
import {baseOptions, SPACE} from './world.js'

const DAY = 86_400_000

/** Four UPS-held UAA clients, each bound to its own app. */
function fleet() {
  const fake = new FakePlatform()
  const make = (name: string) => {
    const secret = fake.secret(name)
    fake.addClient(`${name}-client`, [secret])
    const ups = fake.addUps(SPACE, `${name}-oidc`, {client_id: `${name}-client`, client_secret: secret})
    const app = fake.addApp(SPACE, `${name}-app`, {instances: 2})
    fake.bindAtSetup(app, ups)
    return {ups, app, client: `${name}-client`}
  }
  const t = {ok: make('orders'), broken: make('billing'), graced: make('search'), fresh: make('catalog')}
  fake.startApps()
  return {fake, ...t}
}

async function drain(run: AsyncGenerator<RotationEvent, CronSummary>) {
  const events: RotationEvent[] = []
  for (;;) {
    const n = await run.next()
    if (n.done) return {events, summary: n.value}
    events.push(n.value)
  }
}

describe('rotateAllDue (cron)', () => {
  for (const concurrency of [1, 3]) {
    it(`rotates what is due, retires what passed its grace, and one halted item stops nothing (concurrency ${concurrency})`, async () => {
      const f = fleet()
      await collect(rotate(f.fake, {serviceInstanceGuid: f.graced.ups}, baseOptions({graceMs: DAY})))
      f.fake.advance(DAY + 1)
      f.fake.deploymentOutcome.set(f.broken.app, 'CANCELED')

      const {events, summary} = await drain(
        rotateAllDue(
          f.fake,
          [
            {serviceInstanceGuid: f.ok.ups, due: true},
            {serviceInstanceGuid: f.broken.ups, due: true},
            {serviceInstanceGuid: f.graced.ups, due: false},
            {serviceInstanceGuid: f.fresh.ups, due: false},
          ],
          {...baseOptions(), concurrency},
        ),
      )

      const byName = Object.fromEntries(summary.items.map((i) => [i.target.name, i.status]))
      expect(byName).to.deep.equal({
        'orders-oidc': 'completed',
        'billing-oidc': 'halted',
        'search-oidc': 'retired',
        'catalog-oidc': 'skipped',
      })
      expect(summary.counts).to.deep.equal({
        succeeded: 2,
        planned: 0,
        halted: 1,
        failed: 0,
        refused: 0,
        skipped: 1,
      })
      expect(summary.exitCode).to.equal(6)
      expect(f.fake.client(f.ok.client)!.secrets).to.have.length(1)
      expect(f.fake.client(f.graced.client)!.secrets).to.have.length(1)
      expect(f.fake.client(f.broken.client)!.secrets).to.have.length(2, 'the halted one keeps both secrets')
      expect(f.fake.rejectedInstances()).to.deep.equal([])
      expect(events.filter((e) => e.type === 'done')).to.have.length(3)

      // The next run resumes the halted rotation even if the policy no longer lists it as due.
      f.fake.deploymentOutcome.delete(f.broken.app)
      const next = await drain(
        rotateAllDue(f.fake, [{serviceInstanceGuid: f.broken.ups, due: false}], baseOptions()),
      )
      expect(next.summary.items.map((i) => i.status)).to.deep.equal(['completed'])
      expect(next.summary.exitCode).to.equal(0)
      expect(f.fake.instance(f.broken.ups)!.annotations[ANNOTATION.rotatedAt]).to.be.a('string')
    })
  }

  it('reports an authorization refusal with exit 4 while the others still rotate', async () => {
    const f = fleet()
    f.fake.callerScopes = ['openid', 'clients.read']
    const {summary} = await drain(
      rotateAllDue(
        f.fake,
        [
          {serviceInstanceGuid: f.ok.ups, due: true},
          {serviceInstanceGuid: 'missing', due: true},
        ],
        baseOptions(),
      ),
    )
    expect(summary.items.map((i) => [i.status, i.exitCode])).to.deep.equal([
      ['refused', 4],
      ['failed', 2],
    ])
    expect(summary.exitCode).to.equal(4)
  })

  it('skips a due credential still in its grace period', async () => {
    const f = fleet()
    await collect(rotate(f.fake, {serviceInstanceGuid: f.ok.ups}, baseOptions({graceMs: DAY})))
    const {summary} = await drain(
      rotateAllDue(f.fake, [{serviceInstanceGuid: f.ok.ups, due: true}], baseOptions()),
    )
    expect(summary.items[0]!.status).to.equal('skipped')
    expect(summary.items[0]!.message).to.contain('grace period')
    expect(summary.exitCode).to.equal(0)
  })

  it('summarize ranks halted above auth above API failures', () => {
    const item = (status: 'halted' | 'failed' | 'completed', exitCode: 0 | 4 | 5 | 6) => ({
      target: {guid: 'g', name: 'n'},
      action: 'rotate' as const,
      status,
      exitCode,
      message: '',
      rotationId: null,
    })
    expect(summarize([item('failed', 5), item('failed', 4)]).exitCode).to.equal(4)
    expect(summarize([item('failed', 5), item('halted', 6)]).exitCode).to.equal(6)
    expect(summarize([item('completed', 0)]).exitCode).to.equal(0)
    expect(summarize([item('failed', 5)]).exitCode).to.equal(5)
  })
})
