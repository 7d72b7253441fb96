/** The UAA signing key (RS256). One key pair per process is enough: issuers differ per simulator. */
import {exportJWK, exportSPKI, generateKeyPair} from 'jose'

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>

export interface SigningKey {
  kid: string
  privateKey: KeyPair['privateKey']
  publicKey: KeyPair['publicKey']
  /** The `/token_keys` entry. */
  published: {kid: string; alg: 'RS256'; value: string; kty: string; use: 'sig'; n: string; e: string}
}

let shared: Promise<SigningKey> | null = null

export function signingKey(): Promise<SigningKey> {
  shared ??= createKey('sim-key-1')
  return shared
}

async function createKey(kid: string): Promise<SigningKey> {
  const {privateKey, publicKey} = await generateKeyPair('RS256', {extractable: true})
  const jwk = await exportJWK(publicKey)
  const pem = await exportSPKI(publicKey)
  return {
    kid,
    privateKey,
    publicKey,
    published: {kid, alg: 'RS256', value: pem, kty: 'RSA', use: 'sig', n: jwk.n ?? '', e: jwk.e ?? ''},
  }
}
