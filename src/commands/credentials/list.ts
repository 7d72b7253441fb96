import * as Flags from '@oclif/core/flags'

import type {CredentialList} from '../../actions/credentials/list.js'
import {BaseCommand} from '../../cli/base-command.js'
import {connectionFlags, durationFlag, scopeFlags} from '../../cli/flags.js'
import {sessionOptions} from '../../actions/session.js'

export default class CredentialsList extends BaseCommand<CredentialList> {
  public static readonly summary =
    'every rotatable credential with kind, apps, age, drift, rotation state and due date'
  public static readonly description =
    'User-provided services holding an OAuth client, managed SSO bindings and service keys in scope. ' +
    'Reads no secret (no audit event): identity is recognised from names, tags, the service catalogue ' +
    'and cfguard’s marks; ages come from credential-change audit events and cfguard’s annotations. ' +
    'DRIFT counts running instances that started before the credential last changed.'
  public static readonly aliases = ['credentials']
  public static readonly examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --all --max-age 60d',
    '<%= config.bin %> <%= command.id %> --selector team=payments --json',
    '<%= config.bin %> <%= command.id %> --read-credentials',
  ]
  public static readonly flags = {
    ...connectionFlags,
    ...scopeFlags,
    'max-age': durationFlag('max-age')({
      summary: 'maximum credential age (default: maxCredentialAgeDays of the policy, 90d)',
      env: 'CFGUARD_MAX_AGE',
    }),
    'older-than': durationFlag('older-than')({
      summary: 'mark as due what is older than this (what `rotate --all-due --older-than` would pick)',
      env: 'CFGUARD_OLDER_THAN',
    }),
    selector: Flags.string({
      summary: 'only service instances matching this label selector',
      env: 'CFGUARD_SELECTOR',
    }),
    'read-credentials': Flags.boolean({
      summary:
        'read the credentials of user-provided services no name, tag or label identifies (one audit event each)',
      env: 'CFGUARD_READ_CREDENTIALS',
    }),
    policy: Flags.string({
      summary: 'policy file (default: cfguard.yml in the current directory, if any)',
      env: 'CFGUARD_POLICY',
    }),
  }

  public async run(): Promise<CredentialList> {
    const {flags} = await this.parse(CredentialsList)
    const [{listCredentials}, {renderCredentialList}] = await Promise.all([
      import('../../actions/credentials/list.js'),
      import('../../cli/views/credentials.js'),
    ])
    const list = await listCredentials(this.ctx, sessionOptions(flags), {
      maxAgeMs: flags['max-age'] ?? null,
      olderThanMs: flags['older-than'] ?? null,
      selector: flags.selector,
      policyPath: flags.policy,
      readCredentials: flags['read-credentials'],
    })
    this.print(renderCredentialList(list, this.ctx.width))
    return list
  }
}
