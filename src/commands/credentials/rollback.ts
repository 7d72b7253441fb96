import {CredentialFollowUpCommand, changeFlags, followUpArgs} from '../../cli/credential-change.js'

export default class CredentialsRollback extends CredentialFollowUpCommand {
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
  public static readonly args = followUpArgs
  public static readonly flags = changeFlags

  protected readonly action = 'rollback'
  protected readonly question = 'Roll back now?'
}
