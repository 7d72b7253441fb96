/** `cfguard snapshot`'s summary (pure). */
import type {SnapshotSummary} from '../../actions/snapshot.js'

/** The human line after writing a snapshot file. */
export function renderSnapshotSummary(s: SnapshotSummary): string {
  const c = s.counts
  const lines = [
    `snapshot of ${s.target.api} (CC ${s.target.ccVersion}) written to ${s.file}`,
    `  ${c.apps} apps, ${c.processes} processes, ${c.routes} routes on ${c.domains} domains, ${c.serviceInstances} service instances, ${c.bindings} bindings in ${c.spaces} spaces`,
    s.secretsRead
      ? `  credentials and env vars read and classified (no values stored); ${s.auditEventsCreated} audit events created`
      : '  no secret-bearing reads (--secrets adds classified credentials and env vars)',
    `  ${s.requests} API requests; use it as a reviewed baseline: cfguard audit --baseline ${s.file}`,
  ]
  for (const g of s.gaps) lines.push(`  not read: ${g.what} (${g.why})`)
  return `${lines.join('\n')}\n`
}
