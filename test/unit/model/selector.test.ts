import {expect} from 'chai'

import {
  globToRegExp,
  matchesLabels,
  matchesSelector,
  parseLabelSelector,
} from '../../../src/model/selector.js'

describe('label selectors and app selectors', () => {
  const labels = {tier: 'internal', team: 'payments'}

  it('evaluates every CC requirement form, ANDed', () => {
    expect(matchesLabels(labels, parseLabelSelector('tier=internal,team in (payments,risk)'))).to.equal(true)
    expect(matchesLabels(labels, parseLabelSelector('tier==internal,!public'))).to.equal(true)
    expect(matchesLabels(labels, parseLabelSelector('tier!=internal'))).to.equal(false)
    expect(matchesLabels(labels, parseLabelSelector('team notin (payments)'))).to.equal(false)
    expect(matchesLabels(labels, parseLabelSelector('owner'))).to.equal(false)
  })

  it('rejects a malformed selector with a usage error', () => {
    expect(() => parseLabelSelector('tier=(x')).to.throw(/invalid label selector/)
  })

  it('matches names by glob and scopes by space and org', () => {
    expect(globToRegExp('*-internal').test('billing-internal')).to.equal(true)
    expect(globToRegExp('*-internal').test('billing-internal-v2')).to.equal(false)
    const app = {name: 'billing-internal', labels, spaceName: 'prod', orgName: 'acme'}
    expect(matchesSelector(app, {name: '*-internal', spaces: ['prod']})).to.equal(true)
    expect(matchesSelector(app, {name: '*-internal', orgs: ['other']})).to.equal(false)
  })
})
