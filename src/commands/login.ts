import * as Flags from '@oclif/core/flags'

import type {LoginResult} from '../actions/auth/login.js'
import {BaseCommand} from '../cli/base-command.js'
import {connectionFlags} from '../cli/flags.js'

export default class Login extends BaseCommand<LoginResult> {
  public static readonly summary = 'log in to a foundation (password, SSO passcode or client credentials)'
  public static readonly description =
    'Tokens of user logins are stored in $CFGUARD_HOME/config.json (0600); passwords and client secrets never are. ' +
    'Secrets come from the environment, stdin or a hidden prompt, never from the command line.'
  public static readonly aliases = ['auth']
  public static readonly examples = [
    '<%= config.bin %> login -a https://api.sys.example.com',
    '<%= config.bin %> login -a https://api.sys.example.com --ca-cert corp-root-ca.pem --origin ldap',
    'CFGUARD_USERNAME=alice CFGUARD_PASSWORD=… <%= config.bin %> login --api https://api.sys.example.com -o acme -s prod',
    'vault read -field=password secret/cf | <%= config.bin %> login --api https://api.sys.example.com -u alice --password-stdin',
    '<%= config.bin %> login --api https://api.sys.example.com --sso-passcode',
    'CFGUARD_CLIENT_SECRET=… <%= config.bin %> login --api https://api.sys.example.com --client-id audit-bot --name prod',
  ]
  public static readonly flags = {
    api: Flags.string({
      char: 'a',
      summary: 'API URL of the foundation, e.g. https://api.sys.example.com',
      env: 'CFGUARD_API',
    }),
    'skip-ssl-validation': connectionFlags['skip-ssl-validation'],
    'ca-cert': Flags.string({
      summary: 'also trust the CAs in this PEM file; stored with the target for later commands',
      env: 'CFGUARD_CA_CERT',
    }),
    origin: Flags.string({
      summary: 'the identity provider (UAA origin) of the user, e.g. ldap',
      env: 'CFGUARD_ORIGIN',
    }),
    name: Flags.string({
      summary: 'save as this named target (default: the current one, else "default")',
      env: 'CFGUARD_TARGET_NAME',
    }),
    org: Flags.string({char: 'o', summary: 'target this org', env: 'CFGUARD_ORG'}),
    space: Flags.string({char: 's', summary: 'target this space (needs --org)', env: 'CFGUARD_SPACE'}),
    username: Flags.string({
      char: 'u',
      summary: 'user name (the password comes from CFGUARD_PASSWORD, stdin or a prompt)',
      env: 'CFGUARD_USERNAME',
    }),
    'password-stdin': Flags.boolean({summary: 'read the password from stdin', env: 'CFGUARD_PASSWORD_STDIN'}),
    'sso-passcode': Flags.boolean({
      summary: 'log in with a one-time passcode from <login>/passcode (prompted, or read from stdin)',
      env: 'CFGUARD_SSO_PASSCODE',
      exclusive: ['password-stdin', 'client-id'],
    }),
    'client-id': Flags.string({
      summary: 'log in as this UAA client (secret from CFGUARD_CLIENT_SECRET or stdin)',
      env: 'CFGUARD_CLIENT_ID',
      exclusive: ['password-stdin', 'username'],
    }),
  }

  public async run(): Promise<LoginResult> {
    const {flags} = await this.parse(Login)
    const {login, loginHint} = await import('../actions/auth/login.js')
    const {renderLogin} = await import('../cli/views/target.js')
    const result = await login(this.ctx, {
      api: flags.api,
      skipSslValidation: flags['skip-ssl-validation'],
      caCert: flags['ca-cert'],
      origin: flags.origin,
      name: flags.name,
      org: flags.org,
      space: flags.space,
      username: flags.username,
      passwordStdin: flags['password-stdin'],
      ssoPasscode: flags['sso-passcode'],
      clientId: flags['client-id'],
    })
    this.print(renderLogin(result, this.ctx.now()))
    const hint = loginHint(result)
    if (hint) this.ctx.info(hint)
    return result
  }
}
