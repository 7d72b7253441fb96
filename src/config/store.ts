/**
 * cfguard's own target store: `$CFGUARD_HOME/config.json` (default ~/.cfguard), named targets
 * for several foundations and the current one. The file is 0600 in a 0700 directory, written
 * atomically (temp file in the same directory, fsync, rename) under a lock file, so two runs
 * that refresh tokens at once neither tear the file nor lose each other's update.
 *
 * Client secrets are never stored. A password (or SSO) login stores its access and refresh
 * tokens; a client-credentials login stores the client id and its access token (never the secret).
 */
import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {CfguardError} from '../errors.js'
import {writeFileAtomic} from '../util/atomic-file.js'
import {registerSecret} from '../redact.js'

export interface NamedRef {
  guid: string | null
  name: string
}

export type StoredAuth =
  | {kind: 'user'; username: string; oauthClient: string; accessToken: string; refreshToken: string | null}
  /** The client's last token is kept (no refresh token exists) so the target works until it expires. */
  | {kind: 'client'; clientId: string; accessToken?: string | null}

export interface StoredTarget {
  api: string
  /** Absolute path of the CA bundle trusted for this target (`login --ca-cert`). */
  caCert?: string | null
  auth: StoredAuth
  org: NamedRef | null
  space: NamedRef | null
  savedAt: string
}

export interface StoreData {
  version: 1
  current: string | null
  targets: Record<string, StoredTarget>
}

const LOCK_STALE_MS = 30_000
const LOCK_WAIT_MS = 10_000

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

export function validateTargetName(name: string): string {
  if (!TARGET_NAME.test(name)) {
    throw new CfguardError(
      'USAGE',
      `invalid target name "${name}": use letters, digits, ".", "_" or "-" (up to 64)`,
      {
        suggestions: ['e.g. `cfguard login --name prod`'],
      },
    )
  }
  return name
}

export function emptyStore(): StoreData {
  return {version: 1, current: null, targets: {}}
}

export class ConfigStore {
  readonly dir: string
  readonly path: string

  constructor(
    home: string,
    private readonly warn?: (message: string) => void,
  ) {
    this.dir = home
    this.path = join(home, 'config.json')
  }

  /** The stored data; an empty store when there is no file yet. */
  read(): StoreData {
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyStore()
      throw this.invalid(`cannot be read (${(err as NodeJS.ErrnoException).code})`)
    }
    this.tightenIfOpen()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw this.invalid('is not valid JSON')
    }
    const data = validate(parsed)
    if (!data) throw this.invalid('does not have the expected shape')
    for (const t of Object.values(data.targets)) {
      if (t.auth.kind === 'user') {
        registerSecret(t.auth.accessToken)
        registerSecret(t.auth.refreshToken)
      } else registerSecret(t.auth.accessToken)
    }
    return data
  }

  /**
   * Read–modify–write under the lock. `mutate` changes the data in place (or returns new data);
   * the result is written atomically and returned.
   */
  async update(mutate: (data: StoreData) => StoreData | void): Promise<StoreData> {
    this.ensureDir()
    const release = await this.lock()
    try {
      const data = this.read()
      const next = mutate(data) ?? data
      // Never write what the next run could not read back (e.g. an org without a name from a bad API answer).
      if (!validate(JSON.parse(JSON.stringify(next)))) {
        throw new CfguardError(
          'CONFIG_INVALID',
          `refusing to save ${this.path}: the new content is malformed; nothing was changed`,
          {
            suggestions: ['CFGUARD_TRACE=true shows what the API answered'],
          },
        )
      }
      this.writeAtomically(next)
      return next
    } finally {
      release()
    }
  }

  /**
   * The store holds tokens: like ssh with ~/.ssh, a store other users may read (config.json
   * 0644, its directory 0755) is not used silently. Ours (owned by this user) is tightened to
   * 0600 / 0700 with a warning; the tokens may already have been read, so the warning says so.
   */
  private tightenIfOpen(): void {
    const uid = process.getuid?.()
    const fixed: string[] = []
    for (const [path, mode] of [
      [this.dir, 0o700],
      [this.path, 0o600],
    ] as const) {
      try {
        const st = statSync(path)
        if ((st.mode & 0o077) === 0 || (uid !== undefined && st.uid !== uid)) continue
        chmodSync(path, mode)
        fixed.push(
          `${path} was ${(st.mode & 0o777).toString(8).padStart(4, '0')}, now ${mode.toString(8).padStart(4, '0')}`,
        )
      } catch {
        // Unreadable metadata: reading the file itself would have failed first.
      }
    }
    if (fixed.length > 0)
      this.warn?.(
        `cfguard's token store was readable by other users (${fixed.join('; ')}); if they could log in here, run \`cfguard logout --all\` and log in again`,
      )
  }

  private ensureDir(): void {
    mkdirSync(this.dir, {recursive: true, mode: 0o700})
    if ((statSync(this.dir).mode & 0o077) !== 0) chmodSync(this.dir, 0o700)
  }

  private writeAtomically(data: StoreData): void {
    writeFileAtomic(this.path, `${JSON.stringify(data, null, 2)}\n`, {mode: 0o600})
  }

  private async lock(): Promise<() => void> {
    const lockPath = `${this.path}.lock`
    const started = Date.now()
    for (;;) {
      try {
        const fd = openSync(lockPath, 'wx', 0o600)
        writeSync(fd, `${process.pid} ${hostname()} ${new Date().toISOString()}\n`)
        closeSync(fd)
        return () => {
          try {
            unlinkSync(lockPath)
          } catch {
            // removed as stale by another run: nothing to release
          }
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      }
      try {
        if (Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS || ownerIsGone(lockPath)) {
          unlinkSync(lockPath)
          continue
        }
      } catch {
        continue // released between our attempts
      }
      if (Date.now() - started > LOCK_WAIT_MS) {
        throw new CfguardError('CONFIG_INVALID', `another cfguard run holds ${lockPath}`, {
          suggestions: ['wait for it to finish, or delete the lock file if no cfguard is running'],
        })
      }
      await new Promise((resolve) => setTimeout(resolve, 15 + Math.floor(Math.random() * 20)))
    }
  }

  private invalid(why: string): CfguardError {
    return new CfguardError('CONFIG_INVALID', `cfguard's config ${this.path} ${why}`, {
      suggestions: [`move it away and log in again: cfguard login`],
    })
  }
}

/**
 * The lock names its owner (`pid host time`): a run on this host that no longer exists (killed
 * mid-write) cannot release it, so it is stale at once rather than after LOCK_STALE_MS.
 */
function ownerIsGone(lockPath: string): boolean {
  const [pid, host] = readFileSync(lockPath, 'utf8').trim().split(/\s+/)
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false
  try {
    process.kill(Number(pid), 0)
    return false
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

function isRef(v: unknown): v is NamedRef | null {
  if (v === null) return true
  const r = v as NamedRef
  return (
    typeof r === 'object' && typeof r.name === 'string' && (r.guid === null || typeof r.guid === 'string')
  )
}

function isAuth(v: unknown): v is StoredAuth {
  const a = v as Record<string, unknown> | null
  if (!a || typeof a !== 'object') return false
  if (a.kind === 'client')
    return (
      typeof a.clientId === 'string' &&
      (a.accessToken === undefined || a.accessToken === null || typeof a.accessToken === 'string')
    )
  return (
    a.kind === 'user' &&
    typeof a.username === 'string' &&
    typeof a.oauthClient === 'string' &&
    typeof a.accessToken === 'string' &&
    (a.refreshToken === null || typeof a.refreshToken === 'string')
  )
}

function validate(raw: unknown): StoreData | null {
  const d = raw as Record<string, unknown> | null
  if (!d || typeof d !== 'object' || d.version !== 1) return null
  if (!(d.current === null || typeof d.current === 'string')) return null
  const targets = d.targets as Record<string, unknown> | undefined
  if (!targets || typeof targets !== 'object' || Array.isArray(targets)) return null
  for (const t of Object.values(targets)) {
    const x = t as Record<string, unknown> | null
    if (
      !x ||
      typeof x.api !== 'string' ||
      !(x.caCert === undefined || x.caCert === null || typeof x.caCert === 'string') ||
      !isAuth(x.auth) ||
      !isRef(x.org ?? null) ||
      !isRef(x.space ?? null)
    )
      return null
  }
  return d as unknown as StoreData
}
