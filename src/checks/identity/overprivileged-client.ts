import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {App, ServiceInstance} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {appRef, serviceInstanceRef} from '../../derive/refs.js'
import {identityUnits, unitApps, orderFindings} from '../../derive/identity.js'

/**
 * Authorities and scopes that administer the platform or read what apps must not: UAA and client
 * administration, user writes, Cloud Controller admin (and admin_read_only, which reads every
 * secret), the firehose and logs, route registration, network policy and CredHub.
 */
const ADMIN_GRADE = new Set([
  'uaa.admin',
  'clients.admin',
  'clients.write',
  'scim.write',
  'scim.create',
  'zones.write',
  'cloud_controller.admin',
  'cloud_controller.admin_read_only',
  'doppler.firehose',
  'logs.admin',
  'routing.router_groups.write',
  'routing.routes.write',
  'network.admin',
  'credhub.read',
  'credhub.write',
])

export function isAdminGrade(scope: string): boolean {
  return ADMIN_GRADE.has(scope) || /^zones\.[^.]+\.admin$/.test(scope)
}

export const overprivilegedClient: Rule = {
  id: 'identity/overprivileged-client',
  family: 'identity',
  severity: 'high',
  title: 'App client holds admin-grade UAA authorities or scopes',
  docs:
    'The UAA client whose credentials an app holds has admin-grade authorities (what its client-credentials ' +
    'tokens get) or scopes (what user tokens issued to it may carry): `uaa.admin`, `clients.admin`, ' +
    '`clients.write`, `scim.write`, `cloud_controller.admin`, `cloud_controller.admin_read_only`, ' +
    '`doppler.firehose`, `routing.router_groups.write`, `routing.routes.write`, `network.admin`, `zones.*.admin` ' +
    "and the like. Anyone who reads the app's environment, or takes over the app, becomes a platform " +
    'administrator. Give the app a client with only what it needs (`uaa update-client billing-client ' +
    '--authorities uaa.none --scope openid`), or a separate client for the admin task, then rotate the secret ' +
    '(`cfguard credentials rotate billing-oidc`). Needs UAA `clients.read`; clients that could not be read ' +
    'are skipped.',
  needs: ['uaaClients', 'upsCredentials', 'bindingDetails'],
  soc2: ['CC6.1', 'CC6.3'],
  run(s) {
    const clients = new Map(s.uaaClients.map((c) => [c.clientId, c]))
    const users = new Map<string, {apps: Map<string, App>; instances: Map<string, ServiceInstance>}>()
    for (const unit of identityUnits(s)) {
      const id = unit.view?.clientId
      if (!id || !clients.has(id)) continue
      const entry = users.get(id) ?? {apps: new Map(), instances: new Map()}
      for (const a of unitApps(s, unit)) entry.apps.set(a.guid, a)
      entry.instances.set(unit.instance.guid, unit.instance)
      users.set(id, entry)
    }
    const findings: Finding[] = []
    for (const [id, entry] of users) {
      const client = clients.get(id)
      if (!client) continue
      const authorities = client.authorities.filter(isAdminGrade).sort()
      const scopes = client.scope.filter(isAdminGrade).sort()
      if (authorities.length === 0 && scopes.length === 0) continue
      const apps = [...entry.apps.values()].sort((a, b) => a.name.localeCompare(b.name))
      const instances = [...entry.instances.values()].sort((a, b) => a.name.localeCompare(b.name))
      const granted = [...new Set([...authorities, ...scopes])].sort()
      findings.push(
        makeFinding(overprivilegedClient, {
          resource: {kind: 'uaa_client', guid: id, name: id},
          message:
            `UAA client ${id}, held by ${apps.length > 0 ? apps.map((a) => a.name).join(', ') : instances.map((i) => i.name).join(', ')}, ` +
            `has admin-grade ${granted.join(', ')}`,
          evidence: {
            clientId: id,
            adminAuthorities: authorities,
            adminScopes: scopes,
            grantTypes: [...client.grantTypes].sort(),
            apps: apps.map((a) => a.name),
            serviceInstances: instances.map((i) => i.name),
          },
          related: [...apps.map((a) => appRef(s, a)), ...instances.map((i) => serviceInstanceRef(s, i))],
          remediation:
            `narrow the client to what the app needs (uaa update-client ${id} --authorities uaa.none --scope openid), ` +
            `then rotate its secret: cfguard credentials rotate ${instances[0]?.name}`,
        }),
      )
    }
    return orderFindings(findings)
  },
}
