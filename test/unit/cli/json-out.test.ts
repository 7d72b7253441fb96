import {PassThrough} from 'node:stream'

import {expect} from 'chai'

import {jsonChunks, writeJsonDocument} from '../../../src/cli/json-out.js'

function chunked(value: unknown, chunkSize?: number): {text: string; chunks: number} {
  const parts = [...jsonChunks(value, chunkSize)]
  return {text: parts.join(''), chunks: parts.length}
}

class Point {
  constructor(
    public x: number,
    public y: {z: number[]},
  ) {}
}

const CASES: Record<string, unknown> = {
  'an envelope': {
    status: 3,
    result: {findings: [{rule: 'a/b', evidence: {n: 1, list: [1, 'two', null, true]}, related: []}], map: {}},
    warnings: [],
  },
  'empty containers': {a: [], b: {}, c: [[], {}], d: [{}]},
  'undefined, functions and symbols': {
    a: undefined,
    b: () => 1,
    c: Symbol('s'),
    d: [undefined, () => 1, Symbol('s'), 1],
    e: 'kept',
  },
  'only left-out keys': {a: undefined},
  'numbers JSON cannot hold': [Number.NaN, Infinity, -0, 1e21, 0.1],
  'strings that need escaping': ['line\nbreak', 'tab\t"quote" \\ back', '\u0000\u001f', 'é → ✓ 😀', '\u2028'],
  'dates and toJSON': {at: new Date('2026-11-28T20:00:00Z'), custom: {toJSON: (k: string) => `key:${k}`}},
  'class instances inside': {p: new Point(1, {z: [1, 2]}), list: [new Point(2, {z: []})]},
  'a null prototype object': Object.assign(Object.create(null) as Record<string, unknown>, {a: 1, b: {c: 2}}),
  'top-level primitives': 'text',
  'top-level null': null,
  'deep nesting': {a: {b: {c: {d: {e: [[[{f: 'g'}]]]}}}}},
}

function collect(stream: PassThrough): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    stream.setEncoding('utf8').on('data', (d: string) => {
      text += d
      if (text.endsWith('}\n')) resolve(text)
    })
  })
}

describe('jsonChunks / writeJsonDocument (JSON.stringify(value, null, 2) in pieces)', () => {
  for (const [name, value] of Object.entries(CASES)) {
    it(`gives ${name} exactly as JSON.stringify`, () => {
      expect(chunked(value).text).to.equal(JSON.stringify(value, null, 2))
      expect(chunked(value, 1).text).to.equal(JSON.stringify(value, null, 2))
    })
  }

  it('cuts a large document into bounded chunks', () => {
    const findings = Array.from({length: 5000}, (_, i) => ({rule: 'identity/drift', app: `app-${i}`, n: i}))
    const {text, chunks} = chunked({result: {findings}}, 64 * 1024)
    expect(text).to.equal(JSON.stringify({result: {findings}}, null, 2))
    expect(chunks).to.be.greaterThan(5)
  })

  it('walks an element that holds a long list instead of stringifying it whole (a route map domain)', () => {
    const routes = Array.from({length: 3000}, (_, i) => ({
      url: `app-${i}.example.com`,
      destinations: [{app: `app-${i}`, port: null, counts: {running: 2}}],
    }))
    const doc = {
      result: {
        routeMap: {
          domains: [
            {name: 'example.com', tcp: false, routes},
            {name: 'few.example.com', routes: []},
          ],
        },
      },
    }
    const chunkSize = 4 * 1024
    const parts = [...jsonChunks(doc, chunkSize)]
    expect(parts.join('')).to.equal(JSON.stringify(doc, null, 2))
    // Bounded by the chunk size plus one route, never by the domain's whole text (~400 KB here).
    const longest = Math.max(...parts.map((p) => p.length))
    expect(longest).to.be.lessThan(chunkSize + 1024)
  })

  it('writes a small document and its newline at once', () => {
    const out = new PassThrough()
    let written = ''
    out.setEncoding('utf8').on('data', (d: string) => (written += d))
    writeJsonDocument({status: 0, result: {a: 1}}, out)
    expect(written).to.equal(`${JSON.stringify({status: 0, result: {a: 1}}, null, 2)}\n`)
  })

  it('streams a large document through a slow reader, all of it, in order, ending with a newline', async () => {
    const doc = {status: 3, result: {findings: Array.from({length: 3000}, (_, i) => ({rule: 'r', i}))}}
    const out = new PassThrough({highWaterMark: 1024})
    const text = collect(out)
    writeJsonDocument(doc, out, 4096)
    expect(await text).to.equal(`${JSON.stringify(doc, null, 2)}\n`)
  })
})
