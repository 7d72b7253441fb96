import {createRequire} from 'node:module'

import type * as Yaml from 'yaml'
import type {Document, LineCounter, Node} from 'yaml'

import {CfguardError} from '../errors.js'

let yamlModule: typeof Yaml | undefined

/**
 * The yaml package (CommonJS, 72 modules: about a tenth of `audit`'s start-up when it was imported
 * with the config modules), loaded the first time a file is parsed or printed: a command that
 * reads no policy, suppressions or baseline file never loads it.
 */
export function yaml(): typeof Yaml {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof Yaml)
}

/** A parsed YAML (or JSON) file that can point back at the line and column of any value or key. */
export interface YamlSource {
  /** The file name as shown to people (`cfguard.yml`, `ci/policy.yml`). */
  file: string
  doc: Document.Parsed
  lineCounter: LineCounter
}

export type DataPath = readonly (string | number)[]

export interface Position {
  line: number
  col: number
}

/**
 * Parses one YAML document (YAML 1.2 core schema: dates stay strings). A syntax error becomes one
 * POLICY_INVALID line naming `file:line:column`.
 */
export function parseYamlSource(text: string, file: string): YamlSource {
  const {LineCounter, parseDocument} = yaml()
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, prettyErrors: true})
  const first = doc.errors[0]
  if (first) {
    const pos = first.linePos?.[0] ?? lineCounter.linePos(first.pos[0])
    throw new CfguardError(
      'POLICY_INVALID',
      `${file}:${pos.line}:${pos.col}: YAML syntax error: ${yamlProblem(first.message)}; fix the YAML there (indentation, quotes, brackets)`,
    )
  }
  return {file, doc, lineCounter}
}

/**
 * The document as plain data. Aliases that expand exponentially ("billion laughs") are refused by
 * yaml (maxAliasCount); that refusal is a policy error at the first alias, not a crash.
 */
export function toPlainData(src: YamlSource): unknown {
  try {
    return src.doc.toJS({maxAliasCount: 100})
  } catch (err) {
    if (!(err instanceof ReferenceError) || !/alias/i.test(err.message)) throw err
    let offset = 0
    const {visit} = yaml()
    visit(src.doc, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0
        return visit.BREAK
      },
    })
    const pos = src.lineCounter.linePos(offset)
    throw new CfguardError(
      'POLICY_INVALID',
      `${src.file}:${pos.line}:${pos.col}: too many YAML aliases (*name) expand here; write the values out instead`,
    )
  }
}

/** yaml's message without its " at line L, column C:" tail and the source excerpt after it. */
function yamlProblem(message: string): string {
  const head = message.split('\n')[0] ?? message
  return head.replace(/ at line \d+, column \d+:?\s*$/, '').trim()
}

/** The node at `path` (a JSON-pointer-like list of keys and indexes), or the nearest ancestor. */
function locate(src: YamlSource, path: DataPath, wantKey: boolean): Node | null {
  const {isAlias, isMap, isScalar, isSeq} = yaml()
  let node: unknown = src.doc.contents
  let found: Node | null = (node as Node | null) ?? null
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]
    if (isAlias(node)) node = node.resolve(src.doc)
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))
      if (!pair) return found
      const last = i === path.length - 1
      if (last && wantKey && isScalar(pair.key)) return pair.key
      node = pair.value
      // `key:` with no value: point at the key, the value has no useful place of its own.
      found = ((isScalar(node) && node.value === null ? pair.key : node) as Node | null) ?? found
    } else if (isSeq(node)) {
      node = node.items[Number(segment)]
      if (node === undefined) return found
      found = node as Node
    } else {
      return found
    }
  }
  return found
}

export function positionOf(src: YamlSource, path: DataPath, opts: {key?: boolean} = {}): Position {
  const node = locate(src, path, opts.key ?? false)
  const offset = node?.range?.[0] ?? 0
  return src.lineCounter.linePos(offset)
}

/** `file:line:column` of the value (or, with `key`, the key) at `path`. */
export function where(src: YamlSource, path: DataPath, opts: {key?: boolean} = {}): string {
  const pos = positionOf(src, path, opts)
  return `${src.file}:${pos.line}:${pos.col}`
}

/** Human path: `identity.requiredFor[1].spaces`. */
export function displayPath(path: DataPath): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) out += `[${segment}]`
    else out += out === '' ? segment : `.${segment}`
  }
  return out
}

/** Splits an ajv `instancePath` (`/identity/requiredFor/1/spaces`) into segments. */
export function pointerToPath(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}
