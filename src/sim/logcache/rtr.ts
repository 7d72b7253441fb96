/**
 * Gorouter access-log lines (§12.1), in the current format or an older one without
 * `gorouter_time`/`instance_id`.
 */
export interface AccessLogFields {
  host: string
  startNs: bigint
  method: string
  uri: string
  status: number
  bytesReceived: number
  bytesSent: number
  userAgent: string
  remoteAddr: string
  backendAddr: string
  requestId: string
  responseTime: number
  gorouterTime: number
  appGuid: string
  appIndex: number
  instanceGuid: string
  routeServiceUrl: string | null
  routerError: string | null
}

/** RFC 3339 with nanoseconds: `2026-05-28T11:27:23.143493617Z`. */
export function rfc3339Nano(ns: bigint): string {
  const ms = Number(ns / 1_000_000n)
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0')
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`)
}

const q = (v: string | null) => `"${v === null || v === '' ? '-' : v}"`

export function accessLogLine(f: AccessLogFields, format: 'current' | 'older' = 'current'): string {
  const parts = [
    `${f.host} - [${rfc3339Nano(f.startNs)}] "${f.method} ${f.uri} HTTP/1.1" ${f.status} ${f.bytesReceived} ${f.bytesSent}`,
    q(null),
    q(f.userAgent),
    q(f.remoteAddr),
    q(f.backendAddr),
    `x_forwarded_for:${q(f.remoteAddr.split(':')[0]!)}`,
    `x_forwarded_proto:${q('https')}`,
    `vcap_request_id:${q(f.requestId)}`,
    `response_time:${f.responseTime.toFixed(6)}`,
  ]
  if (format === 'current') parts.push(`gorouter_time:${f.gorouterTime.toFixed(6)}`)
  parts.push(`app_id:${q(f.appGuid)}`, `app_index:${q(String(f.appIndex))}`)
  if (format === 'current') {
    parts.push(`instance_id:${q(f.instanceGuid)}`)
    if (f.routeServiceUrl) parts.push(`route_service_url:${q(f.routeServiceUrl)}`)
  }
  parts.push(`x_cf_routererror:${q(f.routerError)}`)
  return parts.join(' ')
}
