/**
 * Where login secrets come from: the environment, stdin or a hidden prompt — never argv. Every
 * secret read is registered for redaction before it is used.
 */
import {createInterface} from 'node:readline'

import type {RunContext} from '../../context.js'
import {CfguardError, usageError} from '../../errors.js'
import {registerSecret} from '../../redact.js'
import {readStdin} from '../../util/stdin.js'

/** Where secrets are read from; the terminal by default, replaceable in tests. */
export interface SecretInput {
  /** All of stdin (first line is used). */
  readStdin(): Promise<string>
  /** Asks on stderr; `hidden` echoes nothing. */
  prompt(question: string, hidden: boolean): Promise<string>
}

export const terminalInput: SecretInput = {
  readStdin: () => readStdin(),
  prompt(question, hidden) {
    return new Promise((resolve, reject) => {
      const rl = createInterface({input: process.stdin, output: process.stderr, terminal: true})
      let muted = false
      const writer = rl as unknown as {_writeToOutput: (s: string) => void}
      const original = writer._writeToOutput.bind(rl)
      writer._writeToOutput = (s: string) => {
        if (!muted || s.includes('\n')) original(muted ? '\n' : s)
      }
      rl.on('SIGINT', () => {
        rl.close()
        reject(new CfguardError('INTERRUPTED', 'interrupted'))
      })
      rl.question(question, (answer) => {
        rl.close()
        resolve(answer)
      })
      muted = hidden
    })
  },
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/)[0] ?? '').trim()
}

/** A secret from `env`, else the first line of stdin (when `stdin`), else a hidden prompt at a terminal. */
export async function secretFrom(
  ctx: RunContext,
  io: SecretInput,
  from: {env?: string; stdin: boolean; prompt: string; missing: string},
): Promise<string> {
  const fromEnv = from.env ? ctx.env[from.env] : undefined
  let value = fromEnv && fromEnv !== '' ? fromEnv : undefined
  if (value === undefined && from.stdin) value = firstLine(await io.readStdin()) || undefined
  if (value === undefined && ctx.isTTY) value = (await io.prompt(from.prompt, true)) || undefined
  if (value === undefined) throw usageError(from.missing)
  registerSecret(value)
  return value
}
