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
  | 'requestsOverApiMinimum'
  | 'wallOverCurl'
  | 'cpuOverCurl'
  | 'wallOverLowerBound'
  | 'naiveOverCfguard'
  | 'cachedOverFirst'
  | 'peakRssMb'
  | 'clientCpuOverRaw'
  | 'firstRequestOverNode'
  | 'startupOverNode'

export interface Target {
  id: FigureId
  label: string
  /** `≤` or `≥` the limit; `reported`: printed without a target (met stays null). */
  compare: '≤' | '≥' | 'reported'
  /** The default limit; a figure may carry its own (e.g. wall / lower bound per foundation). */
  limit: number
  /** Decimals the table shows (ratios 2, megabytes 0). */
  digits: number
}

export const TARGETS: Record<FigureId, Target> = {
  requestsOverMinimum: {
    id: 'requestsOverMinimum',
    label: "requests / minimum (cfguard's cost model)",
    compare: '≤',
    limit: 1,
    digits: 2,
  },
  requestsOverApiMinimum: {
    id: 'requestsOverApiMinimum',
    label: 'requests / minimum (from the API: lists and per-item reads)',
    compare: '≤',
    limit: 1,
    digits: 2,
  },
  wallOverCurl: {
    id: 'wallOverCurl',
    label: 'full audit wall / curl-parallel collection wall (medians)',
    compare: '≤',
    limit: 1,
    digits: 2,
  },
  cpuOverCurl: {
    id: 'cpuOverCurl',
    label: 'full audit CPU / curl-parallel collection CPU (medians)',
    compare: 'reported',
    limit: Number.NaN,
    digits: 2,
  },
  wallOverLowerBound: {
    id: 'wallOverLowerBound',
    label: `wall / lower bound, concurrency ${CONCURRENCY}`,
    compare: '≤',
    limit: 1.5,
    digits: 2,
  },
  naiveOverCfguard: {
    id: 'naiveOverCfguard',
    label: 'naive strawman wall / cfguard wall',
    compare: '≥',
    limit: 20,
    digits: 1,
  },
  cachedOverFirst: {
    id: 'cachedOverFirst',
    label: 'cached second run requests / first run requests',
    compare: '≤',
    limit: 0.2,
    digits: 3,
  },
  peakRssMb: {
    id: 'peakRssMb',
    label: 'peak RSS of cfguard (MB)',
    compare: '≤',
    limit: 300,
    digits: 0,
  },
  clientCpuOverRaw: {
    id: 'clientCpuOverRaw',
    label: 'client CPU per request, transport / raw node:http (median ratio)',
    compare: '≤',
    limit: 1.5,
    digits: 2,
  },
  firstRequestOverNode: {
    id: 'firstRequestOverNode',
    label: 'time to first request / `node -e 0` (median ratio)',
    compare: '≤',
    limit: 2.5,
    digits: 2,
  },
  startupOverNode: {
    id: 'startupOverNode',
    label: 'start-up / `node -e 0` (median ratio)',
    compare: '≤',
    limit: 2.5,
    digits: 2,
  },
}

/** `≤ 1.5`, `≥ 20`, `reported`. */
export function targetText(target: Target, limit = target.limit): string {
  return target.compare === 'reported' ? 'reported' : `${target.compare} ${limit}`
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
  limit?: number,
): Figure {
  const target = TARGETS[id]
  const bound = limit ?? target.limit
  const finite = value !== null && Number.isFinite(value)
  const met =
    !finite || target.compare === 'reported' ? null : target.compare === '≤' ? value <= bound : value >= bound
  return {
    id,
    subject,
    label: target.label,
    value: finite ? value : null,
    target: targetText(target, bound),
    met,
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
