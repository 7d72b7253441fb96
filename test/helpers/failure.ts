import {CfguardError} from '../../src/errors.js'

/**
 * The CfguardError `promise` rejects with. Anything else it rejects with is rethrown (the test
 * fails on the real error); resolving fails the test.
 */
export async function failure(promise: Promise<unknown>): Promise<CfguardError> {
  try {
    await promise
  } catch (err) {
    if (err instanceof CfguardError) return err
    throw err
  }
  throw new Error('expected a CfguardError, got none')
}

/** `failure` of a call that may throw synchronously or reject. */
export function rejection(fn: () => Promise<unknown> | unknown): Promise<CfguardError> {
  return failure(Promise.resolve().then(fn))
}

/** The CfguardError a synchronous call throws. Anything else is rethrown; not throwing fails the test. */
export function thrown(fn: () => unknown): CfguardError {
  try {
    fn()
  } catch (err) {
    if (err instanceof CfguardError) return err
    throw err
  }
  throw new Error('expected a CfguardError, got none')
}
