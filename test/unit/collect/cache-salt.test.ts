import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {detailsKey, envKey, saltId, upsKey} from '../../../src/collect/cache-keys.js'
import {CacheStore, cacheDir} from '../../../src/config/cache.js'
import {loadOrCreateSalt} from '../../../src/config/salt.js'
import {CfguardError} from '../../../src/errors.js'
import {ROOT} from '../../helpers/cli.js'

const dir = () => mkdtempSync(join(tmpdir(), 'cfguard-cache-'))
const NOW = new Date('2026-11-28T12:00:00Z')

describe('collect/cache-keys', () => {
  const app = {guid: 'app-1', updatedAt: '2026-01-01T00:00:00Z'}
  const binding = {
    guid: 'b-1',
    updatedAt: '2026-01-01T00:00:00Z',
    serviceInstanceGuid: 'si-1',
    lastOperation: {type: 'create', state: 'succeeded'},
  }
  const ups = {guid: 'si-1', updatedAt: '2026-01-01T00:00:00Z'}

  it("an app's env key changes with the app, its bindings and every bound instance", () => {
    const base = envKey(app, [binding], [ups])
    expect(envKey(app, [binding], [ups])).to.equal(base)
    expect(envKey({...app, updatedAt: '2026-02-01T00:00:00Z'}, [binding], [ups])).to.not.equal(base)
    expect(envKey(app, [], [])).to.not.equal(base)
    expect(
      envKey(app, [{...binding, lastOperation: {type: 'delete', state: 'in progress'}}], [ups]),
    ).to.not.equal(base)
    // A UPS credentials update bumps the instance, not the app or the binding.
    expect(envKey(app, [binding], [{...ups, updatedAt: '2026-03-01T00:00:00Z'}])).to.not.equal(base)
  })

  it('UPS and details keys follow their resources; the salt id hides the salt', () => {
    expect(upsKey(ups)).to.not.equal(upsKey({...ups, updatedAt: 'later'}))
    expect(detailsKey(binding, ups)).to.not.equal(detailsKey(binding, {...ups, updatedAt: 'later'}))
    const salt = Buffer.alloc(32, 7)
    expect(saltId(salt)).to.match(/^[0-9a-f]{16}$/)
    expect(saltId(salt).includes(salt.toString('hex').slice(0, 8))).to.equal(false)
  })
})

describe('config/cache: the collection cache on disk', () => {
  const opts = (warnings: string[] = []) => ({
    tool: '1.0.0',
    saltId: 'abc',
    now: () => NOW,
    warn: (m: string) => warnings.push(m),
  })

  it('returns a value only while its key matches, and survives a save (0600, 0700 dirs)', () => {
    const home = dir()
    const path = join(cacheDir(home, 'https://api.sys.example.com:443', 'alice'), 'env.json')
    const store = CacheStore.open<{n: number}>(path, opts())
    store.put('app-1', 'k1', {n: 1})
    store.save()
    expect(statSync(path).mode & 0o777).to.equal(0o600)
    expect(statSync(join(path, '..')).mode & 0o777).to.equal(0o700)
    const again = CacheStore.open<{n: number}>(path, opts())
    expect(again.get('app-1', 'k1')).to.deep.equal({n: 1})
    expect(again.get('app-1', 'k2')).to.equal(undefined)
    expect(again.get('app-2', 'k1')).to.equal(undefined)
  })

  it('keeps the entries of two runs that save one after the other', () => {
    const path = join(dir(), 'env.json')
    const a = CacheStore.open<number>(path, opts())
    const b = CacheStore.open<number>(path, opts())
    a.put('app-a', 'k', 1)
    b.put('app-b', 'k', 2)
    a.save()
    b.save()
    const c = CacheStore.open<number>(path, opts())
    expect([c.get('app-a', 'k'), c.get('app-b', 'k')]).to.deep.equal([1, 2])
  })

  it('ignores a damaged file with a warning, and rewrites it', () => {
    const path = join(dir(), 'ups.json')
    writeFileSync(path, '{"format": "cfguard-collection-cache", "version": 1, "entr')
    const warnings: string[] = []
    const store = CacheStore.open<number>(path, opts(warnings))
    expect(store.size).to.equal(0)
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.match(/ignoring the damaged collection cache .*ups\.json/)
    store.put('si', 'k', 5)
    store.save()
    expect(JSON.parse(readFileSync(path, 'utf8')).entries.si.value).to.equal(5)
  })

  it('silently drops a cache of another cfguard version or salt', () => {
    const path = join(dir(), 'env.json')
    const store = CacheStore.open<number>(path, opts())
    store.put('x', 'k', 1)
    store.save()
    const warnings: string[] = []
    const other = CacheStore.open<number>(path, {...opts(warnings), saltId: 'other'})
    expect(other.get('x', 'k')).to.equal(undefined)
    expect(warnings).to.deep.equal([])
  })

  it('drops entries unused for 30 days', () => {
    const path = join(dir(), 'env.json')
    const old = CacheStore.open<number>(path, {...opts(), now: () => new Date('2026-09-01T00:00:00Z')})
    old.put('stale', 'k', 1)
    old.save()
    const fresh = CacheStore.open<number>(path, opts())
    fresh.put('new', 'k', 2)
    fresh.save()
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')).entries)).to.deep.equal(['new'])
  })
})

describe('config/salt: the installation salt', () => {
  it('is 32 random bytes, 0600, created once and read back', () => {
    const home = join(dir(), 'home')
    const salt = loadOrCreateSalt(home)
    expect(salt.length).to.equal(32)
    expect(statSync(join(home, 'salt')).mode & 0o777).to.equal(0o600)
    expect(loadOrCreateSalt(home).equals(salt)).to.equal(true)
    expect(loadOrCreateSalt(join(dir(), 'other')).equals(salt)).to.equal(false)
  })

  it('ends with one salt when several processes create it at once', async () => {
    const home = join(dir(), 'race')
    const script = `import {loadOrCreateSalt} from ${JSON.stringify(join(ROOT, 'src/config/salt.ts'))}
process.stdout.write(loadOrCreateSalt(process.argv[1]).toString('hex'))`
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', '--input-type=module', '-e', script, home],
          {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        )
        let out = ''
        let err = ''
        child.stdout.on('data', (d) => (out += d))
        child.stderr.on('data', (d) => (err += d))
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(err))))
      })
    const salts = await Promise.all([run(), run(), run(), run(), run(), run()])
    expect(new Set(salts).size).to.equal(1)
    expect(salts[0]).to.equal(readFileSync(join(home, 'salt')).toString('hex'))
  })

  it('refuses a damaged salt file with a next step (exit 2), never replacing it silently', () => {
    const home = dir()
    mkdirSync(home, {recursive: true})
    writeFileSync(join(home, 'salt'), 'short')
    let err: unknown
    try {
      loadOrCreateSalt(home)
    } catch (e) {
      err = e
    }
    expect(err).to.be.instanceOf(CfguardError)
    expect((err as CfguardError).exitCode).to.equal(2)
    expect((err as CfguardError).suggestions[0]).to.match(/delete .*salt/)
  })
})
