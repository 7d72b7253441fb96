// `cfguard rules [RULE]` rendered at build time (scripts/render-rules.js, into
// lib/rules-cache.json) and served by run.js without loading oclif — only where oclif and the
// command would print exactly the same bytes. Anything this file cannot vouch for returns
// undefined and run.js hands the argv to oclif as before.
//
// What changes the output, and how each is handled:
// - the arguments: only `rules` and `rules <rule id or family>` as rendered (no flags: --json,
//   --quiet, --no-color, a typo all go to oclif) → the argv must be one of the cache's forms;
// - the width (lib/cli/render/terminal.js outputWidth: COLUMNS, else the terminal's columns,
//   else 120) → computed by that same module, must equal the rendered width;
// - colour: the rules table has none;
// - the flags' environment variables (CFGUARD_JSON…) → none may be set;
// - the rules themselves, the view, the command, oclif, the plugins, package.json → every file
//   of lib/ the command loaded and the help cache's sources are hashed at build time and compared;
//   user-installed plugins (<data dir>/package.json) → none may exist;
// - debug and development switches, Windows, a deleted working directory → as help-cache.js.
// CFGUARD_NO_RULES_CACHE=1 always goes to oclif (tests compare the two paths with it).
import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {
  PACKAGE_ROOT,
  cwdExists,
  envAllowsCache,
  formKey,
  oclifDataDir,
  sourcesUnchanged,
} from './help-cache.js'

export const RULES_CACHE_SCHEMA = 1
export const RULES_CACHE_PATH = join(PACKAGE_ROOT, 'lib', 'rules-cache.json')

/** argv that might be served: `rules` with at most one more word, not a flag. */
export function mightBeRules(argv) {
  return argv[0] === 'rules' && argv.length <= 2 && !(argv[1] ?? '').startsWith('-')
}

/** No user plugin is listed: the data dir's package.json is plainly absent (not unreadable). */
export function noUserPlugins(dataDir) {
  try {
    statSync(join(dataDir, 'package.json'))
    return false
  } catch (error) {
    return error.code === 'ENOENT'
  }
}

/**
 * The text `cfguard rules …` would print for `argv`, or undefined when it cannot be vouched for.
 * `options` exist for tests; run.js passes none.
 */
export async function cachedRules(argv, options = {}) {
  const env = options.env ?? process.env
  const stdout = options.stdout ?? process.stdout
  const cachePath = options.cachePath ?? RULES_CACHE_PATH
  const root = options.root ?? PACKAGE_ROOT
  try {
    if (process.platform === 'win32' || env.CFGUARD_NO_RULES_CACHE || !mightBeRules(argv)) return undefined
    if (!envAllowsCache({...env, CFGUARD_NO_HELP_CACHE: undefined}) || !cwdExists()) return undefined
    const cache = JSON.parse(readFileSync(cachePath, 'utf8'))
    if (cache.schema !== RULES_CACHE_SCHEMA) return undefined
    const key = formKey(argv)
    if (!Object.hasOwn(cache.forms, key)) return undefined
    if (cache.flagEnv.some((name) => env[name] !== undefined)) return undefined
    if (!noUserPlugins(oclifDataDir(env, cache.dirname))) return undefined
    if (!sourcesUnchanged(cache.sources, root)) return undefined
    // the command's own width rule, from the module it uses (hashed above)
    const terminal = await import(pathToFileURL(join(root, 'lib/cli/render/terminal.js')).href)
    if (terminal.outputWidth(env, stdout) !== cache.width) return undefined
    const text = cache.forms[key]
    return typeof text === 'string' ? text : undefined
  } catch {
    return undefined
  }
}
