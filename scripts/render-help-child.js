// Child of render-help.js (which fixes the width with OCLIF_COLUMNS, leaves colour off by giving
// it pipes and no FORCE_COLOR, and gives it empty data and config dirs). Runs every help form
// through oclif's own entry point — `run`, what bin/run.js's `execute()` calls — capturing what
// it writes, and prints the result as one JSON document on stdout.
import {Config, run} from '@oclif/core'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {existsSync, readFileSync} from 'node:fs'

import {oclifRenderer} from './render-common.js'

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
const render = oclifRenderer(run, config, root)

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
