// Child of render-rules.js (which gives it pipes, no COLUMNS, no colour settings and empty data
// and config dirs). Runs every `cfguard rules` form through oclif's own entry point — `run`, what
// bin/run.js's `execute()` calls — capturing what it writes, records which files of lib/ the
// command loaded (a module.registerHooks load hook), and prints one JSON document on stdout.
import module from 'node:module'
import {join, relative} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {oclifRenderer} from './render-common.js'

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

const render = oclifRenderer(run, config, root)

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
