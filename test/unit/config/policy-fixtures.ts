import {resolve} from 'node:path'

import {DESIGN_RULE_IDS} from '../../helpers/design-rules.js'

/** test/fixtures/policy */
export const FIXTURES = resolve(import.meta.dirname, '../../fixtures/policy')

/** A fixed clock: suppressions may run to 2027-11-28 at the latest. */
export const NOW = new Date('2026-11-28T12:00:00Z')

/** The published rule ids (test/helpers/design-rules.ts), passed in as the registry would (config/ never imports it). */
export const CATALOG_RULE_IDS = DESIGN_RULE_IDS

export {rejection} from '../../helpers/failure.js'
