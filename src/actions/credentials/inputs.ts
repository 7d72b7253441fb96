/** What a rotation takes from outside: another identity provider's new secret, and where a new key goes. */

import {readFile, stat} from 'node:fs/promises'

import {usageError} from '../../errors.js'
import {registerSecret} from '../../redact.js'
import type {EngineOptions, RotationRequest} from '../../rotate/engine.js'
import {fileSink, revealSink, type KeySink} from '../../rotate/sink.js'
import type {RunContext} from '../../context.js'
import {readStdin} from '../../util/stdin.js'
import type {RotateOptions, RotationUi} from './change.js'
import {writePrivateFile} from './files.js'

/** Where the new secret (external provider) comes from, and where a new key goes. */
export async function inputsFor(
  ctx: RunContext,
  request: RotationRequest,
  o: RotateOptions,
  ui: RotationUi,
): Promise<Pick<EngineOptions, 'secretSource' | 'keySink'>> {
  const out: Pick<EngineOptions, 'secretSource' | 'keySink'> = {}
  // Read before the engine observes anything: a missing file must not cost an audit event.
  let supplied: string | null = null
  if (o.secretFile) {
    const file = o.secretFile
    const info = await stat(file).catch(() => null)
    if (info && (info.mode & 0o077) !== 0)
      ctx.warn(`${file} is readable by other users; keep secret files 0600`)
    supplied = await readSecret(() => readFile(file, 'utf8'), file)
  } else if (o.secretStdin) {
    supplied = await readSecret(readStdin, 'stdin')
  }
  if (supplied !== null) {
    registerSecret(supplied)
    const secret = supplied
    out.secretSource = async () => secret
  }
  if (request.keyName) {
    let sink: KeySink | null = null
    if (o.output) sink = fileSink(o.output, writePrivateFile)
    else if (o.reveal)
      sink = revealSink((text) => (ui.reveal ?? ((t) => process.stdout.write(t)))(text), true)
    out.keySink = sink
  }
  return out
}

async function readSecret(read: () => Promise<string>, from: string): Promise<string> {
  let text: string
  try {
    text = await read()
  } catch (err) {
    throw usageError(
      `cannot read the new secret from ${from}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      'give a readable --secret-file FILE, or pipe the secret into --secret-stdin; nothing was changed',
    )
  }
  const secret = text.replace(/\r?\n$/, '').trim()
  if (secret === '')
    throw usageError(
      `the new secret from ${from} is empty`,
      'put the secret (one line) in the file or on stdin',
    )
  return secret
}
