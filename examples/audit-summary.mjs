#!/usr/bin/env node
// cfguard as a library: collect one snapshot of everything the client can see, run the identity
// and route rules over it, and print how many findings each rule has, worst first.
//
//   npm install cfguard
//   CFGUARD_API=https://api.sys.example.com CFGUARD_CLIENT_ID=auditor CFGUARD_CLIENT_SECRET=… \
//     node audit-summary.mjs
//
// The target is resolved as the CLI resolves it (CFGUARD_* environment, `cfguard login`, the cf
// CLI's session). No secret value is read: `secrets: false` (fingerprints need them; the rules
// that do say so as coverage gaps).
/* eslint-disable no-console -- an example script: its result is what it prints */
import {
  collectSnapshot,
  createContext,
  DEFAULT_POLICY,
  loadOrCreateSalt,
  openSession,
  runChecks,
  selectRules,
} from 'cfguard'

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info']

const ctx = createContext()
const session = await openSession(ctx, {all: true})
try {
  const {snapshot, stats} = await collectSnapshot(session, ctx, {
    scope: await session.resolveScope(),
    families: ['identity', 'routes'],
    secrets: false,
    cache: false,
    concurrency: 16,
    checkIssuers: false,
    verifyCredentials: false,
    traffic: null,
    routeBaseline: null,
    salt: loadOrCreateSalt(ctx.home),
  })
  const {findings, gaps} = runChecks(snapshot, DEFAULT_POLICY, ctx.now(), selectRules(DEFAULT_POLICY))

  const byRule = new Map()
  for (const f of findings) {
    const row = byRule.get(f.rule) ?? {rule: f.rule, severity: f.severity, count: 0}
    row.count++
    byRule.set(f.rule, row)
  }
  const rows = [...byRule.values()].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || b.count - a.count,
  )
  console.log(`${session.target.api}: ${snapshot.apps.length} apps, ${stats.requests} requests`)
  for (const r of rows) console.log(`${r.severity.padEnd(8)} ${String(r.count).padStart(4)}  ${r.rule}`)
  for (const g of gaps) console.log(`not read: ${g.what}: ${g.why}`)
} finally {
  session.close()
}
