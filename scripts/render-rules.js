// Build step after render-help.js: renders `cfguard rules` and `cfguard rules <rule or family>`
// with oclif itself, in a child process with stdout a pipe and no COLUMNS (the width a pipe, a
// script or CI gets), and writes lib/rules-cache.json for bin/run.js to serve without loading
// oclif (bin/rules-cache.js says when it may). The cache names the files it depends on with their
// sha256 — the help cache's (package.json, the manifests, the plugins', @oclif/core's) and every
// file of lib/ the command loaded — so a cache older than any of them is never served.
import {mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {HELP_CACHE_PATH, PACKAGE_ROOT, fileDigest, formKey} from '../bin/help-cache.js'
import {RULES_CACHE_PATH, RULES_CACHE_SCHEMA} from '../bin/rules-cache.js'
import {renderEnv, runRenderChild} from './render-common.js'

const helpCache = JSON.parse(readFileSync(HELP_CACHE_PATH, 'utf8'))
const scratch = mkdtempSync(join(tmpdir(), 'cfguard-rules-'))
try {
  // nothing from this shell may reach the render: oclif and cfguard settings, width, colour, debug
  const env = renderEnv(['COLUMNS', 'NO_COLOR'], {
    CFGUARD_DATA_DIR: join(scratch, 'data'),
    CFGUARD_CONFIG_DIR: join(scratch, 'config'),
    CFGUARD_HOME: join(scratch, 'home'),
    CFGUARD_NO_COMPILE_CACHE: '1',
  })
  const child = fileURLToPath(new URL('render-rules-child.js', import.meta.url))
  const rendered = runRenderChild(child, PACKAGE_ROOT, env, 'rules')
  const forms = {}
  const skipped = []
  for (const r of rendered.renders) {
    if (r.failure === undefined) forms[formKey(r.argv)] = r.stdout
    else skipped.push(`cfguard ${r.argv.join(' ')}: ${r.failure}`)
  }
  const cache = {
    schema: RULES_CACHE_SCHEMA,
    width: rendered.width,
    flagEnv: rendered.flagEnv,
    dirname: helpCache.dirname,
    sources: {
      ...helpCache.sources,
      ...Object.fromEntries(rendered.lib.map((path) => [path, fileDigest(join(PACKAGE_ROOT, path))])),
    },
    forms,
  }
  const temporary = `${RULES_CACHE_PATH}.${process.pid}.tmp`
  writeFileSync(temporary, JSON.stringify(cache))
  renameSync(temporary, RULES_CACHE_PATH)
  console.log(
    `rules cache: ${Object.keys(forms).length} forms at ${rendered.width} columns, ${rendered.lib.length} files of lib/`,
  )
  for (const line of skipped) console.error(`rules cache: not cached: ${line}`)
} finally {
  rmSync(scratch, {recursive: true, force: true})
}
