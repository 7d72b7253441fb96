/**
 * The installation salt: 32 random bytes in `$CFGUARD_HOME/salt` (0600), the key of every secret
 * fingerprint (`hmac:…`) cfguard writes. Equal secrets get equal fingerprints within one
 * installation, so reports, baselines and the collection cache stay comparable across runs, while
 * a short secret cannot be recovered from a report by hashing guesses.
 */
import {randomBytes} from 'node:crypto'
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import {join} from 'node:path'

import {CfguardError} from '../errors.js'

export const SALT_FILE = 'salt'
export const SALT_BYTES = 32

/**
 * Reads the salt, creating it on first use. Creation is atomic and race-free: the bytes are
 * written to a private temp file (O_EXCL) and hard-linked into place, which fails with EEXIST
 * when another run got there first; then the winner's salt is read. Two runs started at once
 * therefore end with the same salt, and no run ever reads a half-written file.
 */
export function loadOrCreateSalt(home: string): Buffer {
  const path = join(home, SALT_FILE)
  const existing = readSalt(path)
  if (existing) return existing
  mkdirSync(home, {recursive: true, mode: 0o700})
  const tmp = join(home, `.${SALT_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(tmp, 'wx', 0o600)
  try {
    writeSync(fd, randomBytes(SALT_BYTES))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  try {
    linkSync(tmp, path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  } finally {
    unlinkSync(tmp)
  }
  const salt = readSalt(path)
  if (!salt) throw damaged(path)
  return salt
}

function readSalt(path: string): Buffer | null {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  if (bytes.length !== SALT_BYTES) throw damaged(path)
  return bytes
}

function damaged(path: string): CfguardError {
  return new CfguardError(
    'CONFIG_INVALID',
    `the installation salt ${path} is damaged (expected ${SALT_BYTES} bytes)`,
    {
      suggestions: [
        `delete ${path} to create a new one (fingerprints in earlier reports and baselines will no longer match)`,
      ],
    },
  )
}
