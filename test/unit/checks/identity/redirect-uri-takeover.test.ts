import {expect} from 'chai'

import {runChecks} from '../../../../src/checks/index.js'
import {redirectUriTakeover} from '../../../../src/checks/identity/redirect-uri-takeover.js'
import {DEFAULT_POLICY} from '../../../../src/model/policy.js'
import type {Snapshot} from '../../../../src/model/snapshot.js'
import {uaaClient} from '../../../helpers/identity-fixtures.js'
import {NOW, access, app, binding, domain, route, snapshot, ups} from '../../../helpers/snapshot.js'

const withRedirects = (redirectUris: string[], overrides: Partial<Snapshot> = {}) =>
  snapshot({
    apps: [app()],
    serviceInstances: [ups()],
    bindings: [binding()],
    domains: [domain(), domain({guid: 'dom-sys', name: 'sys.example.com'})],
    routes: [route(), route({guid: 'route-2', host: 'portal', path: '/app'})],
    uaaClients: [uaaClient({redirectUris})],
    ...overrides,
  })

describe('identity/redirect-uri-takeover', () => {
  it('reports a redirect host on a foundation domain that no route serves', () => {
    const s = withRedirects(['https://billing-old.apps.example.com/login/oauth2/code/sso'])
    const [f, ...rest] = redirectUriTakeover.run(s, DEFAULT_POLICY, NOW)
    expect(rest).to.deep.equal([])
    expect(f).to.include({severity: 'high'})
    expect(f!.resource).to.deep.equal({kind: 'uaa_client', guid: 'billing-client', name: 'billing-client'})
    expect(f!.evidence).to.deep.include({
      host: 'billing-old.apps.example.com',
      domain: 'apps.example.com',
      wildcardHost: false,
      apps: ['billing-api'],
    })
  })

  it('reports a path no route serves and a wildcard host pattern', () => {
    const s = withRedirects([
      'https://portal.apps.example.com/other/callback',
      'https://*.apps.example.com/**',
    ])
    const findings = redirectUriTakeover.run(s, DEFAULT_POLICY, NOW)
    expect(findings.map((f) => f.evidence.redirectUri).sort()).to.deep.equal([
      'https://*.apps.example.com/**',
      'https://portal.apps.example.com/other/callback',
    ])
  })

  it('does not fire for served hosts and paths, other domains, loopback, custom schemes, deep hosts', () => {
    const s = withRedirects([
      'https://billing.apps.example.com/login/oauth2/code/sso',
      'https://billing.apps.example.com',
      'https://portal.apps.example.com/app/callback',
      'https://portal.apps.example.com/**',
      'https://login.example.org/callback',
      'http://localhost:8080/callback',
      'com.example.mobile:/oauth2redirect',
      'https://a.b.apps.example.com/callback',
    ])
    expect(redirectUriTakeover.run(s, DEFAULT_POLICY, NOW)).to.deep.equal([])
    const wildcardRoute = withRedirects(['https://*.apps.example.com/**'], {routes: [route({host: '*'})]})
    expect(redirectUriTakeover.run(wildcardRoute, DEFAULT_POLICY, NOW)).to.deep.equal([])
  })

  it('uses route reservations: a host held in an invisible space is served, a free one is confirmed', () => {
    const uri = 'https://hidden.apps.example.com/cb'
    const held = withRedirects([uri], {
      routeReservations: [{domainGuid: 'dom-1', host: 'hidden', path: '', matchingRoute: true}],
    })
    expect(redirectUriTakeover.run(held, DEFAULT_POLICY, NOW)).to.deep.equal([])
    const scopedTarget = {
      api: 'https://api.sys.example.com',
      ccVersion: '3.228.0',
      org: 'acme',
      space: 'prod',
    }
    const free = withRedirects([uri], {
      target: scopedTarget,
      routeReservations: [{domainGuid: 'dom-1', host: 'hidden', path: '', matchingRoute: false}],
    })
    expect(redirectUriTakeover.run(free, DEFAULT_POLICY, NOW)[0]).to.deep.include({severity: 'high'})
    const unconfirmed = withRedirects([uri], {target: scopedTarget})
    const [f] = redirectUriTakeover.run(unconfirmed, DEFAULT_POLICY, NOW)
    expect(f).to.include({severity: 'medium'})
    expect(f!.evidence).to.deep.include({routesSeen: 'audited scope', confirmedByReservation: false})
  })

  it('skips when UAA clients could not be read and reports the gap', () => {
    const s = withRedirects([], {
      uaaClients: [],
      access: access({uaaClients: {state: 'none', why: 'no clients.read'}}),
    })
    const run = runChecks(s, DEFAULT_POLICY, NOW, [redirectUriTakeover])
    expect(run.findings).to.deep.equal([])
    expect(run.gaps.map((g) => g.rules)).to.deep.equal([['identity/redirect-uri-takeover']])
  })
})
