import {CfguardError} from '../errors.js'
import type {AppSelector} from './policy.js'
import type {Labels} from './snapshot.js'

/**
 * CC label selectors (docs/platform-facts.md §2.3), evaluated in memory: comma-separated requirements,
 * ANDed: `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`.
 */
export type Requirement =
  | {op: 'exists'; key: string}
  | {op: 'absent'; key: string}
  | {op: 'eq' | 'neq'; key: string; value: string}
  | {op: 'in' | 'notin'; key: string; values: string[]}

export function parseLabelSelector(selector: string): Requirement[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const ch of selector) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      parts.push(current)
      current = ''
    } else current += ch
  }
  parts.push(current)
  return parts.map((raw) => parseRequirement(raw.trim(), selector))
}

function parseRequirement(text: string, whole: string): Requirement {
  const bad = () =>
    new CfguardError('USAGE', `invalid label selector "${whole}" near "${text}"`, {
      suggestions: ['use key, !key, key=value, key!=value, key in (a,b) or key notin (a,b)'],
    })
  let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text)
  if (m) {
    return {
      op: m[2] as 'in' | 'notin',
      key: m[1] as string,
      values: (m[3] as string).split(',').map((v) => v.trim()),
    }
  }
  m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(text)
  if (m) return {op: m[2] === '!=' ? 'neq' : 'eq', key: m[1] as string, value: m[3] as string}
  m = /^(!?)([\w./-]+)$/.exec(text)
  if (m) return {op: m[1] ? 'absent' : 'exists', key: m[2] as string}
  throw bad()
}

export function matchesLabels(labels: Labels, requirements: Requirement[]): boolean {
  return requirements.every((r) => {
    const has = Object.hasOwn(labels, r.key)
    const value = labels[r.key]
    switch (r.op) {
      case 'exists':
        return has
      case 'absent':
        return !has
      case 'eq':
        return has && value === r.value
      case 'neq':
        return !has || value !== r.value
      case 'in':
        return has && r.values.includes(value as string)
      case 'notin':
        return !has || !r.values.includes(value as string)
    }
  })
}

/** `*` any run of characters, `?` one character; case-sensitive, whole string. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${escaped}$`)
}

export interface SelectableApp {
  name: string
  labels: Labels
  spaceName: string | null
  orgName: string | null
}

export function matchesSelector(app: SelectableApp, selector: AppSelector): boolean {
  if (selector.name && !globToRegExp(selector.name).test(app.name)) return false
  if (selector.labelSelector && !matchesLabels(app.labels, parseLabelSelector(selector.labelSelector)))
    return false
  if (selector.spaces && !(app.spaceName && selector.spaces.includes(app.spaceName))) return false
  if (selector.orgs && !(app.orgName && selector.orgs.includes(app.orgName))) return false
  return true
}
