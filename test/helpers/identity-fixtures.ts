/**
 * Extra literal-snapshot builders for identity rule tests (on top of test/helpers/snapshot.ts):
 * managed instances with offerings and plans, service keys, env var views, UAA clients, probes.
 */
import type {
  CredentialBinding,
  CredentialProbe,
  EnvVarView,
  IssuerProbe,
  ServiceInstance,
  ServiceOffering,
  ServicePlan,
  UaaClient,
} from '../../src/model/snapshot.js'
import {T0, binding, ups} from './snapshot.js'

export const SALT = 'test-installation-salt-0123456789'

export const offering = (o: Partial<ServiceOffering> = {}): ServiceOffering => ({
  guid: 'off-sso',
  name: 'p-identity',
  description: 'Single Sign-On',
  tags: [],
  brokerName: 'sso-broker',
  ...o,
})

export const plan = (o: Partial<ServicePlan> = {}): ServicePlan => ({
  guid: 'plan-sso',
  name: 'acme-zone',
  offeringGuid: 'off-sso',
  ...o,
})

/** A managed instance (credentials live on its bindings). */
export const managed = (o: Partial<ServiceInstance> = {}): ServiceInstance =>
  ups({
    guid: 'si-sso',
    name: 'billing-sso',
    type: 'managed',
    planGuid: 'plan-sso',
    credentials: null,
    credentialsRead: 'not-applicable',
    ...o,
  })

export const serviceKey = (o: Partial<CredentialBinding> = {}): CredentialBinding =>
  binding({guid: 'key-1', name: 'ci-key', type: 'key', appGuid: null, serviceInstanceGuid: 'si-sso', ...o})

/** A UPS whose credentials were not read (space auditor, --no-secrets). */
export const unreadUps = (o: Partial<ServiceInstance> = {}): ServiceInstance =>
  ups({credentials: null, credentialsRead: 'denied', ...o})

export const unreadBinding = (o: Partial<CredentialBinding> = {}): CredentialBinding =>
  binding({credentials: null, credentialsRead: 'denied', ...o})

export const envVar = (o: Partial<EnvVarView> = {}): EnvVarView => ({
  name: 'CLIENT_SECRET',
  class: 'secret-literal',
  fingerprint: 'hmac:env0',
  ...o,
})

export const uaaClient = (o: Partial<UaaClient> = {}): UaaClient => ({
  clientId: 'billing-client',
  authorities: ['uaa.none'],
  scope: ['openid'],
  grantTypes: ['authorization_code', 'refresh_token'],
  redirectUris: [],
  lastModified: T0,
  ...o,
})

export const issuerProbe = (o: Partial<IssuerProbe> = {}): IssuerProbe => ({
  issuer: 'https://uaa.sys.example.com/oauth/token',
  discoveryOk: true,
  discoveredIssuer: 'https://uaa.sys.example.com/oauth/token',
  jwksKeys: 1,
  error: null,
  ...o,
})

export const credentialProbe = (o: Partial<CredentialProbe> = {}): CredentialProbe => ({
  clientId: 'billing-client',
  secretFingerprint: 'hmac:aaaa',
  tokenEndpoint: 'https://uaa.sys.example.com/oauth/token',
  outcome: 'accepted',
  detail: 'token issued',
  ...o,
})
