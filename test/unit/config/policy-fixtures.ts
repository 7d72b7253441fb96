import {resolve} from 'node:path'

import {expect} from 'chai'

import {CfguardError} from '../../../src/errors.js'
import {DESIGN_RULE_IDS} from '../../helpers/design-rules.js'

/** test/fixtures/policy */
export const FIXTURES = resolve(import.meta.dirname, '../../fixtures/policy')

/** A fixed clock: suppressions may run to 2027-11-28 at the latest. */
export const NOW = new Date('2026-11-28T12:00:00Z')

/** The rule ids of docs/rules.md, passed in as the registry would (config/ never imports it). */
export const CATALOG_RULE_IDS = DESIGN_RULE_IDS

/** Runs `fn` and returns the CfguardError it rejects with (fails the test if it does not). */
export async function rejection(fn: () => Promise<unknown> | unknown): Promise<CfguardError> {
  try {
    await fn()
  } catch (err) {
    expect(err).to.be.instanceOf(CfguardError)
    return err as CfguardError
  }
  expect.fail('expected a CfguardError, got none')
}
