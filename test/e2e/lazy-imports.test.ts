/**
 * Start-up (issue 18): a command loads no heavy package it does not use. yaml and ajv are loaded
 * only when a policy / suppressions / baseline file is read (config/yaml-source.ts,
 * config/schema.ts), axios on the first request (transport.ts); `rules` goes to no network and
 * loads no HTTP client.
 *
 * Observed from outside: a preloaded probe writes, at exit, the CommonJS packages the process
 * loaded (require.cache; yaml, ajv, ajv-formats and axios are CommonJS, and ES modules importing
 * them put them there too). The network commands run against a loopback listener that answers
 * their first request 404, so they stop right after it, with no file of any kind to read.
 */
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {runCli, tempDir} from '../helpers/cli.js'
import {raw, startLoopback, type Loopback} from '../helpers/loopback.js'

const scratch = tempDir('cfguard-lazy-imports-')
const probe = join(scratch, 'probe.cjs')
writeFileSync(
  probe,
  `process.on('exit', () => {
  const names = new Set()
  for (const file of Object.keys(require.cache)) {
    const at = file.lastIndexOf('/node_modules/')
    if (at === -1) continue
    const [scope, name] = file.slice(at + '/node_modules/'.length).split('/')
    names.add(scope.startsWith('@') ? scope + '/' + name : scope)
  }
  require('node:fs').writeFileSync(process.env.LAZY_PROBE_OUT, JSON.stringify([...names].sort()))
})
`,
)

let server: Loopback
let url = ''
before(async () => {
  server = await startLoopback((_req, res) =>
    raw(res, 404, '{"errors":[{"code":10000,"title":"CF-NotFound","detail":"Unknown request"}]}', {
      'content-type': 'application/json',
      connection: 'close',
    }),
  )
  url = server.url
})
after(() => server.close())

let runs = 0
async function packagesLoadedBy(args: string[]): Promise<string[]> {
  const out = join(scratch, `loaded-${++runs}.json`)
  await runCli(args, {
    env: {
      NODE_OPTIONS: `--require ${probe}`,
      LAZY_PROBE_OUT: out,
      CFGUARD_API: url,
      CFGUARD_CLIENT_ID: 'lazy-imports',
      CFGUARD_CLIENT_SECRET: 'not-a-secret',
    },
  })
  return JSON.parse(readFileSync(out, 'utf8')) as string[]
}

const CONFIG_ONLY = ['yaml', 'ajv', 'ajv-formats']

describe('lazy imports: a command loads only the packages it uses', () => {
  for (const args of [
    ['audit', '--json', '--all'],
    ['identity', 'list'],
    ['routes', 'report'],
    ['credentials', 'list'],
  ]) {
    it(`${args.join(' ')} (no config file) loads no ${CONFIG_ONLY.join(', ')}; axios once it sends a request`, async () => {
      const before = server.requests.length
      const loaded = await packagesLoadedBy(args)
      expect(server.requests.length).to.be.greaterThan(before)
      expect(loaded).to.include('@oclif/core') // the probe sees the command's packages
      expect(loaded).to.include('axios')
      expect(loaded.filter((p) => CONFIG_ONLY.includes(p))).to.deep.equal([])
    })
  }

  it('rules loads no axios, yaml or ajv', async () => {
    const loaded = await packagesLoadedBy(['rules'])
    expect(loaded).to.include('@oclif/core')
    expect(loaded.filter((p) => p === 'axios' || CONFIG_ONLY.includes(p))).to.deep.equal([])
  })

  it('a policy file still loads yaml and ajv (the lazy loads happen when needed)', async () => {
    const policy = join(scratch, 'policy.yml')
    writeFileSync(policy, 'version: 1\n')
    const loaded = await packagesLoadedBy(['audit', '--json', '--all', '--policy', policy])
    expect(loaded).to.include.members(['yaml', 'ajv'])
  })
})
