import {expect} from 'chai'

import {fingerprintSecret, keyedFingerprint, processFingerprint} from '../../../src/model/fingerprint.js'
import {hasIdentityHint, isSsoOffering} from '../../../src/derive/classify/sso.js'

describe('isSsoOffering / hasIdentityHint', () => {
  it('recognises identity offerings by name, tags, broker, description or plan', () => {
    expect(isSsoOffering({name: 'p-identity'})).to.equal(true)
    expect(isSsoOffering({name: 'xsuaa', tags: ['xsuaa']})).to.equal(true)
    expect(isSsoOffering({name: 'cloud-gov-identity-provider'})).to.equal(true)
    expect(isSsoOffering({name: 'auth-svc', tags: ['oauth2']})).to.equal(true)
    expect(isSsoOffering({name: 'login', brokerName: 'keycloak-broker'})).to.equal(true)
    expect(isSsoOffering({name: 'login', description: 'Single Sign-On for your apps'})).to.equal(true)
    expect(isSsoOffering({name: 'gateway'}, {name: 'oidc-standard'})).to.equal(true)
  })

  it('does not match look-alike names', () => {
    expect(isSsoOffering({name: 'p.mysql', tags: ['mysql', 'relational']})).to.equal(false)
    expect(isSsoOffering({name: 'passo-db'})).to.equal(false)
    expect(isSsoOffering({name: 'p-redis', tags: ['cache', 'key-value']})).to.equal(false)
    expect(isSsoOffering({name: 'authorization-audit-log'})).to.equal(false)
    expect(isSsoOffering(null, null)).to.equal(false)
  })

  it('reads hints from user-provided service names, tags and labels', () => {
    expect(hasIdentityHint({name: 'billing-oidc'})).to.equal(true)
    expect(hasIdentityHint({name: 'creds', tags: ['sso']})).to.equal(true)
    expect(hasIdentityHint({name: 'creds', labels: {kind: 'oauth'}})).to.equal(true)
    expect(hasIdentityHint({name: 'billing-db', tags: ['postgres']})).to.equal(false)
  })
})

describe('fingerprintSecret', () => {
  it('is keyed, truncated, stable and prefixed', () => {
    const a = fingerprintSecret('s3cr3t', 'salt-one-0123456789abcdef')
    expect(a).to.match(/^hmac:[0-9a-f]{24}$/)
    expect(fingerprintSecret('s3cr3t', 'salt-one-0123456789abcdef')).to.equal(a)
    expect(fingerprintSecret('s3cr3t', 'salt-two-0123456789abcdef')).to.not.equal(a)
    expect(fingerprintSecret('s3cr3u', 'salt-one-0123456789abcdef')).to.not.equal(a)
  })

  it('is what the rotation engine prints: one secret, one string in audit and rotate', () => {
    const salt = 'salt-one-0123456789abcdef'
    expect(keyedFingerprint(salt)('s3cr3t')).to.equal(fingerprintSecret('s3cr3t', salt))
    expect(processFingerprint()('s3cr3t')).to.match(/^hmac:[0-9a-f]{24}$/)
  })

  it('refuses a salt too short to be a key', () => {
    expect(() => fingerprintSecret('s3cr3t', 'short')).to.throw(/salt/)
  })
})
