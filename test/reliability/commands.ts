/** Which commands the built CLI has (oclif.manifest.json), so suites cover every command that exists. */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {ROOT} from '../helpers/cli.js'

/** The report-producing commands: every format, --output, --json, --fail-on. */
export const reportCommands: string[][] = [['audit'], ['identity', 'audit'], ['routes', 'report']]

export function commandIds(): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
    commands: Record<string, unknown>
  }
  return Object.keys(manifest.commands)
}

export function commandExists(command: string[]): boolean {
  return commandIds().includes(command.join(':'))
}

/** `audit`, or `identity audit` until `audit` exists; null when neither is built. */
export function auditCommand(): string[] | null {
  if (commandExists(['audit'])) return ['audit']
  if (commandExists(['identity', 'audit'])) return ['identity', 'audit']
  return null
}
