/**
 * Where the credentials of a new service key go: a file written 0600 (atomically), or stdout
 * only when the person asked to reveal them. The engine hands credentials to a sink and keeps
 * nothing; events record where they went, never what.
 */

import {randomBytes} from 'node:crypto'
import {chmod, rename, rm, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {CfguardError} from '../errors.js'

export interface KeyDelivery {
  serviceInstanceGuid: string
  serviceInstanceName: string
  keyGuid: string
  keyName: string
  credentials: Record<string, unknown>
}

export interface KeySink {
  /** Describes where the credentials went (no values), e.g. "written to /x/key.json (0600)". */
  deliver(delivery: KeyDelivery): Promise<string>
}

function document(d: KeyDelivery): string {
  return `${JSON.stringify({service_instance: d.serviceInstanceName, key: d.keyName, key_guid: d.keyGuid, credentials: d.credentials}, null, 2)}\n`
}

/** Writes `text` to `path` with mode 0600, atomically. */
export type PrivateFileWriter = (path: string, text: string) => void | Promise<void>

/** A temp file in the same folder, then rename (for a plain path; callers pass a writer that knows devices and links). */
const renameIntoPlace: PrivateFileWriter = async (path, text) => {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.cfguard-tmp`)
  try {
    await writeFile(tmp, text, {mode: 0o600, flag: 'wx'})
    await chmod(tmp, 0o600)
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, {force: true})
    throw err
  }
}

/**
 * Writes the key to `path` with mode 0600. The action layer passes its writer of local files,
 * which writes through to a device or FIFO and follows a symbolic link instead of replacing it.
 */
export function fileSink(path: string, write: PrivateFileWriter = renameIntoPlace): KeySink {
  return {
    async deliver(d) {
      try {
        await write(path, document(d))
      } catch (err) {
        throw new CfguardError(
          'USAGE',
          `cannot write the new key to ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
          {
            suggestions: ['choose a writable --output FILE; re-running hands the same key over again'],
          },
        )
      }
      return `written to ${path} (0600)`
    },
  }
}

/** Prints the key to a stream (stdout); refuses unless the person asked to reveal secrets. */
export function revealSink(write: (text: string) => void, reveal: boolean): KeySink {
  if (!reveal) {
    throw new CfguardError('USAGE', 'printing new key credentials needs --reveal', {
      suggestions: ['write them to a file instead: --output FILE (mode 0600)'],
    })
  }
  return {
    async deliver(d) {
      write(document(d))
      return 'printed on stdout (--reveal)'
    },
  }
}
