import {expect} from 'chai'

import {REDACTED, redactHeaders, redactJson, redactText, registerSecret} from '../../src/redact.js'

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImtleS0xIn0.eyJzdWIiOiJ1c2VyIiwiZXhwIjoxOTk5OTk5OTk5fQ.c2lnbmF0dXJlLXBhcnQtaGVyZQ'

describe('redact', () => {
  it('hides JWTs, PEM blocks, bearer tokens, URL userinfo and secret query params anywhere', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----'
    const text = `token ${JWT} pem ${pem} auth Bearer abcdefgh12345 url https://u:p4ss@host/x?client_secret=s3cr3t&x=1`
    const out = redactText(text)
    for (const leak of [JWT, 'MIIEow', 'abcdefgh12345', 'p4ss', 's3cr3t']) expect(out).not.to.contain(leak)
    expect(out).to.contain('x=1')
  })

  it('hides values under secret-looking keys at any depth, keeps the rest', () => {
    const out = redactJson({
      client_id: 'billing',
      client_secret: 'hunter22',
      nested: {uaa: {clientsecret: 'xs', Password: 'pw', refresh_token: 'rt', url: 'https://uaa'}},
    }) as Record<string, unknown>
    expect(JSON.stringify(out)).not.to.match(/hunter22|"xs"|"pw"|"rt"/)
    expect(out.client_id).to.equal('billing')
    expect(JSON.stringify(out)).to.contain('https://uaa')
  })

  it('hides authorization and cookie headers whatever their case', () => {
    const out = redactHeaders({AUTHORIZATION: 'bearer x', Cookie: 'a=b', 'content-type': 'application/json'})
    expect(out).to.deep.equal({AUTHORIZATION: REDACTED, Cookie: REDACTED, 'content-type': 'application/json'})
  })

  it('masks registered secret values verbatim', () => {
    registerSecret('canary-XYZ-123456')
    expect(redactText('value was canary-XYZ-123456!')).to.equal(`value was ${REDACTED}!`)
  })
})
