import {isSecretClass} from '../../derive/classify/value.js'
import type {EnvValueClass} from '../../model/snapshot.js'
import type {Rule} from '../../model/rule.js'
import {makeFinding} from '../finding.js'
import {appRef, serviceInstanceRef} from '../../derive/refs.js'
import {credentialUnits, orderFindings} from '../../derive/identity.js'
import {indexSnapshot} from '../../derive/lookup.js'

const DESCRIBED: Partial<Record<EnvValueClass, string>> = {
  'secret-literal': 'a literal secret',
  jwt: 'a JWT',
  'pem-private-key': 'a PEM private key',
  'bearer-token': 'a bearer token',
  'high-entropy': 'a random-looking key',
}

export const secretInEnv: Rule = {
  id: 'identity/secret-in-env',
  family: 'identity',
  severity: 'high',
  title: 'Secret in a plain app environment variable',
  docs:
    'An app sets a secret (a secret-named variable with a literal value, a JWT, a bearer token, a PEM private ' +
    'key, a URL with a password, or a random-looking key under a key-like name) in its own environment ' +
    'variables. Everyone who can read the app environment sees it, `cf env` prints it, every app revision keeps ' +
    'a copy, and it cannot be rotated without a push. Move it into a user-provided service and bind it ' +
    '(`cf create-user-provided-service billing-api-secrets -p secrets.json`, `cf bind-service billing-api ' +
    'billing-api-secrets`), remove the variable (`cf unset-env billing-api CLIENT_SECRET`), roll the app ' +
    '(`cf restart billing-api --strategy rolling`), then rotate the value, since old revisions still hold it ' +
    '(`cfguard credentials rotate billing-api-secrets`). Values that are references (URLs without userinfo, ' +
    'file paths, CredHub references, `${...}` placeholders) are not reported.',
  needs: ['env'],
  soc2: ['CC6.1', 'CC6.7'],
  run(s) {
    const ix = indexSnapshot(s)
    const holdersBySecret = new Map<string, string[]>()
    for (const u of credentialUnits(s)) {
      const fp = u.view?.secretFingerprint
      if (!fp) continue
      const holders = holdersBySecret.get(fp)
      if (holders) holders.push(u.instance.guid)
      else holdersBySecret.set(fp, [u.instance.guid])
    }
    const findings = []
    for (const env of s.env) {
      const app = ix.apps.get(env.appGuid)
      // Unread environments are skipped (the runner reports the gap), never counted clean.
      if (env.read !== 'read' || !app) continue
      for (const v of env.variables) {
        if (!isSecretClass(v.class)) continue
        const sameAs = [...new Set(v.fingerprint ? (holdersBySecret.get(v.fingerprint) ?? []) : [])]
          .map((guid) => ix.serviceInstances.get(guid))
          .filter((si) => si !== undefined)
          .sort((a, b) => a.name.localeCompare(b.name))
        const remediation =
          sameAs.length > 0
            ? `the app already receives this secret from ${sameAs[0]?.name}: cf unset-env ${app.name} ${v.name}, ` +
              `cf restart ${app.name} --strategy rolling, then cfguard credentials rotate ${sameAs[0]?.name}`
            : `move it into a user-provided service and bind it (cf create-user-provided-service ` +
              `${app.name}-secrets -p secrets.json; cf bind-service ${app.name} ${app.name}-secrets), then ` +
              `cf unset-env ${app.name} ${v.name}, cf restart ${app.name} --strategy rolling, and rotate the value`
        findings.push(
          makeFinding(secretInEnv, {
            resource: appRef(s, app),
            key: v.name,
            message: `app ${app.name} sets ${v.name} to ${DESCRIBED[v.class] ?? v.class} in its environment variables`,
            evidence: {
              variable: v.name,
              valueClass: v.class,
              fingerprint: v.fingerprint,
              sameSecretAs: sameAs.map((si) => si.name),
            },
            related: sameAs.map((si) => serviceInstanceRef(s, si)),
            remediation,
          }),
        )
      }
    }
    return orderFindings(findings)
  },
}
