/**
 * `cfguard sim --tls`: a throwaway certificate authority made at start (only its public
 * certificate is ever written) and one server certificate it signs for the simulator's names, so
 * cfguard's real TLS verification (and `--ca-cert`) can be rehearsed. Keys come from node:crypto;
 * node-forge writes the X.509 certificates (Node has no API for that). Valid for two days.
 */
import {constants, generateKeyPair, type KeyObject, privateEncrypt, randomBytes} from 'node:crypto'
import {promisify} from 'node:util'

import forge from 'node-forge'

export interface SimTls {
  /** The CA certificate (PEM): what clients trust. */
  caPem: string
  /** The server's certificate chain (leaf, then CA) and private key, PEM. */
  cert: string
  key: string
}

const DAY = 24 * 60 * 60 * 1000

/** DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex')

interface Keys {
  /** Signs like forge's RSA key (PKCS#1 v1.5 over the certificate's SHA-256), in node:crypto. */
  signer: forge.pki.rsa.PrivateKey
  publicKey: forge.pki.rsa.PublicKey
  pem: string
}

const generate = promisify(generateKeyPair)

/** Off the main thread (key generation takes hundreds of ms): the CA's and the server's in parallel. */
async function rsaKeys(): Promise<Keys> {
  const {privateKey, publicKey} = await generate('rsa', {modulusLength: 2048})
  const pem = privateKey.export({type: 'pkcs1', format: 'pem'}).toString()
  const forgePublic = forge.pki.publicKeyFromPem(publicKey.export({type: 'spki', format: 'pem'}).toString())
  return {signer: nodeSigner(privateKey), publicKey: forgePublic as forge.pki.rsa.PublicKey, pem}
}

/** forge's signing in pure JavaScript takes about a second per certificate; node:crypto takes a millisecond. */
function nodeSigner(key: KeyObject): forge.pki.rsa.PrivateKey {
  return {
    sign(md: forge.md.MessageDigest) {
      const digest = Buffer.from(md.digest().getBytes(), 'binary')
      const info = Buffer.concat([SHA256_DIGEST_INFO, digest])
      return privateEncrypt({key, padding: constants.RSA_PKCS1_PADDING}, info).toString('binary')
    },
  } as unknown as forge.pki.rsa.PrivateKey
}

function serial(): string {
  // Positive: the high bit clear.
  const bytes = randomBytes(12)
  bytes[0] = (bytes[0] as number) & 0x7f
  return bytes.toString('hex')
}

/** A CA and a server certificate for these DNS names and IP addresses. */
export async function makeSimTls(names: {dns: string[]; ips: string[]}, now = new Date()): Promise<SimTls> {
  const [caKeys, leafKeys] = await Promise.all([rsaKeys(), rsaKeys()])
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000)
  const notAfter = new Date(now.getTime() + 2 * DAY)

  const ca = forge.pki.createCertificate()
  ca.publicKey = caKeys.publicKey
  ca.serialNumber = serial()
  ca.validity.notBefore = notBefore
  ca.validity.notAfter = notAfter
  const caName = [{name: 'commonName', value: 'cfguard simulator throwaway CA'}]
  ca.setSubject(caName)
  ca.setIssuer(caName)
  ca.setExtensions([
    {name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true},
    {name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true},
    {name: 'subjectKeyIdentifier'},
  ])
  ca.sign(caKeys.signer, forge.md.sha256.create())

  const leaf = forge.pki.createCertificate()
  leaf.publicKey = leafKeys.publicKey
  leaf.serialNumber = serial()
  leaf.validity.notBefore = notBefore
  leaf.validity.notAfter = notAfter
  leaf.setSubject([{name: 'commonName', value: names.dns[0] ?? names.ips[0] ?? 'localhost'}])
  leaf.setIssuer(caName)
  leaf.setExtensions([
    {name: 'basicConstraints', cA: false, critical: true},
    {name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true},
    {name: 'extKeyUsage', serverAuth: true},
    {
      name: 'subjectAltName',
      altNames: [...names.dns.map((value) => ({type: 2, value})), ...names.ips.map((ip) => ({type: 7, ip}))],
    },
    {name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes()},
  ])
  leaf.sign(caKeys.signer, forge.md.sha256.create())

  const caPem = forge.pki.certificateToPem(ca)
  return {caPem, cert: `${forge.pki.certificateToPem(leaf)}${caPem}`, key: leafKeys.pem}
}
