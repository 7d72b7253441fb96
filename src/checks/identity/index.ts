import type {Rule} from '../../model/rule.js'

/** Every identity rule, one file each (DESIGN.md, Rules). */
export const identityRules: Rule[] = []
