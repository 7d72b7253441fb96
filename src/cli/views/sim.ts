/** `cfguard sim`'s banner: where the simulator listens and what to paste (pure). */
import type {SimServing} from '../../actions/sim.js'

/** A value as one shell word: bare when it is plainly safe, else single-quoted. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`
}

/**
 * What a person reads on stderr: where the simulator listens, then lines that work when pasted
 * into a shell — the environment for the admin client, and one `login` per user (an admin, and a
 * global auditor for read-only audits). Passwords go in the environment, never on argv. Pure: one
 * list per block, so a new setting (a CA file, a host name) is one more entry.
 */
export function renderSimServing(s: SimServing, bin = 'cfguard'): string {
  const exports: [string, string][] = [
    ['CFGUARD_API', s.apiUrl],
    ['CFGUARD_CLIENT_ID', s.admin.clientId],
    ['CFGUARD_CLIENT_SECRET', s.admin.clientSecret],
    ...(s.caCertFile ? [['CFGUARD_CA_CERT', s.caCertFile] as [string, string]] : []),
  ]
  const caFlag = s.caCertFile ? ` --ca-cert ${shellWord(s.caCertFile)}` : ''
  const logins: [string, {username: string; password: string} | undefined][] = [
    ['admin (cloud_controller.admin)', s.users.admin],
    ['auditor (cloud_controller.global_auditor: reads everything, changes nothing)', s.users.globalAuditor],
  ]
  const loginLines = logins.flatMap(([who, user]) =>
    user
      ? [
          `  # ${who}`,
          `  CFGUARD_PASSWORD=${shellWord(user.password)} ${bin} login --api ${shellWord(s.apiUrl)}${caFlag} -u ${shellWord(user.username)}`,
        ]
      : [],
  )
  return [
    `cfguard simulator: scenario ${s.scenario}, CC API ${s.ccVersion}, on loopback`,
    `  API        ${s.apiUrl}`,
    `  UAA        ${s.uaaUrl}`,
    `  Log Cache  ${s.logCacheUrl}`,
    ...(s.caCertFile ? [`  CA cert    ${s.caCertFile} (trust it with --ca-cert or CFGUARD_CA_CERT)`] : []),
    '',
    'Every credential below is throwaway and works on this simulator only. Paste into a shell:',
    '',
    '  # the admin client: no login needed',
    ...exports.map(([name, value]) => `  export ${name}=${shellWord(value)}`),
    '',
    `  # or log in as a user (in a shell without the exports above, which would win)`,
    ...loginLines,
    '',
    `Then: ${bin} audit --all`,
    'Serving until Ctrl-C.',
  ].join('\n')
}
