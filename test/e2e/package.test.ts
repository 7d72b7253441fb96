/**
 * The package as users get it (issue 19): packed (`npm pack`, with its production
 * npm-shrinkwrap.json) and installed into an empty prefix the way `npm install -g cfguard` installs
 * it (scripts/pack-install.js: through a registry on 127.0.0.1, the tarballs from the npm cache,
 * every other address refused), it holds what the CLI needs and nothing of the build, its
 * dependency tree is the shrinkwrap's, exactly, `cfguard --version` and `cfguard demo` run from
 * there, and the SBOM lists what was installed. Needs `npm run build` and `npm ci` first.
 */
import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, realpathSync, rmSync} from 'node:fs'
import {delimiter, dirname, join, relative} from 'node:path'

// @ts-expect-error plain JS build script without types
import {productionShrinkwrap} from '../../scripts/shrinkwrap.js'
import type * as HelpCacheModule from '../../bin/help-cache.js'
import type * as RulesCacheModule from '../../bin/rules-cache.js'
import {cleanEnv, ROOT, tempDir, type CliResult} from '../helpers/cli.js'

interface LockEntry {
  version?: string
  name?: string
  dev?: boolean
  devOptional?: boolean
  link?: boolean
  devDependencies?: Record<string, string>
}
interface Lock {
  name: string
  version: string
  packages: Record<string, LockEntry>
}
interface Bom {
  bomFormat: string
  specVersion: string
  metadata: {component: {name: string; version: string}}
  components: {purl: string}[]
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T
const PJSON = readJson<{name: string; version: string}>(join(ROOT, 'package.json'))
const LOCK = readJson<Lock>(join(ROOT, 'package-lock.json'))
const shrinkwrapOf = (lock: Lock): Lock => productionShrinkwrap(lock) as Lock

/** Every file of a directory tree, relative to it, skipping node_modules. */
function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    if (e.name === 'node_modules') return []
    const path = join(dir, e.name)
    return e.isDirectory() ? filesUnder(path, base) : [relative(base, path)]
  })
}

/** `<lock path> → version` of every package installed under `root` (nested node_modules too). */
function installedTree(root: string, at = ''): Map<string, string> {
  const found = new Map<string, string>()
  const modules = join(root, at, 'node_modules')
  if (!existsSync(modules)) return found
  for (const e of readdirSync(modules, {withFileTypes: true})) {
    if (e.name.startsWith('.') || !e.isDirectory()) continue
    const names = e.name.startsWith('@')
      ? readdirSync(join(modules, e.name)).map((n) => `${e.name}/${n}`)
      : [e.name]
    for (const name of names) {
      const path = `${at ? `${at}/` : ''}node_modules/${name}`
      found.set(path, readJson<{version: string}>(join(root, path, 'package.json')).version)
      for (const [k, v] of installedTree(root, path)) found.set(k, v)
    }
  }
  return found
}

function run(file: string, args: string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, {cwd, env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => resolvePromise({code, signal, stdout, stderr}))
  })
}

describe('e2e: the packed package, installed with its shrinkwrap', function () {
  this.timeout(300_000)
  let prefix: string
  let installed: string
  // the bin's `#!/usr/bin/env node` finds the Node these tests run on
  const path = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`

  before(function () {
    prefix = tempDir('cfguard-prefix-')
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/pack-install.js'), prefix], {
      encoding: 'utf8',
      env: {...process.env, PATH: path},
      timeout: 280_000,
    })
    expect(r.status, `pack-install: ${r.stderr}`).to.equal(0)
    installed = join(prefix, 'lib/node_modules', PJSON.name)
  })

  after(() => {
    if (prefix) rmSync(prefix, {recursive: true, force: true})
  })

  it('holds what the CLI needs and nothing of the build (no bin/dev.js, no .d.ts, no sources)', () => {
    // the start-up files, plain JS loaded before (or instead of) oclif: all of them, and no other
    const BIN_FILES = [
      'bin/run.js',
      'bin/help-cache.js',
      'bin/compile-cache.js',
      'bin/rules-cache.js',
      'bin/own-command.js',
      'bin/version.js',
    ]
    const files = filesUnder(installed).sort()
    const needed = [
      'package.json',
      'README.md',
      'npm-shrinkwrap.json',
      'oclif.manifest.json',
      ...BIN_FILES,
      'lib/index.js',
      'lib/help-cache.json',
      'lib/rules-cache.json',
      ...readdirSync(join(ROOT, 'schemas')).map((f) => `schemas/${f}`),
      ...filesUnder(join(ROOT, 'src/commands')).map((f) => `lib/commands/${f.replace(/\.ts$/, '.js')}`),
    ]
    expect(needed.filter((f) => !files.includes(f))).to.deep.equal([])
    const allowed = (f: string) =>
      ['package.json', 'README.md', 'LICENSE', 'npm-shrinkwrap.json', 'oclif.manifest.json'].includes(f) ||
      BIN_FILES.includes(f) ||
      /^lib\/.+\.(js|json)$/.test(f) ||
      /^schemas\/[^/]+\.json$/.test(f)
    expect(files.filter((f) => !allowed(f))).to.deep.equal([])
    expect(files.filter((f) => f.endsWith('.d.ts') || f.endsWith('.map'))).to.deep.equal([])
  })

  it("ships package-lock.json's production tree as npm-shrinkwrap.json, and installs exactly that tree", () => {
    const shipped = readJson<Lock>(join(installed, 'npm-shrinkwrap.json'))
    const expected = shrinkwrapOf(LOCK)
    expect(shipped).to.deep.equal(expected)
    expect(Object.values(shipped.packages).filter((e) => e.dev || e.devOptional)).to.deep.equal([])
    expect(shipped.packages['']?.devDependencies).to.equal(undefined)
    const wanted = new Map(
      Object.entries(expected.packages)
        .filter(([k, e]) => k !== '' && !e.link)
        .map(([k, e]) => [k, e.version ?? '']),
    )
    // the shrinkwrap is not a trivial one: the CLI's direct dependencies, oclif's and listr2's
    for (const dep of ['@oclif/core', 'listr2', 'axios', 'jose', 'yaml'])
      expect(wanted.has(`node_modules/${dep}`), dep)
    expect(Object.fromEntries(installedTree(installed))).to.deep.equal(Object.fromEntries(wanted))
  })

  it('runs `cfguard --version` and `cfguard demo` from the prefix', async () => {
    const bin = join(prefix, 'bin', 'cfguard')
    expect(realpathSync(bin)).to.equal(realpathSync(join(installed, 'bin/run.js')))
    const cwd = tempDir('cfguard-cwd-')
    const env = cleanEnv({PATH: path})
    const version = await run(bin, ['--version'], env, cwd)
    expect(version.code, version.stderr).to.equal(0)
    expect(version.stdout).to.match(new RegExp(`^cfguard/${PJSON.version} \\S+ node-${process.version}\\n$`))
    const demo = await run(bin, ['demo'], env, cwd)
    expect(demo.code, demo.stderr).to.equal(0)
    expect(demo.stdout).to.match(/^cfguard demo — audit of http:\/\/127\.0\.0\.1:\d+ /)
    expect(demo.stdout).to.contain('Plan: rotate billing-oidc')
    expect(readdirSync(env.CFGUARD_HOME!)).to.deep.equal([])
  })

  it('serves help from the build-time cache there too (the installed files are the ones it hashed)', async () => {
    const helpCache = (await import(join(installed, 'bin/help-cache.js'))) as typeof HelpCacheModule
    const cache = readJson<{sources: Record<string, string | null>}>(helpCache.HELP_CACHE_PATH)
    expect(helpCache.PACKAGE_ROOT).to.equal(`${installed}/`)
    const changed = Object.entries(cache.sources).filter(
      ([p, d]) => helpCache.fileDigest(join(installed, p)) !== d,
    )
    expect(changed.map(([p]) => p)).to.deep.equal([])
    expect(Object.keys(cache.sources)).to.include('node_modules/@oclif/core/package.json')
  })

  it('serves `cfguard rules` from its build-time cache there too (the same sources, and lib/)', async () => {
    const rulesCache = (await import(join(installed, 'bin/rules-cache.js'))) as typeof RulesCacheModule
    const helpCache = (await import(join(installed, 'bin/help-cache.js'))) as typeof HelpCacheModule
    const cache = readJson<{sources: Record<string, string | null>}>(rulesCache.RULES_CACHE_PATH)
    const changed = Object.entries(cache.sources).filter(
      ([p, d]) => helpCache.fileDigest(join(installed, p)) !== d,
    )
    expect(changed.map(([p]) => p)).to.deep.equal([])
    expect(Object.keys(cache.sources)).to.include.members(['lib/commands/rules.js', 'lib/checks/index.js'])
  })

  it('writes a CycloneDX SBOM of the installed tree: cfguard and every installed package, no more', () => {
    const bom = readJson<Bom>(join(prefix, 'cfguard.cdx.json'))
    expect(bom.bomFormat).to.equal('CycloneDX')
    expect(bom.metadata.component).to.include({name: PJSON.name, version: PJSON.version})
    const listed = bom.components.map((c) =>
      decodeURIComponent(c.purl.replace(/^pkg:npm\//, '').replace(/\?.*$/, '')),
    )
    const tree = [...installedTree(installed)].map(
      ([k, v]) => `${k.slice(k.lastIndexOf('node_modules/') + 13)}@${v}`,
    )
    expect([...new Set(listed)].sort()).to.deep.equal([...new Set(tree)].sort())
  })
})
