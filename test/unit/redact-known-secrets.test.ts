import {randomBytes} from 'node:crypto'

import {expect} from 'chai'

import {REDACTED, redactText, registerSecret} from '../../src/redact.js'

/** Random secrets of this test only (the registry is per process), shaped like real ones. */
function secret(length = 24): string {
  return `t${randomBytes(length)
    .toString('base64url')
    .slice(0, length - 1)}`
}

describe('redact: registered secret values', () => {
  it('masks every one of thousands of registered secrets wherever it appears', () => {
    const secrets = Array.from({length: 3000}, () => secret())
    for (const s of secrets) registerSecret(s)
    for (const s of [secrets[0]!, secrets[1499]!, secrets[2999]!]) {
      const out = redactText(`app billing sets ${s} in CLIENT_SECRET; again:${s}.`)
      expect(out.includes(s)).to.equal(false, 'a registered secret survived')
      expect(out).to.equal(`app billing sets ${REDACTED} in CLIENT_SECRET; again:${REDACTED}.`)
    }
  })

  it('masks a secret at the very start and end of the text, and text that is only the secret', () => {
    const s = secret()
    registerSecret(s)
    expect(redactText(s)).to.equal(REDACTED)
    expect(redactText(`${s} x ${s}`)).to.equal(`${REDACTED} x ${REDACTED}`)
  })

  it('where secrets share a start, the longest is masked whole', () => {
    const short = secret(10)
    const long = `${short}-and-more-${secret(8)}`
    registerSecret(short)
    registerSecret(long)
    const out = redactText(`[${long}] [${short}]`)
    expect(out).to.equal(`[${REDACTED}] [${REDACTED}]`)
  })

  it('leaves text without a registered secret as it is, and ignores values shorter than 6', () => {
    registerSecret('abc')
    const text = 'route orders.apps.cfguard.test → app orders (2 instances), abc'
    expect(redactText(text)).to.equal(text)
  })
})
