/**
 * Small pieces (issue 17): no file in src/ over 400 lines, no function over 120 lines. The one
 * exemption is the simulator's scenario data: the literal foundations `buildDemo` and
 * `buildBase` are long lists of apps, routes and bindings, not logic.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'
import ts from 'typescript'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SRC = join(ROOT, 'src')
const MAX_FILE_LINES = 400
const MAX_FUNCTION_LINES = 120
const SCENARIO_DATA = new Set(['src/sim/scenarios/demo.ts#buildDemo', 'src/sim/scenarios/base.ts#buildBase'])

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

function lineCount(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length
}

interface LongFunction {
  where: string
  name: string
  lines: number
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  )
}

/** The name a reader would search for: the function's own, or the variable/property it is assigned to. */
function nameOf(node: ts.FunctionLikeDeclaration): string {
  if (node.name) return node.name.getText()
  const parent = node.parent
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name)
    return parent.name.getText()
  return '(anonymous)'
}

function longFunctions(file: string, text: string): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const found: LongFunction[] = []
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line
      const lines = last - first + 1
      if (lines > MAX_FUNCTION_LINES) found.push({where: `${file}:${first + 1}`, name: nameOf(node), lines})
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe('sizes of src/ (issue 17)', () => {
  const files = sourceFiles(SRC).map((path) => ({
    path: relative(ROOT, path).split('\\').join('/'),
    text: readFileSync(path, 'utf8'),
  }))

  it('reads the source tree', () => {
    expect(files.length).to.be.greaterThan(100)
  })

  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .map((f) => ({path: f.path, lines: lineCount(f.text)}))
      .filter((f) => f.lines > MAX_FILE_LINES)
      .map((f) => `${f.path}: ${f.lines} lines`)
    expect(long).to.deep.equal([])
  })

  it(`has no function over ${MAX_FUNCTION_LINES} lines outside the simulator's scenario data`, () => {
    const long = files
      .flatMap((f) => longFunctions(f.path, f.text).map((fn) => ({...fn, file: f.path})))
      .filter((fn) => !SCENARIO_DATA.has(`${fn.file}#${fn.name}`))
      .map((fn) => `${fn.where} ${fn.name}: ${fn.lines} lines`)
    expect(long).to.deep.equal([])
  })

  it('measures a long function as long (the check can fail)', () => {
    const body = Array.from({length: MAX_FUNCTION_LINES}, (_, i) => `  const v${i} = ${i}`).join('\n')
    const found = longFunctions('x.ts', `export function tooLong() {\n${body}\n}\n`)
    expect(found.map((f) => [f.name, f.lines])).to.deep.equal([['tooLong', MAX_FUNCTION_LINES + 2]])
    expect(longFunctions('y.ts', 'const short = () => 1\n')).to.deep.equal([])
  })
})
