import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../cli/base-command.js'
import {durationFlag, fractionFlag} from '../cli/flags.js'

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
    '<%= config.bin %> sim --tls --hostname sys.cfguard.test',
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
      // Generating is synchronous (signals wait for it): 100,000 apps take seconds, not hours.
      max: 100_000,
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
    latency: durationFlag('latency')({
      description: 'latency added to every request, e.g. 25ms',
      env: 'CFGUARD_SIM_LATENCY',
    }),
    'error-rate': fractionFlag('error-rate')({
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
    tls: Flags.boolean({
      description: 'serve HTTPS with a throwaway CA (its certificate is written to a file: caCertFile)',
      env: 'CFGUARD_SIM_TLS',
    }),
    hostname: Flags.string({
      description:
        'with --tls: name the origins api.DOMAIN, uaa.DOMAIN, log-cache.DOMAIN in every URL (to rehearse proxies)',
      env: 'CFGUARD_SIM_HOSTNAME',
    }),
  }

  public async run(): Promise<undefined> {
    const {flags} = await this.parse(Sim)
    const {serveSimulator} = await import('../actions/sim.js')
    const {renderSimServing} = await import('../cli/views/sim.js')
    const {serving, stop} = await serveSimulator({
      scenario: flags.scenario as 'demo' | 'generated' | 'empty',
      apps: flags.apps,
      seed: flags.seed,
      host: flags.host,
      port: flags.port,
      ccVersion: flags['cc-version'],
      latencyMs: flags.latency ?? 0,
      errorRate: flags['error-rate'] ?? 0,
      rateLimit: flags['rate-limit'] ?? null,
      tls: flags.tls,
      hostname: flags.hostname,
    })
    if (this.jsonEnabled()) this.logJson(this.toSuccessJson(serving))
    else this.ctx.info(renderSimServing(serving))

    const signal = this.ctx.signal
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve()
      else signal.addEventListener('abort', () => resolve(), {once: true})
    })
    await stop()
    // Stopping on SIGINT/SIGTERM is this command's normal end.
    process.exitCode = 0
    this.ctx.info('cfguard simulator: stopped')
    return undefined
  }
}
