import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

import {ConfigStore, validateTargetName, type StoredTarget} from '../../../src/config/store.js'

const ROOT = resolve(import.meta.dirname, '../../..')

function target(api: string, token = 'access-token-abcdef'): StoredTarget {
  return {
    api,
    auth: {
      kind: 'user',
      username: 'admin',
      oauthClient: 'cf',
      accessToken: token,
      refreshToken: 'refresh-token-abcdef',
    },
    org: {name: 'acme', guid: 'o1'},
    space: null,
    savedAt: '2026-11-28T20:00:00Z',
  }
}

describe('config/store', () => {
  let home: string

  beforeEach(() => {
    home = join(mkdtempSync(join(tmpdir(), 'cfguard-store-')), 'home')
  })

  it('reads an empty store when there is no file', () => {
    expect(new ConfigStore(home).read()).to.deep.equal({version: 1, current: null, targets: {}})
  })

  it('writes config.json 0600 in a 0700 directory, and tightens a loose directory', async () => {
    const store = new ConfigStore(home)
    await store.update((d) => {
      d.targets.prod = target('https://api.prod.example.com')
      d.current = 'prod'
    })
    expect(statSync(home).mode & 0o777).to.equal(0o700)
    expect(statSync(store.path).mode & 0o777).to.equal(0o600)
    expect(store.read().targets.prod?.api).to.equal('https://api.prod.example.com')

    chmodSync(home, 0o755)
    await store.update(() => {})
    expect(statSync(home).mode & 0o777).to.equal(0o700)
  })

  it('replaces the file atomically: no temp or lock file stays behind', async () => {
    const store = new ConfigStore(home)
    for (let i = 0; i < 5; i++)
      await store.update((d) => void (d.targets[`t${i}`] = target(`https://api${i}.example.com`)))
    expect(readdirSync(home).sort()).to.deep.equal(['config.json'])
  })

  it('keeps every update when several processes write at once', async function () {
    this.timeout(60_000)
    const store = new ConfigStore(home)
    await store.update(() => {})
    const script = `
      import {ConfigStore} from ${JSON.stringify(join(ROOT, 'src/config/store.ts'))}
      const store = new ConfigStore(process.argv[1])
      for (let i = 0; i < 10; i++) {
        await store.update((d) => {
          d.targets[process.argv[2] + '-' + i] = {api: 'https://api.example.com', auth: {kind: 'client', clientId: 'c'}, org: null, space: null, savedAt: 'now'}
        })
      }`
    const run = (name: string) =>
      new Promise<number | null>((res) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', '--input-type=module', '-e', script, home, name],
          {cwd: ROOT, stdio: 'inherit'},
        )
        child.on('close', res)
      })
    const codes = await Promise.all(['a', 'b', 'c', 'd'].map(run))
    expect(codes).to.deep.equal([0, 0, 0, 0])
    expect(Object.keys(store.read().targets)).to.have.length(40)
    expect(readdirSync(home).sort()).to.deep.equal(['config.json'])
  })

  it('takes over a stale lock left by a killed run', async () => {
    const store = new ConfigStore(home)
    mkdirSync(home, {recursive: true, mode: 0o700})
    writeFileSync(`${store.path}.lock`, '999999 old')
    const {utimesSync} = await import('node:fs')
    utimesSync(`${store.path}.lock`, new Date(0), new Date(0))
    await store.update((d) => void (d.current = null))
    expect(readdirSync(home).sort()).to.deep.equal(['config.json'])
  })

  it('a malformed file is CONFIG_INVALID (exit 2) naming the file', () => {
    mkdirSync(home, {recursive: true})
    writeFileSync(join(home, 'config.json'), '{"version": 1, "targets": ')
    expect(() => new ConfigStore(home).read()).to.throw(/config\.json is not valid JSON/)
    writeFileSync(join(home, 'config.json'), '{"version": 1, "current": null, "targets": {"x": {"api": 3}}}')
    try {
      new ConfigStore(home).read()
      expect.fail('must throw')
    } catch (err) {
      expect((err as {exitCode: number}).exitCode).to.equal(2)
    }
    expect(readFileSync(join(home, 'config.json'), 'utf8')).to.contain('"api": 3')
  })

  it('validates target names', () => {
    expect(validateTargetName('prod-eu.1')).to.equal('prod-eu.1')
    expect(() => validateTargetName('../etc')).to.throw(/invalid target name/)
    expect(() => validateTargetName('')).to.throw(/invalid target name/)
  })
})
