import {Args} from '@oclif/core'

import type {RotationResult} from '../../actions/credentials.js'
import {BaseCommand} from '../../cli/base-command.js'
import {sessionOptions} from '../../cli/flags.js'
import {changeFlags, reportResult} from './rotate.js'

export default class CredentialsRollback extends BaseCommand<RotationResult> {
  public static readonly summary =
    'go back to the previous secret of a user-provided service while it is still valid'
  public static readonly description =
    'Puts the previous secret back into the service, rolls every bound app, then makes it the only ' +
    'secret at UAA (changeMode UPDATE), so no instance ever holds a rejected secret. Works until the ' +
    'old secret is retired. Managed bindings and keys need no rollback: the older ones stay until retirement.'
  public static readonly aliases = ['rollback-credentials']
  public static readonly examples = [
    '<%= config.bin %> <%= command.id %> billing-oidc',
    '<%= config.bin %> <%= command.id %> billing-oidc --yes --audit-log rollback.jsonl',
  ]
  public static readonly args = {
    service_instance: Args.string({
      description: 'service instance name (in the targeted space) or guid',
      required: true,
    }),
  }
  public static readonly flags = changeFlags

  public async run(): Promise<RotationResult> {
    const {args, flags} = await this.parse(CredentialsRollback)
    const [{runCredentialAction}, render, text] = await Promise.all([
      import('../../actions/credentials.js'),
      import('../../cli/render/tasks.js'),
      import('../../actions/credentials-text.js'),
    ])
    const result = await runCredentialAction(
      this.ctx,
      sessionOptions(flags),
      'rollback',
      args.service_instance,
      {
        dryRun: flags['dry-run'],
        yes: flags.yes,
        maxInFlight: flags['max-in-flight'],
        parallelApps: flags['parallel-apps'],
        timeoutMs: flags.timeout,
        graceMs: null,
        pollIntervalMs: flags['poll-interval'],
        force: flags.force,
        allowDowntime: false,
        auditLog: flags['audit-log'],
        reveal: false,
        secretStdin: false,
      },
      {
        progress: render.createProgress(
          render.progressMode({json: this.jsonEnabled(), isTTY: Boolean(process.stderr.isTTY)}),
        ),
        confirm: async (planText) => {
          process.stderr.write(`${planText}\n`)
          return render.confirm('Roll back now?')
        },
      },
    )
    reportResult(result, text, {print: (t) => this.print(t), json: this.jsonEnabled()})
    return result
  }
}
