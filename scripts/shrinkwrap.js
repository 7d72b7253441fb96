#!/usr/bin/env node
// The npm-shrinkwrap.json that goes into the package (prepack writes it, postpack removes it):
// package-lock.json's tree without the development-only packages, so that `npm install -g cfguard`
// installs the production dependencies at exactly the versions the tests ran with — and not the
// ~300 build and test packages, which npm would install from a shrinkwrap that lists them
// (npm/npm#17185). The repository keeps package-lock.json (the whole tree, for `npm ci`); a
// npm-shrinkwrap.json left in the working tree would take its place, hence `--remove`.
//
//   node scripts/shrinkwrap.js           write npm-shrinkwrap.json
//   node scripts/shrinkwrap.js --remove  delete it
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const TARGET = join(ROOT, 'npm-shrinkwrap.json')

/** package-lock.json → the production part of it (pure, for the packaging test). */
export function productionShrinkwrap(lock) {
  const packages = {}
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '') {
      const {devDependencies: _dev, ...root} = entry
      packages[path] = root
      continue
    }
    // dev: only the build and tests need it; devOptional: a development package that some
    // production package names as an optional peer (@types/node), which npm does not install.
    if (entry.dev || entry.devOptional || path.startsWith('node_modules/.')) continue
    packages[path] = entry
  }
  return {...lock, packages}
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] === '--remove') {
    rmSync(TARGET, {force: true})
  } else {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'))
    const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
    if (
      lock.name !== pjson.name ||
      lock.version !== pjson.version ||
      lock.packages?.['']?.version !== pjson.version
    ) {
      process.stderr.write('shrinkwrap: package-lock.json does not match package.json; run npm install\n')
      process.exit(2)
    }
    const shrinkwrap = productionShrinkwrap(lock)
    writeFileSync(TARGET, `${JSON.stringify(shrinkwrap, null, 2)}\n`)
    process.stderr.write(
      `shrinkwrap: npm-shrinkwrap.json with ${Object.keys(shrinkwrap.packages).length - 1} packages\n`,
    )
  }
}
