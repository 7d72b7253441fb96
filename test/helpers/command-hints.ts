/**
 * Every `cfguard …` command cfguard shows a person (error suggestions, refusals, rule
 * remediation, help examples, the README) must parse against the real command and flag
 * definitions. This file finds such commands in text, in the TypeScript sources (string literals
 * only, with `${…}` and concatenated expressions as placeholders) and in the oclif manifest, and
 * checks one against a command table read from the manifests.
 */
import {readFileSync, readdirSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'

import ts from 'typescript'

import {ROOT} from './cli.js'

export interface FlagDef {
  char?: string
  type: 'boolean' | 'option'
  allowNo?: boolean
  options?: string[]
}

export interface CommandDef {
  id: string
  args: number
  strict: boolean
  flags: Map<string, FlagDef>
}

export interface CommandTable {
  /** Words as typed (`credentials rotate`, alias `rotate-credentials`) → definition. */
  byWords: Map<string, CommandDef>
}

export interface Hint {
  command: string
  /** Where it was found, e.g. `src/rotate/refusals.ts`, `manifest credentials:rotate`. */
  from: string
}

/** What an expression inside a template or concatenation becomes. */
export const PLACEHOLDER = 'VALUE'

interface ManifestCommand {
  id: string
  aliases?: string[]
  args?: Record<string, unknown>
  strict?: boolean
  flags?: Record<
    string,
    {name: string; char?: string; type: 'boolean' | 'option'; allowNo?: boolean; options?: string[]}
  >
  examples?: (string | {command: string})[]
}

function readManifest(path: string): ManifestCommand[] {
  try {
    return Object.values(
      (JSON.parse(readFileSync(path, 'utf8')) as {commands: Record<string, ManifestCommand>}).commands,
    )
  } catch {
    return []
  }
}

/** cfguard's commands plus the plugins' (`help`, `autocomplete`). */
export function manifestCommands(): ManifestCommand[] {
  const plugins = ['plugin-help', 'plugin-autocomplete'].map((p) =>
    readManifest(join(ROOT, 'node_modules/@oclif', p, 'oclif.manifest.json')),
  )
  return [...readManifest(join(ROOT, 'oclif.manifest.json')), ...plugins.flat()]
}

export function commandTable(commands: ManifestCommand[] = manifestCommands()): CommandTable {
  const byWords = new Map<string, CommandDef>()
  for (const c of commands) {
    const flags = new Map<string, FlagDef>()
    for (const f of Object.values(c.flags ?? {})) {
      flags.set(f.name, {
        type: f.type,
        ...(f.char ? {char: f.char} : {}),
        ...(f.allowNo ? {allowNo: true} : {}),
        ...(f.options ? {options: f.options} : {}),
      })
    }
    const def: CommandDef = {
      id: c.id,
      args: Object.keys(c.args ?? {}).length,
      strict: c.strict !== false,
      flags,
    }
    for (const name of [c.id, ...(c.aliases ?? [])]) byWords.set(name.split(':').join(' '), def)
  }
  return {byWords}
}

/** A stand-in for a value the person fills in: `SERVICE_INSTANCE`, `<name>`, `…`, `VALUE`. */
export function isPlaceholder(token: string): boolean {
  return (
    /^[A-Z][A-Z0-9_]*$/.test(token) ||
    /^<[^>]+>$/.test(token) ||
    /^\[[^\]]+\]$/.test(token) ||
    token === '…' ||
    token === '...' ||
    token.includes(PLACEHOLDER)
  )
}

/** Shell words of a command line, up to the first shell operator or comment. */
function words(line: string): string[] {
  const out: string[] = []
  for (const m of line.matchAll(/"[^"]*"|'[^']*'|\S+/g)) {
    const w = m[0]
    if (['|', '||', '&&', ';', '>', '>>', '<', '2>', '&', '#'].includes(w) || w.startsWith('#')) break
    out.push(w.replace(/^(["'])(.*)\1$/, '$2'))
  }
  return out
}

/** The longest command the words start with, and how many words name it. */
function commandOf(argv: string[], table: CommandTable): {def: CommandDef; used: number} | null {
  for (let n = Math.min(3, argv.length); n > 0; n--) {
    const def = table.byWords.get(argv.slice(0, n).join(' '))
    if (def) return {def, used: n}
  }
  return null
}

/**
 * Why `cfguard <line>` would not parse, or null when it does. A computed command word
 * (`cfguard credentials ${action} NAME`) parses when some command it can stand for does.
 */
export function whyNotParse(line: string, table: CommandTable): string | null {
  const argv = words(line.replace(/^cfguard\s+/, ''))
  const computed = argv.findIndex((w, i) => i > 0 && i < 3 && w.includes(PLACEHOLDER))
  if (computed > 0) {
    const prefix = argv.slice(0, computed).join(' ') + ' '
    const options = [...table.byWords.keys()].filter((k) => k.startsWith(prefix))
    if (options.length > 0) {
      const whys = options.map((k) => whyNotParse(`${k} ${argv.slice(computed + 1).join(' ')}`, table))
      return whys.includes(null) ? null : whys[0]!
    }
  }
  return parseWith(argv, table)
}

function parseWith(argv: string[], table: CommandTable): string | null {
  let def: CommandDef | undefined
  let used = 0
  const found = commandOf(argv, table)
  if (found) ({def, used} = found)
  if (!def) {
    // `cfguard …` / `cfguard --help` name no command.
    if (argv.length === 0 || isPlaceholder(argv[0]!)) return null
    if (['--help', '-h', '--version', 'version'].includes(argv[0]!)) return null
    return `no command "${argv.slice(0, 2).join(' ')}"`
  }
  let args = 0
  for (let i = used; i < argv.length; i++) {
    const w = argv[i]!
    if (w === '…' || w === '...') return null // "and so on": the rest is elided
    if (w === '--help' || w === '-h') continue
    if (w.startsWith('--')) {
      const [name, inline] = w.slice(2).split(/=(.*)/s, 2) as [string, string | undefined]
      const flag = def.flags.get(name) ?? (name.startsWith('no-') ? negatable(def, name.slice(3)) : undefined)
      if (!flag) return `${def.id} has no flag --${name}`
      if (flag.type === 'option') {
        const value = inline ?? argv[++i]
        if (value === undefined) return `--${name} needs a value`
        const bad = badOption(flag, value)
        if (bad) return `--${name} ${bad}`
      } else if (inline !== undefined) return `--${name} takes no value`
      continue
    }
    if (/^-[A-Za-z]$/.test(w)) {
      const flag = [...def.flags.values()].find((f) => f.char === w.slice(1))
      if (!flag) return `${def.id} has no flag ${w}`
      if (flag.type === 'option') {
        const value = argv[++i]
        if (value === undefined) return `${w} needs a value`
        const bad = badOption(flag, value)
        if (bad) return `${w} ${bad}`
      }
      continue
    }
    if (w.startsWith('-') && !isPlaceholder(w)) return `${def.id}: unknown option ${w}`
    if (++args > def.args && def.strict) return `${def.id} takes ${def.args} argument(s), not "${w}"`
  }
  return null
}

function negatable(def: CommandDef, name: string): FlagDef | undefined {
  const flag = def.flags.get(name)
  return flag?.allowNo ? flag : undefined
}

function badOption(flag: FlagDef, value: string): string | null {
  if (!flag.options || isPlaceholder(value)) return null
  const values = flag.options
  // Comma lists (e.g. --rules) are checked item by item only when the flag lists its values.
  return value.split(',').every((v) => values.includes(v)) ? null : `does not accept "${value}"`
}

/**
 * `cfguard …` commands in a piece of text: every backticked one, and unquoted ones whose first
 * word is a command word (prose such as "cfguard reads …" is not a command).
 */
export function commandsInText(text: string, table: CommandTable): string[] {
  const found: string[] = []
  const quoted = /`(cfguard(?:\s[^`]*)?)`/g
  for (const m of text.matchAll(quoted)) found.push(m[1]!.trim())
  const rest = text.replace(quoted, ' ')
  for (const m of rest.matchAll(/(?:^|[^\w/.-])(?=(cfguard\s+[^\n`()]*))/g)) {
    // Up to the end of the clause: a comma/semicolon, " or ", " then ", a colon, a sentence end.
    const cmd = m[1]!.split(/[,;]|\s(?:or|then|and|to|after|before|with|when)\s|:\s|\.\s|\.$/)[0]!.trim()
    // Prose ("a cfguard audit result") names no command with flags or placeholders after it.
    const argv = words(cmd.replace(/^cfguard\s+/, ''))
    const command = commandOf(argv, table)
    const next = command ? argv[command.used] : undefined
    if (command && (next === undefined || next.startsWith('-') || isPlaceholder(next))) found.push(cmd)
  }
  return found
}

/** Text of a string-ish expression: literals as written, anything computed as PLACEHOLDER. */
function textOf(node: ts.Node): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text
  if (ts.isTemplateExpression(node))
    return node.head.text + node.templateSpans.map((s) => PLACEHOLDER + s.literal.text).join('')
  if (ts.isParenthesizedExpression(node)) return textOf(node.expression)
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return textOf(node.left) + textOf(node.right)
  return PLACEHOLDER
}

const isConcat = (n: ts.Node | undefined) =>
  n !== undefined && ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken

function tsFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...tsFiles(path))
    else if (name.endsWith('.ts')) out.push(path)
  }
  return out
}

/** Commands in the string literals (not comments) of every source file under `dir`. */
export function hintsInSources(dir: string, table: CommandTable): Hint[] {
  const hints: Hint[] = []
  for (const file of tsFiles(dir)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
    const from = relative(ROOT, file)
    const visit = (node: ts.Node): void => {
      const stringy =
        ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateExpression(node) ||
        isConcat(node)
      if (stringy && !isConcat(node.parent) && !ts.isImportDeclaration(node.parent)) {
        for (const command of commandsInText(textOf(node), table)) hints.push({command, from})
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return hints
}

/** The `examples` of every cfguard command, as a person would type them. */
export function hintsInManifestExamples(): Hint[] {
  const hints: Hint[] = []
  for (const c of readManifest(join(ROOT, 'oclif.manifest.json'))) {
    for (const e of c.examples ?? []) {
      const line = (typeof e === 'string' ? e : e.command)
        .replaceAll('<%= config.bin %>', 'cfguard')
        .replaceAll('<%= command.id %>', c.id.split(':').join(' '))
      const at = line.indexOf('cfguard ')
      if (at >= 0) hints.push({command: line.slice(at).trim(), from: `manifest ${c.id}`})
    }
  }
  return hints
}

/** Commands in markdown: lines of fenced code blocks that run cfguard, and backticked spans. */
export function hintsInMarkdown(path: string): Hint[] {
  const text = readFileSync(path, 'utf8')
  const from = relative(ROOT, path)
  const hints: Hint[] = []
  const prose = text.replace(/```[^\n]*\n([\s\S]*?)```/g, (_, body: string) => {
    for (const line of body.split('\n')) {
      const m = /(?:^|[|;&]\s*|\$\s+)(cfguard\s.*|cfguard)$/.exec(line.trim())
      if (m) hints.push({command: m[1]!.trim(), from})
    }
    return ' '
  })
  for (const m of prose.matchAll(/`(cfguard(?:\s[^`]*)?)`/g)) hints.push({command: m[1]!.trim(), from})
  return hints
}

/** Next-step lines (`  next: …`) of a CLI run's stderr/stdout, as commands. */
export function hintsInOutput(output: string, table: CommandTable, from: string): Hint[] {
  return output
    .split('\n')
    .filter((l) => /^\s*next:/.test(l) || /cfguard\s/.test(l))
    .flatMap((l) => commandsInText(l.replace(/^\s*next:\s*/, ''), table).map((command) => ({command, from})))
}
