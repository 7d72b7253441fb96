import {expect} from 'chai'

import {ApiError} from '../../../src/cf/http/errors.js'
import {Gates} from '../../../src/collect/gates.js'
import {createLimiter, limitFor} from '../../../src/collect/limiter.js'
import {heapGrowthGiven} from '../../../src/collect/memory.js'
import {CfguardError} from '../../../src/errors.js'

const tick = () => new Promise((resolve) => setImmediate(resolve))

function ccError(status: number, title: string, detail = '') {
  return new ApiError(
    status === 403 ? 'FORBIDDEN' : 'NOT_FOUND',
    `${status} ${title}`,
    {
      method: 'GET',
      url: 'https://api.example.com/v3/x',
      service: 'Cloud Controller',
      status,
      ccErrors: [{code: 1, title, detail}],
    },
    [],
  )
}

describe('collect/limiter', () => {
  it('never runs more than the limit at once', async () => {
    const limiter = createLimiter(4)
    let running = 0
    let peak = 0
    await Promise.all(
      Array.from({length: 50}, () =>
        limiter.run(async () => {
          running++
          peak = Math.max(peak, running)
          await tick()
          running--
        }),
      ),
    )
    expect(peak).to.equal(4)
    expect(limiter.peak).to.equal(4)
  })

  it('slows down in proportion below 20 % of the rate-limit budget, and recovers', () => {
    expect(limitFor(16, {limit: 2000, remaining: 1000})).to.equal(16)
    expect(limitFor(16, {limit: 2000, remaining: 200})).to.equal(8)
    expect(limitFor(16, {limit: 2000, remaining: 0})).to.equal(1)
    expect(limitFor(16, {limit: null, remaining: null})).to.equal(16)
    const limiter = createLimiter(16)
    limiter.observe({limit: 2000, remaining: 100, resetAt: null, observedAt: new Date()})
    expect(limiter.concurrency).to.equal(4)
    limiter.observe({limit: 2000, remaining: 1800, resetAt: null, observedAt: new Date()})
    expect(limiter.concurrency).to.equal(16)
  })
})

describe('collect/gates: stop asking once a space denies', () => {
  it('probes once per space: after a 403 the rest of that space is skipped, other spaces go on', async () => {
    const gates = new Gates(createLimiter(8), () => 'space auditor')
    const calls: string[] = []
    const read = (space: string, app: string) =>
      gates.run('env', space, async () => {
        calls.push(app)
        await tick()
        if (space === 'prod') throw ccError(403, 'CF-NotAuthorized')
        return app
      })
    const results = await Promise.all([
      read('prod', 'p1'),
      read('prod', 'p2'),
      read('prod', 'p3'),
      read('dev', 'd1'),
      read('dev', 'd2'),
    ])
    expect(calls.filter((c) => c.startsWith('p'))).to.deep.equal(['p1'])
    expect(calls.filter((c) => c.startsWith('d')).sort()).to.deep.equal(['d1', 'd2'])
    expect(results.slice(0, 3).map((r) => (r.ok ? 'ok' : r.read))).to.deep.equal([
      'denied',
      'denied',
      'denied',
    ])
    expect(results[1]).to.deep.include({why: '403 CF-NotAuthorized (space auditor)'})
    expect(results.slice(3).every((r) => r.ok)).to.equal(true)
  })

  it('closes the kind everywhere on CF-FeatureDisabled', async () => {
    const gates = new Gates(createLimiter(1), () => 'x')
    const first = await gates.run('env', 'a', async () => {
      throw ccError(403, 'CF-FeatureDisabled', 'env_var_visibility')
    })
    let asked = false
    const other = await gates.run('env', 'b', async () => {
      asked = true
      return 1
    })
    expect(first).to.deep.include({ok: false, why: '403 CF-FeatureDisabled (env_var_visibility)'})
    expect(other.ok).to.equal(false)
    expect(asked).to.equal(false)
    const credentials = await gates.run('credentials', 'b', async () => 'fine')
    expect(credentials).to.deep.equal({ok: true, value: 'fine'})
  })

  it('a failed read (5xx) is a failure of that item, not a denial of the space', async () => {
    const gates = new Gates(createLimiter(2), () => 'x')
    const failed = await gates.run('details', 's', async () => {
      throw new CfguardError('API_UNAVAILABLE', 'Cloud Controller failed: 503')
    })
    const next = await gates.run('details', 's', async () => 'ok')
    expect(failed).to.deep.equal({ok: false, read: 'failed', why: 'Cloud Controller failed: 503'})
    expect(next.ok).to.equal(true)
  })

  it('404 on binding details is a role denial; an expired login ends the run', async () => {
    const gates = new Gates(createLimiter(2), () => 'space supporter')
    const denied = await gates.run('details', 's', async () => {
      throw ccError(404, 'CF-ResourceNotFound')
    })
    expect(denied).to.deep.equal({ok: false, read: 'denied', why: '404 on binding details (space supporter)'})
    let thrown: unknown
    try {
      await gates.run('env', 't', async () => {
        throw new CfguardError('TOKEN_EXPIRED', 'the login has expired')
      })
    } catch (err) {
      thrown = err
    }
    expect((thrown as CfguardError).code).to.equal('TOKEN_EXPIRED')
  })

  it('deny() marks a space without asking', async () => {
    const gates = new Gates(createLimiter(2), () => 'x')
    gates.deny('credentials', 's', '403 from env')
    let asked = false
    const r = await gates.run('credentials', 's', async () => {
      asked = true
      return 1
    })
    expect(r).to.deep.equal({ok: false, read: 'denied', why: '403 from env'})
    expect(asked).to.equal(false)
  })
})

describe('collect/memory', () => {
  it('leaves the heap growth alone when the operator set it (node flag or NODE_OPTIONS)', () => {
    expect(heapGrowthGiven({}, [])).to.equal(false)
    expect(
      heapGrowthGiven({NODE_OPTIONS: '--max-old-space-size=512 --heap-growing-percent=40'}, []),
    ).to.equal(true)
    expect(heapGrowthGiven({}, ['--heap-growing-percent=5'])).to.equal(true)
  })
})
