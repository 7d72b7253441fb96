import type {Finding, ResourceRef} from '../model/finding.js'
import type {Suppression} from '../model/policy.js'
import {globToRegExp} from '../model/selector.js'
import {DAY_MS} from '../model/duration.js'
import {plural} from '../util/plural.js'

export interface SuppressedFinding {
  fingerprint: string
  rule: string
  reason: string
}

/**
 * `warning`: the person should act (an expired suppression, or an unused one: a typo or a pattern
 * that cannot match what the findings show would otherwise hide nothing, silently);
 * `info`: a heads-up (a used suppression expiring soon).
 */
export interface SuppressionNotice {
  level: 'warning' | 'info'
  message: string
}

export interface SuppressionOutcome {
  kept: Finding[]
  suppressed: SuppressedFinding[]
  warnings: SuppressionNotice[]
}

export interface ApplySuppressionsOptions {
  /**
   * Rules that ran. A suppression of a rule that did not run (another family, an opt-in left off)
   * is not reported unused. Default: every rule counts as run.
   */
  evaluatedRules?: readonly string[]
}

/** An active, used suppression this close to its end gets a heads-up before the gate breaks. */
export const EXPIRY_NOTICE_DAYS = 14

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The first instant a suppression no longer applies: it holds through its `expires` day (UTC). */
export function suppressionEnd(suppression: Suppression): Date {
  const [y, m, d] = suppression.expires.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + 1))
}

export function isExpired(suppression: Suppression, now: Date): boolean {
  return now.getTime() >= suppressionEnd(suppression).getTime()
}

/**
 * A guid matches the resource's guid (any case). Anything else is a glob (`*`, `?`, case-sensitive)
 * matched against the resource name, or against the path reports display for it (`org/space/name`).
 */
export function matchesResource(pattern: string, resource: ResourceRef): boolean {
  if (GUID.test(pattern)) return pattern.toLowerCase() === resource.guid.toLowerCase()
  const glob = globToRegExp(pattern)
  // The name, or the path reports display (`org/space/name`, `org/name`, or the name alone).
  return glob.test(resource.name) || glob.test(displayedPath(resource))
}

export function suppressionMatches(suppression: Suppression, finding: Finding): boolean {
  return suppression.rule === finding.rule && matchesResource(suppression.resource, finding.resource)
}

/**
 * Hides findings an active suppression covers and records why. An expired suppression hides
 * nothing and warns (naming where it is written); a suppression that matched nothing is an info
 * notice so suppression files do not rot. Pure; keeps the findings' order.
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  now: Date,
  opts: ApplySuppressionsOptions = {},
): SuppressionOutcome {
  const active = suppressions.filter((s) => !isExpired(s, now))
  const expired = suppressions.filter((s) => isExpired(s, now))
  const used = new Set<Suppression>()
  const resurfaced = new Map<Suppression, number>()
  const kept: Finding[] = []
  const suppressed: SuppressedFinding[] = []
  for (const finding of findings) {
    const hits = active.filter((s) => suppressionMatches(s, finding))
    for (const s of hits) used.add(s)
    const first = hits[0]
    if (first) {
      suppressed.push({fingerprint: finding.fingerprint, rule: finding.rule, reason: first.reason})
      continue
    }
    kept.push(finding)
    for (const s of expired)
      if (suppressionMatches(s, finding)) resurfaced.set(s, (resurfaced.get(s) ?? 0) + 1)
  }
  const ran = (rule: string) => !opts.evaluatedRules || opts.evaluatedRules.includes(rule)
  const warnings: SuppressionNotice[] = []
  for (const s of suppressions) {
    if (isExpired(s, now)) {
      const n = resurfaced.get(s) ?? 0
      warnings.push({
        level: 'warning',
        message: `suppression ${label(s)} expired on ${s.expires}; ${plural(n, 'finding')} it covered ${n === 1 ? 'is' : 'are'} reported again: renew it with a new reason and expires, or remove it`,
      })
    } else if (used.has(s)) {
      const days = daysLeft(s, now)
      if (days <= EXPIRY_NOTICE_DAYS) {
        warnings.push({
          level: 'info',
          message: `suppression ${label(s)} expires on ${s.expires}, ${days === 0 ? 'today' : `in ${plural(days, 'day')}`}; renew it with a new reason and expires, or fix what it covers`,
        })
      }
    } else if (ran(s.rule)) {
      warnings.push({
        level: 'warning',
        message: `unused suppression ${label(s)}: it matched no finding${shownAs(s, findings)}; fix the pattern, or remove it if the problem is gone`,
      })
    }
  }
  return {kept, suppressed, warnings}
}

/** What the rule's findings show as their resource (the pattern has to match that), if it has any. */
function shownAs(s: Suppression, findings: readonly Finding[]): string {
  const shown = [...new Set(findings.filter((f) => f.rule === s.rule).map((f) => displayedPath(f.resource)))]
  if (shown.length === 0) return ''
  const some = shown
    .sort()
    .slice(0, 3)
    .map((p) => `"${p}"`)
  return ` (its rule's findings show ${some.join(', ')}${shown.length > 3 ? ', …' : ''})`
}

/** `org/space/name`, or the name alone for what belongs to no space: what reports display. */
export function displayedPath(ref: ResourceRef): string {
  return [ref.org, ref.space, ref.name]
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .join('/')
}

function label(s: Suppression): string {
  return `${s.source ? `${s.source} ` : ''}(${s.rule} on ${s.resource})`
}

/** Whole calendar days (UTC) from today to the suppression's last day. */
function daysLeft(s: Suppression, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return Math.round((suppressionEnd(s).getTime() - DAY_MS - today) / DAY_MS)
}
