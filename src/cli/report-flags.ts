/**
 * Flags of the report-producing commands (`audit`, `identity audit`, `routes report`, and
 * `snapshot` for collection): format, output file, gate threshold, policy, suppressions, baseline,
 * rule selection, how the collection runs and the identity checks. Each has its CFGUARD_* twin.
 */
import * as Flags from '@oclif/core/flags'
import {outputFileFlag} from './flags.js'

const FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown', 'html'] as const
const FAIL_ON = ['critical', 'high', 'medium', 'low', 'info', 'never'] as const

export const reportFlags = {
  format: Flags.option({
    options: FORMATS,
    default: 'table',
    summary: 'report format (json is the bare result; --json wraps it in the envelope)',
    env: 'CFGUARD_FORMAT',
    helpGroup: 'REPORT',
  })(),
  output: outputFileFlag('output')({
    summary: 'write the report to FILE (atomically) instead of stdout',
    env: 'CFGUARD_OUTPUT',
    helpGroup: 'REPORT',
  }),
  'fail-on': Flags.option({
    options: FAIL_ON,
    default: 'high',
    summary: 'exit 3 when a finding is at or above this severity (never: report only)',
    env: 'CFGUARD_FAIL_ON',
    helpGroup: 'REPORT',
  })(),
  compliance: Flags.option({
    options: ['soc2'] as const,
    summary: 'group the report by compliance criterion (SOC 2 trust-services criteria)',
    env: 'CFGUARD_COMPLIANCE',
    helpGroup: 'REPORT',
  })(),
}

export const policyFlags = {
  policy: Flags.string({
    summary: 'policy file (default: cfguard.yml in the current directory, if any)',
    env: 'CFGUARD_POLICY',
    helpGroup: 'POLICY',
  }),
  suppressions: Flags.string({
    summary: 'suppressions file (default: .cfguard-suppressions.yml next to the policy)',
    env: 'CFGUARD_SUPPRESSIONS',
    helpGroup: 'POLICY',
  }),
  baseline: Flags.string({
    summary: 'a previous --json result: report only new findings (and route drift since it)',
    env: 'CFGUARD_BASELINE',
    helpGroup: 'POLICY',
  }),
  rules: Flags.string({
    summary: 'only these rule ids or families, comma-separated (e.g. identity/drift,routes/)',
    env: 'CFGUARD_RULES',
    helpGroup: 'POLICY',
  }),
  'skip-rules': Flags.string({
    summary: 'skip these rule ids or families, comma-separated',
    env: 'CFGUARD_SKIP_RULES',
    helpGroup: 'POLICY',
  }),
}

/** `--traffic` (what it reads is said per command) and `--window`, how far back it reads. */
export function trafficFlags(summary: string) {
  return {
    traffic: Flags.boolean({summary, env: 'CFGUARD_TRAFFIC', helpGroup: 'COLLECTION'}),
    window: Flags.string({
      summary: 'how far back --traffic reads, e.g. 15m, 1h (default 15m)',
      dependsOn: ['traffic'],
      env: 'CFGUARD_WINDOW',
      helpGroup: 'COLLECTION',
    }),
  }
}

export interface ReportFlagValues {
  format: (typeof FORMATS)[number]
  output?: string
  'fail-on': (typeof FAIL_ON)[number]
  compliance?: 'soc2'
}

/** How the collection runs (shared by the report commands that read secrets). */
export const collectionFlags = {
  'no-secrets': Flags.boolean({
    summary: 'read no secret values (no *.show audit events); secret-dependent rules become coverage gaps',
    env: 'CFGUARD_NO_SECRETS',
    helpGroup: 'COLLECTION',
  }),
  'no-cache': Flags.boolean({
    summary: 're-read every secret-bearing item instead of reusing results for unchanged ones',
    env: 'CFGUARD_NO_CACHE',
    helpGroup: 'COLLECTION',
  }),
  concurrency: Flags.integer({
    summary: 'requests in flight at most (fewer while the rate-limit budget runs low)',
    default: 16,
    min: 1,
    max: 256,
    env: 'CFGUARD_CONCURRENCY',
    helpGroup: 'COLLECTION',
  }),
}

/** The identity rules' knobs and opt-in network checks. */
export const identityCheckFlags = {
  'max-age': Flags.string({
    summary: 'credential age limit for identity/stale-credential, e.g. 90d (default: the policy, else 90d)',
    env: 'CFGUARD_MAX_AGE',
    helpGroup: 'POLICY',
  }),
  'check-issuers': Flags.boolean({
    summary: "fetch each issuer's OIDC discovery document and JWKS (unauthenticated, https only)",
    env: 'CFGUARD_CHECK_ISSUERS',
    helpGroup: 'COLLECTION',
  }),
  'verify-credentials': Flags.boolean({
    summary: 'ask each token endpoint for one client-credentials token per distinct client and secret',
    env: 'CFGUARD_VERIFY_CREDENTIALS',
    helpGroup: 'COLLECTION',
  }),
}
