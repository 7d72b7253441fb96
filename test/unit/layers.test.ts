/**
 * One direction (docs/architecture.md): every relative import in src/ points down this order, or
 * stays inside its own folder. Siblings on one level (collect, checks, rotate, report) do not
 * import each other; the simulator (src/sim) imports nothing of the client and only the actions
 * that serve it (`cfguard sim`, `cfguard demo`) import it.
 */
import {expect} from 'chai'
import {readFileSync, readdirSync} from 'node:fs'
import {join, relative, resolve} from 'node:path'

import {ROOT} from '../helpers/cli.js'

/** Top to bottom. A file may import its own group, or a group on a lower level. */
const LEVELS: readonly (readonly string[])[] = [
  ['commands', 'hooks', 'index'],
  ['cli'],
  ['actions'],
  ['collect', 'checks', 'rotate', 'report'],
  // Local files: targets, policy, the token store, the cache. Above cf (it builds on its types).
  ['config'],
  ['derive'],
  ['cf'],
  // The bottom: the run's context, the data model, helpers with no dependency of their own.
  ['context', 'model', 'util'],
  ['errors'],
  ['redact'],
]

/** Who may import the simulator: the actions that run it. */
const SIM_USERS = new Set(['src/actions/sim.ts', 'src/actions/demo.ts'])

const SRC = join(ROOT, 'src')

function files(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

/** `actions/audit.ts` → `actions`; `errors.ts` → `errors`. */
function groupOf(pathInSrc: string): string {
  return pathInSrc.split('/')[0]!.replace(/\.ts$/, '')
}

function levelOf(group: string): number {
  return LEVELS.findIndex((l) => l.includes(group))
}

/** Every relative specifier: static imports, `export … from`, dynamic `import()`. */
function specifiers(text: string): string[] {
  return [...text.matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)|^import\s+'([^']+)'/gm)].map(
    (m) => (m[1] ?? m[2] ?? m[3])!,
  )
}

/** The arrows against the order, as `from → to` (paths under src/). */
function wrongWay(edges: readonly [string, string][]): string[] {
  const out: string[] = []
  for (const [from, to] of edges) {
    const a = groupOf(from)
    const b = groupOf(to)
    if (a === b) continue
    if (a === 'sim' || b === 'sim') {
      if (b === 'sim' && SIM_USERS.has(`src/${from}`)) continue
      out.push(`${from} → ${to} (the simulator stands alone)`)
      continue
    }
    const la = levelOf(a)
    const lb = levelOf(b)
    if (la < 0 || lb < 0) out.push(`${from} → ${to} (${la < 0 ? a : b} has no place in the order)`)
    else if (lb <= la) out.push(`${from} → ${to} (${a} is ${lb === la ? 'beside' : 'below'} ${b})`)
  }
  return out
}

function edgesOfSrc(): [string, string][] {
  const edges: [string, string][] = []
  for (const file of files(SRC)) {
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue
      const target = relative(SRC, resolve(file, '..', spec)).replace(/\.js$/, '.ts')
      edges.push([relative(SRC, file), target])
    }
  }
  return edges
}

describe('layers: every import in src/ runs one way', () => {
  it('no arrow against commands → cli → actions → collect | checks | rotate | report → config → derive → cf → model', () => {
    const edges = edgesOfSrc()
    expect(edges.length, 'imports read').to.be.greaterThan(500)
    expect(wrongWay(edges)).to.deep.equal([])
  })

  it('every top-level entry of src/ has a level (or is the simulator)', () => {
    const groups = new Set(files(SRC).map((f) => groupOf(relative(SRC, f))))
    const placeless = [...groups].filter((g) => g !== 'sim' && levelOf(g) < 0)
    expect(placeless).to.deep.equal([])
  })

  it('src/sim imports nothing of the client, nor axios', () => {
    const offenders: string[] = []
    for (const file of files(join(SRC, 'sim'))) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (spec === 'axios') offenders.push(`${relative(ROOT, file)} → axios`)
        if (!spec.startsWith('.')) continue
        const target = relative(SRC, resolve(file, '..', spec))
        if (!target.startsWith('sim/')) offenders.push(`${relative(ROOT, file)} → ${spec}`)
      }
    }
    expect(offenders).to.deep.equal([])
  })

  it('the check itself catches arrows the wrong way, sideways and into the simulator', () => {
    expect(
      wrongWay([
        ['collect/index.ts', 'actions/session.ts'],
        ['checks/x.ts', 'collect/classify/index.ts'],
        ['cf/http/trace.ts', 'config/atomic-file.ts'],
        ['model/x.ts', 'context.ts'],
        ['checks/x.ts', 'sim/index.ts'],
        ['sim/index.ts', 'model/x.ts'],
        ['gizmo/x.ts', 'cf/x.ts'],
      ]),
    ).to.have.length(7)
    expect(
      wrongWay([
        ['commands/audit.ts', 'actions/audit.ts'],
        ['actions/audit.ts', 'collect/index.ts'],
        ['cli/views/routes.ts', 'cli/render/table.ts'],
        ['checks/x.ts', 'derive/lookup.ts'],
        ['cf/session.ts', 'context.ts'],
        ['model/duration.ts', 'errors.ts'],
        ['actions/sim.ts', 'sim/index.ts'],
      ]),
    ).to.deep.equal([])
    expect(
      specifiers("import a from './a.js'\nexport {b} from '../b.js'\nconst c = import('./c.js')"),
    ).to.deep.equal(['./a.js', '../b.js', './c.js'])
  })
})
