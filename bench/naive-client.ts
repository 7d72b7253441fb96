/**
 * The naive baseline: gathers what a foundation-wide identity + route audit needs the way the
 * cf CLI (and scripts built on it) fetch — `per_page=50`, one request at a time, and one
 * request per item wherever a cf command works per item. Written independently of cfguard
 * (plain `fetch`, no cfguard code) so the comparison measures the fetching strategy, not
 * shared code.
 *
 *   walk                                   cf command it mirrors            requests
 *   GET /, POST /oauth/token               cf api, cf auth                  2
 *   orgs; per org: spaces                  cf orgs, cf spaces               pages
 *   domains, offerings, plans              cf domains, cf marketplace       pages
 *   per space: apps                        cf apps                          pages
 *     per app: processes; per process:     cf app APP                       1 + processes
 *       stats; deployments                                                  + 1
 *     per app: env (incl. VCAP_SERVICES)   cf env APP                       1
 *   per space: routes (with destinations)  cf routes                        pages
 *   per space: service instances           cf services                      pages
 *     per instance: credential bindings    cf service SI                    1
 *     per user-provided: credentials       cf curl …/credentials            1
 *   route bindings, route policies,        foundation-wide lists            pages
 *   UPS update events, network policies
 *   per OIDC client id: UAA client         uaac client get                  1
 *
 * Run: NAIVE_API=… NAIVE_CLIENT_ID=… NAIVE_CLIENT_SECRET=… node --import tsx bench/naive-client.ts
 * Prints one JSON line: `{elapsedMs, requests, gathered}` — counts only, never a value read.
 */

const PER_PAGE = 50

interface Page<T> {
  pagination?: {next?: {href: string} | null}
  resources: T[]
}

interface Named {
  guid: string
  name?: string
  type?: string
}

export interface NaiveResult {
  elapsedMs: number
  requests: number
  gathered: Record<string, number>
}

export async function runNaive(api: string, clientId: string, clientSecret: string): Promise<NaiveResult> {
  const started = performance.now()
  let requests = 0
  let token = ''
  const gathered: Record<string, number> = {}
  const add = (what: string, n: number) => (gathered[what] = (gathered[what] ?? 0) + n)

  const root = (await (await counted(fetch(api))).json()) as {links: Record<string, {href: string} | null>}
  const loginUrl = root.links.login?.href ?? root.links.uaa?.href
  const uaaUrl = root.links.uaa?.href ?? loginUrl
  const cc = `${root.links.cloud_controller_v3?.href ?? `${api}/v3`}`
  const networking = root.links.network_policy_v1?.href ?? null
  if (!loginUrl || !uaaUrl) throw new Error('the API root names no UAA')

  async function counted(response: Promise<Response>): Promise<Response> {
    requests++
    return response
  }

  async function authenticate(): Promise<void> {
    const response = await counted(
      fetch(`${loginUrl}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
      }),
    )
    if (!response.ok) throw new Error(`token request failed: HTTP ${response.status}`)
    token = ((await response.json()) as {access_token: string}).access_token
  }

  async function get<T>(url: string, allow404 = false): Promise<T | null> {
    for (let attempt = 0; ; attempt++) {
      const response = await counted(
        fetch(url, {headers: {authorization: `bearer ${token}`, accept: 'application/json'}}),
      )
      if (response.status === 401 && attempt === 0) {
        await response.arrayBuffer()
        await authenticate()
        continue
      }
      if (allow404 && response.status === 404) {
        await response.arrayBuffer()
        return null
      }
      if (!response.ok) throw new Error(`GET ${new URL(url).pathname} failed: HTTP ${response.status}`)
      return (await response.json()) as T
    }
  }

  async function list<T>(path: string, query: Record<string, string> = {}): Promise<T[]> {
    const params = new URLSearchParams({...query, per_page: String(PER_PAGE)})
    let next: string | null = `${cc}${path}?${params.toString()}`
    const all: T[] = []
    while (next) {
      const page: Page<T> = (await get<Page<T>>(next))!
      all.push(...page.resources)
      next = page.pagination?.next?.href ?? null
    }
    return all
  }

  await authenticate()

  const orgs = await list<Named>('/organizations')
  add('orgs', orgs.length)
  const spaces: Named[] = []
  for (const org of orgs) spaces.push(...(await list<Named>('/spaces', {organization_guids: org.guid})))
  add('spaces', spaces.length)
  add('domains', (await list<Named>('/domains')).length)
  add('serviceOfferings', (await list<Named>('/service_offerings')).length)
  add('servicePlans', (await list<Named>('/service_plans')).length)

  const oidcClientIds = new Set<string>()
  for (const space of spaces) {
    const apps = await list<Named>('/apps', {space_guids: space.guid})
    add('apps', apps.length)
    for (const app of apps) {
      const processes = await list<Named>(`/apps/${app.guid}/processes`)
      add('processes', processes.length)
      for (const process of processes) {
        const stats = (await get<{resources: unknown[]}>(`${cc}/processes/${process.guid}/stats`))!
        add('processInstances', stats.resources.length)
      }
      add('deployments', (await list<Named>('/deployments', {app_guids: app.guid})).length)
      const env = (await get<{environment_variables?: Record<string, string>}>(`${cc}/apps/${app.guid}/env`))!
      add('envRead', 1)
      add('envVariables', Object.keys(env.environment_variables ?? {}).length)
    }

    const routes = await list<{destinations: unknown[]}>('/routes', {space_guids: space.guid})
    add('routes', routes.length)
    add(
      'destinations',
      routes.reduce((n, r) => n + r.destinations.length, 0),
    )

    const instances = await list<Named>('/service_instances', {space_guids: space.guid})
    add('serviceInstances', instances.length)
    for (const instance of instances) {
      add(
        'credentialBindings',
        (await list<Named>('/service_credential_bindings', {service_instance_guids: instance.guid})).length,
      )
      if (instance.type !== 'user-provided') continue
      const credentials = await get<Record<string, unknown>>(
        `${cc}/service_instances/${instance.guid}/credentials`,
        true,
      )
      if (credentials === null) continue
      add('upsCredentialsRead', 1)
      const id = credentials.client_id
      if (typeof id === 'string') oidcClientIds.add(id)
    }
  }

  add('routeBindings', (await list<Named>('/service_route_bindings')).length)
  add('routePolicies', (await list<Named>('/route_policies')).length)
  add(
    'auditEvents',
    (await list<Named>('/audit_events', {types: 'audit.user_provided_service_instance.update'})).length,
  )
  if (networking) {
    const policies = await get<{policies?: unknown[]}>(`${networking}/policies`)
    add('networkPolicies', policies?.policies?.length ?? 0)
  }
  for (const id of oidcClientIds) {
    if (await get(`${uaaUrl}/oauth/clients/${encodeURIComponent(id)}`, true)) add('uaaClients', 1)
  }

  return {elapsedMs: Math.round(performance.now() - started), requests, gathered}
}

async function main(): Promise<void> {
  const api = process.env.NAIVE_API
  const clientId = process.env.NAIVE_CLIENT_ID
  const clientSecret = process.env.NAIVE_CLIENT_SECRET
  if (!api || !clientId || !clientSecret) {
    console.error('naive-client: set NAIVE_API, NAIVE_CLIENT_ID and NAIVE_CLIENT_SECRET')
    process.exit(2)
  }
  const result = await runNaive(api, clientId, clientSecret)
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(`naive-client: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  })
}
