/**
 * Per-route options (§4.2), version-gated: `least-connections` before CC 3.187,
 * `least-connection` from 3.187, `hash` + `hash_header` (+ `hash_balance`) from 3.210 behind the
 * `hash_based_routing` flag. PATCH merges; null removes; leaving `hash` strips the hash keys.
 */
import type {SimState} from '../core/state.js'
import {unprocessable} from './errors.js'

const MAX_OPTIONS_BYTES = 1024

export function loadBalancingValues(state: SimState): string[] {
  const values = ['round-robin', state.ccVersionAtLeast('3.187.0') ? 'least-connection' : 'least-connections']
  if (state.ccVersionAtLeast('3.210.0')) values.push('hash')
  return values
}

export function mergeRouteOptions(
  state: SimState,
  current: Record<string, string>,
  input: unknown,
): Record<string, string> {
  if (!state.ccVersionAtLeast('3.183.0')) throw unprocessable("Unknown field(s): 'options'")
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw unprocessable('Options must be an object')
  if (JSON.stringify(input).length > MAX_OPTIONS_BYTES) {
    throw unprocessable(`Options exceed the maximum size of ${MAX_OPTIONS_BYTES} bytes`)
  }
  const hashKeys = state.ccVersionAtLeast('3.210.0') ? ['hash_header', 'hash_balance'] : []
  const allowed = ['loadbalancing', ...hashKeys]
  const changes = input as Record<string, unknown>
  const unknown = Object.keys(changes).filter((k) => !allowed.includes(k))
  if (unknown.length > 0) throw unprocessable(`Options Unknown field(s): '${unknown.join("', '")}'`)

  const next: Record<string, string> = {...current}
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete next[k]
    else if (k === 'hash_balance') next[k] = normaliseBalance(v)
    else if (typeof v === 'string') next[k] = v
    else throw unprocessable(`Options ${k} must be a string`)
  }
  const lb = next.loadbalancing
  if (lb !== undefined && !loadBalancingValues(state).includes(lb)) {
    throw unprocessable(
      `Options Loadbalancing must be one of '${loadBalancingValues(state).join(', ')}' if present`,
    )
  }
  if (lb === 'hash' && !state.flag('hash_based_routing')) {
    throw unprocessable(
      'Options Loadbalancing hash is only available when the hash_based_routing feature flag is enabled',
    )
  }
  if (lb !== 'hash') {
    // Switching away from hash strips the hash keys; setting them without hash is an error.
    if ('loadbalancing' in changes) {
      delete next.hash_header
      delete next.hash_balance
    }
    if (next.hash_header !== undefined || next.hash_balance !== undefined) {
      throw unprocessable('Options Hash header and hash balance can only be set when loadbalancing is hash')
    }
  } else if (!next.hash_header) {
    throw unprocessable('Options Hash header must be present when loadbalancing is set to hash')
  } else if (next.hash_header.length > 128) {
    throw unprocessable('Options Hash header must be at most 128 characters')
  }
  return next
}

function normaliseBalance(v: unknown): string {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.length <= 16 ? Number(v) : NaN
  if (!Number.isFinite(n) || !(n === 0 || (n >= 1.1 && n <= 10))) {
    throw unprocessable('Options Hash balance must be either 0 or between 1.1 and 10.0')
  }
  return n === 0 ? '0' : (Math.round(n * 10) / 10).toFixed(1)
}
