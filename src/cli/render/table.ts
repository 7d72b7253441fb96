import {wrap} from '../../report/text.js'

/**
 * How a column gives way when the table is wider than the terminal:
 * - `name` (default): elided in the middle (`billing-…-oidc`), one line per row;
 * - `text`: wrapped on spaces (never inside a word);
 * - `token` (GUIDs, URLs, commands, fingerprints, dates, counts): never shortened or broken.
 */
export type ColumnKind = 'name' | 'text' | 'token'

export interface Column<Row> {
  header: string
  get: (row: Row) => string | number | null | undefined
  /** Widest the column gets (it is narrower when its content is); otherwise sized to content. */
  width?: number
  kind?: ColumnKind
}

export interface TableOptions {
  /** Columns available (the terminal's width, COLUMNS, or 120 piped). Default 120. */
  width?: number
}

const GAP = '  '
/** Narrowest a shrinking column gets (its header is never cut). */
const MIN_NAME = 8
const MIN_TEXT = 8

/**
 * Pure: rows → a borderless text table within `width` columns (stable for snapshot tests). When
 * the content is wider, `text` columns shrink (widest first, down to their minimum), then `name` ones;
 * `token` columns never do (a table of tokens alone may then be wider than the terminal).
 */
export function renderTable<Row>(rows: Row[], columns: Column<Row>[], options: TableOptions = {}): string {
  const available = options.width ?? 120
  const cells = rows.map((row) => columns.map((c) => oneLine(String(c.get(row) ?? ''))))
  const widths = columns.map((c, i) => {
    const content = Math.max(c.header.length, ...cells.map((r) => (r[i] as string).length))
    return c.width ? Math.max(c.header.length, Math.min(c.width, content)) : content
  })
  const minimum = columns.map((c, i) => {
    const kind = c.kind ?? 'name'
    if (kind === 'token') return widths[i] as number
    return Math.min(widths[i] as number, Math.max(c.header.length, kind === 'text' ? MIN_TEXT : MIN_NAME))
  })
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1)
  // Text wraps before names are elided: a name is what a person looks for.
  for (const kind of ['text', 'name'] as const) {
    while (total() > available) {
      let widest = -1
      for (let i = 0; i < columns.length; i++) {
        if ((columns[i]?.kind ?? 'name') !== kind || (widths[i] as number) <= (minimum[i] as number)) continue
        if (widest < 0 || (widths[i] as number) > (widths[widest] as number)) widest = i
      }
      if (widest < 0) break
      widths[widest] = (widths[widest] as number) - 1
    }
  }

  const lines: string[] = [joinRow(columns.map((c, i) => pad(c.header, widths[i] as number)))]
  for (const row of cells) {
    const parts = row.map((cell, i) => fit(cell, widths[i] as number, columns[i]?.kind ?? 'name'))
    const height = Math.max(...parts.map((p) => p.length))
    for (let n = 0; n < height; n++) {
      lines.push(joinRow(parts.map((p, i) => pad(p[n] ?? '', widths[i] as number))))
    }
  }
  return lines.join('\n')
}

function joinRow(parts: string[]): string {
  return parts.join(GAP).trimEnd()
}

function fit(cell: string, width: number, kind: ColumnKind): string[] {
  if (cell.length <= width || kind === 'token') return [cell]
  if (kind === 'text') return wrap(cell, width).map((l) => (l.length > width ? elide(l, width) : l))
  return [elide(cell, width)]
}

/** `billing-service-oidc` at 12 → `billin…-oidc`: both ends stay readable. */
export function elide(text: string, width: number): string {
  if (text.length <= width) return text
  if (width <= 1) return text.slice(0, width)
  const keep = width - 1
  const head = Math.ceil(keep / 2)
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length)
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ')
}
