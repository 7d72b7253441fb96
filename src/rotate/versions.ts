/** CC API version gates the rotation relies on (docs/platform-facts.md §1.3), as data. */
export const MIN_CC_VERSION = {
  /** `strategy: multiple` credential bindings (RFC-0040). */
  bindingStrategyMultiple: '3.205.0',
} as const

/** Compares dotted numeric versions (`3.205.0`); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => Number.parseInt(p, 10) || 0)
  const pb = b.split('.').map((p) => Number.parseInt(p, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return Math.sign(d)
  }
  return 0
}

export function atLeast(actual: string, required: string): boolean {
  return compareVersions(actual, required) >= 0
}
