import {Flags} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {usageError} from '../errors.js'

export interface SimServing {
  scenario: string
  ccVersion: string
  apiUrl: string
  uaaUrl: string
  logCacheUrl: string
  /** The simulator's throwaway admin client (client_credentials). */
  admin: {clientId: string; clientSecret: string}
  /** Throwaway users per role (password grant with client `cf`). */
  users: Record<string, {username: string; password: string}>
}

/**
 * Runs the local foundation simulator until SIGINT/SIGTERM. The ready document is printed as soon
 * as it listens (under --json: the one JSON document), so run() returns nothing at the end.
 */
export default class Sim extends BaseCommand<undefined> {
  public static readonly summary =
    'run the local Cloud Foundry foundation simulator (CC v3, UAA, Log Cache) on loopback'
  public static readonly description =
    'Serves a stateful foundation over HTTP on 127.0.0.1 (or ::1) for trying cfguard, tests and benchmarks. ' +
    'It prints the API URL and a throwaway admin client, then serves until interrupted.'
  public static readonly examples = [
    '<%= config.bin %> sim',
    '<%= config.bin %> sim --scenario generated --apps 10000 --seed 7',
    '<%= config.bin %> sim --latency 25ms --error-rate 0.05 --rate-limit 2000 --json',
  ]
  public static readonly flags = {
    scenario: Flags.string({
      description: 'foundation to serve',
      options: ['demo', 'generated', 'empty'],
      default: 'demo',
      env: 'CFGUARD_SIM_SCENARIO',
    }),
    apps: Flags.integer({
      description: 'apps in the generated scenario',
      min: 1,
      default: 100,
      env: 'CFGUARD_SIM_APPS',
    }),
    seed: Flags.integer({
      description: 'seed for generated content and faults',
      default: 1,
      env: 'CFGUARD_SIM_SEED',
    }),
    host: Flags.string({
      description: 'loopback address to listen on',
      options: ['127.0.0.1', '::1'],
      default: '127.0.0.1',
      env: 'CFGUARD_SIM_HOST',
    }),
    port: Flags.integer({
      description: 'API port (UAA and Log Cache take the next two); 0 picks free ports',
      min: 0,
      max: 65533,
      default: 0,
      env: 'CFGUARD_SIM_PORT',
    }),
    latency: Flags.string({
      description: 'latency added to every request, e.g. 25ms',
      env: 'CFGUARD_SIM_LATENCY',
    }),
    'error-rate': Flags.string({
      description: 'fraction of requests answered 500/502/503 (0..1)',
      env: 'CFGUARD_SIM_ERROR_RATE',
    }),
    'cc-version': Flags.string({
      description: 'Cloud Controller API version to report and behave as',
      default: '3.228.0',
      env: 'CFGUARD_SIM_CC_VERSION',
    }),
    'rate-limit': Flags.integer({
      description: 'CC rate limit per user per hour (off when absent)',
      min: 1,
      env: 'CFGUARD_SIM_RATE_LIMIT',
    }),
  }

  public async run(): Promise<undefined> {
    const {flags} = await this.parse(Sim)
    const {parseDuration} = await import('../model/duration.js')
    const latencyMs = flags.latency === undefined ? 0 : parseDuration(flags.latency, '--latency')
    const errorRate = flags['error-rate'] === undefined ? 0 : Number(flags['error-rate'])
    if (!Number.isFinite(errorRate) || errorRate < 0 || errorRate > 1) {
      throw usageError(
        `invalid --error-rate "${flags['error-rate']}": use a number between 0 and 1`,
        'e.g. --error-rate 0.05',
      )
    }
    if (!/^\d+\.\d+\.\d+$/.test(flags['cc-version'])) {
      throw usageError(`invalid --cc-version "${flags['cc-version']}": use a version like 3.228.0`)
    }

    const {startSimulator} = await import('../sim/index.js')
    const port = flags.port
    const sim = await startSimulator({
      scenario: flags.scenario as 'demo' | 'generated' | 'empty',
      apps: flags.apps,
      seed: flags.seed,
      host: flags.host,
      ports: port === 0 ? {} : {cc: port, uaa: port + 1, logCache: port + 2},
      ccVersion: flags['cc-version'],
      latencyMs,
      rateLimit: flags['rate-limit'] ? {limit: flags['rate-limit'], resetSeconds: 3600} : null,
    }).catch((err: Error & {code?: string}) => {
      if (err.code === 'EADDRINUSE')
        throw usageError(`port ${port} (or the next two) is in use`, 'pick another --port, or --port 0')
      if (err.code === 'EADDRNOTAVAIL')
        throw usageError(`cannot listen on ${flags.host} here`, 'use --host 127.0.0.1')
      throw err
    })
    if (errorRate > 0) sim.faults.set({errorRate})

    const serving: SimServing = {
      scenario: flags.scenario,
      ccVersion: flags['cc-version'],
      apiUrl: sim.apiUrl,
      uaaUrl: sim.uaaUrl,
      logCacheUrl: sim.logCacheUrl,
      admin: sim.admin,
      users: sim.users,
    }
    if (this.jsonEnabled()) this.logJson(this.toSuccessJson(serving))
    else {
      this.ctx.info(
        [
          `cfguard simulator: scenario ${flags.scenario}, CC API ${flags['cc-version']}, on loopback`,
          `  API        ${sim.apiUrl}`,
          `  UAA        ${sim.uaaUrl}`,
          `  Log Cache  ${sim.logCacheUrl}`,
          `  admin client ${sim.admin.clientId} (throwaway credentials for this simulator only)`,
          '',
          `CFGUARD_API=${sim.apiUrl} CFGUARD_CLIENT_ID=${sim.admin.clientId} CFGUARD_CLIENT_SECRET=${sim.admin.clientSecret}`,
          '',
          'Serving until Ctrl-C.',
        ].join('\n'),
      )
    }

    const signal = this.ctx.signal
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve()
      else signal.addEventListener('abort', () => resolve(), {once: true})
    })
    await sim.stop()
    // Stopping on SIGINT/SIGTERM is this command's normal end.
    process.exitCode = 0
    this.ctx.info('cfguard simulator: stopped')
    return undefined
  }
}
