import {expect} from 'chai'
import {mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {
  CACHE_FORMAT,
  CACHE_VERSION,
  type CacheEntry,
  CacheStore,
  documentText,
} from '../../../src/config/cache.js'
import {writeFileAtomic} from '../../../src/util/atomic-file.js'

const NOW = new Date('2026-11-28T12:00:00Z')
const dir = () => mkdtempSync(join(tmpdir(), 'cfguard-cache-file-'))
const options = (warnings: string[] = []) => ({
  tool: '1.2.3',
  saltId: 'salt-id',
  now: () => NOW,
  warn: (m: string) => warnings.push(m),
})

/** The document as the cache wrote it before: one object, one JSON.stringify. */
function wholeDocument(entries: Iterable<[string, CacheEntry<unknown>]>, cutoff: number): string {
  const doc = {
    format: CACHE_FORMAT,
    version: CACHE_VERSION,
    tool: '1.2.3',
    saltId: 'salt-id',
    entries: {} as Record<string, CacheEntry<unknown>>,
  }
  for (const [guid, entry] of entries) {
    const used = Date.parse(entry.usedAt)
    if (!Number.isNaN(used) && used >= cutoff) doc.entries[guid] = entry
  }
  return JSON.stringify(doc)
}

describe('config/cache file', () => {
  const recent = NOW.toISOString()
  const old = '2026-09-01T00:00:00.000Z'
  // keys an object orders differently from insertion (array indices), one it cannot hold
  // (__proto__), characters JSON escapes, and entries old enough to be dropped
  const entries: [string, CacheEntry<unknown>][] = [
    ['app-b', {key: 'k1', value: {names: ['DB_URL'], n: 1}, usedAt: recent}],
    ['10', {key: 'k2', value: 'ten', usedAt: recent}],
    ['__proto__', {key: 'k3', value: 'proto', usedAt: recent}],
    ['2', {key: 'k4', value: null, usedAt: recent}],
    ['4294967295', {key: 'k5', value: 'not an index', usedAt: recent}],
    ['01', {key: 'k6', value: 'not canonical', usedAt: recent}],
    ['gone', {key: 'k7', value: 'stale', usedAt: old}],
    ['bad-date', {key: 'k8', value: 'x', usedAt: 'not a date'}],
    ['quo"te\u2028é\n', {key: 'k"9', value: {'\u0000': 'ctl', emoji: '\u{1F600}'}, usedAt: recent}],
    ['app-a', {key: 'k10', value: [1, 'two', false], usedAt: recent}],
  ]
  const cutoff = NOW.getTime() - 30 * 86_400_000

  it('is written entry by entry with the same bytes as one JSON.stringify of the document', () => {
    const kept = (e: CacheEntry<unknown>) => Date.parse(e.usedAt) >= cutoff
    const head = {format: CACHE_FORMAT, version: CACHE_VERSION, tool: '1.2.3', saltId: 'salt-id'}
    // (a value left undefined is left out by both)
    const all = [...entries, ['no-value', {key: 'k11', value: undefined, usedAt: recent}]] as [
      string,
      CacheEntry<unknown>,
    ][]
    const pieces = [...documentText(head, new Map(all), kept)]
    expect(pieces.length).to.be.greaterThan(3)
    expect(pieces.join('')).to.equal(wholeDocument(all, cutoff))
    // and with no entry at all
    expect([...documentText(head, new Map(), kept)].join('')).to.equal(wholeDocument([], cutoff))
  })

  it('save() writes that document atomically, mode 0600, and it reads back', () => {
    const path = join(dir(), 'cache', 'host', 'who', 'env.json')
    const store = CacheStore.open<unknown>(path, options())
    for (const [guid, entry] of entries) {
      if (entry.usedAt === recent) store.put(guid, entry.key, entry.value)
    }
    store.save()
    const expected = wholeDocument(
      entries.filter(([, e]) => e.usedAt === recent),
      cutoff,
    )
    expect(readFileSync(path, 'utf8')).to.equal(expected)
    expect(statSync(path).mode & 0o777).to.equal(0o600)
    expect(readdirSync(join(path, '..'))).to.deep.equal(['env.json'])
    const warnings: string[] = []
    const again = CacheStore.open<unknown>(path, options(warnings))
    expect(warnings).to.deep.equal([])
    expect(again.get('app-b', 'k1')).to.deep.equal({names: ['DB_URL'], n: 1})
    expect(again.get('10', 'k2')).to.equal('ten')
    expect(again.get('quo"te\u2028é\n', 'k"9')).to.deep.equal({'\u0000': 'ctl', emoji: '\u{1F600}'})
    expect(again.get('__proto__', 'k3')).to.equal(undefined)
    expect(again.get('app-a', 'k10')).to.deep.equal([1, 'two', false])
    expect(again.size).to.equal(7)
  })

  it('save() merges into the file on disk and drops entries unused for 30 days', () => {
    const path = join(dir(), 'env.json')
    const onDisk = wholeDocument(entries, 0)
    writeFileSync(path, onDisk, {mode: 0o600})
    const store = CacheStore.open<unknown>(path, options())
    store.put('app-new', 'kn', {v: 1})
    store.save()
    const merged = [...entries, ['app-new', {key: 'kn', value: {v: 1}, usedAt: recent}]] as [
      string,
      CacheEntry<unknown>,
    ][]
    expect(readFileSync(path, 'utf8')).to.equal(wholeDocument(merged, cutoff))
  })

  it('close() saves, then holds no entry and takes none', () => {
    const path = join(dir(), 'env.json')
    const store = CacheStore.open<unknown>(path, options())
    store.put('app-1', 'k1', {v: 1})
    store.close()
    expect(store.size).to.equal(0)
    expect(store.get('app-1', 'k1')).to.equal(undefined)
    store.put('app-2', 'k2', {v: 2})
    store.save()
    const again = CacheStore.open<unknown>(path, options())
    expect(again.get('app-1', 'k1')).to.deep.equal({v: 1})
    expect(again.get('app-2', 'k2')).to.equal(undefined)
    expect(again.size).to.equal(1)
  })
})

describe('util/atomic-file with pieces', () => {
  it('writes a sequence of strings as their UTF-8 concatenation, across chunk boundaries', () => {
    const path = join(dir(), 'out.txt')
    const pieces = Array.from({length: 5000}, (_, i) => `${i}:é\u{1F600}${'x'.repeat(i % 97)};`)
    writeFileAtomic(path, pieces, {mode: 0o600})
    expect(readFileSync(path, 'utf8')).to.equal(pieces.join(''))
    expect(statSync(path).mode & 0o777).to.equal(0o600)
  })

  it('leaves the old file and no temp file when a piece throws', () => {
    const d = dir()
    const path = join(d, 'out.txt')
    writeFileSync(path, 'before')
    function* failing(): Generator<string> {
      yield 'a'.repeat(100_000)
      throw new Error('boom')
    }
    expect(() => writeFileAtomic(path, failing())).to.throw('boom')
    expect(readFileSync(path, 'utf8')).to.equal('before')
    expect(readdirSync(d)).to.deep.equal(['out.txt'])
  })
})
