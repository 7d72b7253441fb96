/**
 * oclif's `command_not_found` hook: one error line with the closest commands, exit 2 (usage), on
 * stderr, or the JSON error envelope under --json / CFGUARD_JSON. No prompt, terminal or not.
 */
import type {Hook} from '@oclif/core'

import {truthy} from '../cli/base-command.js'
import {unknownCommand} from '../cli/not-found.js'
import {ExitCode} from '../errors.js'

const hook: Hook.CommandNotFound = async function (options) {
  const {config, id, argv} = options
  const visible = config.commands.filter((c) => !c.hidden)
  const known = [
    ...new Set([
      ...visible.map((c) => c.id),
      ...visible.flatMap((c) => c.aliases),
      ...config.topics.map((t) => t.name),
    ]),
  ]
  const {message, suggestions} = unknownCommand(id, known, config.bin)
  process.exitCode = ExitCode.Usage
  if ((argv ?? []).includes('--json') || truthy(process.env.CFGUARD_JSON)) {
    const doc = {status: ExitCode.Usage, error: {code: 'USAGE', message, suggestions}, warnings: []}
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`)
    return
  }
  process.stderr.write(
    `${[`${config.bin}: ${message}`, ...suggestions.map((s) => `  next: ${s}`)].join('\n')}\n`,
  )
}

export default hook
