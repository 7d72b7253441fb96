/**
 * Flags shared by commands. Every flag has its CFGUARD_* environment twin (a test walks the
 * manifest). Secrets have no flags at all: they come from the environment, stdin or a prompt.
 */
import * as Flags from '@oclif/core/flags'

import {unwritableReason} from '../util/atomic-file.js'
import {usageError} from '../errors.js'
import {parseDuration} from '../model/duration.js'

/** Which foundation and how to reach it. */
export const connectionFlags = {
  api: Flags.string({
    summary: 'API URL of the foundation, e.g. https://api.sys.example.com',
    env: 'CFGUARD_API',
    helpGroup: 'CONNECTION',
  }),
  'skip-ssl-validation': Flags.boolean({
    summary: 'do not verify TLS certificates (this run only; prints a warning)',
    env: 'CFGUARD_SKIP_SSL_VALIDATION',
    helpGroup: 'CONNECTION',
  }),
  target: Flags.string({
    summary: 'use the stored target NAME (see `cfguard login --name NAME`)',
    env: 'CFGUARD_TARGET',
    helpGroup: 'CONNECTION',
  }),
  'ca-cert': Flags.string({
    summary: 'also trust the CAs in this PEM file (a private CA of the foundation or the proxy)',
    env: 'CFGUARD_CA_CERT',
    helpGroup: 'CONNECTION',
  }),
  'cf-session': Flags.boolean({
    summary: "use the cf CLI's target and login (~/.cf/config.json) for this run",
    env: 'CFGUARD_CF_SESSION',
    exclusive: ['api', 'target'],
    helpGroup: 'CONNECTION',
  }),
}

/** What to look at: default = the targeted org/space, else everything visible. */
export const scopeFlags = {
  org: Flags.string({char: 'o', summary: 'only this org', env: 'CFGUARD_ORG', helpGroup: 'SCOPE'}),
  space: Flags.string({
    char: 's',
    summary: 'only this space (in the org)',
    env: 'CFGUARD_SPACE',
    helpGroup: 'SCOPE',
  }),
  all: Flags.boolean({
    summary: 'everything the token can see (ignore the targeted org and space)',
    env: 'CFGUARD_ALL',
    exclusive: ['org', 'space'],
    helpGroup: 'SCOPE',
  }),
}

/**
 * A duration flag (`15m`, `90d`) parsed to milliseconds. `positive`: zero is refused (a timeout
 * or poll interval of 0 would spin); `max`: the longest value that makes sense (timers of
 * Node.js fire at once past ~24.8 days).
 */
export const durationFlag = (
  name: string,
  limits: {positive?: boolean; max?: [number, string]; example?: string} = {},
) =>
  Flags.custom<number>({
    parse: async (input) => {
      const ms = parseDuration(input, `--${name}`)
      if (limits.positive && ms <= 0)
        throw usageError(
          `invalid --${name} "${input}": must be longer than zero`,
          `e.g. --${name} ${limits.example ?? '15m'}`,
        )
      if (limits.max && ms > limits.max[0])
        throw usageError(
          `invalid --${name} "${input}": at most ${limits.max[1]}`,
          `e.g. --${name} ${limits.example ?? '15m'}`,
        )
      return ms
    },
  })

/** A whole number ≥ 1 (instances, apps at once). */
export const positiveIntegerFlag = (name: string) =>
  Flags.custom<number>({
    parse: async (input) => {
      const n = Number(input)
      if (!Number.isInteger(n) || n < 1)
        throw usageError(`--${name} must be a whole number ≥ 1, not "${input}"`)
      return n
    },
  })

/** A fraction 0..1 (e.g. an error rate). */
export const fractionFlag = (name: string) =>
  Flags.custom<number>({
    parse: async (input) => {
      const n = Number(input)
      if (input.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
        throw usageError(`invalid --${name} "${input}": use a number between 0 and 1`, `e.g. --${name} 0.05`)
      return n
    },
  })

/** A file cfguard will write at the end of a run: refused at once if it could not be written. */
export const outputFileFlag = (name: string) =>
  Flags.custom<string>({
    parse: async (input) => {
      const why = unwritableReason(input)
      if (why)
        throw usageError(
          `--${name} ${input} cannot be written: ${why}`,
          'name a file in a directory you can write (missing directories are created)',
        )
      return input
    },
  })
