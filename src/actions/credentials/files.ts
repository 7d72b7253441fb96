/**
 * Local files of a rotation run: the JSON-lines audit log (`--audit-log FILE`, 0600, appended,
 * one record per engine event, written synchronously before the run goes on — a step's "start"
 * record is on disk before the step changes anything) and the per-host lock that keeps two
 * cfguard processes of one host from rotating the same instance at once (the platform lease
 * treats runs of the same owner as one, so that a re-run after a crash can take over).
 */
import {randomBytes} from 'node:crypto'
import {
  closeSync,
  linkSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {openForAppend, writeFileAtomic} from '../../util/atomic-file.js'
import {CfguardError} from '../../errors.js'
import {auditLine, type RotationEvent} from '../../rotate/events.js'

/** A new key's credentials (`--output`): 0600, atomic; a device, FIFO or link is not replaced. */
export function writePrivateFile(path: string, text: string): void {
  writeFileAtomic(path, text, {mode: 0o600})
}

export interface AuditLog {
  write(event: RotationEvent): void
  close(): void
}

/** `-` = stderr; a path = appended with mode 0600; undefined = no audit log. */
export function openAuditLog(target: string | undefined): AuditLog {
  if (target === undefined || target === '') return {write() {}, close() {}}
  if (target === '-') return {write: (e) => void process.stderr.write(`${auditLine(e)}\n`), close() {}}
  let fd: number
  try {
    // Created 0600; an existing file, device or link target is appended to and never chmod-ed.
    fd = openForAppend(target, 0o600)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new CfguardError(
      'USAGE',
      `cannot open the audit log ${target}: ${e.code === 'EINVAL' ? e.message : e.code === 'ENXIO' ? 'no process reads this FIFO' : (e.code ?? 'error')}`,
      {suggestions: ['choose a writable --audit-log FILE (or - for stderr); nothing was changed']},
    )
  }
  let open = true
  return {
    write(e) {
      if (!open) return
      try {
        writeSync(fd, `${auditLine(e)}\n`)
      } catch (err) {
        // Vault's rule: no audit trail, no change. The engine stops at its next step.
        throw new CfguardError(
          'ROTATION_HALTED',
          `cannot write the audit log ${target}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
          {suggestions: ['free the disk / fix the file, then re-run to resume']},
        )
      }
    },
    close() {
      if (open) closeSync(fd)
      open = false
    },
  }
}

interface LockFile {
  pid: number
  host: string
  startedAt: string
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** An empty or garbled lock younger than this may be a lock of an older cfguard being written. */
const UNREADABLE_LOCK_GRACE_MS = 10_000

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

function parseLock(text: string): LockFile | null {
  try {
    const v = JSON.parse(text) as Partial<LockFile>
    return typeof v.pid === 'number' && typeof v.host === 'string' ? (v as LockFile) : null
  } catch {
    return null
  }
}

/**
 * Creates `path` holding `content`, or returns false when it exists. The content is written to a
 * private temp file first and linked into place (link() fails with EEXIST like O_EXCL): no other
 * process ever sees the lock empty or half written.
 */
function createWithContent(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  writeFileSync(tmp, content, {flag: 'wx', mode: 0o600})
  try {
    linkSync(tmp, path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    rmSync(tmp, {force: true})
  }
}

/** Removes `path` only while it still holds exactly `content` (ours, or the stale lock judged). */
function removeIfUnchanged(path: string, content: string): void {
  if (readOrNull(path) === content) rmSync(path, {force: true})
}

/**
 * Whether the lock text at `path` may be taken over: its process is gone (or ran on another host:
 * a home carried over from another machine or container; the platform lease guards across
 * hosts), or it is unreadable and old (an older cfguard killed between creating and writing it).
 */
function stale(path: string, text: string, host: string): boolean {
  const holder = parseLock(text)
  if (holder) return holder.host !== host || !alive(holder.pid)
  try {
    return Date.now() - statSync(path).mtimeMs > UNREADABLE_LOCK_GRACE_MS
  } catch {
    return false
  }
}

/**
 * Takes `$CFGUARD_HOME/locks/<name>.lock`. A lock left by a process of this host that no longer
 * runs (killed) is taken over. Taking over goes through `<name>.lock.break`, itself an exclusive
 * lock: of two processes that find the same dead holder, only one removes it, after checking the
 * file still holds what it judged stale (the other one may already have replaced it with its own).
 * Returns the release function, which removes the lock only while it is still this process's.
 */
export function takeLocalLock(home: string, name: string, what: string): () => void {
  const dir = join(home, 'locks')
  const path = join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.lock`)
  const mine: LockFile = {pid: process.pid, host: hostname(), startedAt: new Date().toISOString()}
  const content = JSON.stringify(mine)
  const wrap = (err: unknown): CfguardError =>
    new CfguardError('USAGE', `cannot create the lock ${path}: ${(err as NodeJS.ErrnoException).code}`, {
      suggestions: [`check that ${home} is writable (CFGUARD_HOME)`],
    })
  try {
    mkdirSync(dir, {recursive: true, mode: 0o700})
  } catch (err) {
    throw wrap(err)
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    let created: boolean
    try {
      created = createWithContent(path, content)
    } catch (err) {
      throw wrap(err)
    }
    if (created) {
      let released = false
      return () => {
        if (released) return
        released = true
        removeIfUnchanged(path, content)
      }
    }
    const text = readOrNull(path)
    if (text === null) continue // released in between: try again
    if (!stale(path, text, mine.host)) {
      const holder = parseLock(text)
      throw new CfguardError(
        'LEASE_HELD',
        holder
          ? `another cfguard process on this host (pid ${holder.pid}, since ${holder.startedAt}) is working on ${what}`
          : `another cfguard process is working on ${what} (its lock is being written)`,
        {suggestions: ['wait for it to finish; a re-run afterwards continues where it stopped']},
      )
    }
    breakStaleLock(path, text, mine.host)
  }
  throw new CfguardError('LEASE_HELD', `cannot take the local lock for ${what}`, {
    suggestions: [`remove ${path} if no cfguard process runs`],
  })
}

function breakStaleLock(path: string, judged: string, host: string): void {
  const breaker = `${path}.break`
  const mine = JSON.stringify({pid: process.pid, host, startedAt: new Date().toISOString()})
  if (!createWithContent(breaker, mine)) {
    // Someone else is breaking it; if that one died meanwhile, clear its breaker for next time.
    const other = readOrNull(breaker)
    if (other !== null && stale(breaker, other, host)) removeIfUnchanged(breaker, other)
    return
  }
  try {
    removeIfUnchanged(path, judged)
  } finally {
    removeIfUnchanged(breaker, mine)
  }
}
