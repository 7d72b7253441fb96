import {expect} from 'chai'

import {describeRequest, pageOf} from '../../../src/cf/http/activity.js'
import {StatusLine} from '../../../src/cli/render/status.js'
import {colorEnabled, outputWidth} from '../../../src/cli/render/terminal.js'

const CLEAR = '\r\u001b[2K'

/** A status line on a fake terminal with a hand-driven clock and timer. */
function harness(columns = 80) {
  const writes: string[] = []
  let now = 0
  let tick: (() => void) | null = null
  const status = new StatusLine({
    stream: {write: (t: string) => writes.push(t), columns},
    now: () => now,
    every: (_ms, fn) => {
      tick = fn
      return () => (tick = null)
    },
  })
  return {
    status,
    writes,
    advance(ms: number) {
      now += ms
      tick?.()
    },
    /** What the terminal shows on its last row. */
    lastLine: () => (writes.at(-1) ?? '').replace(CLEAR, ''),
    hasTimer: () => tick !== null,
  }
}

describe('cli status line (live progress at a terminal)', () => {
  it('draws on the first request at once, then says what is read, requests done and pages left', () => {
    const h = harness()
    h.status.listener({type: 'request', id: 1, label: 'apps', service: 'Cloud Controller'})
    expect(h.writes).to.have.length(1)
    expect(h.lastLine()).to.match(/^. reading apps · 0 requests done$/)
    h.status.listener({type: 'page', label: 'apps', list: 'http://x/v3/apps', page: 1, totalPages: 4})
    h.status.listener({type: 'finished', id: 1})
    h.status.listener({type: 'request', id: 2, label: 'apps', service: 'Cloud Controller'})
    h.status.listener({type: 'request', id: 3, label: 'service instances', service: 'Cloud Controller'})
    h.advance(100)
    expect(h.lastLine()).to.match(/reading apps, service instances · 1 request done · 3 pages left$/)
  })

  it('shows a 429 back-off wait counting down', () => {
    const h = harness(120)
    h.status.listener({type: 'request', id: 1, label: 'apps', service: 'Cloud Controller'})
    h.status.listener({type: 'wait', ms: 3000, service: 'Cloud Controller', reason: 'rate-limit'})
    h.advance(100)
    expect(h.lastLine()).to.contain('waiting 3 s (429: rate limited by Cloud Controller)')
    h.advance(2000)
    expect(h.lastLine()).to.contain('waiting 1 s')
    h.advance(1000)
    expect(h.lastLine()).not.to.contain('waiting')
  })

  it('never draws more than one row: a long line is cut to the width', () => {
    const h = harness(40)
    for (let i = 1; i <= 5; i++)
      h.status.listener({type: 'request', id: i, label: `list number ${i}`, service: 'CC'})
    h.advance(100)
    expect(h.lastLine().length).to.be.at.most(39)
    expect(h.lastLine().endsWith('…')).to.equal(true)
  })

  it('puts other stderr text above the line, steps aside when paused, clears when stopped', () => {
    const h = harness()
    h.status.listener({type: 'request', id: 1, label: 'apps', service: 'CC'})
    h.status.write('warning: something\n')
    expect(h.writes.slice(1, 3)).to.deep.equal([CLEAR, 'warning: something\n'])
    expect(h.lastLine()).to.match(/reading apps/)
    h.status.pause()
    expect(h.writes.at(-1)).to.equal(CLEAR)
    const count = h.writes.length
    h.advance(500)
    h.status.listener({type: 'request', id: 2, label: 'routes', service: 'CC'})
    expect(h.writes).to.have.length(count)
    h.status.resume()
    h.advance(100)
    expect(h.lastLine()).to.match(/reading apps, routes/)
    h.status.stop()
    expect(h.writes.at(-1)).to.equal(CLEAR)
    expect(h.hasTimer()).to.equal(false)
  })
})

describe('cf activity labels', () => {
  it('names what a request reads, without guids or queries', () => {
    expect(describeRequest('https://api.x/v3/apps?page=2&names=a')).to.equal('apps')
    expect(
      describeRequest(
        'https://api.x/v3/service_credential_bindings/0b6f2c4e-4d1b-4b59-9d3a-1b2c3d4e5f60/details',
      ),
    ).to.equal('service credential binding details')
    expect(describeRequest('https://api.x/v3/apps/0b6f2c4e-4d1b-4b59-9d3a-1b2c3d4e5f60')).to.equal('app')
    expect(describeRequest('https://uaa.x/oauth/token')).to.equal('token')
    expect(describeRequest('https://api.x/')).to.equal('API root')
  })

  it('reads the page number and count of a list answer', () => {
    expect(
      pageOf('https://api.x/v3/apps?per_page=5000&page=2', {pagination: {total_pages: 3}}),
    ).to.deep.equal({
      list: 'https://api.x/v3/apps?per_page=5000',
      page: 2,
      totalPages: 3,
    })
    expect(pageOf('https://api.x/v3/apps', {guid: 'x'})).to.equal(null)
  })
})

describe('cli output width and colour', () => {
  it('uses COLUMNS, else the terminal, else 120 when piped', () => {
    expect(outputWidth({COLUMNS: '90'}, {isTTY: false})).to.equal(90)
    expect(outputWidth({}, {isTTY: true, columns: 80})).to.equal(80)
    expect(outputWidth({}, {isTTY: false, columns: 80})).to.equal(120)
    expect(outputWidth({COLUMNS: 'wide'}, {})).to.equal(120)
  })

  it('colours a terminal unless --no-color or NO_COLOR; FORCE_COLOR forces it; never a pipe', () => {
    expect(colorEnabled({}, {isTTY: true})).to.equal(true)
    expect(colorEnabled({}, {isTTY: false})).to.equal(false)
    expect(colorEnabled({NO_COLOR: '1'}, {isTTY: true})).to.equal(false)
    expect(colorEnabled({}, {isTTY: true}, true)).to.equal(false)
    expect(colorEnabled({FORCE_COLOR: '1'}, {isTTY: false})).to.equal(true)
    expect(colorEnabled({FORCE_COLOR: '0'}, {isTTY: true})).to.equal(false)
    expect(colorEnabled({TERM: 'dumb'}, {isTTY: true})).to.equal(false)
  })
})
