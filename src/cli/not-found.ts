/**
 * An unknown command (`cfguard audti`): one line naming it and the closest commands, exit 2, and
 * never a question (the oclif plugin this replaces asked "Did you mean …? (Y/n)" at a terminal).
 * Pure; the command_not_found hook prints it.
 */
import {closestNames} from '../util/suggest.js'

export interface UnknownCommand {
  message: string
  suggestions: string[]
}

/**
 * `id` as oclif passes it (`routes:reprot`); `known` the command ids, aliases and topics
 * (`routes:report`); `bin` the executable's name.
 */
export function unknownCommand(id: string, known: readonly string[], bin: string): UnknownCommand {
  const typed = id.replaceAll(':', ' ')
  const words = id.split(':')
  // Compare like with like: `routes reprot` against commands of the same depth first.
  const sameDepth = known.filter((k) => k.split(':').length === words.length)
  let guesses = closestNames(id, sameDepth)
  if (guesses.length === 0) guesses = closestNames(id, known)
  const shown = guesses.map((g) => `"${bin} ${g.replaceAll(':', ' ')}"`)
  const topic = words.length > 1 && known.some((k) => k.startsWith(`${words[0]}:`)) ? words[0] : null
  return {
    message:
      `"${typed}" is not a ${bin} command` +
      (shown.length > 0 ? `; did you mean ${shown.join(' or ')}?` : ''),
    suggestions: [
      topic ? `\`${bin} ${topic} --help\` lists its commands` : `\`${bin} --help\` lists the commands`,
    ],
  }
}
