/** `cfguard sim ARGS --json` as a user runs it: a separate, long-running process (e2e tests). */
import {spawn, type ChildProcess} from 'node:child_process'

import {BIN, cleanEnv} from './cli.js'

export interface SimDoc {
  apiUrl: string
  uaaUrl: string
  logCacheUrl: string
  caCertFile?: string
  admin: {clientId: string; clientSecret: string}
  users: Record<string, {username: string; password: string}>
}

export interface SimProcess {
  child: ChildProcess
  doc: SimDoc
}

/** Starts the simulator command and resolves once its JSON document is printed. */
export async function startSimCommand(args: string[], timeoutMs = 30_000): Promise<SimProcess> {
  const child = spawn(process.execPath, [BIN, 'sim', '--json', ...args], {env: cleanEnv()})
  let out = ''
  const doc = await new Promise<SimDoc>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`cfguard sim did not print its document in ${timeoutMs / 1000} s`)),
      timeoutMs,
    )
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      try {
        const parsed = JSON.parse(out) as {result: SimDoc}
        clearTimeout(timer)
        resolve(parsed.result)
      } catch {
        // not complete yet
      }
    })
    child.on('exit', (code) => reject(new Error(`cfguard sim exited early (${code})`)))
  })
  return {child, doc}
}

/** Interrupts the simulator command (Ctrl-C) and waits for it to exit. */
export function stopSimCommand(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGINT')
  })
}
