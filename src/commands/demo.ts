import type {DemoResult} from '../actions/demo.js'
import {BaseCommand} from '../cli/base-command.js'

export default class Demo extends BaseCommand<DemoResult> {
  public static readonly summary =
    'audit a simulated foundation with one planted problem of every rule, then plan a rotation'
  public static readonly description =
    'Starts the foundation simulator in this process on free loopback ports (scenario demo), logs in ' +
    'with its throwaway admin client, snapshots the routes, changes two of them through the API, runs the ' +
    'full audit (identity + routes, --check-issuers --verify-credentials --traffic, --baseline = the ' +
    'snapshot, a policy requiring an identity for apps labelled identity=required) and prints the report, ' +
    'then the dry-run plan of rotating billing-oidc. Uses a temporary CFGUARD_HOME: your own logins are ' +
    'never read or written. Exits 0 with the findings shown.'
  public static readonly examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --json']

  public async run(): Promise<DemoResult> {
    await this.parse(Demo)
    const {runDemo} = await import('../actions/demo.js')
    const {renderDemo} = await import('../cli/views/demo.js')
    const run = await runDemo(this.ctx)
    this.print(renderDemo(run, {width: this.ctx.width, color: this.ctx.color === true}))
    return run.result
  }
}
