// Child of render-help.js (which fixes the width with OCLIF_COLUMNS, leaves colour off by giving
// it pipes and no FORCE_COLOR, and gives it empty data and config dirs). Runs every help form
// through oclif's own entry point — `run`, what bin/run.js's `execute()` calls — capturing what
// it writes, and prints the result as one JSON document on stdout.
import {Config, run} from '@oclif/core'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {existsSync, readFileSync} from 'node:fs'

// Libraries @oclif/core's help formatter renders with (lib/help/*.js, screen.js, ux/theme.js).
const FORMATTING_LIBRARIES = [
  'ansis',
  'ejs',
  'indent-string',
  'string-width',
  'widest-line',
  'wrap-ansi',
  'supports-color',
]

const root = process.argv[2]
const config = await Config.load(root)
const write = process.stdout.write.bind(process.stdout)

/** Every argv that asks for help: the root, and for each command, alias and topic both spellings. */
function helpForms() {
  const dynamic = new Set(config.commands.filter((c) => c.hasDynamicHelp).map((c) => c.id))
  const commandIds = new Set(config.commands.map((c) => c.id))
  const subjects = [...new Set([...commandIds, ...config.topics.map((t) => t.name)])].filter(
    (id) => !dynamic.has(id),
  )
  const forms = [[], ['--help'], ['help']]
  for (const id of subjects.sort()) {
    const words = id.split(':')
    forms.push([...words, '--help'], ['help', ...words])
    // a topic that is not also a command shows its help when named alone
    if (!commandIds.has(id)) forms.push(words)
  }
  return forms
}

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
  let failure
  try {
    await run(argv, root)
  } catch (error) {
    failure = `threw: ${error?.message ?? error}`
  } finally {
    process.stdout.write = out
    process.stderr.write = err
  }
  await new Promise((resolve) => setImmediate(resolve))
  process.off('warning', onWarning)
  if (!failure && process.exitCode) failure = `exit code ${process.exitCode}`
  process.exitCode = undefined
  if (!failure && stderr) failure = `wrote to stderr: ${stderr.split('\n')[0]}`
  if (!failure && warned) failure = 'emitted a warning'
  if (!failure && !stdout) failure = 'printed nothing'
  // text that shows a path of this machine depends on the environment, not only on the build
  const local = [config.home, config.root, config.cacheDir, config.configDir, config.dataDir]
  if (!failure && local.some((path) => path && stdout.includes(path))) failure = 'shows a local path'
  return failure ? {argv, failure} : {argv, stdout}
}

/** package.json of a library as @oclif/core resolves it (its `exports` may hide package.json). */
function packageJsonOf(name, from) {
  let dir = dirname(createRequire(from).resolve(name))
  for (;;) {
    const candidate = join(dir, 'package.json')
    if (existsSync(candidate) && JSON.parse(readFileSync(candidate, 'utf8')).name === name) return candidate
    if (dirname(dir) === dir) throw new Error(`no package.json found for ${name}`)
    dir = dirname(dir)
  }
}

const renders = []
for (const argv of helpForms()) renders.push(await render(argv))

const corePackageJson = createRequire(join(root, 'package.json')).resolve('@oclif/core/package.json')
const plugins = [...config.plugins.values()].filter((p) => !p.isRoot)
const sources = [
  join(root, 'package.json'),
  join(root, 'oclif.manifest.json'),
  ...plugins.flatMap((p) => [join(p.root, 'package.json'), join(p.root, 'oclif.manifest.json')]),
  corePackageJson,
  ...FORMATTING_LIBRARIES.map((name) => packageJsonOf(name, corePackageJson)),
]

write(
  JSON.stringify({
    width: Number(process.env.OCLIF_COLUMNS),
    userAgent: config.userAgent,
    dirname: config.dirname,
    sources,
    renders,
  }),
)
