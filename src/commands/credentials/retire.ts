import {Args} from '@oclif/core'

import type {RotationResult} from '../../actions/credentials.js'
import {BaseCommand} from '../../cli/base-command.js'
import {sessionOptions} from '../../cli/flags.js'
import {changeFlags, reportResult} from './rotate.js'

export default class CredentialsRetire extends BaseCommand<RotationResult> {
  public static readonly summary =
    'finish a rotation whose grace period is over: retire the old secret, bindings or keys'
  public static readonly description =
    'Checks first that every bound instance runs the new credentials (rolling any app that does not), ' +
    'then deletes the old UAA secret (changeMode DELETE), the older bindings or the older keys. ' +
    'Before the end of the grace period it refuses unless --force. `credentials rotate --all-due` does this unattended.'
  public static readonly aliases = ['retire-credentials']
  public static readonly examples = [
    '<%= config.bin %> <%= command.id %> billing-oidc',
    '<%= config.bin %> <%= command.id %> billing-oidc --force --yes',
  ]
  public static readonly args = {
    service_instance: Args.string({
      description: 'service instance name (in the targeted space) or guid',
      required: true,
    }),
  }
  public static readonly flags = changeFlags

  public async run(): Promise<RotationResult> {
    const {args, flags} = await this.parse(CredentialsRetire)
    const [{runCredentialAction}, render, text] = await Promise.all([
      import('../../actions/credentials.js'),
      import('../../cli/render/tasks.js'),
      import('../../actions/credentials-text.js'),
    ])
    const result = await runCredentialAction(
      this.ctx,
      sessionOptions(flags),
      'retire',
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
          return render.confirm('Retire now?')
        },
      },
    )
    reportResult(result, text, {print: (t) => this.print(t), json: this.jsonEnabled()})
    return result
  }
}
