import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'
import ts from 'typescript'

/**
 * Issue 17 for the simulator: no file in src/sim over 400 lines, no function over 120 lines. Only
 * scenario data is exempt: the literal foundations built by `buildDemo` and `buildBase`.
 */
const ROOT = 'src/sim'
const MAX_FILE_LINES = 400
const MAX_FUNCTION_LINES = 120
const SCENARIO_DATA = new Set(['src/sim/scenarios/demo.ts:buildDemo', 'src/sim/scenarios/base.ts:buildBase'])

function sources(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
}

/** Every function with a body: `file:name` (or `file:line` when anonymous) and its length in lines. */
function functionLengths(file: string, text = readFileSync(file, 'utf8')): {id: string; lines: number}[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const out: {id: string; lines: number}[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line
      const last = source.getLineAndCharacterOfPosition(node.end).line
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : String(first + 1)
      out.push({id: `${file}:${name}`, lines: last - first + 1})
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return out
}

describe('sim: file and function sizes (issue 17)', () => {
  const files = sources(ROOT)

  it(`keeps every file at ${MAX_FILE_LINES} lines or fewer`, () => {
    const over = files
      .map((f) => ({f, lines: lineCount(readFileSync(f, 'utf8'))}))
      .filter((x) => x.lines > MAX_FILE_LINES)
      .map((x) => `${x.f} (${x.lines})`)
    expect(over).to.deep.equal([])
  })

  it(`keeps every function at ${MAX_FUNCTION_LINES} lines or fewer, scenario data aside`, () => {
    const over = files
      .flatMap((f) => functionLengths(f))
      .filter((f) => f.lines > MAX_FUNCTION_LINES && !SCENARIO_DATA.has(f.id))
      .map((f) => `${f.id} (${f.lines})`)
    expect(over).to.deep.equal([])
  })

  it('measures nested, arrow and method bodies in lines', () => {
    const body = Array.from({length: 128}, (_, i) => `    const v${i} = ${i}`).join('\n')
    const text = `export function outer() {\n  const inner = () => {\n${body}\n  }\n  return inner\n}\nclass C {\n  m() {\n    return 1\n  }\n}\n`
    expect(functionLengths('x.ts', text)).to.deep.equal([
      {id: 'x.ts:outer', lines: 133},
      {id: 'x.ts:2', lines: 130},
      {id: 'x.ts:m', lines: 3},
    ])
  })
})
