/**
 * `--ca-cert FILE` / `CFGUARD_CA_CERT` / a stored target's CA: a PEM bundle of CAs trusted on top
 * of Node's roots. Only its CERTIFICATE blocks are used; nothing of the file is ever printed (a
 * bundle exported with its private key is used for its certificates, and the key is left alone).
 */
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'

import {certificatesIn} from '../cf/http/agents.js'
import type {Reach} from '../cf/session.js'
import type {RunContext} from '../context.js'
import {CfguardError} from '../errors.js'

export interface CaCert {
  /** Absolute path, as stored with a target. */
  path: string
  /** The certificates only. */
  pem: string
}

/** Reads and checks the bundle; a usage error (exit 2) naming the path when it cannot be used. */
export function loadCaCert(path: string, what = '--ca-cert', warn?: (message: string) => void): CaCert {
  const absolute = resolve(path)
  let text: string
  try {
    text = readFileSync(absolute, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error'
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : code
    throw new CfguardError('USAGE', `cannot read the CA bundle ${absolute} (${what}): ${why}`, {
      suggestions: ['name a PEM file with the CA certificates of the foundation'],
    })
  }
  const certs = certificatesIn(text)
  if (certs.length === 0) {
    throw new CfguardError('USAGE', `${absolute} (${what}) holds no PEM certificate`, {
      suggestions: ['give the CA bundle in PEM ("-----BEGIN CERTIFICATE-----" blocks)'],
    })
  }
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    warn?.(
      `${absolute} (${what}) also holds a private key: only its certificates are used; keep keys out of CA bundles`,
    )
  }
  return {path: absolute, pem: `${certs.join('\n')}\n`}
}

/**
 * How a run reaches a target: TLS verification (warned about when off), the --ca-cert bundle
 * (loaded and checked here) and the proxy environment. For cf/session.ts `connect`.
 */
export function reachFor(
  ctx: RunContext,
  target: {skipSslValidation: boolean; caCert?: string | null},
): Reach {
  if (target.skipSslValidation) {
    ctx.warn(
      'TLS certificate verification is off for this run (--skip-ssl-validation): use it only on a network you trust',
    )
  }
  return {
    skipSslValidation: target.skipSslValidation,
    caPem: target.caCert ? loadCaCert(target.caCert, '--ca-cert', ctx.warn).pem : null,
    env: ctx.env,
  }
}
