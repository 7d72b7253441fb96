/**
 * Local files of a rotation run: the JSON-lines audit log (`--audit-log FILE`, 0600, appended,
 * one record per engine event, written synchronously before the run goes on — a step's "start"
 * record is on disk before the step changes anything) and the per-host lock that keeps two
 * cfguard processes of one host from rotating the same instance at once (the platform lease
 * treats runs of the same owner as one, so that a re-run after a crash can take over).
 */
import {
  closeSync,
  fchmodSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {CfguardError} from '../errors.js'
import {auditLine, type RotationEvent} from '../rotate/events.js'

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
    fd = openSync(target, 'a', 0o600)
    fchmodSync(fd, 0o600)
  } catch (err) {
    throw new CfguardError(
      'USAGE',
      `cannot open the audit log ${target}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
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

/**
 * Takes `$CFGUARD_HOME/locks/<name>.lock` (O_EXCL). A lock left by a process of this host that no
 * longer runs (killed) is taken over. Returns the release function.
 */
export function takeLocalLock(home: string, name: string, what: string): () => void {
  const dir = join(home, 'locks')
  const path = join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.lock`)
  const mine: LockFile = {pid: process.pid, host: hostname(), startedAt: new Date().toISOString()}
  mkdirSync(dir, {recursive: true, mode: 0o700})
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(mine), {flag: 'wx', mode: 0o600})
      let released = false
      return () => {
        if (released) return
        released = true
        rmSync(path, {force: true})
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new CfguardError(
          'USAGE',
          `cannot create the lock ${path}: ${(err as NodeJS.ErrnoException).code}`,
          {
            suggestions: [`check that ${home} is writable (CFGUARD_HOME)`],
          },
        )
      }
    }
    let holder: LockFile | null = null
    try {
      holder = JSON.parse(readFileSync(path, 'utf8')) as LockFile
    } catch {
      holder = null
    }
    if (holder && holder.host === mine.host && typeof holder.pid === 'number' && alive(holder.pid)) {
      throw new CfguardError(
        'LEASE_HELD',
        `another cfguard process on this host (pid ${holder.pid}, since ${holder.startedAt}) is working on ${what}`,
        {suggestions: ['wait for it to finish; a re-run afterwards continues where it stopped']},
      )
    }
    // Its process is gone (killed) or the file is unreadable: take it over.
    rmSync(path, {force: true})
  }
  throw new CfguardError('LEASE_HELD', `cannot take the local lock for ${what}`, {
    suggestions: [`remove ${path} if no cfguard process runs`],
  })
}
