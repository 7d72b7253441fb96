/**
 * Secret canaries: unique values planted in every place a foundation keeps secrets (UPS
 * credentials, env vars, binding details, service keys, UAA client secrets, passwords, tokens),
 * then searched for in everything cfguard wrote. A finding names the stream or file and the
 * canary's *name*, never its value, so a failure message cannot leak the secret it found.
 */
import {randomBytes} from 'node:crypto'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'

import type {Simulator} from '../../src/sim/index.js'
import {Api, ccAs, http, waitForJob, type HttpResult} from './sim.js'

/** A unique value that reads like a secret but is easy to grep for. */
export function canaryValue(name: string): string {
  return `cnry${name.replace(/[^a-z0-9]/gi, '').slice(0, 12)}${randomBytes(12).toString('hex')}`
}

export class Canaries {
  private readonly values = new Map<string, string[]>()
  /** Canaries allowed in one file (e.g. tokens in cfguard's own token store). */
  private readonly allowedIn = new Map<string, Set<string>>()

  /** Registers a planted value (and other encodings of it that would also be a leak). */
  add(name: string, value: string, variants: string[] = []): string {
    if (value.length < 8) throw new Error(`canary ${name} is too short to search for`)
    this.values.set(name, [value, ...variants.filter((v) => v.length >= 8)])
    return value
  }

  /** A new unique value registered under `name`. */
  plant(name: string): string {
    return this.add(name, canaryValue(name))
  }

  /** `name` may legitimately appear in files whose path relative to the scanned root matches. */
  allow(name: string, fileSuffix: string): void {
    const set = this.allowedIn.get(name) ?? new Set()
    set.add(fileSuffix)
    this.allowedIn.set(name, set)
  }

  get names(): string[] {
    return [...this.values.keys()]
  }

  get size(): number {
    return this.values.size
  }

  /** Which canaries (by name) occur in `text`; `where` is a stream or file name. */
  find(where: string, text: string): Leak[] {
    const leaks: Leak[] = []
    for (const [name, values] of this.values) {
      const allowed = [...(this.allowedIn.get(name) ?? [])].some((suffix) => where.endsWith(suffix))
      if (allowed) continue
      if (values.some((v) => text.includes(v))) leaks.push({where, canary: name})
    }
    return leaks
  }
}

export interface Leak {
  /** `stdout`, `stderr`, or a file path. */
  where: string
  /** The canary's name (never its value). */
  canary: string
}

export function describeLeaks(leaks: Leak[]): string {
  return leaks.map((l) => `canary "${l.canary}" in ${l.where}`).join('; ')
}

/** Every regular file under `root` (recursively), as `{where, text}`. */
export function filesUnder(root: string, label = root): {where: string; text: string}[] {
  const out: {where: string; text: string}[] = []
  const walk = (dir: string) => {
    let entries: string[]
    try {
      entries = readdirSync(dir)
    } catch {
      return
    }
    for (const entry of entries) {
      const path = join(dir, entry)
      const st = statSync(path)
      if (st.isDirectory()) walk(path)
      else if (st.isFile())
        out.push({where: `${label}/${relative(root, path)}`, text: readFileSync(path, 'latin1')})
    }
  }
  walk(root)
  return out
}

export interface PlantedFoundation {
  canaries: Canaries
  /** A UAA client (admin authorities) whose secret is a canary: for CFGUARD_CLIENT_ID/SECRET. */
  client: {id: string; secret: string}
  /** The simulator admin user (its password is a canary). */
  user: {username: string; password: string}
  appName: string
  upsName: string
}

/**
 * Plants canaries through the simulator's API (and, for broker-made credentials, its state) in
 * org `acme`, space `dev`: an app with secret and neutral env vars, a UPS holding OIDC client
 * credentials bound to it, a managed SSO binding and a service key whose credentials are
 * canaries, and a UAA client with a canary secret.
 */
export async function plantCanaries(sim: Simulator): Promise<PlantedFoundation> {
  const canaries = new Canaries()
  const admin = await ccAs(sim, 'adminClient')
  const uaa = new Api(sim.uaaUrl, admin.token)
  const ok = (what: string, r: HttpResult): HttpResult => {
    if (r.status >= 300) throw new Error(`planting ${what}: ${r.status} ${r.text.slice(0, 300)}`)
    return r
  }

  const clientId = 'canary-auditor'
  const clientSecret = canaries.plant('uaa-client-secret')
  canaries.add('uaa-client-secret-basic', Buffer.from(`${clientId}:${clientSecret}`).toString('base64'))
  ok(
    'UAA client',
    await uaa.post('/oauth/clients', {
      client_id: clientId,
      client_secret: clientSecret,
      authorized_grant_types: ['client_credentials'],
      authorities: [
        'cloud_controller.admin',
        'clients.read',
        'clients.secret',
        'network.admin',
        'doppler.firehose',
      ],
    }),
  )
  const boundClientSecret = canaries.plant('ups-client-secret')
  ok(
    'bound UAA client',
    await uaa.post('/oauth/clients', {
      client_id: 'canary-web',
      client_secret: boundClientSecret,
      authorized_grant_types: ['client_credentials', 'authorization_code'],
      authorities: ['uaa.resource'],
    }),
  )

  const space = (await admin.get('/v3/spaces?names=dev')).json.resources[0] as {guid: string}
  const appName = 'canary-app'
  const app = ok(
    'app',
    await admin.post('/v3/apps', {
      name: appName,
      relationships: {space: {data: {guid: space.guid}}},
      environment_variables: {
        CLIENT_SECRET: canaries.plant('env-client-secret'),
        DATABASE_URL: `postgres://app:${canaries.plant('env-url-password')}@db.internal:5432/app`,
        FEATURE_BLOB: canaries.plant('env-neutral-value'),
      },
    }),
  ).json as {guid: string}

  const upsName = 'canary-oidc'
  const ups = ok(
    'UPS',
    await admin.post('/v3/service_instances', {
      type: 'user-provided',
      name: upsName,
      relationships: {space: {data: {guid: space.guid}}},
      credentials: {
        client_id: 'canary-web',
        client_secret: boundClientSecret,
        issuer: `${sim.uaaUrl}/oauth/token`,
        password: canaries.plant('ups-password'),
        private_key: `-----BEGIN PRIVATE KEY-----\n${canaries.plant('ups-private-key')}\n-----END PRIVATE KEY-----`,
      },
    }),
  ).json as {guid: string}
  ok(
    'UPS binding',
    await admin.post('/v3/service_credential_bindings', {
      type: 'app',
      relationships: {app: {data: {guid: app.guid}}, service_instance: {data: {guid: ups.guid}}},
    }),
  )

  // A managed SSO instance: its app binding and its service key carry broker-made credentials,
  // replaced in the simulator's state by canaries.
  const plan = (await admin.get('/v3/service_plans?service_offering_names=p-identity')).json.resources[0] as {
    guid: string
  }
  const created = ok(
    'managed instance',
    await admin.post('/v3/service_instances', {
      type: 'managed',
      name: 'canary-sso',
      relationships: {space: {data: {guid: space.guid}}, service_plan: {data: {guid: plan.guid}}},
    }),
  )
  await waitForJob(sim, admin, created.headers.get('location') ?? '')
  const managed = (await admin.get('/v3/service_instances?names=canary-sso')).json.resources[0] as {
    guid: string
  }
  for (const [type, name] of [
    ['app', null],
    ['key', 'canary-key'],
  ] as const) {
    const res = ok(
      `managed ${type} binding`,
      await admin.post('/v3/service_credential_bindings', {
        type,
        ...(name ? {name} : {}),
        relationships: {
          service_instance: {data: {guid: managed.guid}},
          ...(type === 'app' ? {app: {data: {guid: app.guid}}} : {}),
        },
      }),
    )
    const location = res.headers.get('location')
    if (location) await waitForJob(sim, admin, location)
  }
  for (const binding of sim.state.bindings.lookup('instance', managed.guid)) {
    const secret = canaries.plant(binding.type === 'key' ? 'service-key-secret' : 'binding-details-secret')
    binding.credentials = {
      ...binding.credentials,
      client_secret: secret,
      api_key: canaries.plant(`${binding.type}-api-key`),
    }
  }

  const user = sim.users.admin
  canaries.add('user-password', user.password)
  return {canaries, client: {id: clientId, secret: clientSecret}, user, appName, upsName}
}

/** Tokens as a `cf login` would have them: a password grant as client `cf`. */
export async function cfLoginTokens(
  sim: Simulator,
  user: {username: string; password: string},
): Promise<{accessToken: string; refreshToken: string}> {
  const res = await http('POST', `${sim.uaaUrl}/oauth/token`, {
    form: {grant_type: 'password', username: user.username, password: user.password},
    headers: {Authorization: `Basic ${Buffer.from('cf:').toString('base64')}`},
  })
  if (res.status !== 200) throw new Error(`password grant: ${res.status}`)
  return {accessToken: res.json.access_token, refreshToken: res.json.refresh_token}
}

/** Registers a JWT and its signature segment (a partial leak is still a leak). */
export function addToken(canaries: Canaries, name: string, token: string): void {
  const signature = token.split('.')[2] ?? ''
  canaries.add(name, token, signature.length >= 16 ? [signature] : [])
}
