/**
 * Read states → what the token could read (`snapshot.access`) and the collection's coverage gaps
 * ("what could not be read and why"). Pure.
 */
import type {CoverageGap} from '../model/finding.js'
import type {Access, ReadState} from '../model/snapshot.js'
import {GONE} from './read-errors.js'

export interface ItemState {
  read: ReadState
  why?: string
  /** `org/space` label of the item, for messages. */
  place?: string
}

/** Groups the items that were not read by reason, largest group first. */
export function unreadGroups(
  items: readonly ItemState[],
): {why: string; count: number; places: string[]; failed: boolean}[] {
  const groups = new Map<string, {why: string; count: number; places: Set<string>; failed: boolean}>()
  for (const item of items) {
    if (item.read === 'read' || item.read === 'not-applicable') continue
    const why = item.why ?? item.read
    const g = groups.get(why) ?? {why, count: 0, places: new Set<string>(), failed: false}
    g.count++
    if (item.read === 'failed' && why !== GONE) g.failed = true
    // Where a role was denied matters; where a read was skipped on purpose does not.
    if (item.place && item.read !== 'skipped') g.places.add(item.place)
    groups.set(why, g)
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || a.why.localeCompare(b.why))
    .map((g) => ({why: g.why, count: g.count, places: [...g.places].sort(), failed: g.failed}))
}

function listPlaces(places: string[], max = 3): string {
  if (places.length === 0) return ''
  const shown = places.slice(0, max).join(', ')
  return places.length > max ? ` in ${shown} and ${places.length - max} more` : ` in ${shown}`
}

/**
 * `full` when every applicable item was read (or there was none), `none` when none was, else
 * `partial`; `why` names the reasons and where.
 */
export function summarizeAccess(items: readonly ItemState[]): Access {
  const applicable = items.filter((i) => i.read !== 'not-applicable')
  const read = applicable.filter((i) => i.read === 'read').length
  if (read === applicable.length) return {state: 'full'}
  const why = unreadGroups(applicable)
    .slice(0, 3)
    .map((g) => `${g.why}${listPlaces(g.places)}`)
    .join('; ')
  return {state: read === 0 ? 'none' : 'partial', why}
}

/**
 * One gap per reason: `environment of 12 apps (acme/prod, …)` — `403 CF-NotAuthorized (…)`.
 * Reads that failed (not denied, skipped or gone) mark their gap `failed` unless the caller says
 * such failures leave nothing missing (`failuresIncomplete: false`).
 */
export function gapsFor(
  noun: (count: number) => string,
  items: readonly ItemState[],
  failuresIncomplete = true,
): CoverageGap[] {
  return unreadGroups(items).map((g) => ({
    what: `${noun(g.count)}${g.places.length > 0 ? ` (${g.places.slice(0, 5).join(', ')}${g.places.length > 5 ? ', …' : ''})` : ''}`,
    why: g.why,
    ...(g.failed && failuresIncomplete ? {failed: true} : {}),
  }))
}
