import Table from 'cli-table3'

export interface Column<Row> {
  header: string
  get: (row: Row) => string | number | null | undefined
  /** Fixed width; otherwise sized to content. */
  width?: number
}

/** Pure: rows → a borderless, fixed-layout text table (stable for snapshot tests). */
export function renderTable<Row>(rows: Row[], columns: Column<Row>[]): string {
  const table = new Table({
    head: columns.map((c) => c.header),
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: {head: [], border: [], 'padding-left': 0, 'padding-right': 0},
    wordWrap: true,
    ...(columns.every((c) => c.width) ? {colWidths: columns.map((c) => c.width as number)} : {}),
  })
  for (const row of rows) table.push(columns.map((c) => String(c.get(row) ?? '')))
  return table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
}
