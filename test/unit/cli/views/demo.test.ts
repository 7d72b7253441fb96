import {expect} from 'chai'

import {renderDriftList} from '../../../../src/cli/views/demo.js'

describe('cli/views/demo: the list of changes after the baseline', () => {
  const changes = [
    'created route promo.apps.cfguard.test → orders-ui (a new public hostname)',
    'mapped orders-ui:8081 onto orders.apps.cfguard.test (a second port behind an existing route)',
  ]

  it('wraps each change to the width, continuation lines under its text', () => {
    expect(renderDriftList(changes, 80)).to.deep.equal([
      '  - created route promo.apps.cfguard.test → orders-ui (a new public hostname)',
      '  - mapped orders-ui:8081 onto orders.apps.cfguard.test (a second port behind an',
      '    existing route)',
    ])
  })

  it('keeps a change on one line when it fits', () => {
    expect(renderDriftList(changes, 120)).to.deep.equal(changes.map((c) => `  - ${c}`))
  })
})
