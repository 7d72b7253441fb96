/**
 * Flags of the report-producing commands (`audit`, `identity audit`, `routes report`): format,
 * output file, gate threshold, policy, suppressions, baseline and rule selection. Each has its
 * CFGUARD_* twin.
 */
import {Flags} from '@oclif/core'
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
