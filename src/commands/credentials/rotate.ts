import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import type {CronResult} from '../../actions/credentials/cron.js'
import type {RotationResult} from '../../actions/credentials/change.js'
import {BaseCommand, type InferredFlags} from '../../cli/base-command.js'
import {changeFlags, changeUi, reportResult, rotationSettings} from '../../cli/credential-change.js'
import {durationFlag} from '../../cli/flags.js'
import {sessionOptions} from '../../actions/session.js'
import {ExitCode, usageError} from '../../errors.js'
import {ROTATION_KINDS} from '../../rotate/types.js'

export default class CredentialsRotate extends BaseCommand<RotationResult | CronResult> {
  public static readonly summary =
    'rotate a credential with zero downtime, or every due one (--all-due, for cron)'
  public static readonly description =
    'Kinds (auto-detected; --kind forces one): a user-provided service holding a UAA client secret ' +
    '(UAA two-secret rotation → update → rolling deployments → retire), managed bindings (a second ' +
    'binding with strategy multiple → roll → delete the older), a service key (new key → --output FILE or ' +
    '--reveal → delete the older), a secret of another identity provider (--secret-file / --secret-stdin). ' +
    'Before any change, every other holder of the client (user-provided services, bindings, keys, env vars in ' +
    'all spaces the token can see) is found; the run refuses while any exists, or with --include-shared ' +
    'updates and rolls the other user-provided services too. ' +
    'The state lives on the platform: after any interruption, run the same command again to resume. ' +
    'Exit codes: 0 done, 2 usage, 4 auth, 5 API, 6 halted part-way (re-run resumes).'
  public static readonly aliases = ['rotate-credentials']
  public static readonly examples = [
    '<%= config.bin %> <%= command.id %> billing-oidc --dry-run',
    '<%= config.bin %> <%= command.id %> billing-oidc --grace 24h',
    '<%= config.bin %> <%= command.id %> reporting-oidc --include-shared --dry-run',
    '<%= config.bin %> <%= command.id %> billing-sso --app billing-api --max-in-flight 2',
    '<%= config.bin %> <%= command.id %> partner-api --key ci-deployer --output ci-key.json',
    'vault read -field=secret kv/partner-idp | <%= config.bin %> <%= command.id %> partner-oidc --secret-stdin --yes',
    '<%= config.bin %> <%= command.id %> --all-due --older-than 60d --yes --audit-log /var/log/cfguard-rotation.jsonl',
  ]
  public static readonly args = {
    service_instance: Args.string({description: 'service instance name (in the targeted space) or guid'}),
  }
  public static readonly flags = {
    ...changeFlags,
    kind: Flags.option({
      options: ROTATION_KINDS,
      summary: 'force the credential kind instead of detecting it',
      env: 'CFGUARD_KIND',
    })(),
    app: Flags.string({summary: 'managed bindings: rotate only this app’s binding', env: 'CFGUARD_APP'}),
    key: Flags.string({summary: 'service key: the key (family) to rotate', env: 'CFGUARD_KEY'}),
    output: Flags.string({
      summary:
        'service key: write the new credentials to FILE (0600, atomically); with --all-due a directory',
      // Not CFGUARD_OUTPUT: that one is the report file of `audit`.
      env: 'CFGUARD_KEY_OUTPUT',
    }),
    reveal: Flags.boolean({
      summary: 'service key: print the new credentials on stdout',
      env: 'CFGUARD_REVEAL',
    }),
    'secret-file': Flags.string({
      summary: 'another identity provider: read the new secret (already added there) from FILE',
      env: 'CFGUARD_SECRET_FILE',
    }),
    'secret-stdin': Flags.boolean({
      summary: 'another identity provider: read the new secret from stdin',
      env: 'CFGUARD_SECRET_STDIN',
    }),
    grace: durationFlag('grace')({
      summary: 'keep the old secret / bindings / keys valid this long (e.g. 24h); retire later',
      env: 'CFGUARD_GRACE',
    }),
    'include-shared': Flags.boolean({
      summary:
        'user-provided services in other spaces holding the same client: update and roll them too (else refuse)',
      env: 'CFGUARD_INCLUDE_SHARED',
    }),
    'allow-downtime': Flags.boolean({
      summary: 'managed bindings where a second binding is refused: unbind first (apps fail until rolled)',
      env: 'CFGUARD_ALLOW_DOWNTIME',
    }),
    'all-due': Flags.boolean({
      summary: 'cron: retire what passed its grace period, resume what is in progress, rotate what is due',
      env: 'CFGUARD_ALL_DUE',
      helpGroup: 'CRON',
    }),
    selector: Flags.string({
      summary: 'with --all-due: only service instances matching this label selector',
      env: 'CFGUARD_SELECTOR',
      helpGroup: 'CRON',
    }),
    'older-than': durationFlag('older-than')({
      summary: 'with --all-due: due when the credential is older than this (default: --max-age / policy)',
      env: 'CFGUARD_OLDER_THAN',
      helpGroup: 'CRON',
    }),
    'max-age': durationFlag('max-age')({
      summary: 'maximum credential age (default: maxCredentialAgeDays of the policy, 90d)',
      env: 'CFGUARD_MAX_AGE',
      helpGroup: 'CRON',
    }),
    policy: Flags.string({
      summary: 'policy file (default: cfguard.yml in the current directory, if any)',
      env: 'CFGUARD_POLICY',
      helpGroup: 'CRON',
    }),
  }

  public async run(): Promise<RotationResult | CronResult> {
    const {args, flags} = await this.parse(CredentialsRotate)
    const settings = rotationSettings(flags, {
      graceMs: flags.grace ?? null,
      allowDowntime: flags['allow-downtime'],
      includeShared: flags['include-shared'],
    })
    const ui = {
      ...(await changeUi(this.jsonEnabled() || this.quiet(), 'Go ahead?', this.ctx.width)),
      reveal: (t: string) => this.printRaw(t),
    }
    if (flags['all-due']) {
      if (args.service_instance) throw usageError('give a service instance or --all-due, not both')
      return this.rotateAllDue(flags, settings, ui)
    }
    if (!args.service_instance) {
      throw usageError(
        'which service instance?',
        'cfguard credentials rotate SERVICE_INSTANCE, or --all-due for every due one',
      )
    }
    return this.rotateOne(args.service_instance, flags, settings, ui)
  }

  /** Cron: every due credential, each as its own rotation (only the cron action is loaded). */
  private async rotateAllDue(flags: RotateFlags, settings: Settings, ui: Ui): Promise<CronResult> {
    const [{rotateAllDueCredentials}, text] = await Promise.all([
      import('../../actions/credentials/cron.js'),
      import('../../cli/views/credentials.js'),
    ])
    const result = await rotateAllDueCredentials(
      this.ctx,
      sessionOptions(flags),
      {
        ...settings,
        selector: flags.selector,
        olderThanMs: flags['older-than'] ?? null,
        maxAgeMs: flags['max-age'] ?? null,
        policyPath: flags.policy,
        keyOutputDir: flags.output,
      },
      ui,
    )
    this.print(text.renderCronSummary(result))
    if (result.exitCode !== 0 && process.exitCode !== ExitCode.Interrupted) process.exitCode = result.exitCode
    return result
  }

  private async rotateOne(
    instance: string,
    flags: RotateFlags,
    settings: Settings,
    ui: Ui,
  ): Promise<RotationResult> {
    const [{runCredentialAction}, text] = await Promise.all([
      import('../../actions/credentials/change.js'),
      import('../../cli/views/credentials.js'),
    ])
    const result = await runCredentialAction(
      this.ctx,
      sessionOptions(flags),
      'rotate',
      instance,
      {
        ...settings,
        kind: flags.kind,
        app: flags.app,
        key: flags.key,
        output: flags.output,
        reveal: flags.reveal,
        secretFile: flags['secret-file'],
        secretStdin: flags['secret-stdin'],
      },
      ui,
    )
    reportResult(result, text, {
      print: (t) => this.print(t),
      json: this.jsonEnabled(),
      dryRun: flags['dry-run'],
      width: this.ctx.width,
    })
    return result
  }
}

type RotateFlags = InferredFlags<typeof CredentialsRotate>
type Settings = ReturnType<typeof rotationSettings>
type Ui = Awaited<ReturnType<typeof changeUi>> & {reveal: (t: string) => void}
