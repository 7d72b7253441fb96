import {expect} from 'chai'
import {mkdtempSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {createTracer, isSensitivePath} from '../../../../src/cf/http/trace.js'
import {createTransport} from '../../../../src/cf/http/transport.js'
import {json, startLoopback, type Loopback} from '../../../helpers/loopback.js'

// Planted secrets: none may appear in the trace. Not registered with registerSecret on purpose,
// so the test proves redaction by key, shape and endpoint, not by the exact-value safety net.
const PASSWORD = 'pw-CANARY-7f3a9d'
const CLIENT_SECRET = 'cs-CANARY-91b2c4'
const ACCESS = 'opaque-access-CANARY-55e1'
const REFRESH = 'opaque-refresh-CANARY-a8d0'
const UPS_VALUE = 'ups-value-CANARY-0c4d'
const ENV_VALUE = 'env-value-CANARY-3e7f'
const JWT_TOKEN =
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLUNBTkFSWSIsImV4cCI6MTk5OTk5OTk5OX0.c2lnbmF0dXJlLUNBTkFSWQ'

describe('cf/http trace redaction', () => {
  let server: Loopback
  let dir: string

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cfguard-trace-'))
    server = await startLoopback((r, res) => {
      if (r.path.startsWith('/oauth/token')) {
        return json(res, 200, {
          access_token: ACCESS,
          refresh_token: REFRESH,
          token_type: 'bearer',
          id_token: JWT_TOKEN,
        })
      }
      if (r.path.endsWith('/credentials')) {
        return json(res, 200, {
          uri: `https://svc.example.com`,
          apikey_like: UPS_VALUE,
          nested: {value: UPS_VALUE},
        })
      }
      if (r.path.endsWith('/environment_variables')) return json(res, 200, {var: {MY_SETTING: ENV_VALUE}})
      return json(res, 200, {resources: [], note: `Bearer ${ACCESS}`}, {'Set-Cookie': `session=${ACCESS}`})
    })
  })

  afterEach(async () => {
    await server.close()
  })

  it('writes a 0600 trace file without any planted secret, while keeping the requests readable', async () => {
    const path = join(dir, 'trace.log')
    const transport = createTransport({tracer: createTracer(path)})
    transport.trust({cc: server.url})
    transport.setTokenProvider({
      accessToken: async () => JWT_TOKEN,
      renewAfterRejection: async () => JWT_TOKEN,
    })

    await transport.request({
      method: 'POST',
      url: `${server.url}/oauth/token`,
      auth: {basic: {username: 'cf', password: CLIENT_SECRET}},
      form: {grant_type: 'password', username: 'admin', password: PASSWORD, refresh_token: REFRESH},
      tokenGrant: true,
    })
    await transport.request({method: 'GET', url: `${server.url}/v3/service_instances/g/credentials`})
    await transport.request({
      method: 'PATCH',
      url: `${server.url}/v3/service_instances/g`,
      json: {credentials: {client_secret: CLIENT_SECRET, other: UPS_VALUE}},
    })
    await transport.request({
      method: 'PATCH',
      url: `${server.url}/v3/apps/g/environment_variables`,
      json: {var: {MY_SETTING: ENV_VALUE}},
    })
    await transport.request({method: 'GET', url: `${server.url}/v3/apps?password=${PASSWORD}&names=billing`})
    await transport.request({
      method: 'PUT',
      url: `${server.url}/oauth/clients/billing/secret`,
      json: {clientId: 'billing', oldSecret: CLIENT_SECRET, secret: CLIENT_SECRET, changeMode: 'ADD'},
    })
    transport.close()

    expect(statSync(path).mode & 0o777).to.equal(0o600)
    const text = readFileSync(path, 'utf8')
    for (const [name, secret] of Object.entries({
      PASSWORD,
      CLIENT_SECRET,
      ACCESS,
      REFRESH,
      UPS_VALUE,
      ENV_VALUE,
      JWT_TOKEN,
      // The client secret as it travels: an HTTP Basic header (base64 hides no secret)
      BASIC_CREDENTIALS: Buffer.from(`cf:${CLIENT_SECRET}`).toString('base64'),
    })) {
      expect(text.includes(secret), `${name} leaked into the trace`).to.equal(false)
    }
    expect(text.includes('CANARY')).to.equal(false, 'a fragment of a planted secret leaked')
    expect(text).to.contain('[REDACTED form body]')
    expect(text).to.contain('GET http://127.0.0.1')
    expect(text).to.contain('/v3/apps?password=[REDACTED]&names=billing')
    expect(text).to.contain('"uri": "[REDACTED]"')
    expect(text).to.contain('"changeMode": "ADD"')
    expect(text).to.match(/RESPONSE .* #2 200/)
  })

  it('appends to an existing trace file and tightens its mode', async () => {
    const path = join(dir, 'existing.log')
    createTracer(path)?.close()
    const again = createTracer(path)
    again?.failure(1, 'https://api.example.com/v3/x?token=abcdef123', 'socket hang up', 5)
    again?.close()
    const text = readFileSync(path, 'utf8')
    expect(text).to.contain('socket hang up')
    expect(text).not.to.contain('abcdef123')
  })

  it('is off unless CFGUARD_TRACE asks for it, and refuses an unwritable path with a usage error', () => {
    expect(createTracer(undefined)).to.equal(null)
    expect(createTracer('false')).to.equal(null)
    expect(() => createTracer(join(dir, 'missing-dir', 'x.log'))).to.throw(/cannot open trace file/)
  })

  it('a secret endpoint is known with a trailing or doubled slash (a 301 adding one)', () => {
    for (const path of [
      '/v3/apps/g/env/',
      '/v3/apps/g//env',
      '/v3/service_instances/g/credentials/',
      '/v3/service_credential_bindings/g/details//',
    ])
      expect(isSensitivePath(path), path).to.equal(true)
    expect(isSensitivePath('/v3/apps/g/')).to.equal(false)
  })
})
