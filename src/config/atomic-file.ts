import {randomBytes} from 'node:crypto'
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
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
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: {mode?: number; dirMode?: number} = {},
): void {
  const mode = options.mode ?? 0o600
  const dir = dirname(path)
  mkdirSync(dir, {recursive: true, ...(options.dirMode === undefined ? {} : {mode: options.dirMode})})
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(tmp, 'wx', mode)
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  try {
    renameSync(tmp, path)
  } catch (err) {
    try {
      unlinkSync(tmp)
    } catch {
      // already gone
    }
    throw err
  }
  chmodSync(path, mode)
}

/**
 * Why `writeFileAtomic(path)` would fail, checked before a long run rather than after it; null
 * when it should succeed. Looks at the path (not a directory) and the nearest existing ancestor
 * (a directory this process may write in, as the missing ones between are created).
 */
export function unwritableReason(path: string): string | null {
  const target = resolve(path)
  const existing = statOrNull(target)
  if (existing?.isDirectory()) return 'it is a directory'
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
