import {expect} from 'chai'
import {readFileSync, readdirSync} from 'node:fs'
import {join, relative, resolve} from 'node:path'

import {ROOT} from '../../helpers/cli.js'

const FORBIDDEN = ['cf', 'collect', 'checks', 'rotate', 'model', 'config', 'actions', 'cli', 'report']

function files(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

describe('sim: independence from the client', () => {
  it('src/sim imports nothing from the client layers, nor axios', () => {
    const simDir = join(ROOT, 'src/sim')
    const offenders: string[] = []
    for (const file of files(simDir)) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
        const spec = m[1] ?? m[2]!
        if (spec === 'axios') offenders.push(`${relative(ROOT, file)} → axios`)
        if (!spec.startsWith('.')) continue
        const target = relative(join(ROOT, 'src'), resolve(file, '..', spec))
        const top = target.split('/')[0]!
        if (FORBIDDEN.includes(top) || (!target.startsWith('sim/') && !target.startsWith('..'))) {
          offenders.push(`${relative(ROOT, file)} → ${spec}`)
        }
      }
    }
    expect(offenders).to.deep.equal([])
  })
})
