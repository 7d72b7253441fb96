/**
 * Recognises identity services without reading credentials, so `--no-secrets` runs still know
 * which bindings carry identity: managed offerings by name, tags and broker (p-identity / SSO
 * tiles, XSUAA, cloud.gov's identity provider, Keycloak/Okta/Auth0 brokers), user-provided
 * services by name, tags and labels.
 */

const IDENTITY_WORDS = new Set([
  'sso',
  'xsuaa',
  'oauth',
  'oauth2',
  'oidc',
  'openid',
  'identity',
  'uaa',
  'keycloak',
  'okta',
  'auth0',
])

const IDENTITY_PHRASES = /single[\s-]sign[\s-]on|openid connect/i

export interface OfferingLike {
  name: string
  tags?: string[]
  description?: string
  brokerName?: string | null
}

export interface PlanLike {
  name: string
}

function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/)
}

function hasIdentityWord(texts: (string | null | undefined)[]): boolean {
  return texts.some((t) => typeof t === 'string' && words(t).some((w) => IDENTITY_WORDS.has(w)))
}

/** A managed offering (or its plan) that hands out identity credentials. */
export function isSsoOffering(offering: OfferingLike | null | undefined, plan?: PlanLike | null): boolean {
  if (offering) {
    if (hasIdentityWord([offering.name, offering.brokerName, ...(offering.tags ?? [])])) return true
    if (offering.description && IDENTITY_PHRASES.test(offering.description)) return true
  }
  return plan ? hasIdentityWord([plan.name]) : false
}

/** Names, tags or labels of a service instance that say it carries identity (`billing-oidc`, tag `sso`). */
export function hasIdentityHint(instance: {
  name: string
  tags?: string[]
  labels?: Record<string, string>
}): boolean {
  const labels = Object.entries(instance.labels ?? {}).flat()
  return hasIdentityWord([instance.name, ...(instance.tags ?? []), ...labels])
}
