// One-off tool (issue 17, item 6): points comments that cite the team's shared notes at the
// repository's own docs, then gets deleted. Not part of the build.
//
//   `cf-api.md §X` / `docs/cf-api.md §X`  →  `docs/platform-facts.md §Y`  (SECTIONS below)
//   `docs/cf-api.md` without a section      →  `docs/platform-facts.md`
//   `DESIGN.md`                             →  `docs/architecture.md`
//
// Bare `§X` references count as cf-api.md citations where the shared notes were the implied
// document: in a comment block that also cites cf-api.md by name, and in the files of
// IMPLIED_GROUPS while the file that names their document still names cf-api.md (so a second run
// leaves them alone). A reference right after another document's name (`RFC 6749 §5.1`,
// `reliability-perf.md §5.2`) is never touched.
//
// A comment line the rewrite makes longer than Prettier's printWidth is re-wrapped (Prettier does
// not wrap comments); a long line that is not a comment is listed for a hand fix.
//
// Usage: node scripts/repoint-fact-comments.mjs [--check] [PATH ...]
//   PATH: directories or files (default: src); .ts and .md files are read.
//   --check: print every change, write nothing.
// Exits 1 without writing when a citation has no row in SECTIONS or names a section that
// docs/platform-facts.md does not have.
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {dirname, join, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const FACTS = 'docs/platform-facts.md'
const ARCHITECTURE = 'docs/architecture.md'

/**
 * Every section of cf-api.md, in its order (ranges such as `§3.1–3.3` expand over this order),
 * with the sections of docs/platform-facts.md that now hold its facts. null: nothing of it is
 * used by cfguard, so nothing may cite it.
 */
const SECTIONS = [
  ['1', ['1']],
  ['1.1', ['1.1']],
  ['1.2', ['1.2']],
  ['1.3', ['1.2']],
  ['2', ['2']],
  ['2.1', ['2.1']],
  ['2.2', ['2.2']],
  ['2.3', ['2.3']],
  ['2.4', ['2.4']],
  ['2.5', ['2.5']],
  ['2.6', ['2.6']],
  ['2.7', ['2.7']],
  ['2.8', ['2.8']],
  ['2.9', ['2.9']],
  ['2.10', ['2.10']],
  ['3', ['3']],
  ['3.1', ['3.1']],
  ['3.2', ['3.2']],
  ['3.3', ['3.3']],
  ['3.4', ['3.4']],
  ['3.5', ['3.5']],
  ['3.6', ['3.6']],
  ['3.7', ['3.7']],
  ['4', ['4']],
  ['4.1', ['4.1']],
  ['4.2', ['4.2']],
  ['4.3', ['4.3']],
  ['4.4', ['4.4']],
  ['4.5', ['4.5']],
  ['4.6', ['4.6']],
  ['4.7', ['4.7']],
  ['4.8', null], // routing API router groups: not used
  ['4.9', ['12.2']],
  ['5', ['5']],
  ['5.1', ['5.1']],
  ['5.2', ['5.2']],
  ['5.3', ['5.3']],
  ['5.4', ['5.4']],
  ['5.5', ['5.5']],
  ['5.6', ['5.6']],
  ['5.7', ['5.7']],
  ['6', ['6']],
  ['7', ['7']],
  ['8', ['9']],
  ['8.1', ['9.1']],
  ['8.2', ['9.2']],
  ['8.3', ['9.3']],
  ['8.4', ['9.4']],
  ['8.5', null], // UAA zone switching: not used
  ['8.6', ['9.5']],
  ['9', ['10']],
  ['10', ['11', '12']],
  ['10.1', ['11.1']],
  ['10.2', ['11.2']],
  ['10.3', ['12.1']],
  ['11', ['8']],
  ['12', ['1.3']],
  ['13', null], // open points: each now sits, marked unconfirmed, with its topic
]

/** Where a bare `§X` means cf-api.md: files (prefix match) and the file that names their document. */
const IMPLIED_GROUPS = [
  {prefix: 'src/sim/', declaredIn: 'src/sim/index.ts'},
  {prefix: 'test/contract/', declaredIn: 'test/helpers/sim.ts'},
  {prefix: 'test/helpers/fake-platform.ts', declaredIn: 'test/helpers/fake-platform.ts'},
  {prefix: 'test/unit/rotate/fake-platform.test.ts', declaredIn: 'test/unit/rotate/fake-platform.test.ts'},
]

const NUM = String.raw`\d+(?:\.\d+)?`
const SUB = String.raw`\d+\.\d+`
const ITEM = String.raw`§${NUM}(?:–${NUM})?`
const MORE = String.raw`(?:,\s*|\s*\/\s*)(?:§${NUM}(?:–${NUM})?|${SUB}(?:–${SUB})?)`
const REFS = String.raw`§?${ITEM}(?:${MORE})*`
const EXPLICIT = new RegExp(String.raw`(?<![\w/.-])(?:docs\/)?cf-api\.md(?:\s+(${REFS}))?`, 'g')
const BARE = new RegExp(String.raw`(?<![\w§])(?<!(?:\.md|RFC \d+)\s)(${REFS})`, 'g')
const DESIGN = /(?<![\w/.-])DESIGN\.md/g

const order = SECTIONS.map(([s]) => s)
const table = new Map(SECTIONS)
const factOrder = factSections()
const width = printWidth()

function factSections() {
  const text = readFileSync(join(ROOT, FACTS), 'utf8')
  return [...text.matchAll(/^#{2,3}\s+(\d+(?:\.\d+)?)\.?\s/gm)].map((m) => m[1])
}

/** Prettier's printWidth from the repository's config (80, Prettier's default, when unset). */
function printWidth() {
  for (const name of ['.prettierrc.json', '.prettierrc']) {
    try {
      return JSON.parse(readFileSync(join(ROOT, name), 'utf8')).printWidth ?? 80
    } catch {
      // not this one
    }
  }
  return 80
}

const parentOf = (s) => (s.includes('.') ? s.slice(0, s.indexOf('.')) : null)

/** `§3.1–3.3, 3.6` → ['3.1', '3.2', '3.3', '3.6'] (cf-api.md sections), or an error text. */
function expand(refs) {
  const out = []
  for (const raw of refs.split(/,\s*|\s*\/\s*/)) {
    const item = raw.replace(/^§+/, '')
    const [from, toRaw] = item.split('–')
    if (toRaw === undefined) {
      out.push(from)
      continue
    }
    const to = parentOf(from) && !toRaw.includes('.') ? `${parentOf(from)}.${toRaw}` : toRaw
    const a = order.indexOf(from)
    const b = order.indexOf(to)
    if (a < 0 || b < 0 || b < a) return {error: `range §${item} is not in cf-api.md`}
    const level = (s) => (s.includes('.') ? 2 : 1)
    out.push(...order.slice(a, b + 1).filter((s) => level(s) === level(from)))
  }
  return {sections: out}
}

/** The platform-facts.md sections of a cf-api.md reference list, rendered; or an error text. */
function mapRefs(refs) {
  const expanded = expand(refs)
  if (expanded.error) return expanded
  const targets = new Set()
  for (const s of expanded.sections) {
    const to = table.get(s)
    if (to === undefined) return {error: `cf-api.md §${s} has no row in SECTIONS`}
    if (to === null) return {error: `cf-api.md §${s} maps to nothing (its facts are not in ${FACTS})`}
    for (const t of to) {
      if (!factOrder.includes(t)) return {error: `${FACTS} has no §${t} (SECTIONS row of §${s})`}
      targets.add(t)
    }
  }
  return {text: render([...targets].sort((a, b) => factOrder.indexOf(a) - factOrder.indexOf(b)))}
}

/** ['4.1', '4.2', '4.3', '4.6'] → `§4.1–4.3, §4.6`; ['4', '5', '6'] → `§§4–6`. */
function render(sections) {
  const siblings = (s) => factOrder.filter((x) => parentOf(x) === parentOf(s))
  const runs = []
  for (const s of sections) {
    const run = runs.at(-1)
    const last = run?.at(-1)
    const adjacent =
      last !== undefined &&
      parentOf(last) === parentOf(s) &&
      siblings(s).indexOf(s) === siblings(s).indexOf(last) + 1
    if (adjacent) run.push(s)
    else runs.push([s])
  }
  return runs
    .map((run) => {
      const first = run[0]
      const last = run.at(-1)
      if (run.length === 1) return `§${first}`
      return parentOf(first) === null ? `§§${first}–${last}` : `§${first}–${last}`
    })
    .join(', ')
}

/** Line index → comment block id (block comments and runs of `//` lines), or -1. */
function commentBlocks(lines) {
  const ids = new Array(lines.length).fill(-1)
  let id = 0
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (/^\s*\/\*/.test(line)) {
      let j = i
      while (j < lines.length && !lines[j].includes('*/')) j++
      for (let k = i; k <= Math.min(j, lines.length - 1); k++) ids[k] = id
      id++
      i = j
    } else if (/^\s*\/\//.test(line)) {
      let j = i
      while (j + 1 < lines.length && /^\s*\/\//.test(lines[j + 1])) j++
      for (let k = i; k <= j; k++) ids[k] = id
      id++
      i = j
    } else if (line.includes('/*') && !line.includes('*/')) {
      let j = i
      while (j < lines.length && !lines[j].includes('*/')) j++
      for (let k = i; k <= Math.min(j, lines.length - 1); k++) ids[k] = id
      id++
      i = j
    }
  }
  return ids
}

function files(path) {
  const abs = join(ROOT, path)
  if (statSync(abs).isFile()) return [path]
  const out = []
  for (const entry of readdirSync(abs, {withFileTypes: true})) {
    const child = join(path, entry.name)
    if (entry.isDirectory()) out.push(...files(child))
    else if (/\.(ts|md)$/.test(entry.name)) out.push(child)
  }
  return out
}

const toPosix = (p) => p.split(sep).join('/')

function impliedGroupActive(file) {
  const group = IMPLIED_GROUPS.find((g) => file.startsWith(g.prefix))
  if (!group) return false
  try {
    return /cf-api\.md/.test(readFileSync(join(ROOT, group.declaredIn), 'utf8'))
  } catch {
    return false
  }
}

/** Rewrites one file's lines; returns the changes and errors. */
function rewrite(file, text) {
  const lines = text.split('\n')
  const blocks = commentBlocks(lines)
  const citingBlocks = new Set(blocks.filter((b, i) => b >= 0 && /cf-api\.md/.test(lines[i])))
  const implied = impliedGroupActive(file)
  const changes = []
  const errors = []
  let citations = 0
  const mapOrKeep = (whole, refs, i) => {
    const mapped = mapRefs(refs)
    if (!mapped.error) return mapped.text
    errors.push(`${file}:${i + 1}: ${mapped.error}`)
    return whole
  }
  const out = lines.map((line, i) => {
    const bareHere = implied || (blocks[i] >= 0 && citingBlocks.has(blocks[i]))
    // bare references only in the text between explicit citations, so nothing is mapped twice
    const bare = (text) =>
      bareHere
        ? text.replace(BARE, (whole, refs) => {
            citations++
            return mapOrKeep(whole, refs, i)
          })
        : text
    let next = ''
    let at = 0
    for (const m of line.matchAll(EXPLICIT)) {
      next += bare(line.slice(at, m.index))
      citations++
      next += m[1] ? `${FACTS} ${mapOrKeep(m[1], m[1], i)}` : FACTS
      at = m.index + m[0].length
    }
    next += bare(line.slice(at))
    next = next.replace(DESIGN, () => {
      citations++
      return ARCHITECTURE
    })
    if (next !== line) changes.push({line: i + 1, before: line, after: next})
    return next
  })
  const md = file.endsWith('.md')
  const {lines: wrapped, long} = md
    ? {lines: out, long: []}
    : wrap(out, new Set(changes.map((c) => c.line - 1)))
  return {text: wrapped.join('\n'), changes, errors, citations, long: long.map((n) => `${file}:${n}`)}
}

/**
 * Re-wraps changed comment lines longer than the print width: a ` * ` line pushes its last words
 * onto the next line of the same paragraph (or a new one), a `/** … *\/` line becomes a block, a
 * `//` line continues on a new `//` line. Returns line numbers of long non-comment lines.
 */
function wrap(lines, changed) {
  const out = [...lines]
  const long = []
  const marker = /^(?:[-*] |\d+\. )/
  for (let i = 0; i < out.length; i++) {
    const line = out[i]
    if (line.length <= width || !changed.has(i)) continue
    const oneLiner = /^(\s*)\/\*\* (.*) \*\/$/.exec(line)
    if (oneLiner) {
      const [, indent, body] = oneLiner
      out.splice(i, 1, `${indent}/**`, `${indent} * ${body}`, `${indent} */`)
      shift(changed, i, 2)
      changed.add(i + 1)
      continue
    }
    const star = /^(\s*\*\s+)(.*)$/.exec(line)
    const slash = /^(\s*\/\/\s*)(.*)$/.exec(line)
    const m = star ?? slash
    if (!m) {
      long.push(i + 1)
      continue
    }
    const [, prefix, body] = m
    // never between a document and its sections, nor inside a list of sections
    let cut = body.lastIndexOf(' ', width - prefix.length)
    while (cut > 0 && /^§|^\d/.test(body.slice(cut + 1))) cut = body.lastIndexOf(' ', cut - 1)
    if (cut <= 0) {
      long.push(i + 1)
      continue
    }
    const head = body.slice(0, cut)
    const tail = body.slice(cut + 1)
    const contPrefix = marker.test(body) ? prefix + ' '.repeat(marker.exec(body)[0].length) : prefix
    out[i] = prefix + head
    const following = out[i + 1]
    const fm = following === undefined ? null : /^(\s*(?:\*|\/\/)\s+)(.*)$/.exec(following)
    if (fm && fm[1] === contPrefix && fm[2] !== '' && !marker.test(fm[2]) && !fm[2].startsWith('*/')) {
      out[i + 1] = `${contPrefix}${tail} ${fm[2]}`
    } else {
      out.splice(i + 1, 0, contPrefix + tail)
      shift(changed, i, 1)
    }
    changed.add(i + 1)
  }
  return {lines: out, long}
}

/** After inserting `by` lines after index `at`, moves the marks of later lines down. */
function shift(set, at, by) {
  const moved = [...set].map((n) => (n > at ? n + by : n))
  set.clear()
  for (const n of moved) set.add(n)
}

const args = process.argv.slice(2)
const check = args.includes('--check')
const roots = args.filter((a) => a !== '--check')
const targets = (roots.length > 0 ? roots : ['src']).flatMap((r) => files(r)).map(toPosix)

const results = targets.map((file) => ({file, ...rewrite(file, readFileSync(join(ROOT, file), 'utf8'))}))
const errors = results.flatMap((r) => r.errors)
const write = (s) => process.stdout.write(`${s}\n`)

if (errors.length > 0) {
  for (const e of errors) process.stderr.write(`${e}\n`)
  process.stderr.write(
    `${errors.length} citation(s) cannot be mapped; nothing written. Add rows to SECTIONS.\n`,
  )
  process.exit(1)
}

let total = 0
let touched = 0
for (const r of results) {
  if (r.changes.length === 0) continue
  touched++
  total += r.citations
  if (check) {
    for (const c of r.changes) write(`${r.file}:${c.line}\n  - ${c.before.trim()}\n  + ${c.after.trim()}`)
  } else {
    writeFileSync(join(ROOT, r.file), r.text)
  }
}
const long = results.flatMap((r) => r.long)
for (const l of long) write(`still longer than ${width} (not a comment, fix by hand): ${l}`)
write(
  `${check ? 'would rewrite' : 'rewrote'} ${total} citation(s) in ${touched} file(s) ` +
    `(${SECTIONS.filter(([, to]) => to !== null).length} of ${SECTIONS.length} cf-api.md sections mapped)`,
)
