/**
 * Which Node the suite really runs on (issue 19): the test process, and the CLI it spawns, print
 * their `process.version`; both satisfy package.json's engines. `.ci/run` sets TEST_NODE_MAJOR to
 * the line it means to test (22), so a run that silently fell back to another Node fails here.
 */
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {ROOT, runCli} from '../helpers/cli.js'

const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {engines: {node: string}})
  .engines

/** `>=X.Y[.Z]`, the only form package.json uses. */
function satisfiesFloor(version: string, range: string): boolean {
  const floor = /^>=(\d+)\.(\d+)(?:\.(\d+))?$/.exec(range)
  if (!floor) throw new Error(`engines.node ${range}: not a >= range`)
  const have = version.replace(/^v/, '').split('.').map(Number)
  const want = floor.slice(1).map((n) => Number(n ?? 0))
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return (have[i] ?? 0) > (want[i] ?? 0)
  return true
}

describe('e2e: the Node the tests and the CLI run on', function () {
  this.timeout(60_000)

  it('prints process.version of the test process and of the spawned CLI; both meet engines', async () => {
    const r = await runCli(['--version'])
    expect(r.code, r.stderr).to.equal(0)
    const cli = /node-(v\d+\.\d+\.\d+)/.exec(r.stdout)?.[1]
    console.log(`      tests on Node ${process.version}, the CLI on Node ${cli} (engines ${engines.node})`)
    expect(cli).to.equal(process.version)
    expect(satisfiesFloor(process.version, engines.node), `${process.version} vs ${engines.node}`).to.equal(
      true,
    )
    const wanted = process.env.TEST_NODE_MAJOR
    if (wanted) expect(process.version.split('.')[0]).to.equal(`v${wanted}`)
  })

  it('reads the engines floor the way npm does for the versions that matter', () => {
    expect(satisfiesFloor('v22.13.0', '>=22.13')).to.equal(true)
    expect(satisfiesFloor('v22.12.9', '>=22.13')).to.equal(false)
    expect(satisfiesFloor('v24.0.0', '>=22.13')).to.equal(true)
    expect(satisfiesFloor('v20.19.5', '>=22.13')).to.equal(false)
  })
})
