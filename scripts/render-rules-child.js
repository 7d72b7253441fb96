// Child of render-rules.js (which gives it pipes, no COLUMNS, no colour settings and empty data
// and config dirs). Runs every `cfguard rules` form through oclif's own entry point — `run`, what
// bin/run.js's `execute()` calls — capturing what it writes, records which files of lib/ the
// command loaded (a module.registerHooks load hook), and prints one JSON document on stdout.
import module from 'node:module'
import {join, relative} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = process.argv[2]
const libUrl = pathToFileURL(join(root, 'lib')).href + '/'
const loaded = new Set()
module.registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith(libUrl)) loaded.add(relative(root, fileURLToPath(url)))
    return nextLoad(url, context)
  },
})

const {Config, run} = await import('@oclif/core')
const config = await Config.load(root)
const write = process.stdout.write.bind(process.stdout)

/** What oclif writes for `argv`, or the reason it cannot be cached. */
async function render(argv) {
  let stdout = ''
  let stderr = ''
  let warned = false
  const onWarning = () => (warned = true)
  const capture = (append) => (chunk, encoding, callback) => {
    append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    const done = typeof encoding === 'function' ? encoding : callback
    if (typeof done === 'function') done()
    return true
  }
  const {write: out} = process.stdout
  const {write: err} = process.stderr
  process.stdout.write = capture((s) => (stdout += s))
  process.stderr.write = capture((s) => (stderr += s))
  process.on('warning', onWarning)
  process.exitCode = undefined
  // each run adds its SIGINT/SIGTERM handlers (BaseCommand.init): a process of its own would
  // exit with them, this one removes them so that thirty runs stay under the listener limit
  const signals = ['SIGINT', 'SIGTERM'].map((s) => [s, process.listeners(s)])
  let failure
  try {
    await run(argv, root)
  } catch (error) {
    failure = `threw: ${error?.message ?? error}`
  } finally {
    process.stdout.write = out
    process.stderr.write = err
    for (const [signal, before] of signals)
      for (const l of process.listeners(signal)) if (!before.includes(l)) process.off(signal, l)
  }
  await new Promise((resolve) => setImmediate(resolve))
  process.off('warning', onWarning)
  if (!failure && process.exitCode) failure = `exit code ${process.exitCode}`
  process.exitCode = undefined
  if (!failure && stderr) failure = `wrote to stderr: ${stderr.split('\n')[0]}`
  if (!failure && warned) failure = 'emitted a warning'
  if (!failure && !stdout) failure = 'printed nothing'
  const local = [config.home, config.root, config.cacheDir, config.configDir, config.dataDir]
  if (!failure && local.some((path) => path && stdout.includes(path))) failure = 'shows a local path'
  return failure ? {argv, failure} : {argv, stdout}
}

// `cfguard rules`, and `cfguard rules X` for every rule id and every family
const {listRules} = await import(pathToFileURL(join(root, 'lib/actions/rules.js')).href)
const rules = listRules()
const subjects = [...new Set([...rules.map((r) => r.id), ...rules.map((r) => r.family)])].sort()
const forms = [['rules'], ...subjects.map((s) => ['rules', s])]
const renders = []
for (const argv of forms) renders.push(await render(argv))

const {outputWidth} = await import(pathToFileURL(join(root, 'lib/cli/render/terminal.js')).href)
const command = config.findCommand('rules')
const flagEnv = Object.values(command?.flags ?? {}).flatMap((f) => (f.env ? [f.env] : []))

write(
  JSON.stringify({
    width: outputWidth(process.env, process.stdout),
    flagEnv,
    lib: [...loaded].sort(),
    renders,
  }),
)
