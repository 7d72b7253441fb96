import {expect} from 'chai'

import {parseBaselineFile, parseMaxAgeDays, auditRequestFromFlags} from '../../../src/actions/audit.js'
import {routeBaselineOfDocument} from '../../../src/derive/baseline.js'
import {fingerprintSecret} from '../../../src/derive/classify/index.js'
import {distinctIssuers, isProbeable, issuerOf, tokenEndpointOf} from '../../../src/collect/probes.js'
import {withMissingInstances} from '../../../src/collect/instances.js'
import {reservationQueries} from '../../../src/collect/reservations.js'
import {registerSecretValues, secretForFingerprint} from '../../../src/collect/secret-values.js'
import {CfguardError} from '../../../src/errors.js'
import {redactText} from '../../../src/redact.js'
import {domain, instance, route, snapshot} from '../../helpers/snapshot.js'
import {view} from './fixtures.js'

const client = (redirectUris: string[]) => ({
  clientId: 'portal',
  authorities: [],
  scope: [],
  grantTypes: ['authorization_code'],
  redirectUris,
  lastModified: null,
})

describe('collect/reservations: which redirect hosts to ask Cloud Controller about', () => {
  const apps = domain({guid: 'd-apps', name: 'apps.example.com'})
  const internal = domain({guid: 'd-int', name: 'apps.internal', internal: true})

  it('asks for an unserved host on a foundation domain, once per path prefix', () => {
    const q = reservationQueries(
      [client(['https://portal-login.apps.example.com/login/callback'])],
      [apps],
      [],
    )
    expect(q).to.deep.equal([
      {domainGuid: 'd-apps', host: 'portal-login', path: ''},
      {domainGuid: 'd-apps', host: 'portal-login', path: '/login'},
      {domainGuid: 'd-apps', host: 'portal-login', path: '/login/callback'},
    ])
  })

  it('does not ask for hosts a visible route serves, other domains, loopback, internal domains or wildcards', () => {
    const served = route({guid: 'r', host: 'orders', path: '', domainGuid: 'd-apps'})
    const q = reservationQueries(
      [
        client([
          'https://orders.apps.example.com/login/callback',
          'https://login.other.example.org/cb',
          'http://127.0.0.1:8080/cb',
          'https://x.apps.internal/cb',
          'https://*.apps.example.com/**',
          'https://a.b.apps.example.com/cb',
        ]),
      ],
      [apps, internal],
      [served],
    )
    expect(q).to.deep.equal([])
  })
})

describe('collect/probes: what may be probed', () => {
  it('probes https anywhere, plain http only on loopback, never bare hosts or userinfo', () => {
    expect(isProbeable('https://uaa.example.com/oauth/token')).to.equal(true)
    expect(isProbeable('http://127.0.0.1:8080/oauth/token')).to.equal(true)
    expect(isProbeable('http://[::1]:8080/oauth/token')).to.equal(true)
    expect(isProbeable('http://idp.legacy.invalid/oauth/token')).to.equal(false)
    expect(isProbeable('authentication.eu10.hana.ondemand.com')).to.equal(false)
    expect(isProbeable('https://user:pw@idp.example.com')).to.equal(false)
  })

  it('collects distinct issuers of identity-shaped views (issuer, else token endpoint, else auth domain)', () => {
    const views = [
      view({issuer: 'https://a.example.com'}),
      view({issuer: 'https://a.example.com'}),
      view({issuer: null, tokenEndpoint: 'https://b.example.com/oauth/token'}),
      view({issuer: 'http://plain.example.com'}),
      view({shape: 'secret-bearing', issuer: 'https://c.example.com'}),
      null,
    ]
    expect(distinctIssuers(views)).to.deep.equal([
      'https://a.example.com',
      'https://b.example.com/oauth/token',
    ])
    expect(issuerOf(view({issuer: null, tokenEndpoint: null, authDomain: 'https://d.example.com'}))).to.equal(
      'https://d.example.com',
    )
    expect(tokenEndpointOf({tokenEndpoint: null, issuer: 'http://idp.legacy.invalid/oauth/token'})).to.equal(
      null,
    )
  })
})

describe('collect/secret-values', () => {
  const salt = Buffer.alloc(32, 3)

  it('registers secret values for redaction (by key and by shape), not plain ones', () => {
    const secret = 'Zq8-canary-register-4Tx9'
    const issuer = 'https://uaa.register-test.example.com'
    registerSecretValues({
      client_id: 'app',
      client_secret: secret,
      issuer,
      nested: [{password: 'pw-canary-77'}],
    })
    expect(redactText(`x ${secret} y`).includes(secret)).to.equal(false)
    expect(redactText('pw-canary-77').includes('pw-canary-77')).to.equal(false)
    expect(redactText(issuer)).to.equal(issuer)
  })

  it('finds the raw secret behind a fingerprint, only in memory', () => {
    const creds = {uaa: {clientid: 'x', clientsecret: 'the-secret-value'}}
    const fp = fingerprintSecret('the-secret-value', salt)
    expect(secretForFingerprint(creds, fp, salt)).to.equal('the-secret-value')
    expect(secretForFingerprint(creds, fingerprintSecret('other', salt), salt)).to.equal(null)
  })
})

describe('--baseline files', () => {
  const routeMap = {
    domains: [
      {
        guid: 'd',
        name: 'apps.example.com',
        routes: [
          {
            guid: 'r1',
            url: 'billing.apps.example.com',
            destinations: [{appGuid: 'a1', appName: 'billing', processType: 'web', port: 8080}],
          },
        ],
      },
    ],
  }
  const auditResult = {schemaVersion: 1, generatedAt: '2026-11-01T00:00:00Z', findings: [], routeMap}

  it('an audit result with a route map is both a findings baseline and a route baseline', () => {
    const parsed = parseBaselineFile(JSON.stringify({status: 0, result: auditResult, warnings: []}), 'b.json')
    expect(parsed.findings?.entries).to.deep.equal([])
    expect(parsed.routes).to.deep.equal({
      generatedAt: '2026-11-01T00:00:00Z',
      routes: [
        {
          guid: 'r1',
          url: 'billing.apps.example.com',
          destinations: [{appGuid: 'a1', processType: 'web', port: 8080, appName: 'billing'}],
        },
      ],
    })
  })

  it('a snapshot file is a route baseline only; a result without routes only filters findings', () => {
    const snap = snapshot({routes: [route({guid: 'r9', url: 'x.apps.example.com', destinations: []})]})
    const fromSnapshot = parseBaselineFile(JSON.stringify(snap), 'snap.json')
    expect(fromSnapshot.findings).to.equal(null)
    expect(fromSnapshot.routes?.routes.map((r) => r.url)).to.deep.equal(['x.apps.example.com'])
    const plain = parseBaselineFile(JSON.stringify({...auditResult, routeMap: undefined}), 'b.json')
    expect(plain.routes).to.equal(null)
    expect(routeBaselineOfDocument('nonsense')).to.equal(null)
  })

  it('anything else is one CONFIG_INVALID line naming the file', () => {
    expect(() => parseBaselineFile('{"hello": 1}', 'b.json')).to.throw(CfguardError, /b\.json/)
    expect(() => parseBaselineFile('{oops', 'b.json')).to.throw(CfguardError, /b\.json:1:2/)
  })
})

describe('audit request helpers', () => {
  it('--max-age takes durations or plain days, and refuses nonsense', () => {
    expect(parseMaxAgeDays('90d')).to.equal(90)
    expect(parseMaxAgeDays('12w')).to.equal(84)
    expect(parseMaxAgeDays('30')).to.equal(30)
    expect(() => parseMaxAgeDays('soon')).to.throw(CfguardError, /invalid --max-age "soon"/)
    expect(() => parseMaxAgeDays('0d')).to.throw(CfguardError, /longer than zero/)
  })

  it('maps the shared flags onto a request', () => {
    const r = auditRequestFromFlags(
      {org: 'acme', rules: 'identity/drift, routes/', 'no-secrets': true, 'skip-rules': '', concurrency: 4},
      ['identity'],
    )
    expect(r).to.deep.include({families: ['identity'], secrets: false, cache: true, concurrency: 4})
    expect(r.rules).to.deep.equal(['identity/drift', 'routes/'])
    expect(r.skipRules).to.equal(undefined)
    expect(r.session.org).to.equal('acme')
  })
})

describe('withMissingInstances: a short instance list leaves instances unknown, not absent', () => {
  const reported = [instance({index: 0}), instance({index: 2, state: 'CRASHED'})]

  it('adds an UNKNOWN instance for each missing index of a started app, in index order', () => {
    const {actual, missing} = withMissingInstances(reported, 4, true)
    expect(missing).to.equal(2)
    expect(actual!.map((i) => [i.index, i.state])).to.deep.equal([
      [0, 'RUNNING'],
      [1, 'UNKNOWN'],
      [2, 'CRASHED'],
      [3, 'UNKNOWN'],
    ])
    expect(actual!.filter((i) => i.state === 'UNKNOWN').every((i) => i.since === null)).to.equal(true)
  })

  it('leaves full lists, unread lists and stopped apps alone', () => {
    expect(withMissingInstances(reported, 2, true)).to.deep.equal({actual: reported, missing: 0})
    expect(withMissingInstances(null, 3, true)).to.deep.equal({actual: null, missing: 0})
    expect(withMissingInstances([], 3, false)).to.deep.equal({actual: [], missing: 0})
  })
})
