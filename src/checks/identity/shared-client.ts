import type {ResourceRef} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {App, ServiceInstance, Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {appRef, serviceInstanceRef} from '../../derive/refs.js'
import {
  type CredentialUnit,
  identityUnits,
  spaceLabel,
  unitApps,
  orderFindings,
} from '../../derive/identity.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {plural} from '../../util/plural.js'

/** Credentials (and env vars) linked by one client id or one secret fingerprint. */
interface Group {
  units: CredentialUnit[]
  envHolders: {app: App; variable: string}[]
}

export const sharedClient: Rule = {
  id: 'identity/shared-client',
  family: 'identity',
  severity: 'high',
  title: 'One identity client shared by apps across spaces',
  docs:
    'One OAuth client id, or one client secret (same keyed fingerprint, also when it sits in an env var), is ' +
    'delivered to apps in more spaces than the policy allows (`identity.sharedClientMaxSpaces`, default 1) or ' +
    'to more apps than `identity.sharedClientMaxApps` when set. A leak from any of them exposes all, tokens ' +
    'cannot tell the apps apart in audit logs, and none can be rotated or revoked alone. Give each app (or ' +
    'each space) its own client: create a UAA client per app (`uaa create-client billing-api-prod ...`), ' +
    'one user-provided service per client, rebind (`cf bind-service`), roll the apps, then delete the shared ' +
    'client; rotate it first if it may have leaked (`cfguard credentials rotate billing-oidc --include-shared` updates every copy together). Credentials ' +
    'that were not read are skipped.',
  needs: ['upsCredentials', 'bindingDetails'],
  soc2: ['CC6.1', 'CC6.2', 'CC6.3'],
  run(s, policy) {
    const {sharedClientMaxSpaces: maxSpaces, sharedClientMaxApps: maxApps} = policy.identity
    const findings = []
    for (const group of groups(s)) {
      const apps = new Map<string, App>()
      for (const u of group.units) for (const a of unitApps(s, u)) apps.set(a.guid, a)
      for (const h of group.envHolders) apps.set(h.app.guid, h.app)
      const spaces = [...new Set([...apps.values()].map((a) => a.spaceGuid))]
      const overSpaces = spaces.length > maxSpaces
      const overApps = maxApps !== null && apps.size > maxApps
      if (!overSpaces && !overApps) continue
      const clientIds = sorted(group.units.map((u) => u.view?.clientId))
      const fingerprints = sorted(group.units.map((u) => u.view?.secretFingerprint))
      const instances = [...new Map(group.units.map((u) => [u.instance.guid, u.instance])).values()].sort(
        (a, b) => a.name.localeCompare(b.name),
      )
      const appList = [...apps.values()].sort(
        (a, b) => a.name.localeCompare(b.name) || a.guid.localeCompare(b.guid),
      )
      const id = clientIds[0] ?? (fingerprints[0] as string)
      const resource: ResourceRef = {kind: 'uaa_client', guid: id, name: clientIds[0] ?? `secret ${id}`}
      const spaceNames = spaces.map((g) => spaceLabel(s, g)).sort()
      const limit = overSpaces ? plural(maxSpaces, 'space') : plural(maxApps ?? 0, 'app')
      findings.push(
        makeFinding(sharedClient, {
          resource,
          message:
            `${clientIds.length > 0 ? `client ${clientIds.join(', ')}` : 'one client secret'} reaches ` +
            `${plural(apps.size, 'app')} in ${plural(spaces.length, 'space')} (${spaceNames.join(', ')}); ` +
            `the policy allows ${limit}`,
          evidence: {
            clientIds,
            secretFingerprints: fingerprints,
            apps: appList.map((a) => a.name),
            spaces: spaceNames,
            appCount: apps.size,
            spaceCount: spaces.length,
            serviceInstances: instances.map((i) => i.name),
            serviceKeys: group.units.filter((u) => u.source === 'key').length,
            envVariables: group.envHolders.map((h) => `${h.app.name}:${h.variable}`).sort(),
          },
          related: [...appList.map((a) => appRef(s, a)), ...instances.map((i) => serviceInstanceRef(s, i))],
          remediation:
            `give each app its own client (uaa create-client per app, one user-provided service each, ` +
            `cf bind-service, roll the apps), then delete the shared one; rotate it first: ` +
            `cfguard credentials rotate ${(instances[0] as ServiceInstance).name}`,
        }),
      )
    }
    return orderFindings(findings)
  },
}

function sorted(values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))].sort()
}

/** Connected components over "same client id" and "same secret fingerprint" (union-find). */
function groups(s: Snapshot): Group[] {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let root = x
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) as string
    parent.set(x, root)
    return root
  }
  const union = (a: string, b: string) => {
    if (!parent.has(a)) parent.set(a, a)
    if (!parent.has(b)) parent.set(b, b)
    const ra = find(a)
    const rb = find(b)
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb)
  }
  const units = identityUnits(s).filter((u) => u.view && (u.view.clientId || u.view.secretFingerprint))
  for (const u of units) {
    const node = `u:${u.guid}`
    union(node, node)
    if (u.view?.clientId) union(node, `c:${u.view.clientId}`)
    if (u.view?.secretFingerprint) union(node, `f:${u.view.secretFingerprint}`)
  }
  const ix = indexSnapshot(s)
  const envNodes: {node: string; app: App; variable: string}[] = []
  for (const env of s.env) {
    const app = ix.apps.get(env.appGuid)
    if (env.read !== 'read' || !app) continue
    for (const v of env.variables) {
      if (!v.fingerprint || !parent.has(`f:${v.fingerprint}`)) continue
      const node = `e:${app.guid}:${v.name}`
      union(node, `f:${v.fingerprint}`)
      envNodes.push({node, app, variable: v.name})
    }
  }
  const byRoot = new Map<string, Group>()
  const groupOf = (node: string) => {
    const root = find(node)
    const g = byRoot.get(root) ?? {units: [], envHolders: []}
    byRoot.set(root, g)
    return g
  }
  for (const u of units) groupOf(`u:${u.guid}`).units.push(u)
  for (const e of envNodes) groupOf(e.node).envHolders.push({app: e.app, variable: e.variable})
  return [...byRoot.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => g)
}
