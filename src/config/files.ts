import {readFile} from 'node:fs/promises'
import {isAbsolute, join, relative, resolve} from 'node:path'

import {CfguardError} from '../errors.js'

/**
 * Reads a file the person named (a flag or its env twin). Missing, a directory or unreadable is a
 * usage error naming the file and the flag it came from.
 */
export async function readNamedFile(cwd: string, file: string, from: string): Promise<string> {
  const text = await readOptionalFile(resolve(cwd, file), file)
  if (text === null) {
    throw new CfguardError('USAGE', `${file} (from ${from}) does not exist`, {
      suggestions: [`check the path, or leave out ${from}`],
    })
  }
  return text
}

/** Reads a file cfguard looks for by itself; null when it is not there. */
export async function readOptionalFile(absolute: string, shown: string): Promise<string | null> {
  try {
    return await readFile(absolute, 'utf8')
  } catch (err) {
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
