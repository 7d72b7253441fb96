/**
 * Word-wraps plain text to `width` columns. Every line after the first starts with `indent`; the
 * first line's prefix is the caller's (it has `firstWidth` columns). Nothing is ever broken inside
 * a word: a command in backticks is one word, and a word too long for the line (a URL, a GUID, a
 * command) goes on a line of its own, moved left so that it still fits the width when it can.
 */
export function wrap(text: string, width: number, indent = '', firstWidth = width): string[] {
  const lines: string[] = []
  for (const paragraph of text.split(/\r?\n/)) {
    let line = ''
    let prefix = ''
    let room = lines.length === 0 ? firstWidth : width - indent.length
    const first = () => lines.length === 0
    const flush = () => {
      lines.push(first() ? line : `${prefix}${line}`)
      line = ''
      prefix = indent
      room = width - indent.length
    }
    if (lines.length > 0) prefix = indent
    for (const word of words(paragraph)) {
      if (line !== '' && line.length + 1 + word.length <= room) {
        line += ` ${word}`
        continue
      }
      if (line !== '') flush()
      line = word
      if (word.length > room && !first()) {
        // Too long for the indented line: its own line, as far right as the width allows.
        prefix = ' '.repeat(Math.max(0, Math.min(indent.length, width - word.length)))
        flush()
      }
    }
    if (line !== '' || paragraph.trim() === '') flush()
  }
  return lines.map((l) => l.replaceAll(HOLD, ' '))
}

/** Stands for a space inside a command while wrapping (a private-use character). */
const HOLD = '\uE000'

/**
 * Marks the shell commands in free text (`cf …`, `cfguard …`, up to a `#` comment, `;`, `&&`, a
 * parenthesis or `, then`) so that `wrap` keeps each on one line: remediations mix prose and
 * commands, and a command broken over two lines cannot be pasted.
 */
export function keepCommandsWhole(text: string): string {
  return text.replace(
    /(^|[\s:(])((?:cfguard|cf) [a-z][a-z-]*(?: [^#;()`\n]*?)?)(?=\s+#|\s*;|\s+&&|\s*\(|\)|,\s+then\b|\s*$)/gm,
    (_m, lead: string, command: string) => `${lead}${command.trimEnd().replace(/ +/g, HOLD)}`,
  )
}

/** Whitespace-separated words; a `backtick span` (a command) is one word, spaces and all. */
function words(paragraph: string): string[] {
  const out: string[] = []
  const re = /`[^`]*`\S*|\S+/g
  let m: RegExpExecArray | null
  let glue = false
  while ((m = re.exec(paragraph)) !== null) {
    const start = m.index
    // A span preceded directly by text (`fix:`x`) stays attached to it.
    if (glue && start > 0 && !/\s/.test(paragraph[start - 1] as string) && out.length > 0) {
      out[out.length - 1] += m[0]
    } else {
      out.push(m[0])
    }
    glue = true
  }
  return out
}

/**
 * Fits lines of a plain-text block (a plan, an outcome) to `width`: a longer line is wrapped with
 * its own indentation plus four columns for the lines it continues onto (commands stay whole).
 */
export function fitLines(lines: readonly string[], width: number): string[] {
  const out: string[] = []
  for (const raw of lines) {
    const line = keepCommandsWhole(raw)
    if (raw.length <= width) {
      out.push(raw)
      continue
    }
    const indent = /^\s*/.exec(line)?.[0] ?? ''
    const body = wrap(line.slice(indent.length), width, `${indent}    `, width - indent.length)
    out.push(...body.map((l, i) => (i === 0 ? `${indent}${l}` : l)))
  }
  return out
}
