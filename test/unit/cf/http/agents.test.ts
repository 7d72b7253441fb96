import {expect} from 'chai'
import http from 'node:http'

import {
  certificatesIn,
  createAgentPool,
  noProxyMatches,
  parseNoProxy,
  parseProxyUrl,
  proxyFor,
} from '../../../../src/cf/http/agents.js'
import {createTransport} from '../../../../src/cf/http/transport.js'
import type {CfguardError} from '../../../../src/errors.js'
import {redactText} from '../../../../src/redact.js'
import {startSimulator} from '../../../../src/sim/index.js'
import {startTestProxy} from '../../../helpers/proxy.js'

const PROXY = 'http://proxy.corp.example:3128'

function via(url: string, env: NodeJS.ProcessEnv): string | null {
  return proxyFor(new URL(url), env)?.host ?? null
}

describe('cf/http/agents: which proxy, if any (Go net/http rules, like the cf CLI)', () => {
  it('HTTPS_PROXY (or https_proxy) for https URLs, HTTP_PROXY for http ones; upper case first', () => {
    expect(via('https://api.sys.example.com', {HTTPS_PROXY: PROXY})).to.equal('proxy.corp.example:3128')
    expect(via('https://api.sys.example.com', {https_proxy: 'http://lower:8080'})).to.equal('lower:8080')
    expect(
      via('https://api.sys.example.com', {HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2'}),
    ).to.equal('upper:1')
    expect(via('https://api.sys.example.com', {HTTP_PROXY: PROXY})).to.equal(null)
    expect(via('https://api.sys.example.com', {})).to.equal(null)
    expect(via('https://api.sys.example.com', {HTTPS_PROXY: '  '})).to.equal(null)
  })

  it('a proxy without a scheme is http://', () => {
    expect(proxyFor(new URL('https://api.x.example'), {HTTPS_PROXY: 'proxy.corp:3128'})?.href).to.equal(
      'http://proxy.corp:3128/',
    )
  })

  it('localhost and loopback addresses are never proxied, NO_PROXY or not', () => {
    for (const url of [
      'https://localhost:8443',
      'https://127.0.0.1:1',
      'https://127.9.9.9',
      'https://[::1]:443',
      'http://127.0.0.1:80',
    ]) {
      expect(via(url, {HTTPS_PROXY: PROXY, HTTP_PROXY: PROXY}), url).to.equal(null)
    }
  })

  it('NO_PROXY: hosts, domains (with and without the dot), ports, IPs, CIDRs, *', () => {
    const cases: [string, string, boolean][] = [
      // [NO_PROXY, URL, bypassed]
      ['sys.example.com', 'https://sys.example.com', true],
      ['sys.example.com', 'https://api.sys.example.com', true],
      ['sys.example.com', 'https://api.sys.example.com.evil.test', false],
      ['sys.example.com', 'https://xsys.example.com', false],
      ['.sys.example.com', 'https://api.sys.example.com', true],
      ['.sys.example.com', 'https://sys.example.com', false],
      ['*.sys.example.com', 'https://uaa.sys.example.com', true],
      ['API.SYS.example.com', 'https://api.sys.example.com', true],
      ['api.sys.example.com:8443', 'https://api.sys.example.com:8443', true],
      ['api.sys.example.com:8443', 'https://api.sys.example.com', false],
      ['api.sys.example.com:443', 'https://api.sys.example.com', true],
      ['10.0.0.0/8', 'https://10.20.30.40', true],
      ['10.0.0.0/8', 'https://11.0.0.1', false],
      ['10.0.0.0/8', 'https://ten.example.com', false],
      ['192.168.1.7', 'https://192.168.1.7:9', true],
      ['192.168.1.7:9', 'https://192.168.1.7:10', false],
      ['fd00::/8', 'https://[fd12::1]', true],
      ['[fd12::1]:443', 'https://[fd12::1]', true],
      ['*', 'https://anything.example.com', true],
      ['other.example, sys.example.com ,', 'https://api.sys.example.com', true],
      ['', 'https://api.sys.example.com', false],
    ]
    for (const [noProxy, url, bypassed] of cases) {
      expect(via(url, {HTTPS_PROXY: PROXY, NO_PROXY: noProxy}), `NO_PROXY=${noProxy} ${url}`).to.equal(
        bypassed ? null : 'proxy.corp.example:3128',
      )
    }
    expect(via('https://api.sys.example.com', {HTTPS_PROXY: PROXY, no_proxy: '.example.com'})).to.equal(null)
  })

  it('the matcher alone: a trailing dot and an invalid CIDR are handled', () => {
    expect(noProxyMatches('api.example.com.', 443, parseNoProxy('example.com'))).to.equal(true)
    expect(parseNoProxy('10.0.0.0/99, /8')).to.deep.equal([])
  })

  it('bad proxy URLs are usage errors naming the variable, never its value; credentials are redacted', () => {
    const socks = (() => {
      try {
        parseProxyUrl('socks5://u:sock-secret-1@h:1080', 'HTTPS_PROXY')
      } catch (e) {
        return e as CfguardError
      }
      throw new Error('expected an error')
    })()
    expect(socks.code).to.equal('USAGE')
    expect(socks.message).to.contain('HTTPS_PROXY').and.not.contain('sock-secret-1')
    const p = parseProxyUrl('http://alice:pa%24%24-w0rd-9@proxy:3128', 'HTTPS_PROXY')
    expect(p.hostname).to.equal('proxy')
    expect(redactText('proxy password pa$$-w0rd-9 here')).not.to.contain('pa$$-w0rd-9')
  })

  it('agentFor: one agent per origin, cached; loopback direct; proxied origins share the tunnel agent', () => {
    const pool = createAgentPool({env: {HTTPS_PROXY: PROXY, NO_PROXY: 'direct.example'}})
    try {
      const api = pool.agentFor('https://api.sys.example.com/v3/apps')
      expect(pool.agentFor('https://api.sys.example.com/')).to.equal(api)
      const uaa = pool.agentFor('https://uaa.sys.example.com')
      expect(uaa).to.equal(api, 'one tunnel agent per proxy')
      expect(api.constructor.name).to.equal('TunnelAgent')
      const direct = pool.agentFor('https://direct.example')
      expect(direct).not.to.equal(api)
      expect(pool.agentFor('https://127.0.0.1:8443')).to.equal(direct)
      expect(pool.agentFor('http://127.0.0.1:8080')).not.to.equal(direct)
    } finally {
      pool.destroy()
    }
  })

  it('certificatesIn keeps CERTIFICATE blocks only (a private key in a bundle is dropped)', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'
    const key = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----'
    expect(certificatesIn(`${key}\n${cert}\n${cert}`)).to.deep.equal([cert, cert])
    expect(certificatesIn(key)).to.deep.equal([])
  })

  it('the tunnel agent is lean too: the pool never sees request state (headers, redirect closures)', async function () {
    this.timeout(30_000)
    const sim = await startSimulator({tls: {hostname: 'sys.cfguard.test'}})
    const proxy = await startTestProxy({domain: 'sys.cfguard.test'})
    const seen: string[][] = []
    // http.Agent keeps the options it is given in the listeners of each pooled socket (agents.ts).
    const original = Object.getOwnPropertyDescriptor(http.Agent.prototype, 'addRequest')!
    const base = original.value as (this: http.Agent, ...args: unknown[]) => void
    const proto = http.Agent.prototype as unknown as {addRequest: (...args: unknown[]) => void}
    proto.addRequest = function (this: http.Agent, req: unknown, options: unknown, ...rest: unknown[]) {
      if (options && typeof options === 'object') seen.push(Object.keys(options))
      return base.call(this, req, options, ...rest)
    }
    const transport = createTransport({env: {HTTPS_PROXY: proxy.url}, caPem: sim.caPem})
    try {
      for (let i = 0; i < 3; i++) {
        const r = await transport.request<{links: unknown}>({
          method: 'GET',
          url: `${sim.apiUrl}/`,
          auth: 'none',
          headers: {Authorization: 'bearer not-a-real-token-123'},
        })
        expect(r.status).to.equal(200)
      }
    } finally {
      Object.defineProperty(http.Agent.prototype, 'addRequest', original)
      transport.close()
      await proxy.close()
      await sim.stop()
    }
    expect(proxy.seen.map((x) => x.method)).to.deep.equal(['CONNECT'], 'one tunnel, kept alive')
    expect(seen.length).to.be.greaterThan(0)
    for (const keys of seen) {
      for (const requestOnly of ['headers', 'beforeRedirects', 'auth'])
        expect(keys).not.to.include(requestOnly)
    }
  })
})
