import {expect} from 'chai'

import {registerSecretValues} from '../../../src/collect/secret-values.js'
import {redactText} from '../../../src/redact.js'

describe('registerSecretValues (redaction of values read)', () => {
  it('registers values under secret-sounding keys, but not a reference (URL, path) under one', () => {
    const secret = 'q8Zr2LmT5vXc9NpW4hYb'
    const tokenUrl = 'https://login.sys.example.test/oauth/token'
    registerSecretValues({
      client_id: 'billing',
      client_secret: secret,
      token_endpoint: tokenUrl,
      password_file: '/etc/secrets/db-password',
    })
    expect(redactText(`secret ${secret}`)).to.equal('secret [REDACTED]')
    expect(redactText(`issuer ${tokenUrl}`)).to.equal(`issuer ${tokenUrl}`)
    expect(redactText('file /etc/secrets/db-password')).to.equal('file /etc/secrets/db-password')
  })

  it("still registers a URL carrying a password under a secret-sounding key, and every value of 'all'", () => {
    const withPassword = 'https://svc:Hx7pQ2wL9zKd@db.example.test'
    registerSecretValues({token_url: withPassword})
    expect(redactText(withPassword)).not.to.contain('Hx7pQ2wL9zKd')
    registerSecretValues('https://plain.example.test/registered-anyway', 'all')
    expect(redactText('https://plain.example.test/registered-anyway')).to.equal('[REDACTED]')
  })
})
