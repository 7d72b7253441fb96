/**
 * Redaction against hostile server strings (issue 14): linear time on inputs built to make
 * regexes backtrack, every encoding of a registered secret, every value of a credentials body,
 * terminal escapes, bounded prefixes. No timing assertion: the inputs are sized so that the old
 * quadratic patterns would run for minutes, far past mocha's timeout.
 */
import {expect} from 'chai'

import {
  boundText,
  REDACTED,
  redactText,
  registerCredentialValues,
  registerSecret,
  terminalSafe,
} from '../../src/redact.js'

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImtleS0xIn0.eyJzdWIiOiJ1c2VyIiwiZXhwIjoxOTk5OTk5OTk5fQ.c2lnbmF0dXJlLXBhcnQtaGVyZQ'

describe('redact: hostile server strings', function () {
  this.timeout(3_000)

  // 100K characters: milliseconds when linear; the old patterns took ~15 s (a synchronous loop
  // cannot be interrupted by the timeout, so the size stays moderate).
  it('redacts 100K characters built to backtrack the JWT and URL-userinfo shapes', () => {
    for (const hostile of [
      'eyJ-'.repeat(25_000),
      'a.'.repeat(50_000),
      `x://${'a'.repeat(100_000)}`,
      `eyJaaaaaaa.${'b'.repeat(100_000)}`,
      'x://a:'.repeat(17_000),
    ]) {
      const out = redactText(`${hostile} ${JWT} https://u:p4ssw0rd@host/x`)
      expect(out.includes(JWT) || out.includes('p4ssw0rd'), 'a secret survived').to.equal(false)
      expect(out.startsWith(hostile.slice(0, 1000))).to.equal(true)
    }
  })

  it('keeps the shapes it redacted before: JWTs after - or ., userinfo with colons, no false hits', () => {
    expect(redactText(`a-${JWT}`)).to.equal(`a-${REDACTED}`)
    expect(redactText(`x.${JWT}.more`)).to.equal(`x.${REDACTED}.more`)
    expect(redactText(`word${JWT}`)).to.equal(`word${JWT}`)
    expect(redactText('postgres://app:pa:ss@db:5432/x')).to.equal(`postgres://${REDACTED}@db:5432/x`)
    expect(redactText('see https://host/a@b and x://:p@h')).to.equal('see https://host/a@b and x://:p@h')
    expect(redactText('eyJabcdefg.hij.klm')).to.equal('eyJabcdefg.hij.klm')
  })

  it('masks a registered secret raw, JSON-escaped (once and twice), URL- and form-encoded, base64', () => {
    const secret = 'New"Ext\\Secret-42 &x=ünï'
    registerSecret(secret)
    const json = JSON.stringify(secret).slice(1, -1)
    expect(json).to.contain('New\\"Ext\\\\Secret-42')
    for (const form of [
      secret,
      json,
      JSON.stringify(json).slice(1, -1),
      encodeURIComponent(secret),
      new URLSearchParams({v: secret}).toString().slice(2),
      Buffer.from(secret).toString('base64'),
    ]) {
      const out = redactText(`before ${form} after`)
      expect(out === `before ${REDACTED} after`, 'an encoding of the secret survived').to.equal(true)
    }
  })

  it('registers every value of a credentials body but the public identifiers', () => {
    registerCredentialValues({
      client_id: 'public-client-id',
      issuer: 'https://login.example.com/oauth/token',
      token_endpoint: 'https://idp.example.com/token',
      for_client: 'public-for-client',
      access_key_id: 'access-key-id-value',
      pass: 'plain-pass-value',
      nested: {hmac: 'hmac-value-123', list: ['listed-value-1']},
    })
    const out = redactText(
      'public-client-id https://login.example.com/oauth/token https://idp.example.com/token public-for-client access-key-id-value plain-pass-value hmac-value-123 listed-value-1',
    )
    expect(out).to.equal(
      `public-client-id https://login.example.com/oauth/token https://idp.example.com/token public-for-client ${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED}`,
    )
  })

  it('strips OSC 52, CSI, other escapes, bare CR, C1 controls and bidi overrides; keeps text', () => {
    const osc52 = '\x1b]52;c;Y3VybCBldmls\x07'
    const out = terminalSafe(
      `a${osc52}b\x1b[2J\x1b[1;1Hc\rcfguard: ok\x9b31md\x1b]0;t\x1b\\e\x1bcf\u202eg\x00h\ni`,
    )
    expect(out).to.equal('abc cfguard: okdefgh i')
    expect(terminalSafe('x'.repeat(100_000) + '\x1b]'.repeat(50_000))).to.equal('x'.repeat(100_000))
  })

  it('keeps a bounded prefix of a long server string and says how much was dropped', () => {
    expect(boundText('short', 10)).to.equal('short')
    expect(boundText('x'.repeat(25), 10)).to.equal(`${'x'.repeat(10)}… [15 more characters]`)
  })
})
