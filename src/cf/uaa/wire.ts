/** UAA JSON as it arrives (docs/platform-facts.md §9). */

export interface WireTokenResponse {
  access_token?: string
  token_type?: string
  expires_in?: number
  scope?: string
  refresh_token?: string
  id_token?: string
  jti?: string
}

export interface WireTokenKey {
  kid?: string
  alg?: string
  kty?: string
  use?: string
  n?: string
  e?: string
  value?: string
}

export interface WireTokenKeys {
  keys?: WireTokenKey[]
}

export interface WireOpenIdConfiguration {
  issuer?: string
  token_endpoint?: string
  jwks_uri?: string
}

export interface WireUaaClient {
  client_id: string
  authorized_grant_types?: string[]
  redirect_uri?: string[]
  scope?: string[]
  resource_ids?: string[]
  authorities?: string[]
  autoapprove?: string[] | boolean
  allowpublic?: boolean
  access_token_validity?: number
  refresh_token_validity?: number
  name?: string
  lastModified?: number
}

export interface WireUaaClientList {
  resources?: WireUaaClient[]
  startIndex?: number
  itemsPerPage?: number
  totalResults?: number
}

export interface WireSecretChangeResponse {
  status?: string
  message?: string
}
