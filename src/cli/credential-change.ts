/**
 * What the credential-changing commands (`credentials rotate`, `retire`, `rollback`) share: their
 * flags, the settings those flags make, the terminal side of a run (progress, the yes/no question)
 * and how an outcome is reported. `retire` and `rollback` are the same command apart from the
 * action and the question: `CredentialFollowUpCommand` is both.
 */
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import type {RotationResult, RotationSettings, RotationUi} from '../actions/credentials/change.js'
import type * as CredentialsText from './views/credentials.js'
import {ExitCode} from '../errors.js'
import {BaseCommand} from './base-command.js'
import {activeStatus} from './render/status.js'
import {fitLines} from '../report/text.js'
import {connectionFlags, durationFlag, positiveIntegerFlag, scopeFlags} from './flags.js'
import {sessionOptions} from '../actions/session.js'
import {DAY_MS} from '../model/duration.js'

const HOUR_MS = 3_600_000
const DEFAULT_TIMEOUT_MS = 15 * 60_000
const DEFAULT_POLL_INTERVAL_MS = 5000

/** Flags of every credential-changing command (rotate, retire, rollback). */
export const changeFlags = {
  ...connectionFlags,
  ...scopeFlags,
  'dry-run': Flags.boolean({
    summary: 'print the plan (apps, restarts, audit events) and change nothing; reads no secret',
    env: 'CFGUARD_DRY_RUN',
  }),
  yes: Flags.boolean({
    char: 'y',
    summary: 'do not ask for confirmation (required without a terminal, e.g. in cron)',
    env: 'CFGUARD_YES',
  }),
  'max-in-flight': positiveIntegerFlag('max-in-flight')({
    summary: 'instances each app replaces at once in its rolling deployment',
    default: 1,
    env: 'CFGUARD_MAX_IN_FLIGHT',
    helpGroup: 'ROLLOUT',
  }),
  'parallel-apps': positiveIntegerFlag('parallel-apps')({
    summary: 'apps rolled at the same time',
    default: 4,
    env: 'CFGUARD_PARALLEL_APPS',
    helpGroup: 'ROLLOUT',
  }),
  timeout: durationFlag('timeout', {positive: true, max: [DAY_MS, '24h']})({
    // No oclif default: help would show it as 900000, which is refused as input; the default is
    // applied in rotationSettings and named in the summary as it is typed. (A defaultHelp would
    // make the help dynamic, and uncacheable.)
    summary: 'longest wait for one deployment or broker job (default 15m); the run halts, a re-run waits on',
    // Not CFGUARD_TIMEOUT: that one is the per-request timeout of every command, in seconds.
    env: 'CFGUARD_ROTATION_TIMEOUT',
    helpGroup: 'ROLLOUT',
  }),
  'poll-interval': durationFlag('poll-interval', {positive: true, max: [HOUR_MS, '1h'], example: '5s'})({
    summary: 'how often deployments and broker jobs are polled (default 5s)',
    env: 'CFGUARD_POLL_INTERVAL',
    helpGroup: 'ROLLOUT',
  }),
  force: Flags.boolean({
    summary: 'retire before the grace period ends; rotate again right after a rotation',
    env: 'CFGUARD_FORCE',
  }),
  'audit-log': Flags.string({
    summary: 'append one JSON line per step to FILE (0600; - = stderr); never a secret value',
    env: 'CFGUARD_AUDIT_LOG',
  }),
}

interface ChangeFlagValues {
  'dry-run': boolean
  yes: boolean
  'max-in-flight': number
  'parallel-apps': number
  timeout?: number
  'poll-interval'?: number
  force: boolean
  'audit-log'?: string
}

/** Parsed `changeFlags` → settings; grace and downtime are rotate's own flags. */
export function rotationSettings(
  flags: ChangeFlagValues,
  rotateOnly: {graceMs: number | null; allowDowntime: boolean; includeShared?: boolean},
): RotationSettings {
  return {
    dryRun: flags['dry-run'],
    yes: flags.yes,
    maxInFlight: flags['max-in-flight'],
    parallelApps: flags['parallel-apps'],
    timeoutMs: flags.timeout ?? DEFAULT_TIMEOUT_MS,
    graceMs: rotateOnly.graceMs,
    pollIntervalMs: flags['poll-interval'] ?? DEFAULT_POLL_INTERVAL_MS,
    force: flags.force,
    allowDowntime: rotateOnly.allowDowntime,
    includeShared: rotateOnly.includeShared ?? false,
    auditLog: flags['audit-log'],
  }
}

/**
 * Progress on stderr (tasks on a terminal, lines otherwise, nothing under --json or --quiet: pass
 * `silent`); the plan, then `question`.
 */
export async function changeUi(
  silent: boolean,
  question: string,
  width?: number,
): Promise<Required<Omit<RotationUi, 'reveal'>>> {
  const [render, {renderRotationPlan}] = await Promise.all([
    import('./render/tasks.js'),
    import('./views/credentials.js'),
  ])
  return {
    progress: render.createProgress(
      render.progressMode({json: silent, isTTY: Boolean(process.stderr.isTTY)}),
    ),
    confirm: async (plan) => {
      const status = activeStatus()
      status?.pause()
      process.stderr.write(`${renderRotationPlan(plan, width)}\n`)
      try {
        return await render.confirm(question)
      } finally {
        status?.resume()
      }
    },
  }
}

type TextRenderers = typeof CredentialsText

/**
 * The plan (dry run) and the outcome on stdout; a stopped or refused outcome as the error line
 * (`cfguard: …` + next steps) on stderr, with its exit code. Under --json the envelope says it all.
 */
export function reportResult(
  result: RotationResult,
  text: TextRenderers,
  out: {print(text: string): void; json: boolean; dryRun: boolean; width?: number},
): void {
  // A dry run shows its plan also when the run would be refused: that is when it matters most.
  if (result.plan && (result.outcome.status === 'dry-run' || out.dryRun))
    out.print(text.renderRotationPlan(result.plan, out.width))
  if (result.outcome.exitCode === 0) {
    out.print(fitLines(text.renderOutcome(result.outcome).split('\n'), out.width ?? 120).join('\n'))
    return
  }
  if (!out.json) {
    const lines = `cfguard: ${text.renderOutcome(result.outcome)}`.split('\n')
    // At a terminal: wrapped to its width, commands whole (they are meant to be pasted).
    const fitted = process.stderr.isTTY ? fitLines(lines, process.stderr.columns || 80) : lines
    process.stderr.write(`${fitted.join('\n')}\n`)
  }
  // Ctrl-C set 130 already: the run stopped because it was asked to.
  if (process.exitCode !== ExitCode.Interrupted) process.exitCode = result.outcome.exitCode
}

/** The one argument of `retire` and `rollback`. */
export const followUpArgs = {
  service_instance: Args.string({
    description: 'service instance name (in the targeted space) or guid',
    required: true,
  }),
}

/**
 * `credentials retire` and `credentials rollback`: one service instance, the change flags, no
 * grace and no downtime; they differ only in the action and the question asked before it. Each
 * subclass declares `args = followUpArgs` and `flags = changeFlags` itself: oclif's parse spreads
 * the command class, which copies own statics only, never inherited ones.
 */
export abstract class CredentialFollowUpCommand extends BaseCommand<RotationResult> {
  // For the parsed types only: oclif reads the subclass's own copies (see above).
  public static readonly args = followUpArgs
  public static readonly flags = changeFlags

  protected abstract readonly action: 'retire' | 'rollback'
  /** Asked on a terminal after the plan, e.g. `Retire now?`. */
  protected abstract readonly question: string

  public async run(): Promise<RotationResult> {
    const {args, flags} = await this.parse(this.ctor as unknown as typeof CredentialFollowUpCommand)
    const [{runCredentialAction}, text] = await Promise.all([
      import('../actions/credentials/change.js'),
      import('./views/credentials.js'),
    ])
    const result = await runCredentialAction(
      this.ctx,
      sessionOptions(flags),
      this.action,
      args.service_instance,
      {
        ...rotationSettings(flags, {graceMs: null, allowDowntime: false}),
        reveal: false,
        secretStdin: false,
      },
      await changeUi(this.jsonEnabled() || this.quiet(), this.question, this.ctx.width),
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
