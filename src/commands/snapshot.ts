import * as Flags from '@oclif/core/flags'

import type {SnapshotDocument, SnapshotSummary} from '../actions/snapshot.js'
import {BaseCommand} from '../cli/base-command.js'
import {connectionFlags, outputFileFlag, scopeFlags} from '../cli/flags.js'
import {sessionOptions} from '../actions/session.js'
import {collectionFlags} from '../cli/report-flags.js'

export default class Snapshot extends BaseCommand<SnapshotDocument | SnapshotSummary> {
  public static readonly summary = 'write the collected foundation state (no secret values) to a file'
  public static readonly description =
    'Collects orgs, spaces, apps, processes and instances, routes and destinations, domains, route ' +
    'services and policies, network policies, service instances, bindings and UAA clients into one JSON ' +
    'document marked `kind: "cfguard-snapshot"`. Review it, diff it, and pass it to `cfguard audit ' +
    '--baseline FILE` (or `routes report --baseline`) so routes/drift reports every route and destination ' +
    'added or removed since. By default nothing secret-bearing is read (no `*.show` audit events); --secrets ' +
    'adds credentials and env vars, classified into shapes, key names and keyed fingerprints — never values. ' +
    'Without --output the document goes to stdout.'
  public static readonly examples = [
    '<%= config.bin %> snapshot --all --output baseline.json',
    '<%= config.bin %> snapshot -o acme -s prod --secrets --output prod-snapshot.json',
    '<%= config.bin %> snapshot --all > snapshot.json',
  ]
  public static readonly flags = {
    ...connectionFlags,
    ...scopeFlags,
    output: outputFileFlag('output')({
      summary: 'write the snapshot to FILE (atomically) instead of stdout',
      env: 'CFGUARD_OUTPUT',
      helpGroup: 'REPORT',
    }),
    secrets: Flags.boolean({
      summary: 'also read credentials and env vars (classified, fingerprinted; each read is an audit event)',
      env: 'CFGUARD_SECRETS',
      helpGroup: 'COLLECTION',
    }),
    'no-cache': collectionFlags['no-cache'],
    concurrency: collectionFlags.concurrency,
  }

  public async run(): Promise<SnapshotDocument | SnapshotSummary> {
    const {flags} = await this.parse(Snapshot)
    const {takeSnapshot} = await import('../actions/snapshot.js')
    const {renderSnapshotSummary} = await import('../cli/views/snapshot.js')
    const outcome = await takeSnapshot(this.ctx, {
      session: sessionOptions(flags),
      output: flags.output,
      secrets: flags.secrets,
      cache: !flags['no-cache'],
      concurrency: flags.concurrency,
    })
    if (outcome.summary) this.ctx.info(renderSnapshotSummary(outcome.summary).trimEnd())
    else this.print(outcome.text)
    // Written all the same (what was read is still worth keeping), but never a silent exit 0.
    const {warnIfIncomplete} = await import('../actions/report-output.js')
    const exitCode = warnIfIncomplete(this.ctx, outcome.gaps, 'snapshot')
    if (exitCode !== 0) process.exitCode = exitCode
    return outcome.summary ?? outcome.document
  }
}
