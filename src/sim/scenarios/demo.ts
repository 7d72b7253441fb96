/**
 * `demo`: a small foundation (two orgs, four spaces, ~40 apps) with one planted occurrence of
 * every identity and route rule (`cfguard rules`), next to clean look-alikes that must not be
 * flagged. The mapping is documented in README.md next to this file; keep both in step.
 *
 * Healthy credentials point at the simulator's own UAA (a loopback http URL) and name a client
 * that exists there with that secret, so rotation and `--verify-credentials` work against it.
 */
import type {App, Route, ServiceInstance, Space} from '../core/model.js'
import type {SimState} from '../core/state.js'
import {buildBase, type BaseFoundation} from './base.js'
import type {Builder} from './builder.js'

const DAY = 86_400_000

export const DEMO_IDENTITY_LABEL = {key: 'identity', value: 'required'}

export function buildDemo(state: SimState): BaseFoundation {
  const base = buildBase(state)
  const {b, acme, domains, plans, userIds} = base
  const r = state.random.fork('demo')
  const uaa = state.urls.uaa
  const issuer = `${uaa}/oauth/token`
  state.featureFlags.get('hash_based_routing')!.enabled = true

  const prod = b.space(acme, 'prod')
  const staging = b.space(acme, 'staging')
  const globex = b.org('globex')
  const shared = b.space(globex, 'shared-services')
  for (const space of [prod, staging]) {
    b.role(userIds.spaceDeveloper, 'space_developer', space)
    b.role(userIds.spaceSupporter, 'space_supporter', space)
    b.role(userIds.spaceAuditor, 'space_auditor', space)
  }

  /** A UAA client that really exists, and credentials naming it. */
  const oidc = (
    clientId: string,
    extra: {grants?: string[]; authorities?: string[]; redirect?: string[]} = {},
  ) => {
    const secret = r.token(32)
    b.uaaClient({
      clientId,
      secrets: [secret],
      name: clientId,
      authorizedGrantTypes: extra.grants ?? ['client_credentials'],
      authorities: extra.authorities ?? ['uaa.resource'],
      scope: ['openid'],
      redirectUris: extra.redirect ?? [],
    })
    return {client_id: clientId, client_secret: secret, issuer, token_endpoint: issuer, auth_domain: uaa}
  }
  const app = (
    space: Space,
    name: string,
    opts: {
      instances?: number
      env?: Record<string, string>
      labels?: Record<string, string>
      startedDaysAgo?: number | null
      workers?: number
    } = {},
  ) => {
    const a = b.app({
      space,
      name,
      instances: opts.instances ?? 2,
      env: {JAVA_OPTS: '-Xmx512m', ...(opts.env ?? {})},
      labels: opts.labels,
      processes: opts.workers ? [{type: 'worker', instances: opts.workers}] : [],
      createdAgoMs: 180 * DAY,
    })
    return a
  }
  const start = (a: App, daysAgo = 5) => b.start(a, daysAgo * DAY)
  const route = (
    space: Space,
    host: string,
    target: App | App[] | null,
    extra: {domain?: keyof typeof domains; path?: string; options?: Record<string, string>} = {},
  ) => {
    const rt = b.route(space, domains[extra.domain ?? 'apps'], host, {
      path: extra.path,
      options: extra.options,
    })
    for (const t of target === null ? [] : Array.isArray(target) ? target : [target]) b.map(rt, t)
    return rt
  }
  const ups = (
    space: Space,
    name: string,
    credentials: Record<string, unknown>,
    createdDaysAgo = 40,
    extra: {routeServiceUrl?: string} = {},
  ) =>
    b.ups(space, name, credentials, {
      tags: 'client_id' in credentials ? ['oidc'] : [],
      createdAgoMs: createdDaysAgo * DAY,
      ...extra,
    })
  const bind = (a: App, si: ServiceInstance, daysAgo = 39) => b.bind(a, si, {createdAgoMs: daysAgo * DAY})

  // ---- Identity ----------------------------------------------------------------------------
  // secret-in-env: billing-api sets CLIENT_SECRET in its own env vars. Look-alike: catalog holds
  // only references (a path and a URL without userinfo).
  const billingApi = app(prod, 'billing-api', {env: {CLIENT_SECRET: r.token(24), LOG_LEVEL: 'info'}})
  const billingOidc = ups(prod, 'billing-oidc', {...oidc('billing'), skip_ssl_validation: false})
  bind(billingApi, billingOidc)
  route(prod, 'billing-api', billingApi)
  const catalog = app(prod, 'catalog', {
    env: {DB_PASSWORD_FILE: '/etc/secrets/db-password', TOKEN_URL: `${issuer}`},
  })
  route(prod, 'catalog', catalog, {options: {loadbalancing: 'least-connections'}})
  route(prod, 'catalog-api', catalog, {options: {loadbalancing: 'least-connection'}})

  // missing: payments-ui must have an identity (label identity=required) and has none.
  // Look-alike: orders-ui carries the same label and an OIDC binding.
  const payments = app(prod, 'payments-ui', {labels: {[DEMO_IDENTITY_LABEL.key]: DEMO_IDENTITY_LABEL.value}})
  route(prod, 'payments', payments)
  const ordersUi = app(prod, 'orders-ui', {labels: {[DEMO_IDENTITY_LABEL.key]: DEMO_IDENTITY_LABEL.value}})
  const ordersApi = app(prod, 'orders-api', {instances: 2})
  const ordersOidc = ups(
    prod,
    'orders-oidc',
    oidc('orders', {redirect: ['https://orders.apps.cfguard.test/login/callback']}),
  )
  // shared-client look-alike: one client bound to two apps of the same space.
  bind(ordersUi, ordersOidc)
  bind(ordersApi, ordersOidc)
  route(prod, 'orders', ordersUi)
  route(prod, 'orders-api', ordersApi)
  b.web(ordersApi).healthCheck = {
    type: 'http',
    endpoint: '/health',
    timeout: 60,
    invocationTimeout: 5,
    interval: null,
  }

  // incomplete-credentials: a client id and issuer but no secret. Look-alike: a public SPA client.
  const inventory = app(prod, 'inventory')
  bind(inventory, ups(prod, 'inventory-oidc', {client_id: 'inventory', issuer, token_endpoint: issuer}))
  route(prod, 'inventory', inventory)
  const spa = app(prod, 'storefront-spa')
  bind(spa, ups(prod, 'spa-oidc', {client_id: 'storefront-spa', issuer, token_endpoint_auth_method: 'none'}))
  route(prod, 'shop', spa)

  // shared-client: one client id bound in two spaces (prod and staging).
  const reportingCreds = oidc('reporting')
  const reportingProd = app(prod, 'reporting')
  const reportingStaging = app(staging, 'reporting', {instances: 1})
  bind(reportingProd, ups(prod, 'reporting-oidc', reportingCreds))
  bind(reportingStaging, ups(staging, 'reporting-oidc', reportingCreds))
  route(prod, 'reporting', reportingProd)
  route(staging, 'reporting-staging', reportingStaging)

  // stale-credential: credentials unchanged for 200 days; a recent metadata-only update bumps
  // updated_at and must not count.
  const crm = app(prod, 'legacy-crm')
  const crmOidc = ups(prod, 'legacy-crm-oidc', oidc('legacy-crm'), 200)
  bind(crm, crmOidc, 199)
  b.updateUps(crmOidc, null, 3 * DAY)
  route(prod, 'crm', crm)

  // drift: ledger's instances started 10 days ago, its credentials changed 2 days ago (the old
  // secret is still valid at UAA: a rotation waiting for its rolling deployment).
  const ledger = app(prod, 'ledger')
  const ledgerOidc = ups(prod, 'ledger-oidc', oidc('ledger'))
  bind(ledger, ledgerOidc)
  route(prod, 'ledger', ledger)

  // insecure-issuer: a plain-http, non-loopback issuer no test ever contacts (.invalid).
  const intranet = app(prod, 'intranet')
  bind(
    intranet,
    ups(prod, 'legacy-sso', {
      client_id: 'intranet',
      client_secret: r.token(24),
      issuer: 'http://idp.legacy.invalid/oauth/token',
    }),
  )
  route(prod, 'intranet', intranet)

  // issuer-unreachable: discovery under this issuer names a different issuer.
  const partnerIssuer = `${uaa}/zones/partner/oauth/token`
  state.uaa.discoveryOverrides.set('/zones/partner', 'https://partner-idp.example.invalid/oauth/token')
  const partnerSync = app(prod, 'partner-sync')
  bind(
    partnerSync,
    ups(prod, 'partner-oidc', {
      client_id: 'partner-sync',
      client_secret: r.token(24),
      issuer: partnerIssuer,
      token_endpoint: partnerIssuer,
    }),
  )
  route(prod, 'partner-sync', partnerSync)

  // credentials-rejected: the client exists, the bound secret is wrong.
  const analytics = app(prod, 'analytics')
  const analyticsCreds = oidc('analytics')
  bind(analytics, ups(prod, 'analytics-oidc', {...analyticsCreds, client_secret: r.token(32)}))
  route(prod, 'analytics', analytics)

  // redirect-uri-takeover: portal's redirect host has no route on our domain. The portal client
  // may not use client_credentials: probing its (right) secret answers "Unauthorized grant type".
  const portal = app(prod, 'portal')
  bind(
    portal,
    ups(
      prod,
      'portal-oidc',
      oidc('portal', {
        grants: ['authorization_code', 'refresh_token'],
        redirect: ['https://portal-login.apps.cfguard.test/callback'],
      }),
    ),
  )
  route(prod, 'portal', portal)

  // overprivileged-client: the bound client holds admin-grade authorities.
  const opsBot = app(prod, 'ops-bot', {instances: 1})
  bind(
    opsBot,
    ups(
      prod,
      'ops-automation-oidc',
      oidc('ops-automation', {authorities: ['clients.admin', 'cloud_controller.admin', 'uaa.resource']}),
    ),
  )
  route(prod, 'ops-bot', opsBot)

  // orphan-credential: identity-shaped UPS bound to nothing. Look-alike: an unbound SMTP UPS.
  ups(prod, 'old-batch-oidc', oidc('old-batch'))
  ups(prod, 'smtp-relay', {host: 'smtp.cfguard.test', port: 587, username: 'mailer', password: r.token(16)})

  // A healthy managed SSO binding (the broker registers a real UAA client per binding).
  const customerPortal = app(prod, 'customer-portal')
  bind(customerPortal, b.managed(prod, 'customer-sso', plans.sso, 30 * DAY), 20)
  route(prod, 'customer', customerPortal)

  // ---- Routes ------------------------------------------------------------------------------
  // orphan: no destinations, no route service. Look-alike: maintenance has a route service.
  route(prod, 'old-landing', null)
  // stopped-app: auth-proxy is STOPPED (its route is also the route service below).
  const authProxy = app(prod, 'auth-proxy')
  route(prod, 'auth-proxy', authProxy)
  // route-service-down: partner-portal's route service resolves to the stopped auth-proxy.
  const partnerPortal = app(prod, 'partner-portal')
  b.routeBinding(
    route(prod, 'partner-portal', partnerPortal),
    ups(prod, 'auth-proxy-rs', {}, 40, {routeServiceUrl: 'https://auth-proxy.apps.cfguard.test'}),
  )
  // Look-alikes: api and maintenance use a route service whose app runs.
  const rateLimiter = app(prod, 'rate-limiter')
  route(prod, 'rate-limiter', rateLimiter)
  const rateLimiterRs = ups(prod, 'rate-limiter-rs', {}, 40, {
    routeServiceUrl: 'https://rate-limiter.apps.cfguard.test',
  })
  const apiGw = app(prod, 'api-gw')
  b.routeBinding(route(prod, 'api', apiGw), rateLimiterRs)
  b.routeBinding(route(prod, 'maintenance', null), rateLimiterRs)
  // route-service-loop: loop-a's route service is loop-b and back.
  const edge = app(prod, 'edge-proxy')
  b.routeBinding(
    route(prod, 'loop-a', edge),
    ups(prod, 'loop-a-rs', {}, 40, {routeServiceUrl: 'https://loop-b.apps.cfguard.test'}),
  )
  b.routeBinding(
    route(prod, 'loop-b', edge),
    ups(prod, 'loop-b-rs', {}, 40, {routeServiceUrl: 'https://loop-a.apps.cfguard.test'}),
  )

  // no-healthy-instances: every instance crashed. Look-alike: one of two crashed.
  const checkout = app(prod, 'checkout')
  route(prod, 'checkout', checkout)
  const recommendations = app(prod, 'recommendations')
  route(prod, 'recs', recommendations)

  // protocol-mismatch: one route, same app and process, http1 and http2. Look-alike: http2 only.
  const grpc = app(prod, 'grpc-gateway')
  const grpcRoute = route(prod, 'grpc', null)
  b.map(grpcRoute, grpc, {port: 8080, protocol: 'http1'})
  b.map(grpcRoute, grpc, {port: 8081, protocol: 'http2'})
  b.map(route(prod, 'grpc-h2', null), grpc, {port: 8081, protocol: 'http2'})

  // health-check: a routed web process with a `process` health check.
  const monolith = app(prod, 'legacy-monolith')
  b.web(monolith).healthCheck = {
    type: 'process',
    endpoint: null,
    timeout: null,
    invocationTimeout: null,
    interval: null,
  }
  route(prod, 'monolith', monolith)

  // internal-exposed: internal and public routes on one app (it has a c2c policy, so it is reachable).
  const paymentsCore = app(prod, 'payments-core')
  route(prod, 'payments-core', paymentsCore, {domain: 'internal'})
  route(prod, 'payments-core', paymentsCore)
  b.networkPolicy(billingApi, paymentsCore, 8080)
  // internal-unreachable: internal route, no network policy. Look-alike: inventory-db-proxy.
  const pricing = app(prod, 'pricing')
  route(prod, 'pricing', pricing, {domain: 'internal'})
  const dbProxy = app(prod, 'inventory-db-proxy')
  route(prod, 'inventory-db', dbProxy, {domain: 'internal'})
  b.networkPolicy(inventory, dbProxy, 8080)

  // sensitive-path-public: /actuator on a public route. Look-alike: host admin-docs (does not end in -admin).
  route(prod, 'orders-api', ordersApi, {path: '/actuator'})
  const docs = app(prod, 'docs', {instances: 1})
  route(prod, 'admin-docs', docs)

  // lb-hash-missing-header: hash without hash_header (written around the API). Look-alike: cart.
  const sessions = app(prod, 'session-store')
  route(prod, 'sessions', sessions, {options: {loadbalancing: 'hash'}})
  const cart = app(prod, 'cart', {instances: 3})
  route(prod, 'cart', cart, {
    options: {loadbalancing: 'hash', hash_header: 'X-Session-ID', hash_balance: '1.5'},
  })
  // lb-inconsistent: search's two routes disagree. Look-alike: catalog (least-connections vs
  // least-connection count as one).
  // Three instances: with two, routes/traffic-imbalance's "more than twice its fair share" would need one instance
  // to serve everything, so a 6× skew (below) could never be reported.
  const search = app(prod, 'search', {instances: 3})
  route(prod, 'search', search, {options: {loadbalancing: 'least-connection'}})
  route(prod, 'search-v2', search, {options: {loadbalancing: 'round-robin'}})
  // lb-ineffective: least-connection in front of one instance.
  const profile = app(prod, 'profile', {instances: 1})
  route(prod, 'profile', profile, {options: {loadbalancing: 'least-connection'}})
  // weights-ignored: a destination with a weight.
  const canaryShop = app(prod, 'canary-shop')
  b.map(route(prod, 'canary', null), canaryShop, {weight: 10})

  // policy-missing and policy-any on the identity-aware domain; look-alike: pay (cf:app policy).
  const payroll = app(prod, 'payroll')
  route(prod, 'payroll', payroll, {domain: 'secure'})
  b.routePolicy(route(prod, 'pay', billingApi, {domain: 'secure'}), `cf:app:${ordersUi.guid}`)
  b.routePolicy(route(prod, 'public-api', billingApi, {domain: 'secure'}), 'cf:any')

  // shared-across-spaces (and multiple-apps): one route, destinations in prod and staging.
  const gwProd = app(prod, 'gateway')
  const gwStaging = app(staging, 'gateway', {instances: 1})
  const sharedRoute: Route = route(prod, 'shared-gateway', null)
  sharedRoute.sharedSpaceGuids = [staging.guid]
  b.map(sharedRoute, gwProd)
  b.map(sharedRoute, gwStaging)
  // multiple-apps: leftover blue/green.
  const blue = app(prod, 'web-blue')
  const green = app(prod, 'web-green')
  route(prod, 'www', [blue, green])
  // unrouted-app: running web instances, no route. Look-alike: nightly-batch (worker only).
  app(prod, 'queue-worker', {instances: 1})
  app(prod, 'nightly-batch', {instances: 0, workers: 1})

  // A couple of apps in the other org for scope demos.
  const ledgerSync = app(shared, 'ledger-sync', {instances: 1})
  route(shared, 'ledger-sync', ledgerSync)

  // ---- Start everything (after all bindings), then plant the time-based findings -----------
  // Healthy credentials were rotated recently, before their apps started (neither stale nor drifting).
  for (const si of [billingOidc, ordersOidc]) b.updateUps(si, {...si.credentials}, 12 * DAY)
  for (const a of state.apps.all()) {
    if (a === authProxy) continue
    start(a, a === ledger ? 10 : a === crm ? 3 : 5)
  }
  // drift: rotate ledger's credentials after its instances started; UAA holds both secrets.
  const ledgerClient = state.uaa.clients.get('ledger')!
  const newSecret = r.token(32)
  ledgerClient.secrets = [ledgerClient.secrets[0]!, newSecret]
  b.updateUps(ledgerOidc, {...ledgerOidc.credentials, client_secret: newSecret}, 2 * DAY)

  crash(b, checkout, [0, 1])
  crash(b, recommendations, [0])
  state.traffic.set(search.guid, {
    profile: {requestsPerInstance: 40, instanceWeights: [1, 6, 1], olderFormatLines: 3, truncatedLines: 1},
    rawLines: [],
    cache: null,
  })
  return base
}

function crash(b: Builder, app: App, indexes: number[]): void {
  for (const p of b.processes(app)) {
    for (const i of p.actual) {
      if (p.type !== 'web' || !indexes.includes(i.index)) continue
      i.state = 'CRASHED'
      i.routable = false
    }
  }
}
