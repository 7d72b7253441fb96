/** The demo's text view (pure). */
import {formatTable} from '../../report/table.js'
import {wrap} from '../../report/text.js'
import type {FormatOptions} from '../../report/types.js'
import {renderRotationPlan} from './credentials.js'
import type {DemoRun} from '../../actions/demo.js'

const DEFAULT_WIDTH = 100

/** One `  - change` item per change, wrapped to the width with continuation lines under the text. */
export function renderDriftList(changes: string[], width: number): string[] {
  return changes.flatMap((change) => {
    const [first = '', ...rest] = wrap(change, width, '    ', width - 4)
    return [`  - ${first}`, ...rest]
  })
}

/** The demo's human output: the audit report, what changed for drift, and the rotation plan. */
export function renderDemo(run: DemoRun, options: FormatOptions): string {
  const {result} = run
  const parts = [
    formatTable(result.audit, {
      title: 'cfguard demo — audit',
      failOn: 'never',
      rules: run.rules,
      ...options,
    }),
    [
      'The policy this audit used (cfguard.yml):',
      ...result.policy
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
      '',
      'Changed after the baseline snapshot (reported as routes/drift):',
      ...renderDriftList(result.drift, options.width ?? DEFAULT_WIDTH),
      '',
    ].join('\n'),
    `Rotation plan for ${result.rotation.serviceInstance} (dry run: nothing was changed)\n${renderRotationPlan(result.rotation.plan, options.width)}`,
  ]
  return parts.join('\n')
}
