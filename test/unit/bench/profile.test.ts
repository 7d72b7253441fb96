import {expect} from 'chai'

import {moduleOf, selfTimeTable, summarise, type CpuProfile} from '../../../bench/harness/profile.js'

// root → run.js → load (node's loader) → axios; run.js → parse (ours); plus the GC pseudo-frame
const frame = (functionName: string, url: string, lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
})
const profile: CpuProfile = {
  nodes: [
    {id: 1, callFrame: frame('(root)', ''), children: [2, 6]},
    {id: 2, callFrame: frame('', 'file:///repo/bin/run.js'), children: [3, 5]},
    {id: 3, callFrame: frame('compile', 'node:internal/modules/cjs/loader', 9), children: [4]},
    {id: 4, callFrame: frame('mergeConfig', 'file:///repo/node_modules/axios/dist/node/axios.cjs', 99)},
    {id: 5, callFrame: frame('parse', 'file:///repo/lib/cf/http/adapter.js', 4)},
    {id: 6, callFrame: frame('(garbage collector)', '')},
  ],
  startTime: 1_000,
  endTime: 2_000,
  // intervals: 3 → 100, 4 → 200, 5 → 300, 3 → 50, 6 → 400 (after the cut-off at 1,700)
  samples: [3, 4, 5, 3, 6],
  timeDeltas: [100, 200, 300, 50, 400],
}

describe('bench profile summary (.cpuprofile self time)', () => {
  it('names the module of a script: package, file of ours, node area, V8', () => {
    expect(moduleOf('file:///repo/node_modules/axios/dist/node/axios.cjs', '/repo')).to.equal('axios')
    expect(moduleOf('file:///repo/node_modules/@oclif/core/lib/index.js', '/repo')).to.equal('@oclif/core')
    expect(moduleOf('file:///repo/node_modules/a/node_modules/b/x.js')).to.equal('b')
    expect(moduleOf('file:///repo/lib/cf/http/adapter.js', '/repo')).to.equal('lib/cf/http/adapter.js')
    expect(moduleOf('node:internal/modules/esm/loader')).to.equal('node:internal/modules')
    expect(moduleOf('node:http')).to.equal('node:http')
    expect(moduleOf('')).to.equal('(native / V8)')
  })

  it('sums each sample interval as self time by function, module and nearest package', () => {
    const s = summarise(profile, {root: '/repo'})
    expect(s.totalUs).to.equal(1050)
    expect(s.byModule).to.deep.equal([
      {name: '(garbage collector)', selfUs: 400, share: 400 / 1050},
      {name: 'lib/cf/http/adapter.js', selfUs: 300, share: 300 / 1050},
      {name: 'axios', selfUs: 200, share: 200 / 1050},
      {name: 'node:internal/modules', selfUs: 150, share: 150 / 1050},
    ])
    expect(s.byFunction.map((f) => [f.name, f.selfUs])).to.deep.equal([
      ['(garbage collector)', 400],
      ['parse lib/cf/http/adapter.js:5', 300],
      ['mergeConfig axios:100', 200],
      ['compile node:internal/modules:10', 150],
    ])
    // the loader's time counts against the file whose import ran it
    expect(s.byOwner.map((f) => [f.name, f.selfUs])).to.deep.equal([
      ['(garbage collector)', 400],
      ['lib/cf/http/adapter.js', 300],
      ['axios', 200],
      ['bin/run.js', 150],
    ])
  })

  it('leaves out the samples after untilUs and keeps only the top N', () => {
    const s = summarise(profile, {root: '/repo', untilUs: 1_700, top: 2})
    expect(s.totalUs).to.equal(650)
    expect(s.byModule.map((m) => m.name)).to.deep.equal(['lib/cf/http/adapter.js', 'axios'])
  })

  it('prints a markdown table in ms and percent', () => {
    const s = summarise(profile, {root: '/repo', top: 1})
    expect(selfTimeTable('module', s.byModule)).to.equal(
      '| module | self (ms) | share |\n| --- | ---: | ---: |\n| `(garbage collector)` | 0.4 | 38.1 % |',
    )
  })
})
