import type {Rule} from '../../model/rule.js'

/** Every route rule, one file each (DESIGN.md, Rules). */
export const routeRules: Rule[] = []
