/**
 * An in-memory table keyed by guid with secondary indexes. Rows keep the insertion sequence
 * (`seq`), which is the default order of CC lists (by primary key).
 */
export interface Row {
  guid: string
  seq: number
}

export interface RowBase {
  guid: string
  seq: number
  createdAt: number
  updatedAt: number
}

/** Typed `Object.assign(base, fields)` for rows not added to a table at once. */
export function withRow<T extends RowBase>(
  base: RowBase,
  fields: Omit<T, keyof RowBase> & Partial<RowBase>,
): T {
  return Object.assign(base, fields) as unknown as T
}

interface Index<T> {
  keys: (row: T) => readonly string[]
  map: Map<string, Set<T>>
  current: Map<string, readonly string[]>
}

export class Table<T extends Row> {
  private readonly rows = new Map<string, T>()
  private readonly indexes = new Map<string, Index<T>>()

  /** Declares an index; `keys` returns the index keys of a row (several for many-to-many). */
  index(name: string, keys: (row: T) => readonly string[]): this {
    const idx: Index<T> = {keys, map: new Map(), current: new Map()}
    this.indexes.set(name, idx)
    for (const row of this.rows.values()) this.addToIndex(idx, row)
    return this
  }

  get size(): number {
    return this.rows.size
  }

  get(guid: string): T | undefined {
    return this.rows.get(guid)
  }

  has(guid: string): boolean {
    return this.rows.has(guid)
  }

  /**
   * Adds a row made of the common fields and the rest. Built with Object.assign on purpose:
   * object literals that start with a spread get a hidden class each in V8, which costs
   * megabytes on a 10,000-app foundation.
   */
  create(base: RowBase, fields: Omit<T, keyof RowBase> & Partial<RowBase>): T {
    return this.add(Object.assign(base, fields) as unknown as T)
  }

  add(row: T): T {
    if (this.rows.has(row.guid)) throw new Error(`duplicate guid ${row.guid}`)
    this.rows.set(row.guid, row)
    for (const idx of this.indexes.values()) this.addToIndex(idx, row)
    return row
  }

  delete(guid: string): T | undefined {
    const row = this.rows.get(guid)
    if (!row) return undefined
    this.rows.delete(guid)
    for (const idx of this.indexes.values()) this.removeFromIndex(idx, row)
    return row
  }

  /** Call after changing a field an index reads. */
  reindex(row: T): void {
    for (const idx of this.indexes.values()) {
      this.removeFromIndex(idx, row)
      this.addToIndex(idx, row)
    }
  }

  all(): IterableIterator<T> {
    return this.rows.values()
  }

  /** Rows under one index key, in insertion order. */
  lookup(indexName: string, key: string): T[] {
    const idx = this.indexes.get(indexName)
    if (!idx) throw new Error(`no index ${indexName}`)
    const set = idx.map.get(key)
    if (!set) return []
    return [...set].sort((a, b) => a.seq - b.seq)
  }

  /** Rows under any of the keys, deduplicated, in insertion order. */
  lookupMany(indexName: string, keys: Iterable<string>): T[] {
    const idx = this.indexes.get(indexName)
    if (!idx) throw new Error(`no index ${indexName}`)
    const out = new Set<T>()
    for (const key of keys) for (const row of idx.map.get(key) ?? []) out.add(row)
    return [...out].sort((a, b) => a.seq - b.seq)
  }

  private addToIndex(idx: Index<T>, row: T): void {
    const keys = idx.keys(row)
    idx.current.set(row.guid, keys)
    for (const key of keys) {
      let set = idx.map.get(key)
      if (!set) idx.map.set(key, (set = new Set()))
      set.add(row)
    }
  }

  private removeFromIndex(idx: Index<T>, row: T): void {
    for (const key of idx.current.get(row.guid) ?? []) {
      const set = idx.map.get(key)
      set?.delete(row)
      if (set?.size === 0) idx.map.delete(key)
    }
    idx.current.delete(row.guid)
  }
}
