import {expect} from 'chai'

import {evaluate} from '../../../src/actions/evaluate.js'
import {DEFAULT_POLICY, type Policy} from '../../../src/model/policy.js'
import {access, app, appEnv, domain, NOW, proc, route, snapshot} from '../../helpers/snapshot.js'

const leakyApp = () =>
  snapshot({
    apps: [app()],
    processes: [proc()],
    domains: [domain()],
    routes: [route()],
    env: [appEnv({variables: [{name: 'CLIENT_SECRET', class: 'secret-literal', fingerprint: 'hmac:1'}]})],
  })

const collection = {gaps: [], auditEventsCreated: 3, requests: 12}

describe('evaluate (snapshot → audit result)', () => {
  it('reports the rules that fire, with summary and coverage counts', () => {
    const {result} = evaluate({
      snapshot: leakyApp(),
      policy: DEFAULT_POLICY,
      now: NOW,
      selection: {},
      collection,
    })
    expect(result.findings.map((f) => f.rule)).to.include('identity/secret-in-env')
    expect(result.summary.high).to.be.greaterThan(0)
    expect(result.coverage).to.include({apps: 1, routes: 1, auditEventsCreated: 3, requests: 12})
  })

  it('restricts to a family and turns unreadable data into gaps', () => {
    const s = leakyApp()
    s.access = access({env: {state: 'none', why: '403 CF-NotAuthorized (space auditor)'}})
    s.env = []
    const {result} = evaluate({
      snapshot: s,
      policy: DEFAULT_POLICY,
      now: NOW,
      selection: {families: ['identity']},
      collection,
    })
    expect(result.findings.every((f) => f.rule.startsWith('identity/'))).to.equal(true)
    const gap = result.coverage.gaps.find((g) => g.why.includes('space auditor'))
    expect(gap?.rules).to.include('identity/secret-in-env')
  })

  it('drops suppressed findings and records why; an expired suppression lets them through', () => {
    const policy: Policy = {
      ...DEFAULT_POLICY,
      suppressions: [
        {rule: 'identity/secret-in-env', resource: 'billing-*', reason: 'SEC-1', expires: '2027-01-31'},
      ],
    }
    const active = evaluate({snapshot: leakyApp(), policy, now: NOW, selection: {}, collection})
    expect(active.result.findings.map((f) => f.rule)).not.to.include('identity/secret-in-env')
    expect(active.result.suppressed?.[0]).to.include({rule: 'identity/secret-in-env', reason: 'SEC-1'})
    const later = evaluate({
      snapshot: leakyApp(),
      policy,
      now: new Date('2027-02-01T00:00:00Z'),
      selection: {},
      collection,
    })
    expect(later.result.findings.map((f) => f.rule)).to.include('identity/secret-in-env')
    expect(later.notices.some((n) => n.level === 'warning' && n.message.includes('expired'))).to.equal(true)
  })

  it('with a baseline, reports only new findings', () => {
    const first = evaluate({
      snapshot: leakyApp(),
      policy: DEFAULT_POLICY,
      now: NOW,
      selection: {},
      collection,
    })
    const baseline = {
      source: 'baseline.json',
      generatedAt: null,
      entries: first.result.findings.map((f) => ({fingerprint: f.fingerprint, rule: f.rule})),
    }
    const again = evaluate({
      snapshot: leakyApp(),
      policy: DEFAULT_POLICY,
      now: NOW,
      selection: {},
      collection,
      findingBaseline: baseline,
    })
    expect(again.result.findings).to.deep.equal([])
    expect(again.result.suppressed?.length).to.equal(first.result.findings.length)
  })
})
