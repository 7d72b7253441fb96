/**
 * The simulated service brokers: what a managed binding's credentials look like. The SSO
 * broker registers a real UAA client per binding (so its secret works at the simulator's UAA)
 * and removes it on unbind, like an SSO tile does.
 */
import type {CredentialBinding, ServiceInstance, ServiceOffering} from '../core/model.js'
import type {SimState} from '../core/state.js'

export function offeringOf(state: SimState, si: ServiceInstance): ServiceOffering | undefined {
  const plan = si.planGuid ? state.plans.get(si.planGuid) : undefined
  return plan ? state.offerings.get(plan.offeringGuid) : undefined
}

export function brokerCredentials(
  state: SimState,
  si: ServiceInstance,
  at: number,
): {credentials: Record<string, unknown>; clientId: string | null} {
  const offering = offeringOf(state, si)
  const r = state.random
  switch (offering?.credentialStyle) {
    case 'sso': {
      const clientId = `sso-${r.token(10)}`
      const secret = r.token(32)
      state.uaa.clients.set(clientId, {
        clientId,
        secrets: [secret],
        name: `${si.name} binding`,
        authorizedGrantTypes: ['authorization_code', 'client_credentials', 'refresh_token'],
        scope: ['openid', 'profile', 'email'],
        authorities: ['uaa.resource'],
        resourceIds: [],
        redirectUris: [],
        autoapprove: true,
        allowPublic: false,
        accessTokenValidity: null,
        refreshTokenValidity: null,
        requiredUserGroups: [],
        lastModified: at,
        createdWith: 'sso-broker',
      })
      return {
        clientId,
        credentials: {
          client_id: clientId,
          client_secret: secret,
          auth_domain: state.urls.uaa,
          issuer: `${state.urls.uaa}/oauth/token`,
          grant_types: ['authorization_code', 'client_credentials'],
        },
      }
    }
    case 'credhub-ref':
      return {
        credentials: {'credhub-ref': `/c/${offering.name}/${si.guid}/${r.uuid()}/credentials`},
        clientId: null,
      }
    default:
      return {
        credentials: {
          uri: `https://${offering?.name ?? 'service'}.svc.cfguard.test/${si.guid}`,
          api_key: r.token(24),
        },
        clientId: null,
      }
  }
}

export function releaseBrokerCredentials(state: SimState, binding: CredentialBinding): void {
  if (binding.brokerClientId) state.uaa.clients.delete(binding.brokerClientId)
}
