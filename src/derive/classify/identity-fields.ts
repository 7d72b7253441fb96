/**
 * Key names (compared with `fieldName`: last dotted segment, lower case, letters and digits) that
 * identity credentials use across brokers and hand-made user-provided services: UAA / p-identity
 * (`client_id`, `auth_domain`), XSUAA (`clientid`, `url`, `uaadomain`), Spring Boot
 * (`client-id`, `issuer-uri`, `access-token-uri`), Keycloak adapters (`resource`,
 * `auth-server-url`, `credentials.secret`), Auth0 (`domain`), generic OIDC (`issuer`,
 * `token_endpoint`).
 */

export const CLIENT_ID_FIELDS = ['clientid', 'oauthclientid', 'oauth2clientid', 'oidcclientid', 'ssoclientid']

export const CLIENT_SECRET_FIELDS = [
  'clientsecret',
  'oauthclientsecret',
  'oauth2clientsecret',
  'oidcclientsecret',
  'ssoclientsecret',
]

export const ISSUER_FIELDS = [
  'issuer',
  'issueruri',
  'issuerurl',
  'oidcissuer',
  'oidcissueruri',
  'oidcissuerurl',
]

/** Point at the issuer's discovery document; the issuer is the URL without the well-known suffix. */
export const DISCOVERY_FIELDS = [
  'discoveryurl',
  'discoveryuri',
  'discoveryendpoint',
  'wellknownurl',
  'openidconfigurationurl',
]

export const TOKEN_ENDPOINT_FIELDS = [
  'tokenendpoint',
  'tokenurl',
  'tokenuri',
  'oauthtokenurl',
  'oauthtokenendpoint',
  'accesstokenuri',
  'accesstokenurl',
]

/** Unambiguous names of the authorization server. */
export const AUTH_DOMAIN_FIELDS = ['authdomain', 'uaadomain', 'uaaurl', 'authserverurl', 'authserver']

/** Ambiguous names (`url`, `domain`): count as the auth domain only next to a client id. */
export const WEAK_AUTH_DOMAIN_FIELDS = ['url', 'uri', 'domain', 'authurl', 'baseurl']

/** Private-key client authentication (XSUAA `credential-type: x509`, private_key_jwt). */
export const CLIENT_KEY_FIELDS = ['key', 'privatekey', 'clientkey']

/** Nested objects searched for an identity block first, in this order of preference. */
export const IDENTITY_BLOCK_NAMES = ['uaa', 'xsuaa', 'oauth', 'oauth2', 'oidc', 'sso', 'identity', 'auth']

/** `true` switches TLS verification off. */
export const TLS_SKIP_FIELDS = new Set([
  'skipsslvalidation',
  'skipsslverification',
  'skipsslverify',
  'skiptlsverify',
  'skiptlsverification',
  'skiptlsvalidation',
  'skipcertverify',
  'skipcertificatevalidation',
  'skipcertificateverification',
  'sslskipverify',
  'tlsskipverify',
  'insecureskipverify',
  'insecure',
  'disablesslverification',
  'disabletlsverification',
  'disablesslvalidation',
  'trustall',
  'trustallcerts',
  'trustallcertificates',
  'acceptallcerts',
  'allowinsecure',
])

/** `false` switches TLS verification off. */
export const TLS_VERIFY_FIELDS = new Set([
  'verifyssl',
  'sslverify',
  'tlsverify',
  'verifytls',
  'verifycertificate',
  'verifycertificates',
  'validatecertificate',
  'validatecertificates',
  'sslvalidation',
  'tlsvalidation',
  'checkcertificate',
  'strictssl',
  'rejectunauthorized',
  'verifyservercertificate',
])

export function isTruthy(value: unknown): boolean {
  return (
    value === true || value === 1 || (typeof value === 'string' && /^(true|yes|1|on)$/i.test(value.trim()))
  )
}

export function isFalsy(value: unknown): boolean {
  return (
    value === false || value === 0 || (typeof value === 'string' && /^(false|no|0|off)$/i.test(value.trim()))
  )
}
