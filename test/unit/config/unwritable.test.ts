import {chmodSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {unwritableReason, writeFileAtomic} from '../../../src/util/atomic-file.js'

describe('config unwritableReason (the --output check before a run)', () => {
  const root = mkdtempSync(join(tmpdir(), 'cfguard-unwritable-'))
  const plain = join(root, 'plain')
  writeFileSync(plain, 'x')
  mkdirSync(join(root, 'dir'))

  const cases: {name: string; path: string; why: string | null}[] = [
    {name: 'a new file in an existing directory', path: join(root, 'report.json'), why: null},
    {name: 'an existing file (replaced)', path: plain, why: null},
    {name: 'a file under directories still to create', path: join(root, 'a', 'b', 'r.json'), why: null},
    {name: 'a directory', path: join(root, 'dir'), why: 'it is a directory'},
    {name: 'under a plain file', path: join(plain, 'r.json'), why: `${plain} is not a directory`},
    {name: 'deeper under a plain file', path: join(plain, 'x', 'r.json'), why: `${plain} is not a directory`},
  ]
  for (const c of cases) {
    it(`${c.name}: ${c.why ?? 'writable'}`, () => {
      expect(unwritableReason(c.path)).to.equal(c.why)
      // What the check says agrees with what the write does.
      if (c.why === null) expect(() => writeFileAtomic(c.path, '{}\n')).not.to.throw()
      else expect(() => writeFileAtomic(c.path, '{}\n')).to.throw()
    })
  }

  it('a directory without write permission (not as root, which may write anywhere)', function () {
    if (process.getuid?.() === 0) this.skip()
    const locked = join(root, 'locked')
    mkdirSync(locked)
    chmodSync(locked, 0o500)
    try {
      expect(unwritableReason(join(locked, 'r.json'))).to.equal(`${locked} is not writable`)
    } finally {
      chmodSync(locked, 0o700)
    }
  })
})
