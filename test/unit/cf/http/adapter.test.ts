/**
 * cfguard's axios adapter (src/cf/http/adapter.ts) on its own: the agent is the request
 * config's, bodies are decompressed and capped like axios does, and its errors keep axios's
 * shapes (the codes errors.ts and the transport classify).
 */
import http from 'node:http'
import {createRequire} from 'node:module'
import {gzipSync} from 'node:zlib'

import type {AxiosStatic, InternalAxiosRequestConfig} from 'axios'
import {expect} from 'chai'

import {AttemptControl, createNodeAdapter} from '../../../../src/cf/http/adapter.js'
import {json, startLoopback, type Loopback} from '../../../helpers/loopback.js'

const axios = createRequire(import.meta.url)('axios') as AxiosStatic
const adapter = createNodeAdapter(axios, {clarifyTimeoutError: true})

function config(url: string, extra: Partial<InternalAxiosRequestConfig> = {}): InternalAxiosRequestConfig {
  return {url, method: 'get', headers: {Accept: 'application/json'}, ...extra} as InternalAxiosRequestConfig
}

async function failure(promise: Promise<unknown>): Promise<{code?: string; message: string}> {
  try {
    await promise
  } catch (err) {
    return err as {code?: string; message: string}
  }
  throw new Error('expected the request to fail')
}

describe('cfguard axios adapter (node:http)', () => {
  let server: Loopback
  afterEach(async () => server?.close())

  it('sends through the agent of the request config and reuses its keep-alive socket', async () => {
    server = await startLoopback((_r, res) => json(res, 200, {ok: true}))
    const agent = new http.Agent({keepAlive: true, maxSockets: 1})
    let created = 0
    const create = agent.createConnection.bind(agent)
    agent.createConnection = ((...args: Parameters<typeof create>) => {
      created++
      return create(...args)
    }) as typeof agent.createConnection
    try {
      for (let i = 0; i < 3; i++) {
        const res = await adapter(config(`${server.url}/v3/apps`, {httpAgent: agent}))
        expect(res.status).to.equal(200)
        expect(JSON.parse(res.data as string)).to.deep.equal({ok: true})
      }
      expect(created, 'one socket, from the given agent').to.equal(1)
      expect(server.requests[0]?.headers['accept-encoding']).to.equal('gzip, compress, deflate, br')
    } finally {
      agent.destroy()
    }
  })

  it('decompresses gzip, drops content-encoding, and returns a redirect instead of following it', async () => {
    server = await startLoopback((r, res) => {
      if (r.path === '/moved') {
        res.writeHead(302, {location: '/elsewhere'})
        res.end()
        return
      }
      const body = gzipSync(Buffer.from('\ufeff{"zipped":true}'))
      res.writeHead(200, {'content-encoding': 'gzip', 'content-type': 'application/json'})
      res.end(body)
    })
    const res = await adapter(config(`${server.url}/z`))
    expect(res.data).to.equal('{"zipped":true}')
    expect(res.cfguardHeaders?.['content-encoding']).to.equal(undefined)
    const moved = await adapter(config(`${server.url}/moved`, {validateStatus: () => true}))
    expect(moved.status).to.equal(302)
    expect(server.requests.map((r) => r.path)).to.deep.equal(['/z', '/moved'])
  })

  it('rejects a body over maxContentLength with axios’s message, and times out with ETIMEDOUT', async () => {
    server = await startLoopback((r, res) => {
      if (r.path === '/big') {
        res.writeHead(200)
        res.end('x'.repeat(5000))
      }
      // '/slow' never answers
    })
    const big = await failure(adapter(config(`${server.url}/big`, {maxContentLength: 1000})))
    expect(big).to.include({code: 'ERR_BAD_RESPONSE', message: 'maxContentLength size of 1000 exceeded'})
    const slow = await failure(adapter(config(`${server.url}/slow`, {timeout: 100})))
    expect(slow).to.include({code: 'ETIMEDOUT', message: 'timeout of 100ms exceeded'})
  })

  it('cancels through the attempt control, and passes network error codes through', async () => {
    server = await startLoopback(() => undefined)
    const control = new AttemptControl(0)
    const pending = adapter(config(`${server.url}/hang`, {cfguardAttempt: control}))
    setImmediate(() => control.abort())
    const canceled = await failure(pending)
    expect(canceled.code).to.equal('ERR_CANCELED')
    expect(axios.isCancel(canceled)).to.equal(true)

    const closed = await startLoopback()
    const url = closed.url
    await closed.close()
    const refused = await failure(adapter(config(`${url}/`)))
    expect(refused.code).to.equal('ECONNREFUSED')
    expect(axios.isAxiosError(refused)).to.equal(true)
  })

  it("sends the attempt's headers first, then those axios added that the attempt does not have (any case)", async () => {
    server = await startLoopback((_r, res) => json(res, 200, {}))
    const control = new AttemptControl(0)
    control.headers = {Accept: 'application/json', Authorization: 'bearer t0ken'}
    await adapter(
      config(`${server.url}/v3/apps`, {
        method: 'post',
        data: '{}',
        cfguardAttempt: control,
        headers: {accept: 'text/plain', 'Content-Type': 'application/x-www-form-urlencoded'},
      } as unknown as Partial<InternalAxiosRequestConfig>),
    )
    const sent = server.requests[0]!.headers
    expect(sent.accept).to.equal('application/json')
    expect(sent.authorization).to.equal('bearer t0ken')
    expect(sent['content-type']).to.equal('application/x-www-form-urlencoded')
    expect(sent['content-length']).to.equal('2')
  })

  it('hands axios the response headers as the AxiosHeaders axios itself would make of them', async () => {
    server = await startLoopback((r, res) => {
      res.setHeader('X-Cf-Warnings', 'one')
      if (r.path === '/cookies') res.setHeader('Set-Cookie', ['a=1', 'b=2'])
      json(res, 200, {})
    })
    for (const path of ['/', '/cookies']) {
      const res = await adapter(config(`${server.url}${path}`))
      expect(res.headers).to.be.instanceOf(axios.AxiosHeaders)
      const fromAxios = axios.AxiosHeaders.from(res.cfguardHeaders as Record<string, string>)
      expect({...res.headers}).to.deep.equal({...fromAxios})
      expect(res.headers['x-cf-warnings']).to.equal('one')
    }
  })
})
