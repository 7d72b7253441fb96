/**
 * Starts and stops the foundation simulator for tests, and talks to it over plain HTTP (never
 * through the cfguard client: contract tests check the simulator against docs/platform-facts.md).
 */
import {request as httpRequest} from 'node:http'

import {startSimulator, type SimUserName, type Simulator, type SimulatorOptions} from '../../src/sim/index.js'

export type {Simulator, SimulatorOptions}

/** Runs `fn` with a fresh simulator and always stops it. */
export async function withSimulator<T>(
  options: SimulatorOptions,
  fn: (sim: Simulator) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator(options)
  try {
    return await fn(sim)
  } finally {
    await sim.stop()
  }
}

/**
 * Mocha hooks: one simulator for the enclosing `describe` (`before`/`after`), or a fresh one per
 * test with `{each: true}`. Read it as `ctx.sim` inside tests.
 */
export function useSimulator(options: SimulatorOptions = {}, hooks: {each?: boolean} = {}): {sim: Simulator} {
  const holder = {} as {sim: Simulator}
  const start = async () => {
    holder.sim = await startSimulator(options)
  }
  const stop = async () => {
    await holder.sim?.stop()
  }
  if (hooks.each) {
    beforeEach(start)
    afterEach(stop)
  } else {
    before(start)
    after(stop)
  }
  return holder
}

export interface HttpResult {
  status: number
  headers: Headers
  /** Header lines as sent, `[name, value, name, value, …]` (repeated headers stay separate). */
  rawHeaders: string[]
  text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any
}

export interface RequestOptions {
  token?: string
  body?: unknown
  form?: Record<string, string>
  headers?: Record<string, string>
}

/** One HTTP request with node:http (keeps repeated headers such as X-Cf-Warnings apart). */
export function http(method: string, url: string, options: RequestOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = {Accept: 'application/json', ...(options.headers ?? {})}
  if (options.token) headers.Authorization = `bearer ${options.token}`
  let payload: string | undefined
  if (options.form) {
    payload = new URLSearchParams(options.form).toString()
    headers['Content-Type'] = 'application/x-www-form-urlencoded'
  } else if (options.body !== undefined) {
    payload = JSON.stringify(options.body)
    headers['Content-Type'] = 'application/json'
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {method, headers, agent: false}, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('error', reject)
      res.on('end', () => {
        const h = new Headers()
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          h.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!)
        let json: unknown = null
        try {
          json = text === '' ? null : JSON.parse(text)
        } catch {
          json = null
        }
        resolve({status: res.statusCode ?? 0, headers: h, rawHeaders: res.rawHeaders, text, json})
      })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

/** A tiny API client bound to one origin and one token. */
export class Api {
  constructor(
    readonly base: string,
    readonly token?: string,
  ) {}

  get(path: string, options: RequestOptions = {}) {
    return http('GET', this.base + path, {token: this.token, ...options})
  }
  post(path: string, body?: unknown, options: RequestOptions = {}) {
    return http('POST', this.base + path, {token: this.token, body, ...options})
  }
  patch(path: string, body?: unknown, options: RequestOptions = {}) {
    return http('PATCH', this.base + path, {token: this.token, body, ...options})
  }
  put(path: string, body?: unknown, options: RequestOptions = {}) {
    return http('PUT', this.base + path, {token: this.token, body, ...options})
  }
  delete(path: string, options: RequestOptions = {}) {
    return http('DELETE', this.base + path, {token: this.token, ...options})
  }
}

/** A CC client with the token of a simulator user (or the admin client). */
export async function ccAs(sim: Simulator, who: SimUserName | 'adminClient'): Promise<Api> {
  return new Api(sim.apiUrl, await sim.tokenFor(who))
}

/** Polls a job URL (202 `Location`) until it is COMPLETE or FAILED, advancing the simulated clock. */
export async function waitForJob(
  sim: Simulator,
  api: Api,
  location: string,
): Promise<{state: string; errors: unknown[]}> {
  const path = location.replace(sim.apiUrl, '')
  for (let i = 0; i < 100; i++) {
    const res = await api.get(path)
    if (res.json.state === 'COMPLETE' || res.json.state === 'FAILED') return res.json
    sim.clock.advance(100)
  }
  throw new Error(`job ${path} did not finish`)
}
