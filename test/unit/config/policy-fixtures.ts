import {resolve} from 'node:path'

import {expect} from 'chai'

import {CfguardError} from '../../../src/errors.js'

/** test/fixtures/policy */
export const FIXTURES = resolve(import.meta.dirname, '../../fixtures/policy')

/** A fixed clock: suppressions may run to 2027-11-28 at the latest. */
export const NOW = new Date('2026-11-28T12:00:00Z')

/** The rule ids of docs/rules.md, passed in as the registry would (config/ never imports it). */
export const CATALOG_RULE_IDS = [
  'identity/secret-in-env',
  'identity/missing',
  'identity/incomplete-credentials',
  'identity/shared-client',
  'identity/stale-credential',
  'identity/drift',
  'identity/insecure-issuer',
  'identity/issuer-unreachable',
  'identity/credentials-rejected',
  'identity/orphan-credential',
  'identity/overprivileged-client',
  'identity/redirect-uri-takeover',
  'routes/orphan',
  'routes/stopped-app',
  'routes/no-healthy-instances',
  'routes/protocol-mismatch',
  'routes/health-check',
  'routes/internal-exposed',
  'routes/internal-unreachable',
  'routes/sensitive-path-public',
  'routes/lb-hash-missing-header',
  'routes/lb-inconsistent',
  'routes/lb-ineffective',
  'routes/weights-ignored',
  'routes/route-service-loop',
  'routes/route-service-down',
  'routes/policy-missing',
  'routes/policy-any',
  'routes/shared-across-spaces',
  'routes/multiple-apps',
  'routes/unrouted-app',
  'routes/traffic-imbalance',
  'routes/drift',
]

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
