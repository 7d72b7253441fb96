#!/usr/bin/env node
// The cheap paths are answered without loading oclif (its ~160 modules are most of the CLI's
// start-up time), each exactly as oclif would answer them:
// - `cfguard --version`: `<name>/<version> <platform>-<arch> node-<version>` (version.js);
// - help (`cfguard`, `--help`, `help`, `<command> --help`, `help <command>`, topics, aliases):
//   the text rendered at build time, when nothing would make oclif print it differently
//   (help-cache.js says when; CFGUARD_NO_HELP_CACHE=1 turns it off);
// - `cfguard rules [RULE]`: the text rendered at build time, under the same kind of conditions
//   (rules-cache.js; CFGUARD_NO_RULES_CACHE=1 turns it off).
// Everything else goes to oclif, with node's compile cache on (compile-cache.js).
const argv = process.argv.slice(2)
// (a topic named alone, `cfguard identity`, shows its help too)
const mightBeHelp = argv.length <= 1 || argv[0] === 'help' || argv.at(-1) === '--help' || argv.at(-1) === '-h'

// as oclif does (@oclif/core command.js): a reader that went away (`| head`) is not an error
function ignoreClosedStdout() {
  process.stdout.on('error', (error) => {
    if (error?.code !== 'EPIPE') throw error
  })
}

// @oclif/core 5's execute() awaits a 'drain' of stdout once the command is done; after the reader
// went away (EPIPE) none ever comes, its timer does not hold the process, and the unsettled
// top-level await would end the process with exit code 13 and a warning. Once stdout is gone the
// module stops waiting; the command itself still runs to its end and sets the exit code.
function stdoutGone() {
  return new Promise((resolve) => {
    process.stdout.on('error', (error) => {
      if (error?.code === 'EPIPE') resolve()
    })
  })
}

// What importing @oclif/core's index would print first. The index is not loaded (execute and
// what the commands use come from its subpaths): besides this it only checks node against
// oclif's own engines (>=18, below ours) with semver, 48 modules.
function warnIfNoCwd() {
  try {
    process.cwd()
  } catch (error) {
    if (error.code === 'ENOENT') process.stderr.write('WARNING: current directory does not exist\n')
  }
}

if (argv[0] === '--version') {
  const {printVersion} = await import('./version.js')
  ignoreClosedStdout()
  printVersion()
} else {
  let text = mightBeHelp ? (await import('./help-cache.js')).cachedHelp(argv) : undefined
  if (text === undefined && argv[0] === 'rules') text = await (await import('./rules-cache.js')).cachedRules(argv)
  if (text === undefined) {
    // everything from here on loads ~300 modules: read them compiled (compile-cache.js)
    ;(await import('./compile-cache.js')).enableCompileCache()
    warnIfNoCwd()
    const {execute} = await import('@oclif/core/execute')
    // the package's own commands load without the help and autocomplete plugins (own-command.js)
    const loadOptions = (await import('./own-command.js')).loadOptionsFor(argv)
    await Promise.race([execute({dir: import.meta.url, ...(loadOptions ? {loadOptions} : {})}), stdoutGone()])
  } else {
    ignoreClosedStdout()
    process.stdout.write(text)
  }
}
