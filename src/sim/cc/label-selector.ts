/**
 * `label_selector` (§2.3): comma-separated requirements, all ANDed: `key`, `!key`,
 * `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`.
 */
import type {Labels} from '../core/model.js'
import {badQuery} from './errors.js'

export type Requirement =
  | {op: 'exists'; key: string}
  | {op: 'not_exists'; key: string}
  | {op: 'in'; key: string; values: string[]}
  | {op: 'notin'; key: string; values: string[]}

const KEY =
  /^(?:[a-zA-Z0-9]([a-zA-Z0-9.-]{0,251}[a-zA-Z0-9])?\/)?[a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?$/
const VALUE = /^(|[a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?)$/

export function parseLabelSelector(text: string): Requirement[] {
  const parts = splitTopLevel(text)
  if (parts.length === 0 || parts.length > 50) throw invalid()
  return parts.map(parseRequirement)
}

function invalid() {
  return badQuery('Invalid label_selector value')
}

function splitTopLevel(text: string): string[] {
  const out: string[] = []
  let depth = 0
  let current = ''
  for (const ch of text) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (depth < 0) throw invalid()
    if (ch === ',' && depth === 0) {
      out.push(current)
      current = ''
    } else current += ch
  }
  if (depth !== 0) throw invalid()
  out.push(current)
  return out.map((s) => s.trim())
}

function parseRequirement(text: string): Requirement {
  let m = /^!\s*([^\s=!(),]+)$/.exec(text)
  if (m) return {op: 'not_exists', key: key(m[1]!)}
  m = /^([^\s=!(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(text)
  if (m) {
    const values = m[3]!.split(',').map((v) => value(v.trim()))
    return {op: m[2] === 'in' ? 'in' : 'notin', key: key(m[1]!), values}
  }
  m = /^([^\s=!(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(text)
  if (m) return {op: m[2] === '!=' ? 'notin' : 'in', key: key(m[1]!), values: [value(m[3]!)]}
  m = /^([^\s=!(),]+)$/.exec(text)
  if (m) return {op: 'exists', key: key(m[1]!)}
  throw invalid()
}

function key(k: string): string {
  if (!KEY.test(k)) throw invalid()
  return k
}

function value(v: string): string {
  if (!VALUE.test(v)) throw invalid()
  return v
}

export function matchesSelector(labels: Labels, requirements: readonly Requirement[]): boolean {
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key)
    switch (r.op) {
      case 'exists':
        return has
      case 'not_exists':
        return !has
      case 'in':
        return has && r.values.includes(labels[r.key]!)
      case 'notin':
        // Resources without the key match (as in CC and Kubernetes).
        return !has || !r.values.includes(labels[r.key]!)
    }
  })
}
