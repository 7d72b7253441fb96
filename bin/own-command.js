// oclif's Config loads, besides this package, the plugins package.json lists (oclif.plugins:
// @oclif/plugin-help for `help`, @oclif/plugin-autocomplete for `autocomplete`) — each a
// package.json, a manifest and its commands sorted and indexed, every run. A command of this
// package, named exactly and run without any help or version word, uses neither: for it, oclif
// is handed this package.json with no plugins listed, and everything else loads as before.
// Anything else (another word, a typo, help, a user-installed plugin, CFGUARD_ALL_PLUGINS=1)
// gets the full Config, as oclif would build it.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {PACKAGE_ROOT, oclifDataDir} from './help-cache.js'
import {noUserPlugins} from './rules-cache.js'

/** Words after which no plugin is needed: none of them may appear anywhere in argv. */
const PLUGIN_WORDS = new Set(['help', '--help', '-h', '--version', 'autocomplete'])

/** The id of the package's own command that argv names (its leading words), or undefined. */
export function ownCommandId(argv, commandIds) {
  const words = []
  for (const arg of argv) {
    if (arg.startsWith('-')) break
    words.push(arg)
  }
  // oclif takes the longest run of leading words that names a command
  for (let n = words.length; n > 0; n--) {
    const id = words.slice(0, n).join(':')
    if (commandIds.has(id)) return id
  }
  return undefined
}

/**
 * Config.load options without the plugins when argv runs one of the package's own commands;
 * undefined (oclif's full load) otherwise. `root` and `env` exist for tests. Never throws.
 */
export function loadOptionsFor(argv, env = process.env, root = PACKAGE_ROOT) {
  try {
    if (env.CFGUARD_ALL_PLUGINS) return undefined
    if (argv.some((arg) => PLUGIN_WORDS.has(arg))) return undefined
    const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'))
    const ids = new Set(
      Object.values(manifest.commands).flatMap((c) => (c.pluginType === 'core' ? [c.id, ...(c.aliases ?? [])] : [])),
    )
    if (ownCommandId(argv, ids) === undefined) return undefined
    if (!noUserPlugins(oclifDataDir(env, pjson.oclif?.dirname ?? pjson.name))) return undefined
    return {root, pjson: {...pjson, oclif: {...pjson.oclif, plugins: []}}}
  } catch {
    return undefined
  }
}
