import {expect} from 'chai'

import {createTransport, type Transport} from '../../../../src/cf/http/transport.js'
import {createUaaClient, type SecretChangeMode, type UaaClient} from '../../../../src/cf/uaa/client.js'
import {fakeSleep, json, startLoopback, type Loopback} from '../../../helpers/loopback.js'
import {failure} from '../../../helpers/failure.js'

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

  describe('listClients: the first page, then the others at once', () => {
    const idOf = (i: number) => `client-${String(i).padStart(5, '0')}`
    /**
     * A SCIM `GET /oauth/clients` over `total` clients, at most `cap` a page (UAA may cap `count`).
     * `shift`: clients created meanwhile push the later pages back (page 2 repeats page 1's last).
     */
    function scim(total: number, cap = 500, shift = 0) {
      return (r: {path: string}, res: Parameters<typeof json>[0]) => {
        const q = new URL(r.path, server.url).searchParams
        const startIndex = Number(q.get('startIndex'))
        const from = startIndex - 1 - (startIndex > 1 ? shift : 0)
        const count = Math.min(Number(q.get('count')), cap)
        const ids = Array.from({length: Math.max(0, Math.min(count, total - from))}, (_, i) => idOf(from + i))
        json(res, 200, {
          resources: ids.map((id) => ({client_id: id})),
          startIndex,
          itemsPerPage: count,
          totalResults: total,
        })
      }
    }
    const starts = () =>
      server.requests.map((r) => new URL(r.path, server.url).searchParams.get('startIndex'))

    const cases: {total: number; cap?: number; starts: string[]}[] = [
      {total: 0, starts: ['1']},
      {total: 499, starts: ['1']},
      {total: 500, starts: ['1']},
      {total: 501, starts: ['1', '501']},
      {total: 1234, starts: ['1', '501', '1001']},
      {total: 250, cap: 100, starts: ['1', '101', '201']},
    ]
    for (const c of cases) {
      it(`${c.total} clients${c.cap ? `, UAA returning ${c.cap} a page` : ''}: ${c.starts.length} request(s), no empty page`, async () => {
        server.handle(scim(c.total, c.cap))
        const clients = await uaa.listClients()
        expect(starts()).to.deep.equal(c.starts)
        expect(clients.map((x) => x.clientId)).to.deep.equal(Array.from({length: c.total}, (_, i) => idOf(i)))
        for (const r of server.requests) {
          expect(new URL(r.path, server.url).searchParams.get('count')).to.equal('500')
        }
      })
    }

    it("pages after the first are scheduled before any of them is answered (through the caller's schedule)", async () => {
      server.handle(scim(2100))
      let answered = 0
      const answeredWhenScheduled: number[] = []
      const clients = await uaa.listClients({
        schedule: async (request) => {
          answeredWhenScheduled.push(answered)
          const out = await request()
          answered++
          return out
        },
      })
      expect(clients).to.have.length(2100)
      expect(starts()).to.deep.equal(['1', '501', '1001', '1501', '2001'])
      // Page 1 alone first; pages 2..5 all scheduled once page 1 (only) was in.
      expect(answeredWhenScheduled).to.deep.equal([0, 1, 1, 1, 1])
    })

    it('passes the filter on every page and keeps a client seen on two pages once', async () => {
      server.handle(scim(700, 500, 1))
      const clients = await uaa.listClients({filter: 'client_id sw "client-"'})
      expect(
        server.requests.map((r) => new URL(r.path, server.url).searchParams.get('filter')),
      ).to.deep.equal(['client_id sw "client-"', 'client_id sw "client-"'])
      const ids = clients.map((x) => x.clientId)
      expect(new Set(ids).size).to.equal(ids.length)
      expect(ids).to.include('client-00499').and.include('client-00698')
    })
  })

  it('--origin: the password and passcode grants send login_hint {"origin": …} (cf login --origin)', async () => {
    server.handle((_r, res) => json(res, 200, {access_token: 'a.b.c', token_type: 'bearer', expires_in: 600}))
    await uaa.passwordGrant('alice', 'alice-password-1', undefined, 'ldap')
    await uaa.passcodeGrant('passcode-123456', undefined, 'corp-saml')
    await uaa.passwordGrant('bob', 'bob-password-1')
    const hints = server.requests.map((r) => new URLSearchParams(r.body).get('login_hint'))
    expect(hints).to.deep.equal(['{"origin":"ldap"}', '{"origin":"corp-saml"}', null])
  })
})
