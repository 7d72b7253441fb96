/** Literal foundations for the rotation tests, built on the fake platform. */

import {FakePlatform, PLATFORM_UAA} from '../../helpers/fake-platform.js'
import type {EngineOptions} from '../../../src/rotate/engine.js'
import {keyedFingerprint} from '../../../src/model/fingerprint.js'

export const SPACE = 'space-0000-prod'
export const CLIENT = 'billing-client'
export const IDP_TOKEN_ENDPOINT = 'https://login.partner-idp.example.com/oauth2/token'

export const baseOptions = (over: Partial<EngineOptions> = {}): EngineOptions => ({
  owner: 'ops@host-a',
  leaseSettleMs: 1000,
  pollIntervalMs: 5000,
  timeoutMs: 10 * 60_000,
  fingerprint: keyedFingerprint('test-installation-salt'),
  ...over,
})

export interface UpsWorld {
  fake: FakePlatform
  ups: string
  apps: {api: string; web: string; batch: string}
  initialSecret: string
}

/** A UPS holding a UAA client secret, bound to two started apps (one with a worker) and a stopped one. */
export function upsWorld(opts: {external?: boolean} = {}): UpsWorld {
  const fake = new FakePlatform()
  const initialSecret = fake.secret('initial')
  const realm = opts.external ? IDP_TOKEN_ENDPOINT : PLATFORM_UAA
  fake.addClient(CLIENT, [initialSecret], realm)
  const credentials: Record<string, unknown> = opts.external
    ? {client_id: CLIENT, client_secret: initialSecret, token_endpoint: IDP_TOKEN_ENDPOINT, scope: 'openid'}
    : {
        client_id: CLIENT,
        client_secret: initialSecret,
        issuer: 'https://uaa.sys.example.com/oauth/token',
        scopes: ['openid'],
      }
  const ups = fake.addUps(SPACE, 'billing-oidc', credentials)
  const api = fake.addApp(SPACE, 'billing-api', {instances: 3, processTypes: ['web', 'worker']})
  const web = fake.addApp(SPACE, 'billing-web', {instances: 2})
  const batch = fake.addApp(SPACE, 'billing-batch', {state: 'STOPPED', instances: 1})
  for (const app of [api, web, batch]) fake.bindAtSetup(app, ups, null, 200 * 86_400_000)
  fake.startApps()
  return {fake, ups, apps: {api, web, batch}, initialSecret}
}

export interface ManagedWorld {
  fake: FakePlatform
  si: string
  apps: {api: string; web: string}
}

/** A managed SSO instance bound (named binding "sso") to two started apps. */
export function managedWorld(): ManagedWorld {
  const fake = new FakePlatform()
  const si = fake.addManaged(SPACE, 'billing-sso')
  const api = fake.addApp(SPACE, 'billing-api', {instances: 3})
  const web = fake.addApp(SPACE, 'billing-web', {instances: 2})
  for (const app of [api, web]) fake.bindAtSetup(app, si, 'sso', 100 * 86_400_000)
  fake.startApps()
  return {fake, si, apps: {api, web}}
}

export interface KeyWorld {
  fake: FakePlatform
  si: string
  keyGuid: string
}

export function keyWorld(): KeyWorld {
  const fake = new FakePlatform()
  const si = fake.addManaged(SPACE, 'partner-api')
  const keyGuid = fake.keyAtSetup(si, 'ci-deployer', 120 * 86_400_000)
  fake.keyAtSetup(si, 'other-consumer', 10 * 86_400_000)
  return {fake, si, keyGuid}
}

/** Records every moment (after any platform call) where a running instance holds a rejected secret. */
export function watchInstances(fake: FakePlatform): {violations: string[]} {
  const seen = {violations: [] as string[]}
  fake.afterCall = (op) => {
    for (const v of fake.rejectedInstances()) seen.violations.push(`${op}: ${v.app}#${v.index}`)
  }
  return seen
}
