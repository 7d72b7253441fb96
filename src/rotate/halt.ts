import {CfguardError} from '../errors.js'

/**
 * The platform is in a state cfguard will not act on (two foreign secrets at UAA, credentials
 * changed behind its back, a secret UAA rejects): stop, change nothing more, say what to look at.
 */
export class NeedsHumanError extends CfguardError {
  constructor(message: string, suggestions: string[] = []) {
    super('ROTATION_HALTED', message, {suggestions})
    this.name = 'NeedsHumanError'
  }
}

/** Stopped part-way; the state is on the platform and a re-run resumes. */
export const halted = (message: string, ...suggestions: string[]): CfguardError =>
  new CfguardError('ROTATION_HALTED', message, {suggestions})

export const refused = (message: string, ...suggestions: string[]): CfguardError =>
  new CfguardError('ROTATION_REFUSED', message, {suggestions})

export const leaseHeld = (message: string, ...suggestions: string[]): CfguardError =>
  new CfguardError('LEASE_HELD', message, {suggestions})
