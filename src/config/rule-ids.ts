import {closest} from '../util/suggest.js'
import {displayPath, type DataPath} from './yaml-source.js'
import type {FileProblem} from './schema-errors.js'

/** A problem when `id` is not one of the rules this cfguard knows (ids come from the caller). */
export function unknownRuleProblem(
  id: string,
  knownRuleIds: readonly string[],
  path: DataPath,
  opts: {key?: boolean; under?: DataPath} = {},
): FileProblem | null {
  if (knownRuleIds.includes(id)) return null
  const guess = closest(id, knownRuleIds)
  const hint = guess ? `did you mean "${guess}"?` : 'run `cfguard rules` to list every rule id'
  return {
    path,
    key: opts.key,
    message: `unknown rule id "${id}" in ${displayPath(opts.under ?? path)}; ${hint}`,
  }
}
