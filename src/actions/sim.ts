/**
 * `cfguard sim`: start the foundation simulator on loopback and say how to reach it. The command
 * waits for Ctrl-C and calls `stop`.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {usageError} from '../errors.js'

export interface SimRequest {
  scenario: 'demo' | 'generated' | 'empty'
  apps: number
  seed: number
  host: string
  /** API port (UAA and Log Cache take the next two); 0 picks free ports. */
  port: number
  ccVersion: string
  latencyMs: number
  /** Fraction of requests answered 500/502/503. */
  errorRate: number
  /** CC requests per user per hour; null = off. */
  rateLimit: number | null
  /** HTTPS with a throwaway CA. */
  tls?: boolean
  /** With tls: name the origins api./uaa./log-cache.DOMAIN in every URL. */
  hostname?: string
}

export interface SimServing {
  scenario: string
  ccVersion: string
  apiUrl: string
  uaaUrl: string
  logCacheUrl: string
  /** Under --tls: the throwaway CA's certificate (PEM file, removed when the simulator stops). */
  caCertFile?: string
  /** The simulator's throwaway admin client (client_credentials). */
  admin: {clientId: string; clientSecret: string}
  /** Throwaway users per role (password grant with client `cf`). */
  users: Record<string, {username: string; password: string}>
}

export async function serveSimulator(
  request: SimRequest,
): Promise<{serving: SimServing; stop: () => Promise<void>}> {
  if (!/^\d+\.\d+\.\d+$/.test(request.ccVersion)) {
    throw usageError(`invalid --cc-version "${request.ccVersion}": use a version like 3.228.0`)
  }
  if (request.hostname !== undefined && !request.tls) {
    throw usageError('--hostname needs --tls', 'e.g. cfguard sim --tls --hostname sys.cfguard.test')
  }
  const {startSimulator} = await import('../sim/index.js')
  const {port} = request
  const sim = await startSimulator({
    scenario: request.scenario,
    apps: request.apps,
    seed: request.seed,
    host: request.host,
    ports: port === 0 ? {} : {cc: port, uaa: port + 1, logCache: port + 2},
    ccVersion: request.ccVersion,
    latencyMs: request.latencyMs,
    rateLimit: request.rateLimit ? {limit: request.rateLimit, resetSeconds: 3600} : null,
    tls: request.tls ? {hostname: request.hostname} : undefined,
  }).catch((err: Error & {code?: string}) => {
    if (/^not a DNS domain/.test(err.message)) throw usageError(`invalid --hostname: ${err.message}`)
    if (err.code === 'EADDRINUSE')
      throw usageError(`port ${port} (or the next two) is in use`, 'pick another --port, or --port 0')
    if (err.code === 'EADDRNOTAVAIL')
      throw usageError(`cannot listen on ${request.host} here`, 'use --host 127.0.0.1')
    throw err
  })
  if (request.errorRate > 0) sim.faults.set({errorRate: request.errorRate})
  let caDir: string | null = null
  let caCertFile: string | undefined
  if (sim.caPem !== null) {
    // Public: a CA certificate, no key. In its own temp directory, removed on stop.
    caDir = mkdtempSync(join(tmpdir(), 'cfguard-sim-ca-'))
    caCertFile = join(caDir, 'ca.pem')
    writeFileSync(caCertFile, sim.caPem)
  }
  return {
    serving: {
      scenario: request.scenario,
      ccVersion: request.ccVersion,
      apiUrl: sim.apiUrl,
      uaaUrl: sim.uaaUrl,
      logCacheUrl: sim.logCacheUrl,
      ...(caCertFile ? {caCertFile} : {}),
      admin: sim.admin,
      users: sim.users,
    },
    stop: async () => {
      await sim.stop()
      if (caDir) rmSync(caDir, {recursive: true, force: true})
    },
  }
}
