/**
 * bin/run.js turns on node's compile cache before it loads oclif (bin/compile-cache.js): a
 * speed-up only. The command's output is the same with it, without it, and when its directory
 * cannot be written (a read-only file system, a path through a file, an unwritable home and
 * temporary directory), and nothing is printed about it.
 */
import {expect} from 'chai'
import {readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {runCli, tempDir} from '../helpers/cli.js'

// `rules --json` goes through oclif (no cached rendering serves --json)
const ARGV = ['rules', '--json']

function filesUnder(dir: string): number {
  try {
    return readdirSync(dir, {recursive: true}).length
  } catch {
    return 0
  }
}

describe('e2e: the compile cache', function () {
  this.timeout(60_000)
  const scratch = tempDir('cfguard-compile-cache-')
  const aFile = join(scratch, 'a-file')
  writeFileSync(aFile, '')
  let reference = ''

  before(async () => {
    const r = await runCli(ARGV, {env: {CFGUARD_NO_COMPILE_CACHE: '1'}})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.equal('')
    reference = r.stdout
    expect(JSON.parse(reference).result.length).to.be.greaterThan(10)
  })

  it('is written to the user’s cache directory, and a second run reads it, output unchanged', async () => {
    const cache = join(scratch, 'xdg')
    for (let run = 0; run < 2; run++) {
      const r = await runCli(ARGV, {env: {XDG_CACHE_HOME: cache}})
      expect([r.code, r.stderr, r.stdout]).to.deep.equal([0, '', reference])
    }
    expect(filesUnder(join(cache, 'cfguard', 'compile-cache'))).to.be.greaterThan(100)
  })

  const unwritable: Record<string, Record<string, string>> = {
    'a path through a plain file (ENOTDIR), home and TMPDIR alike': {
      XDG_CACHE_HOME: join(aFile, 'cache'),
      HOME: join(aFile, 'home'),
      TMPDIR: join(aFile, 'tmp'),
    },
    'a read-only file system (/sys), home and TMPDIR alike': {
      XDG_CACHE_HOME: '/sys/cfguard-cache',
      HOME: '/sys/cfguard-home',
      TMPDIR: '/sys/cfguard-tmp',
    },
    'a CFGUARD_CACHE_DIR that is a file': {CFGUARD_CACHE_DIR: aFile},
    'node’s own NODE_COMPILE_CACHE through a file': {NODE_COMPILE_CACHE: join(aFile, 'n')},
  }
  // (an unusable HOME makes oclif itself warn, cache or not: compared with the same setting off)
  const pidless = (text: string) => text.replace(/\(node:\d+\)/g, '(node)')
  for (const [what, env] of Object.entries(unwritable)) {
    it(`never fails the command: ${what}`, async () => {
      const off = await runCli(ARGV, {env: {...env, CFGUARD_NO_COMPILE_CACHE: '1'}})
      const on = await runCli(ARGV, {env})
      expect([on.code, on.stdout]).to.deep.equal([0, reference])
      expect(pidless(on.stderr)).to.equal(pidless(off.stderr))
    })
  }

  it('is off under NODE_DISABLE_COMPILE_CACHE=1 (node’s switch): nothing is written', async () => {
    const cache = join(scratch, 'disabled')
    const r = await runCli(ARGV, {env: {XDG_CACHE_HOME: cache, NODE_DISABLE_COMPILE_CACHE: '1'}})
    expect([r.code, r.stderr, r.stdout]).to.deep.equal([0, '', reference])
    expect(filesUnder(cache)).to.equal(0)
  })
})
