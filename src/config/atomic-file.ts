import {randomBytes} from 'node:crypto'
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import {basename, dirname, join} from 'node:path'

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
