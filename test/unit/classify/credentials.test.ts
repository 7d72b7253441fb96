import {expect} from 'chai'

import {classifyCredentials} from '../../../src/derive/classify/credentials.js'
import {fingerprintSecret} from '../../../src/model/fingerprint.js'

const SALT = 'test-installation-salt-0123456789'
const SECRET = 'uaa-client-secret-Zx81qLm0'
const PRIVATE_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAx7Lq\n-----END RSA PRIVATE KEY-----'
const PUBLIC_KEY =
  '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAx7Lq9f\n-----END PUBLIC KEY-----'

describe('classifyCredentials', () => {
  it('reads a UAA client held in a user-provided service', () => {
    const v = classifyCredentials(
      {
        client_id: 'billing-api',
        client_secret: SECRET,
        issuer: 'https://uaa.sys.example.com/oauth/token',
        token_endpoint: 'https://uaa.sys.example.com/oauth/token',
      },
      SALT,
    )
    expect(v).to.deep.equal({
      shape: 'oidc-client',
      path: '',
      clientId: 'billing-api',
      hasSecret: true,
      secretFingerprint: fingerprintSecret(SECRET, SALT),
      issuer: 'https://uaa.sys.example.com/oauth/token',
      tokenEndpoint: 'https://uaa.sys.example.com/oauth/token',
      authDomain: null,
      isPublic: false,
      tlsVerifyDisabled: false,
      secretKeys: ['client_secret'],
    })
  })

  it('reads a flat XSUAA binding: clientid/clientsecret, tenant url over the bare uaadomain', () => {
    const v = classifyCredentials(
      {
        apiurl: 'https://api.authentication.eu10.hana.ondemand.com',
        clientid: 'sb-billing!t1234',
        clientsecret: SECRET,
        'credential-type': 'binding-secret',
        identityzone: 'acme',
        tenantmode: 'dedicated',
        uaadomain: 'authentication.eu10.hana.ondemand.com',
        url: 'https://acme.authentication.eu10.hana.ondemand.com',
        verificationkey: PUBLIC_KEY,
        xsappname: 'billing!t1234',
      },
      SALT,
    )
    expect(v.shape).to.equal('oidc-client')
    expect(v.clientId).to.equal('sb-billing!t1234')
    expect(v.authDomain).to.equal('https://acme.authentication.eu10.hana.ondemand.com')
    expect(v.secretFingerprint).to.equal(fingerprintSecret(SECRET, SALT))
    expect(v.secretKeys).to.deep.equal(['clientsecret'])
  })

  it('finds the identity block nested under uaa (services that embed an XSUAA client)', () => {
    const v = classifyCredentials(
      {
        uri: 'https://destination-configuration.cfapps.eu10.hana.ondemand.com',
        uaa: {
          clientid: 'sb-dest',
          clientsecret: SECRET,
          url: 'https://acme.authentication.eu10.hana.ondemand.com',
        },
      },
      SALT,
    )
    expect(v).to.include({shape: 'oidc-client', path: 'uaa', clientId: 'sb-dest', hasSecret: true})
    expect(v.secretKeys).to.deep.equal(['uaa.clientsecret'])
  })

  it('reads a p-identity (SSO tile) binding with auth_domain', () => {
    const v = classifyCredentials(
      {
        auth_domain: 'https://billing.login.sys.example.com',
        client_id: '3b1e8f6a-4c2d-4e55-9a1b-0c7d2e9f1a42',
        client_secret: SECRET,
        grant_types: ['authorization_code', 'client_credentials'],
        identity_zone_id: '9b0c7e0e-2a0e-4c1b-8e5e-7d1f5d6c1f00',
      },
      SALT,
    )
    expect(v).to.include({shape: 'oidc-client', authDomain: 'https://billing.login.sys.example.com'})
  })

  it('reads credentials.sso and oauth blocks in camelCase and with oauth_token_url', () => {
    const sso = classifyCredentials(
      {sso: {clientId: 'portal', clientSecret: SECRET, issuerUrl: 'https://login.example.com/'}},
      SALT,
    )
    expect(sso).to.include({path: 'sso', clientId: 'portal', issuer: 'https://login.example.com/'})
    const oauth = classifyCredentials(
      {
        oauth: {
          client_id: 'portal',
          client_secret: SECRET,
          oauth_token_url: 'https://login.example.com/token',
        },
      },
      SALT,
    )
    expect(oauth).to.include({path: 'oauth', tokenEndpoint: 'https://login.example.com/token'})
  })

  it('reads Spring Boot flat property names and Keycloak adapter config', () => {
    const spring = classifyCredentials(
      {
        'spring.security.oauth2.client.registration.sso.client-id': 'orders',
        'spring.security.oauth2.client.registration.sso.client-secret': SECRET,
        'spring.security.oauth2.client.provider.sso.issuer-uri': 'https://kc.example.com/realms/acme',
      },
      SALT,
    )
    expect(spring).to.include({shape: 'oidc-client', clientId: 'orders', hasSecret: true})
    expect(spring.issuer).to.equal('https://kc.example.com/realms/acme')
    const keycloak = classifyCredentials(
      {
        realm: 'acme',
        'auth-server-url': 'https://kc.example.com/auth',
        resource: 'orders',
        credentials: {secret: SECRET},
      },
      SALT,
    )
    expect(keycloak).to.include({
      clientId: 'orders',
      hasSecret: true,
      authDomain: 'https://kc.example.com/auth',
    })
    expect(keycloak.secretKeys).to.deep.equal(['credentials.secret'])
  })

  it('derives the issuer from a discovery URL', () => {
    const v = classifyCredentials(
      {
        client_id: 'x',
        client_secret: SECRET,
        discovery_url: 'https://login.example.com/.well-known/openid-configuration',
      },
      SALT,
    )
    expect(v.issuer).to.equal('https://login.example.com')
  })

  it('treats an XSUAA x509 binding (certificate + private key) as having a client credential', () => {
    const v = classifyCredentials(
      {
        clientid: 'sb-billing!t1234',
        'credential-type': 'x509',
        certificate: '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----',
        key: PRIVATE_KEY,
        certurl: 'https://acme.authentication.cert.eu10.hana.ondemand.com',
        url: 'https://acme.authentication.eu10.hana.ondemand.com',
      },
      SALT,
    )
    expect(v).to.include({shape: 'oidc-client', hasSecret: true})
    expect(v.secretKeys).to.deep.equal(['key'])
  })

  it('marks public clients and does not invent a secret', () => {
    for (const marker of [{token_endpoint_auth_method: 'none'}, {public: true}, {allowpublic: 'true'}]) {
      const v = classifyCredentials({client_id: 'spa', issuer: 'https://login.example.com', ...marker}, SALT)
      expect(v).to.include({shape: 'oidc-client', isPublic: true, hasSecret: false, secretFingerprint: null})
    }
  })

  it('keeps identity-shaped credentials that lack a part (for incomplete-credentials)', () => {
    const noEndpoint = classifyCredentials({client_id: 'x', client_secret: SECRET}, SALT)
    expect(noEndpoint).to.include({shape: 'oidc-client', issuer: null, tokenEndpoint: null, authDomain: null})
    const noSecret = classifyCredentials({client_id: 'x', issuer: 'https://login.example.com'}, SALT)
    expect(noSecret).to.include({shape: 'oidc-client', hasSecret: false, isPublic: false})
    const noClient = classifyCredentials(
      {client_secret: SECRET, token_url: 'https://login.example.com/t'},
      SALT,
    )
    expect(noClient).to.include({shape: 'oidc-client', clientId: null, hasSecret: true})
    const emptySecret = classifyCredentials({client_id: 'cf', client_secret: '', issuer: 'https://u'}, SALT)
    expect(emptySecret).to.include({hasSecret: false})
  })

  it('detects TLS verification switched off in any spelling', () => {
    const base = {client_id: 'x', client_secret: SECRET, issuer: 'https://login.example.com'}
    for (const off of [
      {skip_ssl_validation: true},
      {skipSslValidation: 'true'},
      {insecure: true},
      {verify_ssl: false},
      {tls_verify: 'false'},
      {http: {rejectUnauthorized: false}},
    ]) {
      expect(classifyCredentials({...base, ...off}, SALT).tlsVerifyDisabled, JSON.stringify(off)).to.equal(
        true,
      )
    }
    for (const on of [{skip_ssl_validation: false}, {verify_ssl: true}, {insecure: 'no'}]) {
      expect(classifyCredentials({...base, ...on}, SALT).tlsVerifyDisabled, JSON.stringify(on)).to.equal(
        false,
      )
    }
  })

  it('a CredHub reference is credhub-ref with no secret keys', () => {
    const v = classifyCredentials({'credhub-ref': '/c/p-identity/billing/credentials'}, SALT)
    expect(v).to.include({shape: 'credhub-ref', hasSecret: false})
    expect(v.secretKeys).to.deep.equal([])
  })

  it('database credentials are secret-bearing: names of password, uri with userinfo, jdbc url with password', () => {
    const v = classifyCredentials(
      {
        hostname: 'db.service.internal',
        port: 5432,
        name: 'billing',
        username: 'u_billing',
        password: 'Pg-pass-481',
        uri: 'postgres://u_billing:Pg-pass-481@db.service.internal:5432/billing',
        jdbcUrl: 'jdbc:postgresql://db.service.internal:5432/billing?user=u_billing&password=Pg-pass-481',
        ca_certificate: '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----',
      },
      SALT,
    )
    expect(v.shape).to.equal('secret-bearing')
    expect(v.secretKeys).to.deep.equal(['jdbcUrl', 'password', 'uri'])
    expect(v.clientId).to.equal(null)
  })

  it('a client id with only an ambiguous url is not identity (a Kafka client.id, an API base)', () => {
    const v = classifyCredentials({client_id: 'orders-consumer', url: 'https://kafka.example.com'}, SALT)
    expect(v.shape).to.equal('other')
  })

  it('plain configuration is other; {} and null are empty', () => {
    expect(
      classifyCredentials({endpoint: 'https://api.example.com', flags: {beta: true}}, SALT).shape,
    ).to.equal('other')
    expect(classifyCredentials({}, SALT).shape).to.equal('empty')
    expect(classifyCredentials(null, SALT).shape).to.equal('empty')
  })

  it('never keeps userinfo, query or fragment of an endpoint', () => {
    const v = classifyCredentials(
      {
        client_id: 'x',
        client_secret: SECRET,
        issuer: 'https://admin:hunter2@login.example.com/oauth?api_key=abc#frag',
      },
      SALT,
    )
    expect(v.issuer).to.equal('https://login.example.com/oauth')
  })

  it('keeps bare dotted hosts as auth domains and drops values that are not endpoints', () => {
    const host = classifyCredentials(
      {client_id: 'x', client_secret: SECRET, uaadomain: 'auth.example.com'},
      SALT,
    )
    expect(host.authDomain).to.equal('auth.example.com')
    const notEndpoint = classifyCredentials({client_id: 'x', client_secret: SECRET, domain: 'acme'}, SALT)
    expect(notEndpoint.authDomain).to.equal(null)
  })

  it('prefers the most complete identity block, then the shallowest', () => {
    const v = classifyCredentials(
      {
        client_id: 'outer',
        issuer: 'https://login.example.com',
        uaa: {clientid: 'inner', clientsecret: SECRET, url: 'https://uaa.example.com'},
      },
      SALT,
    )
    expect(v.clientId).to.equal('inner')
  })
})
