import {expect} from 'chai'

import {runCli} from '../helpers/cli.js'
import {http} from '../helpers/sim.js'

/** Spawns the built `cfguard sim`, waits for `ready` on a stream, probes it, then sends SIGINT. */
async function serveAndProbe(
  args: string[],
  ready: (out: string, err: string) => string | null,
  env: Record<string, string> = {},
) {
  let probe: Promise<{root: number; info: number; version: string}> | null = null
  const result = await runCli(args, {
    env,
    timeoutMs: 30_000,
    onSpawn: (child) => {
      let out = ''
      let err = ''
      const check = () => {
        const api = probe === null ? ready(out, err) : null
        if (api === null) return
        probe = (async () => {
          const root = await http('GET', `${api}/`)
          const info = await http('GET', `${api}/v3/info`)
          child.kill('SIGINT')
          return {
            root: root.status,
            info: info.status,
            version: root.json.links.cloud_controller_v3.meta.version,
          }
        })()
      }
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString()
        check()
      })
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString()
        check()
      })
    },
  })
  expect(probe, `never became ready; stderr: ${result.stderr.slice(0, 300)}`).to.not.equal(null)
  return {result, probed: await probe!}
}

describe('cfguard sim (built CLI)', () => {
  it('serves a foundation, prints the URL and a ready-to-paste env line, and exits 0 on SIGINT', async () => {
    const {result, probed} = await serveAndProbe(
      ['sim', '--scenario', 'empty', '--cc-version', '3.220.0'],
      (_out, err) => {
        const m = /^ {2}export CFGUARD_API=(http:\/\/127\.0\.0\.1:\d+)$/m.exec(err)
        return m && err.includes('Serving until Ctrl-C.') ? m[1]! : null
      },
    )
    expect(probed).to.deep.equal({root: 200, info: 200, version: '3.220.0'})
    expect(result.code).to.equal(0)
    expect(result.stdout).to.equal('')
    expect(result.stderr).to.contain('UAA')
  })

  it('--json prints one JSON document with the URLs as soon as it listens', async () => {
    const {result, probed} = await serveAndProbe(
      ['sim', '--json', '--scenario', 'generated', '--apps', '20'],
      (out) => {
        try {
          return (JSON.parse(out) as {result: {apiUrl: string}}).result.apiUrl
        } catch {
          return null
        }
      },
    )
    expect(probed.root).to.equal(200)
    expect(result.code).to.equal(0)
    const doc = JSON.parse(result.stdout)
    expect(doc.status).to.equal(0)
    expect(doc.result).to.include.keys('apiUrl', 'uaaUrl', 'logCacheUrl', 'admin', 'users')
    expect(doc.result.scenario).to.equal('generated')
  })

  it('takes its settings from CFGUARD_SIM_* env twins', async () => {
    const {probed, result} = await serveAndProbe(
      ['sim', '--json'],
      (out) => {
        try {
          return (JSON.parse(out) as {result: {apiUrl: string}}).result.apiUrl
        } catch {
          return null
        }
      },
      {CFGUARD_SIM_SCENARIO: 'empty', CFGUARD_SIM_CC_VERSION: '3.205.0'},
    )
    expect(probed.version).to.equal('3.205.0')
    expect(JSON.parse(result.stdout).result.scenario).to.equal('empty')
  })

  it('rejects a bad --error-rate with a usage error (exit 2)', async () => {
    const r = await runCli(['sim', '--error-rate', '2'])
    expect(r.code).to.equal(2)
    expect(r.stderr).to.match(/^cfguard: invalid --error-rate "2"/)
  })
})
