/** `identity list` as a table (pure: inventory → string). */
import {renderTable} from '../render/table.js'
import {fitLines} from '../../report/text.js'
import {plural} from '../../util/plural.js'
import type {IdentityEntry, IdentityInventory, IdentitySource} from '../../actions/identity-list.js'

const SOURCE_LABEL: Record<IdentitySource, string> = {
  'user-provided': 'ups',
  binding: 'binding',
  key: 'key',
  env: 'env',
}

/** Days since the last change; `?` when unknown (no change in the audit trail's 31 days). */
function age(e: IdentityEntry): string {
  if (e.source === 'env') return ''
  return e.ageDays === null ? '?' : `${e.ageDays}d`
}

/** The inventory as a table that fits `width` columns, plus coverage lines. */
export function renderInventory(inv: IdentityInventory, width = 100): string {
  if (inv.entries.length === 0) {
    return `no identity credentials found in ${plural(inv.coverage.apps, 'app')}${gapLines(inv)}`
  }
  const table = renderTable(
    inv.entries,
    [
      {header: 'APP', get: (e) => e.app?.name ?? '(none)'},
      {header: 'SPACE', get: (e) => e.app?.space ?? ''},
      {header: 'SOURCE', kind: 'token', get: (e) => SOURCE_LABEL[e.source]},
      {header: 'VIA', get: (e) => e.serviceInstance?.name ?? e.variable},
      {header: 'CLIENT ID', get: (e) => e.clientId ?? (e.source === 'env' ? e.shape : '')},
      {
        header: 'SECRET',
        kind: 'token',
        get: (e) => (e.secretFingerprint ? e.secretFingerprint.slice(0, 11) : ''),
      },
      {header: 'AGE', kind: 'token', get: (e) => age(e)},
      {header: 'READ', kind: 'text', get: (e) => e.read},
    ],
    {width},
  )
  const apps = new Set(inv.entries.map((e) => e.app?.guid).filter(Boolean)).size
  const text =
    `${table}\n\n${plural(inv.entries.length, 'credential')} ${inv.entries.length === 1 ? 'reaches' : 'reach'} ` +
    `${apps} of ${plural(inv.coverage.apps, 'app')} ` +
    `(${plural(inv.coverage.requests, 'request')}, ${plural(inv.coverage.auditEventsCreated, 'audit event')} written by secret reads)` +
    gapLines(inv)
  return fitLines(text.split('\n'), width).join('\n')
}

function gapLines(inv: IdentityInventory): string {
  if (inv.coverage.gaps.length === 0) return ''
  return `\nnot read:\n${inv.coverage.gaps.map((g) => `  ${g.what}: ${g.why}`).join('\n')}`
}
