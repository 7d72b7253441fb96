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

export const CACHE_FORMAT = 'cfguard-collection-cache'
export const CACHE_VERSION = 1
const RETENTION_MS = 30 * DAY_MS

export interface CacheEntry<V> {
  key: string
  value: V
  usedAt: string
}

interface CacheDocument {
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
    const entry = {key, value, usedAt: this.options.now().toISOString()}
    this.entries.set(guid, entry)
    this.touched.set(guid, entry)
  }

  get size(): number {
    return this.entries.size
  }

  /** Merges this run's entries into the file as it is now, drops stale ones, writes atomically. */
  save(): void {
    if (this.touched.size === 0) return
    const merged = readEntries<V>(this.path, this.options, false)
    for (const [guid, entry] of this.touched) merged.set(guid, entry)
    const cutoff = this.options.now().getTime() - RETENTION_MS
    const doc: CacheDocument = {
      format: CACHE_FORMAT,
      version: CACHE_VERSION,
      tool: this.options.tool,
      saltId: this.options.saltId,
      entries: {},
    }
    for (const [guid, entry] of merged) {
      const used = Date.parse(entry.usedAt)
      if (!Number.isNaN(used) && used >= cutoff) doc.entries[guid] = entry
    }
    writeFileAtomic(this.path, JSON.stringify(doc), {mode: 0o600, dirMode: 0o700})
    this.touched.clear()
  }
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
  for (const [guid, entry] of Object.entries((doc as CacheDocument).entries)) {
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
