/** The "did you mean" suggestions of filters that match nothing (issue 16: errors that catch typos). */
import {expect} from 'chai'

import {checkSelector} from '../../../src/actions/credentials/candidates.js'
import {checkFilters} from '../../../src/actions/routes-report.js'
import {unknownCommand} from '../../../src/cli/not-found.js'
import {closest, closestNames, didYouMean, editDistance, noMatchMessage} from '../../../src/util/suggest.js'
import {isCfguardError} from '../../../src/errors.js'
import {app, domain, snapshot, ups} from '../../helpers/snapshot.js'

function thrown(fn: () => void): {code: string; exitCode: number; message: string; suggestions: string[]} {
  try {
    fn()
  } catch (err) {
    if (!isCfguardError(err)) throw err
    return {code: err.code, exitCode: err.exitCode, message: err.message, suggestions: err.suggestions}
  }
  throw new Error('expected an error')
}

describe('suggestions for names that matched nothing', () => {
  it('closestNames: every name at the smallest distance, in the order given, none when far', () => {
    expect(closestNames('serch', ['search', 'orders', 'searches'])).to.deep.equal(['search'])
    expect(closestNames('gatway', ['gateway', 'gateways', 'getaway'])).to.deep.equal(['gateway'])
    expect(closestNames('app-3', ['app-1', 'app-2', 'web'])).to.deep.equal(['app-1', 'app-2'])
    expect(closestNames('zzz', ['search', 'orders'])).to.deep.equal([])
    // the name itself is not a suggestion (a lookup that failed for another reason)
    expect(closestNames('search', ['search'])).to.deep.equal([])
    // agrees with closest() on the single best
    expect(closestNames('acm', ['acme', 'other'])[0]).to.equal(closest('acm', ['acme', 'other']))
  })

  it('didYouMean and noMatchMessage read as one line', () => {
    expect(didYouMean('serch', ['search'])).to.equal('did you mean "search"?')
    expect(didYouMean('app-3', ['app-1', 'app-2'])).to.equal('did you mean "app-1" or "app-2"?')
    expect(didYouMean('zzz', ['search'])).to.equal(null)
    expect(noMatchMessage('app named "serch"', 'serch', ['search', 'orders'])).to.equal(
      'no app named "serch"; did you mean "search"?',
    )
    expect(noMatchMessage('app named "zzz"', 'zzz', ['search'])).to.equal('no app named "zzz"')
  })
})

describe('routes report --app / --domain must match something in scope', () => {
  const s = snapshot({
    apps: [app({guid: 'a1', name: 'search'}), app({guid: 'a2', name: 'orders'})],
    domains: [domain({guid: 'd1', name: 'apps.example.com'})],
  })

  it('a typo in --app is exit 2 naming the closest app', () => {
    const e = thrown(() => checkFilters(s, {app: 'serch'}))
    expect(e).to.include({code: 'USAGE', exitCode: 2})
    expect(e.message).to.equal('no app named "serch" in scope (2 apps read); did you mean "search"?')
  })

  it('a typo in --domain is exit 2 naming the closest domain', () => {
    const e = thrown(() => checkFilters(s, {domain: 'apps.exmple.com'}))
    expect(e.exitCode).to.equal(2)
    expect(e.message).to.equal('no domain named "apps.exmple.com"; did you mean "apps.example.com"?')
  })

  it('correct filters (by name, guid, any case for domains) pass', () => {
    expect(() => checkFilters(s, {app: 'search', domain: 'apps.example.com'})).not.to.throw()
    expect(() => checkFilters(s, {app: 'a2', domain: 'APPS.example.com'})).not.to.throw()
    expect(() => checkFilters(s, {})).not.to.throw()
  })
})

describe('credentials --selector must match a service instance in scope', () => {
  const s = snapshot({
    serviceInstances: [
      ups({guid: 'si-1', name: 'billing-oidc', labels: {team: 'payments'}}),
      ups({guid: 'si-2', name: 'orders-oidc', labels: {team: 'orders', tier: 'gold'}}),
    ],
  })

  it('a typo is exit 2 naming the closest label', () => {
    const e = thrown(() => checkSelector(s, 'team=paymnts'))
    expect(e.exitCode).to.equal(2)
    expect(e.message).to.equal(
      'no service instance in scope matches --selector team=paymnts (2 read); did you mean "team=payments"?',
    )
    expect(e.suggestions).to.deep.equal(['labels in scope: team=orders, team=payments, tier=gold'])
  })

  it('a selector that matches passes, as does none', () => {
    expect(() => checkSelector(s, 'team=payments')).not.to.throw()
    expect(() => checkSelector(s, 'tier in (gold,silver)')).not.to.throw()
    expect(() => checkSelector(s, undefined)).not.to.throw()
  })
})

describe('editDistance', () => {
  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('audti', 'audit')).to.equal(1)
    expect(editDistance('serch', 'search')).to.equal(1)
    expect(editDistance('abc', 'abc')).to.equal(0)
    expect(editDistance('', 'abc')).to.equal(3)
    expect(editDistance('kitten', 'sitting')).to.equal(3)
  })
})

describe('unknown commands', () => {
  const known = [
    'audit',
    'login',
    'auth',
    'routes',
    'routes:report',
    'route-report',
    'identity:list',
    'identity',
  ]

  it('name the closest command of the same depth, and where to list them', () => {
    expect(unknownCommand('audti', known, 'cfguard')).to.deep.equal({
      message: '"audti" is not a cfguard command; did you mean "cfguard audit"?',
      suggestions: ['`cfguard --help` lists the commands'],
    })
    expect(unknownCommand('routes:reprot', known, 'cfguard')).to.deep.equal({
      message: '"routes reprot" is not a cfguard command; did you mean "cfguard routes report"?',
      suggestions: ['`cfguard routes --help` lists its commands'],
    })
    expect(unknownCommand('zzzz', known, 'cfguard').message).to.equal('"zzzz" is not a cfguard command')
  })
})
