export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const
export type Severity = (typeof SEVERITIES)[number]

/** Higher is worse. */
export const severityRank: Record<Severity, number> = {critical: 4, high: 3, medium: 2, low: 1, info: 0}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value)
}

export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return severityRank[severity] >= severityRank[threshold]
}
