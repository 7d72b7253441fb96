import type {Rule} from '../model/rule.js'
import type {Severity} from '../model/severity.js'

/**
 * What a report needs to know about a rule. `Rule` and the `rules` command's `RuleInfo` both fit,
 * so commands pass the run's rule set as they have it.
 */
export type RuleMeta = Pick<Rule, 'id' | 'severity' | 'title' | 'docs' | 'soc2'>

/** `--fail-on`: the lowest severity that fails the run (exit 3), or `never`. */
export type FailOn = Severity | 'never'

export interface FormatOptions {
  /** The run's rule set (for SARIF rule entries, JUnit suites, SOC 2 evidence). Derived from findings when absent. */
  rules?: readonly RuleMeta[]
  /** Default `high`. */
  failOn?: FailOn
  /** ANSI colour in the table report; off unless asked (NO_COLOR-safe by default). */
  color?: boolean
  /** Table report width in columns (default 100, at least 60). */
  width?: number
  /** Include the SOC 2 grouping (table, markdown, json, html). */
  compliance?: 'soc2' | null
  /**
   * The command that produced the report, hyphenated (`audit`, `identity-audit`, `routes-report`):
   * part of SARIF's `runAutomationDetails.id` so code scanning keeps each command's alerts apart.
   * Default `audit`.
   */
  command?: string
  /** cfguard's version, for SARIF `tool.driver.version`. */
  toolVersion?: string
  /**
   * JUnit: `fail-on` (default) turns findings at or above --fail-on into failures and reports the
   * others as passing testcases with the finding in system-out, so the test view agrees with the
   * exit code; `all` makes every finding a failure.
   */
  junitFailures?: 'fail-on' | 'all'
  /** Markdown: the longest comment to produce (GitHub allows 65,536 characters); default 60,000. */
  maxLength?: number
  /** Heading of human reports (default `cfguard audit`; e.g. `cfguard routes report`). */
  title?: string
}
