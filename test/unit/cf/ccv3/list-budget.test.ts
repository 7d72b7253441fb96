import {expect} from 'chai'

import {DEFAULT_MAX_LIST_MIB, ListBudget} from '../../../../src/cf/ccv3/core.js'

describe('cf/ccv3 ListBudget: one list is bounded by pages and by the JSON read', () => {
  it('passes pages up to both caps, then names the cap passed', () => {
    const budget = new ListBudget(3, 1000)
    expect(budget.spend(400)).to.equal(null)
    expect(budget.spend(500)).to.equal(null)
    expect(budget.spend(200)).to.deep.equal({what: 'more than 0 MiB of pages (3 pages)', bySize: true})
  })

  it('counts pages across every request of the list', () => {
    const budget = new ListBudget(2, 1e9)
    budget.spend(1)
    budget.spend(1)
    expect(budget.spend(1)).to.deep.equal({what: 'more than 2 pages', bySize: false})
  })

  it('defaults to 512 MiB: far above a real foundation, far below what exhausts the heap', () => {
    expect(DEFAULT_MAX_LIST_MIB).to.equal(512)
  })
})
