// Build step after `oclif manifest`: renders the help of every command, alias and topic with
// oclif itself, in a child process at a fixed width with no colour, and writes
// lib/help-cache.json for bin/run.js to serve without loading oclif (bin/help-cache.js says
// when it may). The cache names the files it was rendered from with their sha256, so a cache
// older than any of them is never served.
import {mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {HELP_CACHE_PATH, HELP_CACHE_SCHEMA, PACKAGE_ROOT, fileDigest, formKey} from '../bin/help-cache.js'
import {renderEnv, runRenderChild} from './render-common.js'

// what oclif uses when stdout is not a terminal (bench, pipes, scripts, CI)
const WIDTH = 80

const helpOptions = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).oclif?.helpOptions ?? {}
if (helpOptions.maxWidth !== undefined && helpOptions.maxWidth !== WIDTH) {
  throw new Error(`package.json oclif.helpOptions.maxWidth is ${helpOptions.maxWidth}; render-help.js renders at ${WIDTH}`)
}

const scratch = mkdtempSync(join(tmpdir(), 'cfguard-help-'))
try {
  // nothing from this shell may reach the render: oclif and cfguard settings, colour, debug
  const env = renderEnv([], {
    OCLIF_COLUMNS: String(WIDTH),
    CFGUARD_DATA_DIR: join(scratch, 'data'),
    CFGUARD_CONFIG_DIR: join(scratch, 'config'),
  })
  const child = fileURLToPath(new URL('render-help-child.js', import.meta.url))
  const rendered = runRenderChild(child, PACKAGE_ROOT, env, 'help')

  const texts = []
  const forms = {}
  const skipped = []
  for (const r of rendered.renders) {
    if (r.failure !== undefined) {
      skipped.push(`cfguard ${r.argv.join(' ')}: ${r.failure}`)
      continue
    }
    if (!texts.includes(r.stdout)) texts.push(r.stdout)
    forms[formKey(r.argv)] = texts.indexOf(r.stdout)
  }
  const cache = {
    schema: HELP_CACHE_SCHEMA,
    width: rendered.width,
    // package.json's oclif.helpOptions: a fixed maxWidth and stripAnsi make oclif's help the same
    // at a terminal as in a pipe, so the cache may answer terminals too (help-cache.js)
    fixedWidth: helpOptions.maxWidth ?? null,
    plain: helpOptions.stripAnsi === true,
    userAgent: rendered.userAgent,
    dirname: rendered.dirname,
    sources: Object.fromEntries(
      rendered.sources.map((path) => [relative(PACKAGE_ROOT, path), fileDigest(path)]),
    ),
    userAgentTexts: texts.flatMap((text, i) => (text.includes(rendered.userAgent) ? [i] : [])),
    forms,
    texts,
  }
  mkdirSync(dirname(HELP_CACHE_PATH), {recursive: true})
  const temporary = `${HELP_CACHE_PATH}.${process.pid}.tmp`
  writeFileSync(temporary, JSON.stringify(cache))
  renameSync(temporary, HELP_CACHE_PATH)
  const size = Buffer.byteLength(JSON.stringify(cache))
  console.log(
    `help cache: ${Object.keys(forms).length} forms, ${texts.length} texts, ${(size / 1024).toFixed(1)} KiB at ${WIDTH} columns`,
  )
  for (const line of skipped) console.error(`help cache: not cached: ${line}`)
} finally {
  rmSync(scratch, {recursive: true, force: true})
}
