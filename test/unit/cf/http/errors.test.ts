import {expect} from 'chai'

import {classifyHttpError, classifyNetworkError} from '../../../../src/cf/http/errors.js'
import {createTransport} from '../../../../src/cf/http/transport.js'
import {startLoopback} from '../../../helpers/loopback.js'

const base = {
  method: 'POST' as const,
  url: 'https://login.example.com/oauth/token?x=1',
  service: 'UAA',
  attempts: 1,
}

describe('cf/http error classification', () => {
  const cases: [number, unknown, string, RegExp][] = [
    [
      401,
      {error: 'unauthorized', error_description: 'Bad credentials'},
      'AUTH_FAILED',
      /rejected the credentials: Bad credentials/,
    ],
    [
      401,
      {error: 'invalid_client', error_description: 'Bad client credentials'},
      'AUTH_FAILED',
      /rejected the credentials/,
    ],
    [
      401,
      {error: 'invalid_client', error_description: 'Unauthorized grant type: client_credentials'},
      'AUTH_FAILED',
      /refused the grant: Unauthorized grant type/,
    ],
    [
      400,
      {error: 'unauthorized_client', error_description: 'not allowed'},
      'AUTH_FAILED',
      /refused the grant/,
    ],
    [
      400,
      {error: 'invalid_grant', error_description: 'User authentication failed'},
      'AUTH_FAILED',
      /refused the grant: User authentication failed/,
    ],
    [
      401,
      {error: 'invalid_token', error_description: 'Invalid refresh token (expired)'},
      'TOKEN_EXPIRED',
      /rejected the token/,
    ],
    [
      401,
      {errors: [{code: 1000, title: 'CF-InvalidAuthToken', detail: 'Invalid Auth Token'}]},
      'TOKEN_EXPIRED',
      /rejected the access token/,
    ],
    [
      401,
      {errors: [{code: 10002, title: 'CF-NotAuthenticated', detail: 'Authentication error'}]},
      'NOT_LOGGED_IN',
      /needs a token/,
    ],
    [
      403,
      {errors: [{code: 330002, title: 'CF-FeatureDisabled', detail: 'env_var_visibility'}]},
      'FORBIDDEN',
      /CF-FeatureDisabled: env_var_visibility/,
    ],
    [
      409,
      {errors: [{code: 90008, title: 'CF-AsyncServiceBindingOperationInProgress', detail: 'x'}]},
      'CONFLICT',
      /conflict/,
    ],
    [
      400,
      {errors: [{code: 10005, title: 'CF-BadQueryParameter', detail: 'per_page too big'}]},
      'API_ERROR',
      /returned 400/,
    ],
    [502, undefined, 'API_UNAVAILABLE', /returned 502/],
  ]
  for (const [status, body, code, message] of cases) {
    it(`${status} ${JSON.stringify(body)?.slice(0, 60)} → ${code}`, () => {
      const err = classifyHttpError({...base, status, body})
      expect(err.code).to.equal(code)
      expect(err.message).to.match(message)
      expect(err.exitCode).to.equal(
        code === 'API_ERROR' || code === 'API_UNAVAILABLE' || code === 'CONFLICT' ? 5 : 4,
      )
    })
  }

  it('network failures name the host and a next step', () => {
    const f = {
      method: 'GET' as const,
      url: 'https://api.example.com/v3/apps?client_secret=abc123',
      service: 'Cloud Controller',
      message: 'x',
      attempts: 3,
      timeoutMs: 30_000,
    }
    expect(classifyNetworkError({...f, code: 'ENOTFOUND'}).message).to.equal(
      'cannot resolve host api.example.com (ENOTFOUND)',
    )
    expect(classifyNetworkError({...f, code: 'SELF_SIGNED_CERT_IN_CHAIN'}).suggestions.join(' ')).to.contain(
      '--skip-ssl-validation',
    )
    const timeout = classifyNetworkError({...f, code: 'ETIMEDOUT'})
    expect(timeout.message).to.equal(
      'Cloud Controller did not answer GET /v3/apps?client_secret=[REDACTED] within 30 s after 3 attempts',
    )
    expect(classifyNetworkError({...f, code: 'ERR_CANCELED'}).code).to.equal('INTERRUPTED')
  })

  it('a server that does not answer within the timeout: retried for GET, then a clear error', async () => {
    const server = await startLoopback(() => {
      /* never answers */
    })
    const transport = createTransport({timeoutMs: 150, sleep: async () => {}})
    try {
      await transport.request({method: 'GET', url: `${server.url}/v3/apps`, auth: 'none'})
      expect.fail('must time out')
    } catch (err) {
      expect((err as {code: string}).code).to.equal('API_UNAVAILABLE')
      expect((err as Error).message).to.match(/did not answer GET \/v3\/apps within 150 ms after 3 attempts/)
      expect(server.requests).to.have.length(3)
    } finally {
      transport.close()
      await server.close()
    }
  })
})
