/** Text views of login, logout and target (pure: data → string). */
import {formatDuration} from '../../model/duration.js'
import type {LoginResult} from '../../actions/auth/login.js'
import type {LogoutResult} from '../../actions/auth/logout.js'
import type {TargetInfo, TargetSummary} from '../../actions/auth/target.js'
import {plural} from '../../util/plural.js'

const SOURCES: Record<TargetInfo['source'], string> = {
  store: 'cfguard login',
  'cf-cli': 'the cf CLI session (read-only)',
  env: 'environment (CFGUARD_*)',
}

function expiry(iso: string | null, now: Date): string {
  if (!iso) return 'unknown'
  const left = Date.parse(iso) - now.getTime()
  return `${iso} (${left > 0 ? `in ${formatDuration(left)}` : 'expired'})`
}

function lines(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([k]) => k.length)) + 2
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`).join('\n')
}

function who(t: TargetSummary): [string, string] {
  return t.user ? ['user', t.user] : ['client', t.client ?? 'unknown']
}

export function renderTarget(t: TargetInfo, now: Date): string {
  const rows: [string, string][] = [
    ['API', t.api],
    ['CC API version', t.ccVersion],
    who(t),
    ['org', t.org?.name ?? '(none)'],
    ['space', t.space?.name ?? '(none)'],
    ['token expires', expiry(t.tokenExpiresAt, now)],
    ['from', t.name ? `${SOURCES[t.source]}, target "${t.name}"` : SOURCES[t.source]],
  ]
  if (t.storedTargets.length > 0) {
    rows.push([
      'stored targets',
      t.storedTargets.map((n) => (n === t.current ? `${n} (current)` : n)).join(', '),
    ])
  }
  if (t.cfCliSession) {
    rows.push([
      'cf CLI session',
      t.cfCliSession.used
        ? `${t.cfCliSession.api ?? '(no API)'} (used by this run)`
        : `${t.cfCliSession.api ?? '(no API)'} (not used: --cf-session uses it for one run)`,
    ])
  }
  return lines(rows)
}

export function renderLogin(r: LoginResult, now: Date): string {
  return `Logged in.\n${lines([
    ['API', r.api],
    ['CC API version', r.ccVersion],
    who(r),
    ['org', r.org?.name ?? '(none)'],
    ['space', r.space?.name ?? '(none)'],
    ['token expires', expiry(r.tokenExpiresAt, now)],
    ['target', `"${r.name}" (current), saved in ${r.storedIn}`],
  ])}`
}

export function renderLogout(r: LogoutResult): string {
  if (r.loggedOut.length === 0) return 'Not logged in.'
  return `Logged out of ${r.loggedOut.map((n) => `"${n}"`).join(', ')}${r.revoked > 0 ? ` (${plural(r.revoked, 'token')} revoked at UAA)` : ''}.`
}
