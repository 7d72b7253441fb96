import {expect} from 'chai'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {CachedHelpOptions, HelpCache} from '../../../bin/help-cache.js'
import {
  HELP_CACHE_SCHEMA,
  cachedHelp,
  envAllowsCache,
  fileDigest,
  formKey,
  helpArgv,
  oclifDataDir,
  oclifHelpIsPlain,
  oclifHelpWidth,
} from '../../../bin/help-cache.js'

const pipe = {isTTY: false, getWindowSize: (): [number, number] => [0, 0]}
const terminal = (columns: number) => ({isTTY: true, getWindowSize: (): [number, number] => [columns, 24]})

describe('bin/help-cache: when oclif would print the cached help', () => {
  describe('oclifHelpWidth (as @oclif/core lib/screen.js)', () => {
    it('is 80 when stdout is not a terminal, whatever COLUMNS says', () => {
      expect(oclifHelpWidth({}, pipe)).to.equal(80)
      expect(oclifHelpWidth({COLUMNS: '120'}, pipe)).to.equal(80)
    })

    it('is the terminal width, at least 40, 80 when the terminal reports none', () => {
      expect(oclifHelpWidth({}, terminal(100))).to.equal(100)
      expect(oclifHelpWidth({}, terminal(30))).to.equal(40)
      expect(oclifHelpWidth({}, terminal(0))).to.equal(80)
    })

    it('is OCLIF_COLUMNS when it is a non-zero number, for terminals and pipes alike', () => {
      expect(oclifHelpWidth({OCLIF_COLUMNS: '120'}, pipe)).to.equal(120)
      expect(oclifHelpWidth({OCLIF_COLUMNS: '50'}, terminal(100))).to.equal(50)
      expect(oclifHelpWidth({OCLIF_COLUMNS: '0'}, pipe)).to.equal(80)
      expect(oclifHelpWidth({OCLIF_COLUMNS: 'wide'}, terminal(100))).to.equal(100)
    })
  })

  describe('oclifHelpIsPlain', () => {
    it('is plain when stdout or stderr is not a terminal', () => {
      expect(oclifHelpIsPlain({}, false, false)).to.equal(true)
      expect(oclifHelpIsPlain({}, true, false)).to.equal(true)
      expect(oclifHelpIsPlain({}, false, true)).to.equal(true)
    })

    it('may be coloured on two terminals, or whenever FORCE_COLOR is set', () => {
      expect(oclifHelpIsPlain({}, true, true)).to.equal(false)
      expect(oclifHelpIsPlain({FORCE_COLOR: '1'}, false, false)).to.equal(false)
      expect(oclifHelpIsPlain({FORCE_COLOR: '0'}, false, false)).to.equal(false)
    })
  })

  describe('envAllowsCache', () => {
    it('allows an ordinary environment, OCLIF_COLUMNS (the width check decides) and cfguard settings', () => {
      expect(envAllowsCache({})).to.equal(true)
      expect(
        envAllowsCache({OCLIF_COLUMNS: '80', NODE_ENV: 'production', CFGUARD_API: 'https://x'}),
      ).to.equal(true)
    })

    it('refuses the switch, debug output, development mode and any other OCLIF_ setting', () => {
      for (const env of [
        {CFGUARD_NO_HELP_CACHE: '1'},
        {DEBUG: '*'},
        {CFGUARD_DEBUG: '1'},
        {NODE_ENV: 'development'},
        {NODE_ENV: 'test'},
        {OCLIF_PERFORMANCE: '1'},
        {OCLIF_DISABLE_RC: '1'},
      ]) {
        expect(envAllowsCache(env)).to.equal(false, JSON.stringify(env))
      }
    })
  })

  it('oclifDataDir follows oclif: CFGUARD_DATA_DIR, else XDG_DATA_HOME, else ~/.local/share', () => {
    expect(oclifDataDir({CFGUARD_DATA_DIR: '/d', XDG_DATA_HOME: '/x'}, 'cfguard')).to.equal('/d')
    expect(oclifDataDir({XDG_DATA_HOME: '/x', HOME: '/h'}, 'cfguard')).to.equal('/x/cfguard')
    expect(oclifDataDir({HOME: '/h'}, 'cfguard')).to.equal('/h/.local/share/cfguard')
  })

  it('formKey keeps argv words apart (one argument with a space is another form)', () => {
    expect(formKey([])).to.equal('')
    expect(formKey(['audit', '--help'])).to.not.equal(formKey(['audit --help']))
  })

  describe('cachedHelp', () => {
    let dir: string
    let root: string
    let cachePath: string
    let options: CachedHelpOptions

    function writeCache(cache: Partial<HelpCache> = {}): void {
      const full: HelpCache = {
        schema: HELP_CACHE_SCHEMA,
        width: 80,
        fixedWidth: null,
        plain: false,
        userAgent: 'cfguard/1.0.0 linux-x64 node-v20.0.0',
        dirname: 'cfguard',
        sources: {
          'package.json': fileDigest(join(root, 'package.json')),
          'oclif.manifest.json': fileDigest(join(root, 'oclif.manifest.json')),
          'not-there.json': null,
        },
        userAgentTexts: [0],
        forms: {'': 0, '--help': 0, [formKey(['audit', '--help'])]: 1, [formKey(['help', 'audit'])]: 1},
        texts: ['ROOT cfguard/1.0.0 linux-x64 node-v20.0.0\n', 'AUDIT\n'],
        ...cache,
      }
      writeFileSync(cachePath, JSON.stringify(full))
    }

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'cfguard-help-cache-'))
      root = join(dir, 'pkg')
      mkdirSync(root)
      writeFileSync(join(root, 'package.json'), '{"name":"cfguard"}')
      writeFileSync(join(root, 'oclif.manifest.json'), '{"commands":{}}')
      cachePath = join(dir, 'help-cache.json')
      options = {
        env: {HOME: join(dir, 'home')},
        stdout: pipe,
        stdoutIsTTY: false,
        stderrIsTTY: false,
        cachePath,
        root,
        userAgent: 'cfguard/1.0.0 linux-x64 node-v20.0.0',
      }
      writeCache()
    })

    afterEach(() => rmSync(dir, {recursive: true, force: true}))

    it('serves exactly the cached forms', () => {
      expect(cachedHelp(['audit', '--help'], options)).to.equal('AUDIT\n')
      expect(cachedHelp(['help', 'audit'], options)).to.equal('AUDIT\n')
      expect(cachedHelp([], options)).to.equal('ROOT cfguard/1.0.0 linux-x64 node-v20.0.0\n')
      for (const argv of [
        ['audit', '--help', '--json'],
        ['--help', 'audit'],
        ['audit --help'],
        ['constructor'],
      ]) {
        expect(cachedHelp(argv, options)).to.equal(undefined, argv.join(' '))
      }
    })

    it('serves a terminal at the cached width when stderr is not a terminal', () => {
      expect(cachedHelp(['audit', '--help'], {...options, stdout: terminal(80), stdoutIsTTY: true})).to.equal(
        'AUDIT\n',
      )
      expect(
        cachedHelp(['audit', '--help'], {...options, stdout: terminal(100), stdoutIsTTY: true}),
      ).to.equal(undefined)
    })

    it('falls through at another width, with possible colour, or with a refused setting', () => {
      const argv = ['audit', '--help']
      expect(cachedHelp(argv, {...options, env: {...options.env, OCLIF_COLUMNS: '120'}})).to.equal(undefined)
      expect(cachedHelp(argv, {...options, env: {...options.env, OCLIF_COLUMNS: '80'}})).to.equal('AUDIT\n')
      expect(cachedHelp(argv, {...options, stdoutIsTTY: true, stderrIsTTY: true})).to.equal(undefined)
      expect(cachedHelp(argv, {...options, env: {...options.env, CFGUARD_NO_HELP_CACHE: '1'}})).to.equal(
        undefined,
      )
    })

    it('serves every terminal when oclif is told a fixed width and no colour (helpOptions)', () => {
      writeCache({fixedWidth: 80, plain: true})
      const argv = ['audit', '--help']
      for (const columns of [40, 80, 100, 200]) {
        expect(
          cachedHelp(argv, {...options, stdout: terminal(columns), stdoutIsTTY: true, stderrIsTTY: true}),
        ).to.equal('AUDIT\n', `${columns} columns`)
      }
      expect(cachedHelp(argv, {...options, env: {...options.env, OCLIF_COLUMNS: '120'}})).to.equal('AUDIT\n')
      expect(cachedHelp(argv, {...options, env: {...options.env, FORCE_COLOR: '3'}})).to.equal('AUDIT\n')
      // a width that does not match the one rendered is still refused
      writeCache({fixedWidth: 100, plain: true})
      expect(cachedHelp(argv, options)).to.equal(undefined)
    })

    it('-h is the same form as --help', () => {
      expect(helpArgv(['audit', '-h'])).to.deep.equal(['audit', '--help'])
      expect(helpArgv(['-h'])).to.deep.equal(['--help'])
      expect(helpArgv(['audit', '-h', '--json'])).to.deep.equal(['audit', '-h', '--json'])
      expect(cachedHelp(['audit', '-h'], options)).to.equal('AUDIT\n')
      expect(cachedHelp(['-h'], options)).to.equal('ROOT cfguard/1.0.0 linux-x64 node-v20.0.0\n')
    })

    it('is never served stale: a source changed, removed or newly present', () => {
      const argv = ['audit', '--help']
      writeFileSync(join(root, 'oclif.manifest.json'), '{"commands":{"x":{}}}')
      expect(cachedHelp(argv, options)).to.equal(undefined, 'manifest changed')
      writeCache()
      expect(cachedHelp(argv, options)).to.equal('AUDIT\n')
      rmSync(join(root, 'package.json'))
      expect(cachedHelp(argv, options)).to.equal(undefined, 'package.json removed')
      writeFileSync(join(root, 'package.json'), '{"name":"cfguard"}')
      expect(cachedHelp(argv, options)).to.equal('AUDIT\n')
      writeFileSync(join(root, 'not-there.json'), '{}')
      expect(cachedHelp(argv, options)).to.equal(undefined, 'a file that was absent appeared')
    })

    it('serves the root help only to the platform and node it names', () => {
      const other = {...options, userAgent: 'cfguard/1.0.0 darwin-arm64 node-v22.1.0'}
      expect(cachedHelp(['--help'], other)).to.equal(undefined)
      expect(cachedHelp(['audit', '--help'], other)).to.equal('AUDIT\n')
    })

    it('falls through when user plugins are installed (oclif would list their commands)', () => {
      const data = join(dir, 'home', '.local', 'share', 'cfguard')
      mkdirSync(data, {recursive: true})
      writeFileSync(join(data, 'package.json'), '{"oclif":{"plugins":[]}}')
      expect(cachedHelp(['audit', '--help'], options)).to.equal(undefined)
    })

    it('falls through on a cache of another schema, a corrupt cache or none', () => {
      writeCache({schema: HELP_CACHE_SCHEMA + 1})
      expect(cachedHelp(['audit', '--help'], options)).to.equal(undefined)
      writeFileSync(cachePath, '{"schema":')
      expect(cachedHelp(['audit', '--help'], options)).to.equal(undefined)
      rmSync(cachePath)
      expect(cachedHelp(['audit', '--help'], options)).to.equal(undefined)
    })
  })
})
