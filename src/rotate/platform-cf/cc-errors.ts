/**
 * Reading CC's and UAA's failures: which ones the engine branches on (a value), which stay errors.
 * CC sends every binding refusal as CF-UnprocessableEntity, told apart by its detail text.
 */

import {isApiError} from '../../cf/http/errors.js'
import {CfguardError, isCfguardError} from '../../errors.js'
import type {BindingRefusal} from '../platform.js'

export function isNotFound(err: unknown): boolean {
  return isCfguardError(err) && (err.code === 'NOT_FOUND' || err.status === 404)
}

export function ccDetail(err: unknown): string {
  if (isApiError(err)) {
    const detail = err.ccErrors.map((e) => e.detail).find((d) => typeof d === 'string' && d !== '')
    if (detail) return detail
  }
  return err instanceof Error ? err.message : String(err)
}

export function nameTaken(err: unknown): boolean {
  return /name is taken/i.test(ccDetail(err))
}

/**
 * CC's 422s on a binding create (docs/platform-facts.md §5.6; all CF-UnprocessableEntity, told apart by
 * detail).
 */
export function bindingRefusal(err: unknown): BindingRefusal | null {
  const detail = ccDetail(err)
  if (/too many bindings/i.test(detail)) return 'limit'
  if (/already bound/i.test(detail)) return 'already-bound'
  if (/in progress|delete.*(failed|progress)/i.test(detail)) return 'in-progress'
  if (/name cannot be changed/i.test(detail)) return 'name-mismatch'
  return null
}

/**
 * Why `/stats` could not say (docs/platform-facts.md §2.5: 503 = an internal upstream such as Diego is
 * unavailable, CC's `CF-InstancesUnavailable`), or null for failures that are not about the
 * instances (auth, a vanished process, a bug) and must stay errors.
 */
export function instancesUnavailable(err: unknown, ccVersion: string): string | null {
  if (!isCfguardError(err) || err.status !== 503) return null
  return `Cloud Controller ${ccVersion} answered 503${err.apiTitle ? ` ${err.apiTitle}` : ''} to /stats`
}

export function lostCreate(what: string, ref: string): CfguardError {
  return new CfguardError(
    'BAD_RESPONSE',
    `Cloud Controller accepted the new ${what} (${ref}) but does not list it`,
    {suggestions: ['re-run: the rotation resumes from what the platform shows']},
  )
}
