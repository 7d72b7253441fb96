/** The closest candidate within a small edit distance, for "did you mean …?" hints. */
export function closest(input: string, candidates: readonly string[]): string | null {
  let best: string | null = null
  let bestDistance = Math.max(2, Math.floor(input.length / 3)) + 1
  for (const candidate of candidates) {
    const d = editDistance(input.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

/** Edit distance where swapping two neighbouring letters (`audti` → `audit`) counts as one edit. */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = []
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      )
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (beforePrevious[j - 2] as number) + 1)
      current[j] = d
    }
    beforePrevious = previous
    previous = current
  }
  return previous[b.length] as number
}

/**
 * The candidates closest to `input` (all those at the smallest edit distance, in the order given,
 * at most `limit`), within the small distance `closest` allows; none when nothing is that close. Pure.
 */
export function closestNames(input: string, candidates: readonly string[], limit = 3): string[] {
  const bound = Math.max(2, Math.floor(input.length / 3))
  const scored: {name: string; d: number; i: number}[] = []
  const seen = new Set<string>()
  for (const [i, name] of candidates.entries()) {
    if (seen.has(name) || name === input) continue
    seen.add(name)
    const d = editDistance(input.toLowerCase(), name.toLowerCase())
    if (d <= bound) scored.push({name, d, i})
  }
  const best = Math.min(...scored.map((s) => s.d))
  return scored
    .filter((s) => s.d === best)
    .sort((a, b) => a.i - b.i)
    .slice(0, limit)
    .map((s) => s.name)
}

/** `did you mean "search"?` (or `"a" or "b"?`) for a name that matched nothing; null when none is close. */
export function didYouMean(input: string, candidates: readonly string[]): string | null {
  const names = closestNames(input, candidates).map((n) => `"${n}"`)
  if (names.length === 0) return null
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`
  return `did you mean ${list}?`
}

/**
 * The one-line error for a filter that matched nothing (exit 2): what was not found, the closest
 * names there are, and where to look. `what` reads like `app named "serch"`.
 */
export function noMatchMessage(what: string, input: string, candidates: readonly string[]): string {
  const guess = didYouMean(input, candidates)
  return `no ${what}${guess ? `; ${guess}` : ''}`
}
