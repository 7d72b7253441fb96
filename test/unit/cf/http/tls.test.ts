import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {createTransport} from '../../../../src/cf/http/transport.js'
import type {CfguardError} from '../../../../src/errors.js'
import {raw, startLoopback, type Loopback} from '../../../helpers/loopback.js'

/** A self-signed https server on 127.0.0.1 (certificate made with openssl at test time). */
function selfSigned(): {key: Buffer; cert: Buffer} | null {
  const dir = mkdtempSync(join(tmpdir(), 'cfguard-tls-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      {stdio: 'ignore'},
    )
    return {key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem'))}
  } catch {
    return null
  }
}

describe('cf/http TLS', function () {
  this.timeout(20_000)
  let server: Loopback | undefined
  let url: string

  before(async function () {
    const pair = selfSigned()
    if (!pair) this.skip()
    server = await startLoopback(
      (_req, res) => raw(res, 200, '{"ok":true}', {'Content-Type': 'application/json'}),
      {
        tls: pair!,
      },
    )
    url = `${server.url}/`
  })
  after(() => server?.close())

  it('verifies certificates by default: a self-signed one is refused with a next step', async () => {
    const transport = createTransport()
    try {
      await transport.request({method: 'GET', url, auth: 'none'})
      expect.fail('must refuse the certificate')
    } catch (err) {
      expect((err as CfguardError).code).to.equal('API_UNAVAILABLE')
      expect((err as CfguardError).message).to.match(/TLS certificate of 127\.0\.0\.1:\d+ is not trusted/)
      expect((err as CfguardError).suggestions.join(' ')).to.contain('NODE_EXTRA_CA_CERTS')
    } finally {
      transport.close()
    }
  })

  it('--skip-ssl-validation accepts it for the run', async () => {
    const transport = createTransport({skipSslValidation: true})
    try {
      expect((await transport.request<{ok: boolean}>({method: 'GET', url, auth: 'none'})).data.ok).to.equal(
        true,
      )
    } finally {
      transport.close()
    }
  })
})
