/**
 * `cfguard snapshot`: the collected foundation state as one JSON document, for review, diffing,
 * and as the reviewed route state of a later `--baseline` (routes/drift).
 *
 * The document is the Snapshot itself (model/snapshot.ts) with a `kind: "cfguard-snapshot"` marker
 * and two facts about how it was taken. A Snapshot never holds a secret value: credentials and
 * env vars are classified on arrival into shapes, key names and keyed fingerprints. By default
 * nothing secret-bearing is read at all (`secretsRead: false`: no `/env`, `/credentials` or
 * `/details` calls and so no `*.show` audit events on the platform); `--secrets` adds those
 * classified views.
 */
import {resolve} from 'node:path'
import {createRequire} from 'node:module'

import {writeFileAtomic} from '../util/atomic-file.js'
import type {CoverageGap} from '../model/finding.js'
import type {Snapshot} from '../model/snapshot.js'
import {runCollection} from './audit.js'
import type {RunContext} from '../context.js'
import type {SessionOptions} from './session.js'

export const SNAPSHOT_KIND = 'cfguard-snapshot'

/** The file `cfguard snapshot` writes: the Snapshot's own fields after these three. */
export type SnapshotDocument = {
  kind: typeof SNAPSHOT_KIND
  /** The cfguard that wrote it. */
  cfguardVersion: string
  /** Whether secret-bearing endpoints were read (their values classified, never stored). */
  secretsRead: boolean
} & Snapshot

export interface SnapshotRequest {
  session: SessionOptions
  /** `--output FILE`; absent = the document is the command's output. */
  output?: string
  /** `--secrets`: also read credentials and env vars (classified); default false. */
  secrets?: boolean
  /** false with --no-cache. */
  cache?: boolean
  concurrency?: number
}

/** What `cfguard snapshot --output FILE` reports (the document itself went to the file). */
export interface SnapshotSummary {
  kind: typeof SNAPSHOT_KIND
  file: string
  target: Snapshot['target']
  collectedAt: string
  secretsRead: boolean
  counts: {
    orgs: number
    spaces: number
    apps: number
    processes: number
    routes: number
    domains: number
    serviceInstances: number
    bindings: number
  }
  gaps: CoverageGap[]
  requests: number
  auditEventsCreated: number
}

export interface SnapshotOutcome {
  document: SnapshotDocument
  /** Set when the document was written to --output. */
  summary: SnapshotSummary | null
  /** The document as written (pretty JSON, newline-terminated). */
  text: string
  /** What could not be read (a `failed` one makes the snapshot incomplete: exit 5). */
  gaps: CoverageGap[]
}

const VERSION: string = (() => {
  try {
    return (createRequire(import.meta.url)('../../package.json') as {version: string}).version
  } catch {
    return 'unknown'
  }
})()

/** Snapshot → the file's document (marker first, then the Snapshot's own key order). Pure. */
export function toSnapshotDocument(
  snapshot: Snapshot,
  secretsRead: boolean,
  version = VERSION,
): SnapshotDocument {
  return {kind: SNAPSHOT_KIND, cfguardVersion: version, secretsRead, ...snapshot}
}

export function isSnapshotDocument(doc: unknown): doc is SnapshotDocument {
  return (
    doc !== null &&
    typeof doc === 'object' &&
    (doc as {kind?: unknown}).kind === SNAPSHOT_KIND &&
    Array.isArray((doc as {routes?: unknown}).routes)
  )
}

export async function takeSnapshot(ctx: RunContext, request: SnapshotRequest): Promise<SnapshotOutcome> {
  const secrets = request.secrets ?? false
  const {snapshot, stats} = await runCollection(ctx, {
    session: request.session,
    families: ['identity', 'routes'],
    secrets,
    cache: request.cache ?? true,
    ...(request.concurrency === undefined ? {} : {concurrency: request.concurrency}),
  })
  const document = toSnapshotDocument(snapshot, secrets)
  const text = `${JSON.stringify(document, null, 2)}\n`
  if (!request.output) return {document, summary: null, text, gaps: stats.gaps}

  // Fingerprints and key names of secrets are not secrets, but keep them to the owner anyway.
  writeFileAtomic(resolve(request.output), text, {mode: secrets ? 0o600 : 0o644})
  return {
    document,
    text,
    gaps: stats.gaps,
    summary: {
      kind: SNAPSHOT_KIND,
      file: request.output,
      target: snapshot.target,
      collectedAt: snapshot.collectedAt,
      secretsRead: secrets,
      counts: {
        orgs: snapshot.orgs.length,
        spaces: snapshot.spaces.length,
        apps: snapshot.apps.length,
        processes: snapshot.processes.length,
        routes: snapshot.routes.length,
        domains: snapshot.domains.length,
        serviceInstances: snapshot.serviceInstances.length,
        bindings: snapshot.bindings.length,
      },
      gaps: snapshotGaps(stats.gaps),
      requests: stats.requests,
      auditEventsCreated: stats.auditEventsCreated,
    },
  }
}

/**
 * The collector names the flag that turns secret reads off (`--no-secrets`); for `snapshot` that
 * is the default, so the gap says which flag would read them. Pure.
 */
export function snapshotGaps(gaps: CoverageGap[]): CoverageGap[] {
  return gaps.map((g) => (g.why === '--no-secrets' ? {...g, why: '--secrets was not given'} : g))
}
