import {expect} from 'chai'

import {createTransport, type Transport} from '../../../../src/cf/http/transport.js'
import {createUaaClient, type SecretChangeMode, type UaaClient} from '../../../../src/cf/uaa/client.js'
import {CfguardError} from '../../../../src/errors.js'
import {fakeSleep, json, startLoopback, type Loopback} from '../loopback.js'

async function failure(p: Promise<unknown>): Promise<CfguardError> {
  try {
    await p
  } catch (err) {
    if (err instanceof CfguardError) return err
    throw err
  }
  throw new Error('expected a failure')
}

/** What the UAA client asks of the transport, request by request (a scripted loopback UAA). */
describe('cf/uaa requests', () => {
  let server: Loopback
  let transport: Transport
  let uaa: UaaClient

  beforeEach(async () => {
    server = await startLoopback()
    transport = createTransport({sleep: fakeSleep().sleep, random: () => 0.5})
    transport.trust({cc: server.url, login: server.url, uaa: server.url})
    transport.setTokenProvider({
      accessToken: async () => 'admin-token-12345678',
      renewAfterRejection: async () => 'admin-token-12345678',
    })
    uaa = createUaaClient({transport, loginUrl: server.url, uaaUrl: server.url})
  })
  afterEach(async () => {
    transport.close()
    await server.close()
  })

  describe('a secret change is sent exactly once (a repeated DELETE would remove the next secret)', () => {
    const cases: {changeMode: SecretChangeMode; answer: 'cut' | 502 | 503 | 504}[] = []
    for (const changeMode of ['ADD', 'DELETE', 'UPDATE'] as const) {
      for (const answer of ['cut', 502, 503, 504] as const) cases.push({changeMode, answer})
    }
    for (const c of cases) {
      it(`${c.changeMode}, ${c.answer === 'cut' ? 'connection cut' : `answered ${c.answer}`}: one PUT, API_UNAVAILABLE`, async () => {
        server.handle((_r, res) => {
          if (c.answer === 'cut') res.socket?.destroy()
          else json(res, c.answer, {error: 'unavailable'})
        })
        const err = await failure(
          uaa.changeClientSecret('web-sso', {
            changeMode: c.changeMode,
            ...(c.changeMode === 'DELETE' ? {} : {secret: 'next-secret-abcdef'}),
          }),
        )
        expect(err.code).to.equal('API_UNAVAILABLE')
        expect(server.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
          'PUT /oauth/clients/web-sso/secret',
        ])
        expect(transport.stats.retries).to.equal(0)
      })
    }

    it('a read of the same client is still retried after a cut connection', async () => {
      server.handle((_r, res) => {
        if (server.requests.length === 1) res.socket?.destroy()
        else json(res, 200, {client_id: 'web-sso'})
      })
      expect((await uaa.getClient('web-sso')).clientId).to.equal('web-sso')
      expect(server.requests).to.have.length(2)
    })
  })
})
