/**
 * `JSON.stringify(value, null, 2)` produced in chunks instead of one string, so a large document
 * can be written with backpressure. An audit of 10,000 apps prints about 25 MB of JSON; written
 * at once into a pipe, all of it waited in memory for the reader (about 100 MB more peak RSS).
 * Arrays and plain objects are walked here; anything else (strings, numbers, objects with
 * toJSON, class instances) goes through JSON.stringify itself, so the text is byte for byte
 * what JSON.stringify would give.
 */
import {Readable, type Writable} from 'node:stream'

const INDENT = '  '
export const CHUNK_SIZE = 64 * 1024

/** The document in pieces of about `chunkSize` characters (the last one shorter). */
export function* jsonChunks(value: unknown, chunkSize = CHUNK_SIZE): Generator<string> {
  const top = serializable(value, '')
  if (top === undefined) return
  let buffer = ''
  for (const piece of pieces(top, '')) {
    buffer += piece
    if (buffer.length >= chunkSize) {
      yield buffer
      buffer = ''
    }
  }
  if (buffer.length > 0) yield buffer
}

/**
 * Writes the document and a newline to `out`: at once when it is small, else streamed, waiting
 * for the reader whenever `out` is full (the process stays alive until it is all written).
 */
export function writeJsonDocument(value: unknown, out: Writable, chunkSize = CHUNK_SIZE): void {
  const chunks = jsonChunks(value, chunkSize)
  const first = chunks.next()
  const second = first.done ? first : chunks.next()
  if (second.done) {
    out.write(`${first.done ? '' : first.value}\n`)
    return
  }
  function* all(): Generator<string> {
    yield first.value as string
    yield second.value as string
    yield* chunks
    yield '\n'
  }
  Readable.from(all()).pipe(out, {end: false})
}

/** The value JSON.stringify would serialize for `key` (after toJSON), or undefined to leave it out. */
function serializable(value: unknown, key: string): unknown {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as {toJSON?: unknown}).toJSON === 'function'
  ) {
    value = (value as {toJSON: (k: string) => unknown}).toJSON(key)
  }
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined
  return value
}

function isPlainContainer(value: unknown): value is unknown[] | Record<string, unknown> {
  if (Array.isArray(value)) return true
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** Lists longer than this inside an element are walked, not stringified with the element. */
export const LONG_LIST = 64

/** A plain object with a list of more than LONG_LIST entries among its own values. */
function holdsLongList(value: unknown): boolean {
  if (!isPlainContainer(value) || Array.isArray(value)) return false
  for (const key of Object.keys(value)) {
    const v = value[key]
    if (Array.isArray(v) && v.length > LONG_LIST) return true
  }
  return false
}

function indented(text: string, indent: string): string {
  return indent === '' ? text : text.replaceAll('\n', `\n${indent}`)
}

function* pieces(value: unknown, indent: string): Generator<string> {
  if (!isPlainContainer(value)) {
    yield indented(JSON.stringify(value, null, 2), indent)
    return
  }
  const inner = indent + INDENT
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]'
      return
    }
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '[' : ','}\n${inner}`
      const v = serializable(value[i], String(i))
      if (v === undefined) yield 'null'
      else if (Array.isArray(v) || holdsLongList(v)) yield* pieces(v, inner)
      // One element (a finding, a route…) in one JSON.stringify call: the same bytes as walking
      // it here, a third less CPU for a 25 MB document (the generator's pieces cost more than
      // the text), and an element is small enough to hold at once. An element that holds a long
      // list (a route map's domain and all its routes: ~85 MB of text at 50,000 apps, twice over
      // with its indentation) is walked instead, down to its list's elements.
      else yield indented(JSON.stringify(v, null, 2), inner)
    }
    yield `\n${indent}]`
    return
  }
  let first = true
  for (const key of Object.keys(value)) {
    const v = serializable(value[key], key)
    if (v === undefined) continue
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `
    first = false
    yield* pieces(v, inner)
  }
  yield first ? '{}' : `\n${indent}}`
}
