import type {IdentityInventory} from '../../actions/identity-list.js'
import {BaseCommand} from '../../cli/base-command.js'
import {connectionFlags, scopeFlags} from '../../cli/flags.js'
import {sessionOptions} from '../../actions/session.js'
import {collectionFlags} from '../../cli/report-flags.js'

export default class IdentityList extends BaseCommand<IdentityInventory> {
  public static readonly summary = 'inventory: app → binding / UPS / key / env var → fingerprint → client id'
  public static readonly description =
    'Lists every identity credential that reaches an app (and identity credentials bound to no app), ' +
    'with client id, issuer, keyed secret fingerprint, age and whether it could be read. Secret values are ' +
    'never shown; reading them writes *.show audit events (--no-secrets reads none).'
  public static readonly aliases = ['identities']
  public static readonly examples = [
    '<%= config.bin %> identity list',
    '<%= config.bin %> identity list -o acme -s prod',
    '<%= config.bin %> identity list --all --json',
    '<%= config.bin %> identity list --no-secrets',
  ]
  public static readonly flags = {...connectionFlags, ...scopeFlags, ...collectionFlags}

  public async run(): Promise<IdentityInventory> {
    const {flags} = await this.parse(IdentityList)
    const {listIdentities} = await import('../../actions/identity-list.js')
    const {renderInventory} = await import('../../cli/views/identity.js')
    const inventory = await listIdentities(this.ctx, {
      session: sessionOptions(flags),
      secrets: !flags['no-secrets'],
      cache: !flags['no-cache'],
      concurrency: flags.concurrency,
    })
    this.print(renderInventory(inventory, this.ctx.width))
    const {warnIfIncomplete} = await import('../../actions/report-output.js')
    const exitCode = warnIfIncomplete(this.ctx, inventory.coverage.gaps, 'inventory')
    if (exitCode !== 0) process.exitCode = exitCode
    return inventory
  }
}
