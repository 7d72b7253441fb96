/**
 * Picks the rows a list has to look at: a `guids` filter or an indexed filter narrows to an
 * index lookup; a caller with few spaces reads only their spaces' rows. Visibility and the
 * remaining filters are applied afterwards by the list engine.
 */
import type {Row, Table} from '../core/table.js'
import type {CcCtx} from './context.js'

export interface CandidateHints {
  /** The `guids` filter is a primary key lookup. */
  guids?: boolean
  /** Filter parameter → index name, tried in order. */
  indexed?: [param: string, index: string][]
  /** Index by space guid, used when the caller reads only some spaces. */
  spaceIndex?: string
}

export function candidates<T extends Row>(
  ctx: CcCtx,
  table: Table<T>,
  hints: CandidateHints,
  readable: Set<string> | 'all',
): Iterable<T> {
  const guids = hints.guids ? ctx.query.list('guids') : null
  if (guids) {
    return [...new Set(guids)]
      .map((g) => table.get(g))
      .filter((r): r is T => r !== undefined)
      .sort((a, b) => a.seq - b.seq)
  }
  for (const [param, index] of hints.indexed ?? []) {
    const values = ctx.query.list(param)
    if (values) return table.lookupMany(index, values)
  }
  if (readable !== 'all' && hints.spaceIndex) return table.lookupMany(hints.spaceIndex, readable)
  return table.all()
}
