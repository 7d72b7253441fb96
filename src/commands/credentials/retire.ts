import {CredentialFollowUpCommand, changeFlags, followUpArgs} from '../../cli/credential-change.js'

export default class CredentialsRetire extends CredentialFollowUpCommand {
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
  public static readonly args = followUpArgs
  public static readonly flags = changeFlags

  protected readonly action = 'retire'
  protected readonly question = 'Retire now?'
}
