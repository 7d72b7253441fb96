import {expect} from 'chai'

import {looksRandom} from '../../../src/derive/classify/entropy.js'
import {classifyEnvVars} from '../../../src/derive/classify/env.js'
import {fingerprintSecret} from '../../../src/model/fingerprint.js'
import {secretKeyTier} from '../../../src/derive/classify/key-names.js'

const SALT = 'test-installation-salt-0123456789'

function classOf(name: string, value: string): string {
  const [view] = classifyEnvVars({[name]: value}, SALT)
  return view!.class
}

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImtleS0xIiwidHlwIjoiSldUIn0.' +
  'eyJzdWIiOiJiaWxsaW5nIiwiaXNzIjoiaHR0cHM6Ly91YWEuc3lzLmV4YW1wbGUuY29tL29hdXRoL3Rva2VuIn0.' +
  'c2lnbmF0dXJlLWJ5dGVzLWhlcmU'

describe('classifyEnvVars', () => {
  it('flags secret-like keys holding literals', () => {
    expect(classOf('CLIENT_SECRET', 'uaa-client-secret-Zx81qLm0')).to.equal('secret-literal')
    expect(classOf('DB_PASSWORD', 'hunter2')).to.equal('secret-literal')
    expect(classOf('PASSWORD', '1234')).to.equal('secret-literal')
    expect(classOf('GITHUB_TOKEN', 'abc')).to.equal('secret-literal')
    expect(classOf('STRIPE_API_KEY', 'key-for-tests')).to.equal('secret-literal')
    expect(classOf('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).to.equal(
      'secret-literal',
    )
    expect(classOf('jwtSecret', 'changeme')).to.equal('secret-literal')
    expect(classOf('APP_CREDENTIALS', 'user:pass')).to.equal('secret-literal')
    expect(classOf('DB_PASS', 'hunter2')).to.equal('secret-literal')
    // base64 may start with a slash: still a secret, not a file path
    expect(classOf('CLIENT_SECRET', '/9j4kXzZ8qLm0Vb/Xr7T2pW9yE3uH6jC5dA')).to.equal('secret-literal')
  })

  it('recognises secret shapes under any key name', () => {
    expect(classOf('SOME_HEADER', `Bearer ${JWT}`)).to.equal('bearer-token')
    expect(classOf('AUTH_HEADER', 'Bearer 9f8e7d6c5b4a39281706f5e4')).to.equal('bearer-token')
    expect(classOf('ID', JWT)).to.equal('jwt')
    expect(
      classOf('SIGNING_MATERIAL', '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----'),
    ).to.equal('pem-private-key')
    expect(classOf('DATABASE_URL', 'postgres://billing:Pg-pass-481@db.internal:5432/billing')).to.equal(
      'secret-literal',
    )
    expect(classOf('REDIS_URL', 'rediss://:r3dis-pass@cache.internal:6380')).to.equal('secret-literal')
    expect(classOf('WEBHOOK', 'https://hooks.example.com/in?token=a8f7d6e5')).to.equal('secret-literal')
    expect(classOf('UPSTREAM_AUTH', 'Basic YmlsbGluZzpodW50ZXIy')).to.equal('secret-literal')
    expect(
      classOf('GIT_REMOTE', 'https://ghp_0123456789abcdefghijABCDEFGHIJ0123@github.com/acme/x.git'),
    ).to.equal('secret-literal')
  })

  it('finds secrets inside option and connection strings', () => {
    expect(classOf('JAVA_OPTS', '-Xmx512m -Dspring.datasource.password=s3cr3t -XX:+UseG1GC')).to.equal(
      'secret-literal',
    )
    expect(
      classOf('AZURE_STORAGE', 'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=q8Zr2Lk0Vb==;'),
    ).to.equal('secret-literal')
    expect(classOf('SPRING_APPLICATION_JSON', '{"spring.datasource.password":"s3cr3t"}')).to.equal(
      'secret-literal',
    )
  })

  it('a high-entropy value under an ambiguous key name is high-entropy', () => {
    expect(classOf('NEW_RELIC_LICENSE_KEY', 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678')).to.equal(
      'high-entropy',
    )
    expect(classOf('SESSION_SALT', 'kR8vX2qLw9ZbT4nY7mPcD1sF')).to.equal('high-entropy')
    expect(classOf('CACHE_KEY', 'user_sessions_v2_cache_key')).to.equal('plain')
  })

  it('references are not secrets', () => {
    expect(classOf('CLIENT_SECRET', '')).to.equal('empty')
    expect(classOf('CLIENT_SECRET', '${vcap.services.billing-oidc.credentials.client_secret}')).to.equal(
      'reference',
    )
    expect(classOf('DB_PASSWORD', '((db-password))')).to.equal('reference')
    expect(classOf('GOOGLE_APPLICATION_CREDENTIALS', '/etc/secrets/gcp.json')).to.equal('reference')
    expect(classOf('API_TOKEN', 'https://vault.example.com/v1/secret/data/api')).to.equal('reference')
    expect(classOf('DB_PASSWORD', '{cipher}AQA3x8f')).to.equal('reference')
    expect(classOf('SSO_CREDENTIALS', '{"credhub-ref":"/c/p-identity/billing"}')).to.equal('reference')
    expect(classOf('PASSWORD', '********')).to.equal('plain')
  })

  it('false-positive look-alikes stay plain or reference', () => {
    expect(classOf('REQUEST_ID_SEED', '550e8400-e29b-41d4-a716-446655440000')).to.equal('plain')
    expect(classOf('FEATURE_CONFIG_B64', 'eyJmZWF0dXJlIjp0cnVlfQ==')).to.equal('plain')
    expect(classOf('JAVA_OPTS', '-Xmx512m -XX:+UseG1GC -Djava.security.egd=file:/dev/./urandom')).to.equal(
      'plain',
    )
    expect(classOf('SPRING_PROFILES_ACTIVE', 'cloud,prod')).to.equal('plain')
    expect(classOf('TOKEN_ENDPOINT', 'https://uaa.sys.example.com/oauth/token')).to.equal('reference')
    expect(classOf('TOKEN_URL', 'uaa.sys.example.com/oauth/token')).to.equal('plain')
    expect(classOf('PASSWORD_POLICY_URL', 'https://login.example.com/policy')).to.equal('reference')
    expect(classOf('GIT_COMMIT', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3')).to.equal('plain')
    expect(classOf('BUILD_SHA', '4b825dc642cb6eb9a060e54bf8d69288fbee4904')).to.equal('plain')
    expect(classOf('MAX_TOKENS', '4096')).to.equal('plain')
    expect(classOf('TOKEN_TTL', '3600')).to.equal('plain')
    expect(classOf('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE')).to.equal('plain')
    expect(
      classOf('JWT_PUBLIC_KEY', '-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----'),
    ).to.equal('plain')
    expect(classOf('ENABLE_TOKEN_AUTH', 'true')).to.equal('plain')
    expect(classOf('SSO_BYPASS', 'false')).to.equal('plain')
    expect(classOf('COMPASS_URL', 'https://compass.example.com')).to.equal('reference')
    expect(classOf('SENTRY_DSN', 'https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/4')).to.equal(
      'reference',
    )
    expect(classOf('SESSION_COOKIE_NAME', 'JSESSIONID')).to.equal('plain')
    expect(classOf('AUTH_SCHEME', 'Bearer')).to.equal('plain')
  })

  it('fingerprints only secret-looking values, sorted by name', () => {
    const views = classifyEnvVars({ZED: 'x', CLIENT_SECRET: 's3cr3t-value', APP_NAME: 'billing'}, SALT)
    expect(views.map((v) => v.name)).to.deep.equal(['APP_NAME', 'CLIENT_SECRET', 'ZED'])
    expect(views[1]!.fingerprint).to.equal(fingerprintSecret('s3cr3t-value', SALT))
    expect(views[0]!.fingerprint).to.equal(null)
    expect(views[2]!.fingerprint).to.equal(null)
  })
})

describe('secret key names and randomness', () => {
  it('splits names into words and honours qualifiers', () => {
    expect(secretKeyTier('clientsecret')).to.equal('strong')
    expect(secretKeyTier('clientSecret')).to.equal('strong')
    expect(secretKeyTier('X_API_KEY')).to.equal('strong')
    expect(secretKeyTier('SECRET_KEY_ID')).to.equal(null)
    expect(secretKeyTier('TOKEN_URL')).to.equal(null)
    expect(secretKeyTier('credential-type')).to.equal(null)
    expect(secretKeyTier('verificationkey')).to.equal(null)
    expect(secretKeyTier('LICENSE_KEY')).to.equal('weak')
    expect(secretKeyTier('KEYCLOAK_URL')).to.equal(null)
  })

  it('looksRandom separates generated keys from identifiers', () => {
    for (const random of [
      'kR8vX2qLw9ZbT4nY7mPcD1sF',
      'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      'q8Zr2Lk0VbX7/mN4pT1sW9yE3uH6jC5dA+',
      '550e8400-e29b-41d4-a716-446655440000',
    ]) {
      expect(looksRandom(random), random).to.equal(true)
    }
    for (const word of [
      'user_sessions_v2_cache_key',
      'MyApplicationSigningKey2024',
      'correct-horse-battery-staple',
      'https://uaa.sys.example.com',
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      'short1A',
    ]) {
      expect(looksRandom(word), word).to.equal(false)
    }
  })
})
