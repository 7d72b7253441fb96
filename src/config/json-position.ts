/**
 * Where JSON.parse gave up, as a character offset. V8's messages do not always carry a position
 * (`Unexpected token '}', "…" is not valid JSON` has none, still on Node 22 and 24), so this
 * finds the longest prefix that could still begin a valid document (prefixes of valid JSON are
 * closed under shortening): the error sits on the next character. Returns
 * `text.length` when the text is a valid start cut short (a truncated file).
 */
export function jsonErrorOffset(text: string): number {
  if (couldContinue(text)) return text.length
  let good = 0
  let bad = text.length
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2)
    if (couldContinue(text.slice(0, mid))) good = mid
    else bad = mid
  }
  return bad - 1
}

/** True when `prefix` parses, or fails only because it ended too early. */
function couldContinue(prefix: string): boolean {
  try {
    JSON.parse(prefix)
    return true
  } catch (err) {
    const message = err instanceof Error ? err.message : ''
    if (/Unexpected end of JSON input/.test(message)) return true
    const at = /at position (\d+)/.exec(message)
    return at !== null && Number(at[1]) >= prefix.length
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): {line: number; col: number} {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return {line, col: offset - before.lastIndexOf('\n')}
}
