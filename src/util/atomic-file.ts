import {randomBytes} from 'node:crypto'
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  type Stats,
  unlinkSync,
  writeSync,
} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'

/**
 * Writes a file atomically: a temp file in the same directory (created exclusively with `mode`),
 * fsync, rename over the target. A reader never sees half a file and two writers never interleave.
 *
 * Only a regular file is replaced. A symbolic link is followed (the file it points at is replaced,
 * the link stays); a character device or FIFO (`/dev/null`, `/dev/stdout`, a named pipe) is
 * written through, never replaced or chmod-ed; anything else is refused. The mode is set on the
 * temp file, which is this process's own, never on a path that could be swapped meanwhile.
 *
 * `data` may be a sequence of strings (a generator): they are written in order, in chunks of
 * about 64 KiB, so a large document never has to exist as one string (the collection cache).
 */
export function writeFileAtomic(
  path: string,
  data: AtomicData,
  options: {mode?: number; dirMode?: number} = {},
): void {
  const existing = statOrNull(path)
  if (existing && !existing.isFile()) {
    if (!existing.isCharacterDevice() && !existing.isFIFO()) throw notRegular(path, existing)
    writeThrough(path, data, existing)
    return
  }
  const target = lstatOrNull(path)?.isSymbolicLink() ? resolveLink(path) : path
  const mode = options.mode ?? 0o600
  const dir = dirname(target)
  mkdirSync(dir, {recursive: true, ...(options.dirMode === undefined ? {} : {mode: options.dirMode})})
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(tmp, 'wx', mode)
  try {
    try {
      writeAll(fd, data)
      // The umask may have narrowed `mode`; the temp file is ours, so set it exactly here.
      fchmodSync(fd, mode)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, target)
  } catch (err) {
    // a failed write (disk full, a piece that throws) or rename leaves no temp file behind
    try {
      unlinkSync(tmp)
    } catch {
      // already gone
    }
    throw err
  }
}

/**
 * Opens `path` to append to it, for a log of this run (audit log, trace). A file it creates is
 * given `mode`; an existing one keeps its mode and owner (cfguard did not create it: it may be a
 * link to someone else's file, or a device). A character device or a FIFO with a reader is
 * appended to; a FIFO without one, a socket or a block device is refused (an Error with `code`).
 */
export function openForAppend(path: string, mode = 0o600): number {
  try {
    const fd = openSync(
      path,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL,
      mode,
    )
    fchmodSync(fd, mode)
    return fd
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  const st = statOrNull(path)
  if (st && !st.isFile() && !st.isCharacterDevice() && !st.isFIFO()) throw notRegular(path, st)
  if (st?.isFIFO()) {
    // Opening a FIFO for writing waits for a reader, with signals unanswered: ask without waiting.
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK))
  }
  return openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOCTTY)
}

/** What `writeFileAtomic` writes: text, bytes, or text in pieces (UTF-8). */
export type AtomicData = string | Uint8Array | Iterable<string>

const CHUNK_CHARS = 64 * 1024

function writeAll(fd: number, data: AtomicData): void {
  if (typeof data === 'string' || data instanceof Uint8Array) {
    writeBytes(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    return
  }
  let pending: string[] = []
  let size = 0
  for (const piece of data) {
    pending.push(piece)
    size += piece.length
    if (size >= CHUNK_CHARS) {
      writeBytes(fd, Buffer.from(pending.join(''), 'utf8'))
      pending = []
      size = 0
    }
  }
  if (pending.length > 0) writeBytes(fd, Buffer.from(pending.join(''), 'utf8'))
}

function writeBytes(fd: number, bytes: Uint8Array): void {
  let done = 0
  while (done < bytes.length) done += writeSync(fd, bytes, done)
}

function writeThrough(path: string, data: AtomicData, st: Stats): void {
  if (st.isFIFO()) closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK))
  const fd = openSync(path, constants.O_WRONLY | constants.O_NOCTTY)
  try {
    writeAll(fd, data)
  } finally {
    closeSync(fd)
  }
}

function resolveLink(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    throw Object.assign(new Error(`${path} is a symbolic link to a missing file`), {code: 'ENOENT'})
  }
}

function notRegular(path: string, st: Stats): Error {
  const kind = st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : 'not a regular file'
  return Object.assign(new Error(`${path} is ${kind}`), {code: 'EINVAL'})
}

/**
 * Why `writeFileAtomic(path)` would fail, checked before a long run rather than after it; null
 * when it should succeed. Looks at the path (not a directory) and the nearest existing ancestor
 * (a directory this process may write in, as the missing ones between are created).
 */
export function unwritableReason(path: string): string | null {
  let target = resolve(path)
  const existing = statOrNull(target)
  if (existing?.isDirectory()) return 'it is a directory'
  if (existing && !existing.isFile()) {
    if (existing.isBlockDevice()) return 'it is a block device'
    if (existing.isSocket()) return 'it is a socket'
    if (existing.isFIFO() || existing.isCharacterDevice()) {
      try {
        accessSync(target, constants.W_OK)
        return null
      } catch {
        return 'it is not writable'
      }
    }
    return 'it is not a regular file'
  }
  if (lstatOrNull(target)?.isSymbolicLink()) {
    if (!existing) return 'it is a symbolic link to a missing file'
    target = realpathSync(target)
  }
  let dir = dirname(target)
  let st = statOrNull(dir)
  while (st === null && dirname(dir) !== dir) {
    dir = dirname(dir)
    st = statOrNull(dir)
  }
  if (st === null) return 'no part of the path exists'
  if (!st.isDirectory()) return `${dir} is not a directory`
  try {
    accessSync(dir, constants.W_OK | constants.X_OK)
  } catch {
    return `${dir} is not writable`
  }
  return null
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path)
  } catch {
    return null
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path)
  } catch {
    return null
  }
}
