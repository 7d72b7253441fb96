// Types for own-command.js (plain JS so that run.js loads it without a build step), for the tests.

import type {Interfaces} from '@oclif/core'

/** Config.load options: this package's root and its package.json with no plugins listed. */
export interface OwnLoadOptions {
  root: string
  pjson: Interfaces.PJSON
}

export function ownCommandId(argv: string[], commandIds: Set<string>): string | undefined
export function loadOptionsFor(
  argv: string[],
  env?: Record<string, string | undefined>,
  root?: string,
): OwnLoadOptions | undefined
