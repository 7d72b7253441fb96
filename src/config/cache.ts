/**
 * The collection cache on disk: `$CFGUARD_HOME/cache/<api-host>/<actor>/<kind>.json`, one file
 * per kind of secret-bearing read (`env`, `ups`, `details`), each entry `guid → {key, value}`.
 * Values are classified views and keyed fingerprints, never a secret value (the collector puts
 * only those in). The key (collect/cache-keys.ts) changes whenever what the read would return can
 * change, so a hit means "the same answer as last time".
 *
 * Files are 0600 in 0700 directories, written atomically; a run merges its entries into what is
 * on disk at save time, so two runs writing at once both keep (most of) their work and neither
 * leaves a broken file. A damaged or foreign file (other format, cfguard version or salt) is
 * ignored with a warning and rewritten, never fatal. Entries unused for 30 days are dropped.
 */
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {DAY_MS} from '../model/duration.js'
import {writeFileAtomic} from '../util/atomic-file.js'

export const CACHE_FORMAT = 'cfguard-collection-cache' as const
export const CACHE_VERSION = 1
const RETENTION_MS = 30 * DAY_MS

export interface CacheEntry<V> {
  key: string
  value: V
  usedAt: string
}

export interface CacheDocument {
  format: typeof CACHE_FORMAT
  version: number
  /** cfguard version: classifiers change between versions, so their cached views are not reused. */
  tool: string
  /** Identifies the salt the fingerprints were made with (not the salt itself). */
  saltId: string
  entries: Record<string, CacheEntry<unknown>>
}

export interface CacheStoreOptions {
  tool: string
  saltId: string
  now: () => Date
  warn: (message: string) => void
}

/** `cache/<host[_port]>/<hash of the user or client>`: cached answers depend on who asked. */
export function cacheDir(home: string, api: string, actor: string): string {
  const host = new URL(api).host.replace(/[^A-Za-z0-9.-]/g, '_')
  const who = createHash('sha256').update(actor).digest('hex').slice(0, 16)
  return join(home, 'cache', host, who)
}

export class CacheStore<V> {
  private readonly entries: Map<string, CacheEntry<V>>
  private readonly touched = new Map<string, CacheEntry<V>>()
  private closed = false

  private constructor(
    readonly path: string,
    private readonly options: CacheStoreOptions,
    entries: Map<string, CacheEntry<V>>,
  ) {
    this.entries = entries
  }

  static open<V>(path: string, options: CacheStoreOptions): CacheStore<V> {
    return new CacheStore<V>(path, options, readEntries<V>(path, options, true))
  }

  /** The cached value when the key still matches. */
  get(guid: string, key: string): V | undefined {
    const entry = this.entries.get(guid)
    if (!entry || entry.key !== key) return undefined
    const used = {...entry, usedAt: this.options.now().toISOString()}
    this.touched.set(guid, used)
    return entry.value
  }

  put(guid: string, key: string, value: V): void {
    // (after close, as after the last save before: nothing would write it)
    if (this.closed) return
    const entry = {key, value, usedAt: this.options.now().toISOString()}
    this.entries.set(guid, entry)
    this.touched.set(guid, entry)
  }

  get size(): number {
    return this.entries.size
  }

  /**
   * Saves, then lets go of every entry (at 50,000 apps some MB the rest of the run does not
   * need): the store answers no more hits and takes no more entries.
   */
  close(): void {
    try {
      this.save()
    } finally {
      this.entries.clear()
      this.touched.clear()
      this.closed = true
    }
  }

  /** Merges this run's entries into the file as it is now, drops stale ones, writes atomically. */
  save(): void {
    if (this.touched.size === 0) return
    const merged = readEntries<V>(this.path, this.options, false)
    for (const [guid, entry] of this.touched) merged.set(guid, entry)
    const cutoff = this.options.now().getTime() - RETENTION_MS
    const head = {
      format: CACHE_FORMAT,
      version: CACHE_VERSION,
      tool: this.options.tool,
      saltId: this.options.saltId,
    } satisfies Omit<CacheDocument, 'entries'>
    const kept = (entry: CacheEntry<V>) => {
      const used = Date.parse(entry.usedAt)
      return !Number.isNaN(used) && used >= cutoff
    }
    writeFileAtomic(this.path, documentText(head, merged, kept), {mode: 0o600, dirMode: 0o700})
    this.touched.clear()
  }
}

/**
 * The document, entry by entry, as `JSON.stringify` would write it whole (same bytes: the header's
 * keys, then `entries` in an object's key order, which puts array-index keys first in ascending
 * order; a `__proto__` key, which an object literal would not hold as an own key, is left out).
 * At 50,000 apps the one string was ~50 MB held while the file was written.
 */
export function* documentText<V>(
  head: Omit<CacheDocument, 'entries'>,
  entries: ReadonlyMap<string, CacheEntry<V>>,
  kept: (entry: CacheEntry<V>) => boolean,
): Generator<string> {
  yield `${JSON.stringify(head).slice(0, -1)},"entries":{`
  let first = true
  for (const guid of objectKeyOrder(entries.keys())) {
    const entry = entries.get(guid)!
    if (!kept(entry)) continue
    yield `${first ? '' : ','}${JSON.stringify(guid)}:${JSON.stringify(entry)}`
    first = false
  }
  yield '}}'
}

/** Keys in the order an object built by assigning them would list them. */
function objectKeyOrder(keys: Iterable<string>): string[] {
  const indices: string[] = []
  const names: string[] = []
  for (const key of keys) {
    if (key === '__proto__') continue
    if (isArrayIndex(key)) indices.push(key)
    else names.push(key)
  }
  if (indices.length === 0) return names
  return [...indices.sort((a, b) => Number(a) - Number(b)), ...names]
}

/** A canonical integer in [0, 2^32 - 2], which object property order lists first. */
function isArrayIndex(key: string): boolean {
  return /^(0|[1-9]\d{0,9})$/.test(key) && Number(key) <= 2 ** 32 - 2
}

function readEntries<V>(path: string, options: CacheStoreOptions, warn: boolean): Map<string, CacheEntry<V>> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && warn) {
      options.warn(`ignoring the collection cache ${path}: ${(err as Error).message}`)
    }
    return new Map()
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
    // the text is not needed once parsed: let it go before the entries are copied into a map
    text = ''
  } catch {
    if (warn) options.warn(`ignoring the damaged collection cache ${path} (not JSON); it will be rewritten`)
    return new Map()
  }
  const problem = documentProblem(doc, options)
  if (problem) {
    if (warn && problem !== 'stale') {
      options.warn(`ignoring the collection cache ${path} (${problem}); it will be rewritten`)
    }
    return new Map()
  }
  const out = new Map<string, CacheEntry<V>>()
  const entries = (doc as CacheDocument).entries as Record<string, CacheEntry<unknown> | null>
  // (for…in, not Object.entries: no second array of every pair; same order for a parsed object)
  for (const guid in entries) {
    if (!Object.hasOwn(entries, guid)) continue
    const entry = entries[guid]
    if (
      entry !== null &&
      typeof entry === 'object' &&
      typeof entry.key === 'string' &&
      typeof entry.usedAt === 'string' &&
      'value' in entry
    ) {
      out.set(guid, entry as CacheEntry<V>)
    }
  }
  return out
}

/** Why a document cannot be used; `stale` (other cfguard version or salt) is silent. */
function documentProblem(doc: unknown, options: CacheStoreOptions): string | null {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'not a cache document'
  const d = doc as Partial<CacheDocument>
  if (d.format !== CACHE_FORMAT || d.version !== CACHE_VERSION) return 'unknown format'
  if (d.entries === null || typeof d.entries !== 'object' || Array.isArray(d.entries)) return 'no entries'
  if (d.tool !== options.tool || d.saltId !== options.saltId) return 'stale'
  return null
}
