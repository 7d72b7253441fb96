import * as Flags from '@oclif/core/flags'

import type {TargetInfo} from '../actions/auth/target.js'
import {BaseCommand} from '../cli/base-command.js'
import {connectionFlags} from '../cli/flags.js'

export default class Target extends BaseCommand<TargetInfo> {
  public static readonly summary = 'show the resolved target, or set its org and space'
  public static readonly description =
    'Shows the API, CC API version, user or client, org, space and token expiry (never the token). ' +
    'Targets resolve from flags, then CFGUARD_* variables, then `cfguard login`, then the cf CLI session; ' +
    'it says which one is used when both a cfguard login and a cf CLI session exist (--cf-session picks the latter).'
  public static readonly examples = [
    '<%= config.bin %> target',
    '<%= config.bin %> target -o acme -s prod',
    '<%= config.bin %> target --name prod',
    '<%= config.bin %> target --json',
  ]
  public static readonly flags = {
    ...connectionFlags,
    org: Flags.string({
      char: 'o',
      summary: 'set the targeted org (stored targets only)',
      env: 'CFGUARD_TARGET_ORG',
    }),
    space: Flags.string({char: 's', summary: 'set the targeted space', env: 'CFGUARD_TARGET_SPACE'}),
    name: Flags.string({summary: 'make the stored target NAME the current one', env: 'CFGUARD_TARGET_NAME'}),
  }

  public async run(): Promise<TargetInfo> {
    const {flags} = await this.parse(Target)
    const {showOrSetTarget} = await import('../actions/auth/target.js')
    const {renderTarget} = await import('../cli/views/target.js')
    const info = await showOrSetTarget(this.ctx, {
      api: flags.api,
      skipSslValidation: flags['skip-ssl-validation'],
      target: flags.target,
      caCert: flags['ca-cert'],
      cfSession: flags['cf-session'],
      use: flags.name,
      setOrg: flags.org,
      setSpace: flags.space,
    })
    this.print(renderTarget(info, this.ctx.now()))
    return info
  }
}
