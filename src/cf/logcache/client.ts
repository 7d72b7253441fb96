/**
 * Log Cache (docs/platform-facts.md §§11–12) at the root `log_cache` link: read envelopes of one source (app
 * GUID), newest first, paging backwards by `end_time` (what CC does). Timestamps are nanoseconds, carried
 * as bigint so nothing is lost.
 */
import type {Transport} from '../http/transport.js'
import {joinUrl} from '../http/url.js'

export const LOG_CACHE = 'Log Cache'

/** Max `limit` Log Cache accepts per read. */
export const MAX_READ_LIMIT = 1000

export type EnvelopeType = 'LOG' | 'COUNTER' | 'GAUGE' | 'TIMER' | 'EVENT'

interface WireEnvelope {
  timestamp?: string
  source_id?: string
  instance_id?: string
  tags?: Record<string, string>
  log?: {payload?: string; type?: string}
  gauge?: {metrics?: Record<string, {unit?: string; value?: number}>}
  counter?: {name?: string; delta?: string; total?: string}
  timer?: {name?: string; start?: string; stop?: string}
  event?: {title?: string; body?: string}
}

export interface Envelope {
  /** Nanoseconds since the epoch. */
  timestamp: bigint
  sourceId: string
  instanceId: string
  tags: Record<string, string>
  /** Decoded `log.payload` (UTF-8), when this is a LOG envelope. */
  log: {text: string; type: string} | null
  gauge: Record<string, {unit: string; value: number}> | null
  counter: {name: string; total: string} | null
}

export interface ReadOptions {
  /** Inclusive, ns. */
  startTime?: bigint
  /** Exclusive, ns. */
  endTime?: bigint
  envelopeTypes?: EnvelopeType[]
  /** ≤ 1000. */
  limit?: number
  descending?: boolean
}

export function decodeEnvelope(w: WireEnvelope): Envelope {
  return {
    timestamp: /^\d+$/.test(w.timestamp ?? '') ? BigInt(w.timestamp as string) : 0n,
    sourceId: w.source_id ?? '',
    instanceId: w.instance_id ?? '',
    tags: w.tags ?? {},
    log: w.log
      ? {text: Buffer.from(w.log.payload ?? '', 'base64').toString('utf8'), type: w.log.type ?? 'OUT'}
      : null,
    gauge: w.gauge?.metrics
      ? Object.fromEntries(
          Object.entries(w.gauge.metrics).map(([k, v]) => [k, {unit: v.unit ?? '', value: v.value ?? 0}]),
        )
      : null,
    counter: w.counter ? {name: w.counter.name ?? '', total: w.counter.total ?? '0'} : null,
  }
}

export function createLogCacheClient(transport: Transport, baseUrl: string) {
  async function read(sourceId: string, options: ReadOptions = {}): Promise<Envelope[]> {
    const res = await transport.request<{envelopes?: {batch?: WireEnvelope[]}}>({
      method: 'GET',
      url: joinUrl(baseUrl, `/api/v1/read/${encodeURIComponent(sourceId)}`),
      query: {
        start_time: options.startTime?.toString(),
        end_time: options.endTime?.toString(),
        envelope_types: options.envelopeTypes,
        limit: options.limit === undefined ? undefined : String(Math.min(options.limit, MAX_READ_LIMIT)),
        descending: options.descending ? 'true' : undefined,
      },
      service: LOG_CACHE,
    })
    return (res.data?.envelopes?.batch ?? []).map(decodeEnvelope)
  }

  return {
    baseUrl,
    async info(): Promise<{version: string}> {
      const res = await transport.request<{version?: string}>({
        method: 'GET',
        url: joinUrl(baseUrl, '/api/v1/info'),
        service: LOG_CACHE,
      })
      return {version: res.data?.version ?? ''}
    },
    read,
    /**
     * Newest first, back to `since` (inclusive), at most `maxEnvelopes`: each page asks for
     * envelopes older than the oldest one seen (`end_time` = oldest − 1). A page shorter than
     * asked for is the last one: no further read (an empty one) is made.
     */
    async *readBackwards(
      sourceId: string,
      options: {
        since: bigint
        until?: bigint
        envelopeTypes?: EnvelopeType[]
        maxEnvelopes?: number
        pageSize?: number
      },
    ): AsyncGenerator<Envelope> {
      let endTime = options.until
      let remaining = options.maxEnvelopes ?? Number.POSITIVE_INFINITY
      const pageSize = Math.min(options.pageSize ?? MAX_READ_LIMIT, MAX_READ_LIMIT)
      while (remaining > 0) {
        const limit = Math.min(pageSize, remaining)
        const batch = await read(sourceId, {
          startTime: options.since,
          endTime,
          envelopeTypes: options.envelopeTypes,
          limit,
          descending: true,
        })
        let oldest: bigint | null = null
        for (const e of batch) {
          if (remaining <= 0) return
          yield e
          remaining--
          if (oldest === null || e.timestamp < oldest) oldest = e.timestamp
        }
        if (batch.length < limit) return
        if (oldest === null || oldest <= options.since || (endTime !== undefined && oldest >= endTime)) return
        endTime = oldest - 1n
        if (endTime < options.since) return
      }
    },
  }
}

export type LogCacheClient = ReturnType<typeof createLogCacheClient>
