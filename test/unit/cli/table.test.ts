import {expect} from 'chai'

import {elide, renderTable, type Column} from '../../../src/cli/render/table.js'

interface Row {
  name: string
  guid: string
  note: string
}

const GUID = '0b6f2c4e-4d1b-4b59-9d3a-1b2c3d4e5f60'
const rows: Row[] = [
  {
    name: 'billing-service-oidc-with-a-very-long-name',
    guid: GUID,
    note: 'rotated 12 days ago by the cron job',
  },
  {name: 'short', guid: GUID, note: 'idle'},
]
const columns: Column<Row>[] = [
  {header: 'NAME', get: (r) => r.name},
  {header: 'GUID', kind: 'token', get: (r) => r.guid},
  {header: 'NOTE', kind: 'text', get: (r) => r.note},
]

describe('cli renderTable (fits the terminal)', () => {
  it('keeps natural widths when they fit', () => {
    const text = renderTable(rows, columns, {width: 200})
    expect(text.split('\n')[1]).to.equal(`${rows[0]!.name}  ${GUID}  ${rows[0]!.note}`)
  })

  for (const width of [60, 80, 120]) {
    it(`fits ${width} columns: names elide in the middle, text wraps, GUIDs stay whole`, () => {
      const text = renderTable(rows, columns, {width})
      const lines = text.split('\n')
      for (const l of lines) expect(l.length, l).to.be.at.most(width)
      expect(lines.filter((l) => l.includes(GUID))).to.have.length(2)
      if (width < 100) {
        expect(text).to.contain('…')
        expect(text).to.match(/\bbill\S*…\S*name\b/)
      }
      // Every word of the note is there, none cut.
      for (const w of rows[0]!.note.split(' ')) expect(text.split(/\s+/)).to.include(w)
    })
  }

  it('elides in the middle', () => {
    expect(elide('billing-service-oidc', 12)).to.equal('billin…-oidc')
    expect(elide('short', 12)).to.equal('short')
  })
})
