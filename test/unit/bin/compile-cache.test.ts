import {expect} from 'chai'

import type {CompileCacheAnswer} from '../../../bin/compile-cache.js'
import {compileCacheDir, enableCompileCache} from '../../../bin/compile-cache.js'

/** A stand-in for node:module's enableCompileCache that records what it was asked. */
function recorder(answer: CompileCacheAnswer | Error = {status: 1, directory: '/x'}) {
  const calls: (string | undefined)[][] = []
  const enable = (...args: (string | undefined)[]): CompileCacheAnswer => {
    calls.push(args)
    if (answer instanceof Error) throw answer
    return answer
  }
  return {calls, enable}
}

describe('bin/compile-cache: where and whether node keeps its compile cache', () => {
  describe('compileCacheDir', () => {
    it('is under CFGUARD_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache (the user’s own, not /tmp)', () => {
      expect(compileCacheDir({CFGUARD_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h'})).to.equal(
        '/c/compile-cache',
      )
      expect(compileCacheDir({XDG_CACHE_HOME: '/x', HOME: '/h'})).to.equal('/x/cfguard/compile-cache')
      expect(compileCacheDir({HOME: '/h'})).to.equal('/h/.cache/cfguard/compile-cache')
      expect(compileCacheDir({}, () => '/pw')).to.equal('/pw/.cache/cfguard/compile-cache')
    })

    it('is none when there is no home at all', () => {
      expect(compileCacheDir({}, () => undefined)).to.equal(undefined)
    })
  })

  describe('enableCompileCache', () => {
    it('asks node for the cache in our directory', () => {
      const r = recorder()
      expect(enableCompileCache({HOME: '/h'}, r.enable)).to.deep.equal({status: 1, directory: '/x'})
      expect(r.calls).to.deep.equal([['/h/.cache/cfguard/compile-cache']])
    })

    it('leaves NODE_COMPILE_CACHE to node (no directory of ours)', () => {
      const r = recorder()
      enableCompileCache({HOME: '/h', NODE_COMPILE_CACHE: '/n'}, r.enable)
      expect(r.calls).to.deep.equal([[]])
    })

    for (const off of ['NODE_DISABLE_COMPILE_CACHE', 'CFGUARD_NO_COMPILE_CACHE']) {
      it(`is off under ${off}=1`, () => {
        const r = recorder()
        expect(enableCompileCache({HOME: '/h', NODE_COMPILE_CACHE: '/n', [off]: '1'}, r.enable)).to.equal(
          undefined,
        )
        expect(r.calls).to.deep.equal([])
      })
    }

    it('never throws: not on a Node without it, not when node throws', () => {
      expect(enableCompileCache({HOME: '/h'}, null as never)).to.equal(undefined)
      expect(enableCompileCache({HOME: '/h'}, recorder(new Error('EROFS')).enable)).to.equal(undefined)
    })
  })
})
