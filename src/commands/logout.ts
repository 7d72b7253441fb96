import * as Flags from '@oclif/core/flags'

import type {LogoutResult} from '../actions/auth/logout.js'
import {BaseCommand} from '../cli/base-command.js'

export default class Logout extends BaseCommand<LogoutResult> {
  public static readonly summary = 'revoke the stored tokens at UAA and forget them'
  public static readonly description =
    'Only cfguard’s own store is changed; a cf CLI session is left alone (use `cf logout`).'
  public static readonly examples = [
    '<%= config.bin %> logout',
    '<%= config.bin %> logout --name prod',
    '<%= config.bin %> logout --all',
  ]
  public static readonly flags = {
    name: Flags.string({
      summary: 'log out of this stored target (default: the current one)',
      env: 'CFGUARD_TARGET_NAME',
      exclusive: ['all'],
    }),
    all: Flags.boolean({summary: 'log out of every stored target', env: 'CFGUARD_LOGOUT_ALL'}),
  }

  public async run(): Promise<LogoutResult> {
    const {flags} = await this.parse(Logout)
    const {logout} = await import('../actions/auth/logout.js')
    const {renderLogout} = await import('../cli/views/target.js')
    const result = await logout(this.ctx, {name: flags.name, all: flags.all})
    this.print(renderLogout(result))
    return result
  }
}
