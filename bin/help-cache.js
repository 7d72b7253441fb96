// Help text rendered at build time (scripts/render-help.js, into lib/help-cache.json) and served
// by run.js without loading oclif — only where oclif would print exactly the same bytes. Anything
// this file cannot vouch for returns undefined and run.js hands the argv to oclif as before.
//
// What changes oclif's help output, and how each is handled (@oclif/core 5):
// - the width (lib/screen.js): OCLIF_COLUMNS, else the terminal's columns, else 80 → must equal
//   the rendered width;
// - colour (bold headings, themes): only when supports-color finds colour on stdout and stderr,
//   which it never does unless both are terminals or FORCE_COLOR is set → served only then;
// - the commands: this package's manifest and package.json, the plugins', @oclif/core and the
//   libraries its help formatter uses → their bytes are hashed at build time and compared here;
//   user-installed plugins (<data dir>/package.json) → none may exist;
// - the root help's VERSION line (platform, arch, node version) → must equal this process's;
// - debug and development switches (DEBUG, CFGUARD_DEBUG, any other OCLIF_*, NODE_ENV
//   development/test), Windows, a deleted working directory → never served.
// CFGUARD_NO_HELP_CACHE=1 always goes to oclif (tests compare the two paths with it).
import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {homedir, tmpdir} from 'node:os'
import {join} from 'node:path'
import {isatty} from 'node:tty'
import {fileURLToPath} from 'node:url'

import {userAgent} from './version.js'

export const HELP_CACHE_SCHEMA = 2
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url))
export const HELP_CACHE_PATH = join(PACKAGE_ROOT, 'lib', 'help-cache.json')

/** The cache's key for an argv: its words joined by NUL (which no argument can contain). */
export function formKey(argv) {
  return argv.join('\0')
}

/**
 * `-h` is oclif's `--help` too (package.json oclif.additionalHelpFlags): `cfguard audit -h` is
 * the form `audit --help`.
 */
export function helpArgv(argv) {
  return argv.at(-1) === '-h' ? [...argv.slice(0, -1), '--help'] : argv
}

/** The width oclif wraps help at (@oclif/core lib/screen.js, `stdtermwidth`). */
export function oclifHelpWidth(env, stdout) {
  const columns = Number.parseInt(env.OCLIF_COLUMNS, 10) || undefined
  if (columns) return columns
  if (!stdout.isTTY) return 80
  const width = stdout.getWindowSize()[0]
  if (width < 1) return 80
  if (width < 40) return 40
  return width
}

/**
 * True when oclif's help carries no colour: its `colorize` needs supports-color to find colour on
 * both stdout and stderr, and supports-color finds none on a stream that is not a terminal unless
 * FORCE_COLOR says otherwise (any FORCE_COLOR is treated as "maybe colour").
 */
export function oclifHelpIsPlain(env, stdoutIsTTY, stderrIsTTY) {
  if ('FORCE_COLOR' in env) return false
  return !stdoutIsTTY || !stderrIsTTY
}

/** Environment settings under which oclif may print or behave differently: never served. */
export function envAllowsCache(env) {
  if (env.CFGUARD_NO_HELP_CACHE) return false
  if (env.DEBUG || env.CFGUARD_DEBUG) return false
  if (env.NODE_ENV === 'development' || env.NODE_ENV === 'test') return false
  return !Object.keys(env).some((key) => key.startsWith('OCLIF_') && key !== 'OCLIF_COLUMNS')
}

/** oclif's data dir (Config.dataDir on POSIX), where user-installed plugins would be listed. */
export function oclifDataDir(env, dirname) {
  if (env.CFGUARD_DATA_DIR) return env.CFGUARD_DATA_DIR
  const home = env.HOME || homedir() || tmpdir()
  return join(env.XDG_DATA_HOME || join(home, '.local/share'), dirname)
}

/** sha256 of a file's bytes, null when it does not exist (and 'unreadable' when it cannot be read). */
export function fileDigest(path) {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex')
  } catch (error) {
    return error.code === 'ENOENT' ? null : 'unreadable'
  }
}

/** Every file the cache was rendered from still has the bytes it had then. */
export function sourcesUnchanged(sources, root = PACKAGE_ROOT) {
  return Object.entries(sources).every(([path, digest]) => fileDigest(join(root, path)) === digest)
}

/** The working directory still exists (process.cwd() throws once it is deleted). */
export function cwdExists() {
  try {
    process.cwd()
    return true
  } catch {
    return false
  }
}

/**
 * The help text oclif would print for `argv`, or undefined when it cannot be vouched for.
 * `options` exist for tests; run.js passes none.
 */
export function cachedHelp(argv, options = {}) {
  const env = options.env ?? process.env
  const stdout = options.stdout ?? process.stdout
  const cachePath = options.cachePath ?? HELP_CACHE_PATH
  const root = options.root ?? PACKAGE_ROOT
  try {
    if (process.platform === 'win32' || !envAllowsCache(env) || !cwdExists()) return undefined
    const cache = JSON.parse(readFileSync(cachePath, 'utf8'))
    if (cache.schema !== HELP_CACHE_SCHEMA) return undefined
    // With helpOptions.stripAnsi oclif never colours help, and with helpOptions.maxWidth it
    // wraps at that width whatever the terminal: then a terminal gets the cached text too.
    if (
      !cache.plain &&
      !oclifHelpIsPlain(env, options.stdoutIsTTY ?? isatty(1), options.stderrIsTTY ?? isatty(2))
    )
      return undefined
    const key = formKey(helpArgv(argv))
    if (!Object.hasOwn(cache.forms, key)) return undefined
    if ((cache.fixedWidth ?? oclifHelpWidth(env, stdout)) !== cache.width) return undefined
    if (existsSync(join(oclifDataDir(env, cache.dirname), 'package.json'))) return undefined
    if (!sourcesUnchanged(cache.sources, root)) return undefined
    const index = cache.forms[key]
    if (cache.userAgentTexts.includes(index) && (options.userAgent ?? userAgent()) !== cache.userAgent)
      return undefined
    const text = cache.texts[index]
    return typeof text === 'string' ? text : undefined
  } catch {
    return undefined
  }
}
