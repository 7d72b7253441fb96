/**
 * The installation salt keyed fingerprints use (`hmac:…`, DESIGN.md "Output contract"):
 * `$CFGUARD_HOME/salt`, 32 random bytes, mode 0600, created once. Creation is atomic and
 * exclusive (a complete temp file hard-linked into place, which fails with EEXIST when another
 * process won), so two first runs at once end up with the same salt: the loser re-reads it.
 *
 * Stand-in until the collector's `src/config/salt.ts` lands on main (same file, same rules); it
 * accepts both raw bytes and a hex text file.
 */
import {randomBytes} from 'node:crypto'
import {chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {CfguardError} from '../errors.js'

export const SALT_BYTES = 32

export function saltPath(home: string): string {
  return join(home, 'salt')
}

function decode(raw: Buffer): Buffer | null {
  if (raw.length === SALT_BYTES) return raw
  const text = raw.toString('utf8').trim()
  if (/^[0-9a-f]+$/i.test(text) && text.length >= SALT_BYTES * 2) return Buffer.from(text, 'hex')
  return null
}

function readSalt(path: string): Buffer | null {
  try {
    return decode(readFileSync(path))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

/** The salt of this installation, created on first use. */
export function loadSalt(home: string): Buffer {
  const path = saltPath(home)
  try {
    const existing = readSalt(path)
    if (existing) return existing
    mkdirSync(home, {recursive: true, mode: 0o700})
    const tmp = join(home, `.salt.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
    writeFileSync(tmp, randomBytes(SALT_BYTES), {mode: 0o600, flag: 'wx'})
    chmodSync(tmp, 0o600)
    try {
      linkSync(tmp, path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    } finally {
      rmSync(tmp, {force: true})
    }
    const salt = readSalt(path)
    if (!salt) throw new Error('unreadable salt file')
    return salt
  } catch (err) {
    throw new CfguardError(
      'CONFIG_INVALID',
      `cannot use the installation salt ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      {suggestions: [`check that ${home} is writable by you (CFGUARD_HOME), or remove a damaged salt file`]},
    )
  }
}
