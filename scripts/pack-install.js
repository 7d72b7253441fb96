#!/usr/bin/env node
// Installs cfguard from its own tarball exactly as `npm install -g cfguard` does from the registry,
// and writes the CycloneDX SBOM of what got installed. The image (Dockerfile) and the packaging
// test (test/e2e/package.test.ts) both install through this script.
//
//   node scripts/pack-install.js PREFIX [npm install options]
//
// 1. `npm pack` with the production npm-shrinkwrap.json (scripts/shrinkwrap.js; lib/ must be
//    built: `npm run build`);
// 2. serves that tarball from a registry on 127.0.0.1 and runs
//    `npm install --global --prefix PREFIX cfguard@<version>` against it. Only through a registry
//    does npm honour a package's npm-shrinkwrap.json (the registry marks the version
//    `_hasShrinkwrap`; the shrinkwrap of a tarball given as a file is ignored, npm/cli#5325), so
//    this is the path `npm install -g cfguard` takes. The registry knows cfguard and, for the
//    metadata npm asks for, the packages and versions the shrinkwrap pins, nothing else; the
//    tarballs come from the npm cache (filled by `npm ci`), and a proxy address that refuses
//    every connection makes a cache miss fail here instead of reaching a network;
// 3. writes PREFIX/cfguard.cdx.json: the CycloneDX SBOM (@cyclonedx/cyclonedx-npm) of the installed
//    package's tree, production dependencies only.
import {spawn, spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {createServer} from 'node:http'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {productionShrinkwrap} from './shrinkwrap.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

class Failure extends Error {}

/** Stops the run (the `finally` blocks still clean up): one line on stderr, exit code 2. */
function fail(message) {
  throw new Failure(message)
}

/** Registry metadata (name → packument) for every package and version a shrinkwrap pins. */
function packuments(shrinkwrap) {
  const byName = new Map()
  for (const [path, entry] of Object.entries(shrinkwrap.packages)) {
    if (!path.includes('node_modules/') || entry.link) continue
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
    const doc = byName.get(name) ?? {name, 'dist-tags': {}, versions: {}}
    const fields = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta']
    const manifest = {name, version: entry.version}
    for (const f of [...fields, 'bin', 'engines', 'os', 'cpu', 'license'])
      if (entry[f]) manifest[f] = entry[f]
    // (npm leaves `resolved` out of a lock when it is the default registry's usual address)
    const file = `${name.slice(name.indexOf('/') + 1)}-${entry.version}.tgz`
    manifest.dist = {
      tarball: entry.resolved ?? `https://registry.npmjs.org/${name}/-/${file}`,
      integrity: entry.integrity,
    }
    doc.versions[entry.version] = manifest
    doc['dist-tags'].latest ??= entry.version
    byName.set(name, doc)
  }
  return byName
}

function npm(args, options = {}) {
  const r = spawnSync('npm', args, {encoding: 'utf8', ...options})
  if (r.status !== 0) fail(`npm ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`)
  return r.stdout
}

try {
  await main(process.argv.slice(2))
} catch (error) {
  if (!(error instanceof Failure)) throw error
  process.stderr.write(`pack-install: ${error.message}\n`)
  process.exitCode = 2
}

async function main([prefixArg, ...installOptions]) {
  if (!prefixArg) fail('usage: node scripts/pack-install.js PREFIX [npm install options]')
  const prefix = resolve(prefixArg)
  if (!existsSync(join(ROOT, 'lib/index.js')) || !existsSync(join(ROOT, 'lib/help-cache.json')))
    fail('lib/ is not built: run npm run build first')
  const work = mkdtempSync(join(tmpdir(), 'cfguard-pack-'))
  try {
    await install(prefix, installOptions, work)
  } finally {
    rmSync(work, {recursive: true, force: true})
  }
}

async function install(prefix, installOptions, work) {
  // --ignore-scripts: prepack would build lib/ again; its shrinkwrap step runs here
  let packed
  try {
    npm(['run', '--silent', 'shrinkwrap'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    ;[packed] = JSON.parse(
      npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
        cwd: ROOT,
      }),
    )
  } finally {
    rmSync(join(ROOT, 'npm-shrinkwrap.json'), {force: true})
  }
  const tarball = readFileSync(join(work, packed.filename))
  const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  if (!packed.files.some((f) => f.path === 'npm-shrinkwrap.json'))
    fail('the package holds no npm-shrinkwrap.json')
  const shrinkwrap = productionShrinkwrap(JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')))
  const metadata = packuments(shrinkwrap)

  const misses = []
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${server.address().port}`
    const path = decodeURIComponent(new URL(req.url, base).pathname)
    if (path === `/${pjson.name}`) {
      const version = {
        ...pjson,
        _id: `${pjson.name}@${pjson.version}`,
        _hasShrinkwrap: true,
        dist: {
          tarball: `${base}/${pjson.name}/-/${packed.filename}`,
          integrity: packed.integrity,
          shasum: createHash('sha1').update(tarball).digest('hex'),
        },
      }
      res.writeHead(200, {'content-type': 'application/json'})
      res.end(
        JSON.stringify({
          name: pjson.name,
          'dist-tags': {latest: pjson.version},
          versions: {[pjson.version]: version},
        }),
      )
    } else if (path === `/${pjson.name}/-/${packed.filename}`) {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': tarball.length,
      })
      res.end(tarball)
    } else if (metadata.has(path.slice(1))) {
      res.writeHead(200, {'content-type': 'application/json'})
      res.end(JSON.stringify(metadata.get(path.slice(1))))
    } else {
      misses.push(path)
      res.writeHead(404, {'content-type': 'application/json'})
      res.end('{"error":"not found"}')
    }
  })
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok))
  const registry = `http://127.0.0.1:${server.address().port}/`

  mkdirSync(prefix, {recursive: true})
  const args = [
    'install',
    '--global',
    '--prefix',
    prefix,
    '--registry',
    registry,
    '--prefer-offline',
    '--replace-registry-host=never',
    '--https-proxy=http://127.0.0.1:9',
    '--proxy=http://127.0.0.1:9',
    '--noproxy=127.0.0.1',
  ]
  args.push(
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    ...installOptions,
    `${pjson.name}@${pjson.version}`,
  )
  const code = await new Promise((ok) => {
    const child = spawn('npm', args, {
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    child.on('close', ok)
  })
  server.close()
  if (code !== 0) {
    const hint = misses.length ? ` (not in the npm cache: ${misses.join(', ')}; run npm ci first)` : ''
    fail(`npm install exited ${code}${hint}`)
  }

  // `npm sbom` refuses a tree whose devDependencies are absent, even with --omit dev (ESBOMPROBLEMS)
  const installed = join(prefix, 'lib/node_modules', pjson.name)
  const cli = join(ROOT, 'node_modules/@cyclonedx/cyclonedx-npm/bin/cyclonedx-npm-cli.js')
  const sbomArgs = ['--omit', 'dev', '--flatten-components', '--output-reproducible', '--validate']
  sbomArgs.push('--output-format', 'JSON', '--output-file', join(prefix, 'cfguard.cdx.json'))
  const sbom = spawnSync(process.execPath, [cli, ...sbomArgs], {
    cwd: installed,
    encoding: 'utf8',
  })
  if (sbom.status !== 0) fail(`cyclonedx-npm failed (exit ${sbom.status}):\n${sbom.stderr}`)
  process.stderr.write(
    `pack-install: ${packed.filename} installed into ${prefix}; SBOM ${prefix}/cfguard.cdx.json\n`,
  )
}
