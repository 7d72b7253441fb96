/**
 * What a failed read means for a collection: the role is denied (stop asking in that space), the
 * platform switched the read off for everyone (feature flag), this one item failed (a gap, the
 * run goes on), or the run cannot go on (expired login, rate limit, interrupt: rethrown).
 */
import {isApiError} from '../cf/http/errors.js'
import {isCfguardError} from '../errors.js'

export type ReadFailure = {kind: 'denied'; why: string; global: boolean} | {kind: 'failed'; why: string}

/** An item deleted while the collection ran: not read, but nothing is missing from the report. */
export const GONE = 'gone (404) while the collection ran'

/** Item-level failures; anything else ends the run. */
const ITEM_FAILURES = new Set(['API_UNAVAILABLE', 'BAD_RESPONSE', 'API_ERROR', 'UNPROCESSABLE', 'CONFLICT'])

export type SecretRead = 'env' | 'credentials' | 'details'

/**
 * Classifies an error from a secret-bearing read (docs/platform-facts.md §3.2, §5.2, §5.5, §8):
 * 403 CF-FeatureDisabled (env var visibility flags, whole foundation), 403 CF-NotAuthorized (role),
 * 404 on binding details (CC answers 404, not 403, to roles that may not read them). Throws what
 * is not about one item.
 */
export function classifyReadError(err: unknown, read: SecretRead, roleHint: string): ReadFailure {
  if (isApiError(err)) {
    if (err.status === 403 && err.hasTitle('CF-FeatureDisabled')) {
      const detail = err.ccErrors.find((e) => e.title === 'CF-FeatureDisabled')?.detail ?? ''
      // CC says "Feature Disabled: <flag>" (or the operator's own message).
      const flag = detail.replace(/^feature disabled:\s*/i, '') || 'env_var_visibility'
      return {kind: 'denied', why: `403 CF-FeatureDisabled (${flag})`, global: true}
    }
    if (err.status === 403) {
      const title = err.ccErrors[0]?.title || 'Forbidden'
      return {kind: 'denied', why: `403 ${title} (${roleHint})`, global: false}
    }
    if (err.status === 404 && read === 'details') {
      return {kind: 'denied', why: `404 on binding details (${roleHint})`, global: false}
    }
    if (err.status === 404) return {kind: 'failed', why: GONE}
  }
  if (isCfguardError(err) && ITEM_FAILURES.has(err.code)) return {kind: 'failed', why: err.message}
  throw err
}

/** Names the likely role for people, from the token's scopes. */
export function roleHint(scopes: readonly string[]): string {
  if (scopes.includes('cloud_controller.global_auditor') && !scopes.includes('cloud_controller.admin')) {
    return 'global auditor: no secret access'
  }
  return 'role without secret access, e.g. space auditor or manager'
}
