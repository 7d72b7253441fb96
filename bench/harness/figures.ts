/**
 * The benchmark's figures and targets (pure): lower bound on wall time, the ratios the README
 * table shows, and whether each meets its target. Targets are printed, never asserted.
 */

/**
 * Round trips that must happen one after another before the per-item reads can start, and that
 * no amount of concurrency removes:
 *   1. `GET /` — root discovery (UAA and every other endpoint come from it);
 *   2. `POST /oauth/token` — the token every CC request needs;
 *   3. the first page of the list that names the items (e.g. `/v3/service_instances`), whose
 *      GUIDs the per-item reads need.
 * Further pages of a list are fetched concurrently once page 1 gives `total_pages`, and the
 * other bulk lists overlap with the per-item reads, so neither adds to the chain.
 */
export const DEPENDENT_CHAIN = 3

/** The concurrency the lower bound assumes (cfguard's default request concurrency). */
export const CONCURRENCY = 16

export function lowerBoundMs(latencyMs: number, perItemReads: number, concurrency = CONCURRENCY): number {
  return latencyMs * (DEPENDENT_CHAIN + Math.ceil(perItemReads / concurrency))
}

export type FigureId =
  | 'requestsOverMinimum'
  | 'wallOverLowerBound'
  | 'naiveOverCfguard'
  | 'cachedOverFirst'
  | 'peakRssMb'
  | 'startupOverNode'

export interface Target {
  id: FigureId
  label: string
  /** Shown beside the value, e.g. `≤ 1.05`. */
  text: string
  /** Decimals the table shows (ratios 2, megabytes 0). */
  digits: number
  met(value: number): boolean
}

export const TARGETS: Record<FigureId, Target> = {
  requestsOverMinimum: {
    id: 'requestsOverMinimum',
    label: 'requests / minimum',
    text: '≤ 1.05',
    digits: 2,
    met: (v) => v <= 1.05,
  },
  wallOverLowerBound: {
    id: 'wallOverLowerBound',
    label: `wall / lower bound, concurrency ${CONCURRENCY}`,
    text: '≤ 1.5',
    digits: 2,
    met: (v) => v <= 1.5,
  },
  naiveOverCfguard: {
    id: 'naiveOverCfguard',
    label: 'naive baseline wall / cfguard wall',
    text: '≥ 20',
    digits: 1,
    met: (v) => v >= 20,
  },
  cachedOverFirst: {
    id: 'cachedOverFirst',
    label: 'cached second run requests / first run requests',
    text: '≤ 0.2',
    digits: 3,
    met: (v) => v <= 0.2,
  },
  peakRssMb: {
    id: 'peakRssMb',
    label: 'peak RSS of cfguard (MB)',
    text: '≤ 300',
    digits: 0,
    met: (v) => v <= 300,
  },
  startupOverNode: {
    id: 'startupOverNode',
    label: 'start-up / `node -e 0` (median ratio)',
    text: '≤ 2.5',
    digits: 2,
    met: (v) => v <= 2.5,
  },
}

export interface Figure {
  id: FigureId
  /** Which run the value belongs to, e.g. `1,000 apps @ 10 ms` or `cfguard --help`. */
  subject: string
  label: string
  /** null = could not be measured (the reason is in `note`). */
  value: number | null
  target: string
  met: boolean | null
  /** What the value was computed from, e.g. `1,706 / 1,700`. */
  detail: string
  note?: string
}

export function figure(
  id: FigureId,
  subject: string,
  value: number | null,
  detail: string,
  note?: string,
): Figure {
  const target = TARGETS[id]
  const finite = value !== null && Number.isFinite(value)
  return {
    id,
    subject,
    label: target.label,
    value: finite ? value : null,
    target: target.text,
    met: finite ? target.met(value) : null,
    detail,
    ...(note ? {note} : {}),
  }
}

/** `1234.5` → `1,235`; below 100, `digits` decimals. */
export function formatNumber(value: number | null, digits = 2): string {
  if (value === null) return 'n/a'
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US')
  return value.toFixed(digits)
}
