import {constants} from 'node:fs'
import {open} from 'node:fs/promises'
import {isAbsolute, join, relative, resolve} from 'node:path'

import {CfguardError} from '../errors.js'

/**
 * Policy and suppression files are a few KB; past this they are a mistake (or an attack) that
 * would keep the YAML parser busy for minutes with signals unanswered.
 */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024
/** A baseline lists every finding of a large foundation: JSON, parsed in linear time. */
export const MAX_BASELINE_BYTES = 256 * 1024 * 1024

/**
 * Reads a file the person named (a flag or its env twin). Missing, a directory or unreadable is a
 * usage error naming the file and the flag it came from.
 */
export async function readNamedFile(
  cwd: string,
  file: string,
  from: string,
  maxBytes = MAX_CONFIG_FILE_BYTES,
): Promise<string> {
  const text = await readOptionalFile(resolve(cwd, file), file, maxBytes)
  if (text === null) {
    throw new CfguardError('USAGE', `${file} (from ${from}) does not exist`, {
      suggestions: [`check the path, or leave out ${from}`],
    })
  }
  return text
}

/**
 * Reads a file cfguard looks for by itself; null when it is not there. Only a regular file of at
 * most `maxBytes` is read: a FIFO or device would block (or never end) with signals unanswered.
 * O_NONBLOCK makes opening a FIFO return at once, so it is refused rather than waited on.
 */
export async function readOptionalFile(
  absolute: string,
  shown: string,
  maxBytes = MAX_CONFIG_FILE_BYTES,
): Promise<string | null> {
  try {
    const handle = await open(absolute, constants.O_RDONLY | constants.O_NONBLOCK)
    try {
      const st = await handle.stat()
      if (st.isDirectory()) throw new CfguardError('USAGE', `${shown} is a directory, not a file`)
      if (!st.isFile()) {
        throw new CfguardError('USAGE', `${shown} is not a regular file (a pipe, socket or device)`, {
          suggestions: ['save the content to a file and name that file'],
        })
      }
      if (st.size > maxBytes) {
        throw new CfguardError(
          'USAGE',
          `${shown} is ${st.size} bytes; cfguard reads at most ${maxBytes} bytes from it`,
          {suggestions: ['check that this is the file you meant']},
        )
      }
      return await handle.readFile('utf8')
    } finally {
      await handle.close()
    }
  } catch (err) {
    if (err instanceof CfguardError) throw err
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    if (code === 'EISDIR') throw new CfguardError('USAGE', `${shown} is a directory, not a file`)
    if (code === 'EACCES' || code === 'EPERM') {
      throw new CfguardError('USAGE', `cannot read ${shown}: permission denied`, {
        suggestions: [`make it readable for this user: chmod u+r ${shown}`],
      })
    }
    throw new CfguardError('USAGE', `cannot read ${shown}: ${code ?? String(err)}`)
  }
}

/** A path as people should see it: relative to the working directory when inside it. */
export function shownPath(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute
}

/** The one file of `names` present in `dir` (read), null when none is; two present is an error. */
export async function findOneOf(
  cwd: string,
  dir: string,
  names: readonly string[],
): Promise<{file: string; text: string} | null> {
  const found: {file: string; text: string}[] = []
  for (const name of names) {
    const file = shownPath(cwd, join(dir, name))
    const text = await readOptionalFile(join(dir, name), file)
    if (text !== null) found.push({file, text})
  }
  if (found.length > 1) {
    throw new CfguardError(
      'USAGE',
      `both ${found.map((f) => f.file).join(' and ')} exist; cfguard reads one`,
      {
        suggestions: ['merge them into one file and delete the other'],
      },
    )
  }
  return found[0] ?? null
}
