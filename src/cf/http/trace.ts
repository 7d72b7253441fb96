/**
 * CFGUARD_TRACE: every request and response, redacted by allowlist thinking (cf CLI's trace hid
 * only `token|password` keys and printed form bodies raw: CVE-2019-3781). Headers through
 * redactHeaders, JSON through redactJson, form bodies never, whole-secret bodies (UPS
 * credentials, binding details, app env, logs) by shape only, everything else through redactText.
 */
import {closeSync, writeSync} from 'node:fs'

import {openForAppend} from '../../util/atomic-file.js'
import {CfguardError} from '../../errors.js'
import {
  REDACTED,
  REDACTED_FORM_BODY,
  redactHeaders,
  redactJson,
  redactText,
  redactValues,
} from '../../redact.js'

const MAX_BODY_CHARS = 1_000_000

/** Endpoints whose bodies are secret as a whole, whatever their keys are called. */
const SENSITIVE_PATHS = [
  /\/v3\/service_instances\/[^/]+\/(credentials|parameters)$/,
  /\/v3\/service_credential_bindings\/[^/]+\/(details|parameters)$/,
  /\/v3\/apps\/[^/]+\/(env|environment_variables|manifest)$/,
  /\/v3\/revisions\/[^/]+\/environment_variables$/,
  /\/v3\/service_instances(\/[^/]+)?$/, // create/update bodies carry `credentials`
  /\/api\/v1\/read\//, // Log Cache: app logs can contain anything
]

/** Matched on the path as a router would: trailing and doubled slashes do not hide an endpoint. */
export function isSensitivePath(pathname: string): boolean {
  const path = pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '')
  return SENSITIVE_PATHS.some((re) => re.test(path))
}

export interface TraceRequest {
  id: number
  attempt: number
  method: string
  url: string
  headers: Record<string, unknown>
  body: string | undefined
  /** Hide every value of the bodies (set for sensitive endpoints and by callers). */
  sensitive: boolean
}

export interface TraceResponse {
  id: number
  status: number
  url: string
  headers: Record<string, unknown>
  body: string
  elapsedMs: number
  sensitive: boolean
}

export interface Tracer {
  request(r: TraceRequest): void
  response(r: TraceResponse): void
  failure(id: number, url: string, message: string, elapsedMs: number): void
  close(): void
}

/** `CFGUARD_TRACE=true` → stderr, `CFGUARD_TRACE=/path` → that file (0600, append), else none. */
export function createTracer(setting: string | undefined, now: () => Date = () => new Date()): Tracer | null {
  const value = setting?.trim() ?? ''
  if (value === '' || /^(0|false|no|off)$/i.test(value)) return null
  if (/^(1|true|yes|on)$/i.test(value))
    return new WriterTracer(
      (text) => process.stderr.write(text),
      () => {},
      now,
    )
  let fd: number
  try {
    // Created 0600; an existing file, device or link target keeps its mode (never chmod-ed).
    fd = openForAppend(value)
  } catch (err) {
    throw new CfguardError(
      'USAGE',
      `cannot open trace file ${value}: ${(err as NodeJS.ErrnoException).code ?? err}`,
      {
        suggestions: ['set CFGUARD_TRACE to a writable file path, or to true for stderr'],
      },
    )
  }
  return new WriterTracer(
    (text) => writeSync(fd, text),
    () => closeSync(fd),
    now,
  )
}

class WriterTracer implements Tracer {
  constructor(
    private readonly write: (text: string) => void,
    private readonly onClose: () => void,
    private readonly now: () => Date,
  ) {}

  request(r: TraceRequest): void {
    const lines = [
      `REQUEST [${this.now().toISOString()}] #${r.id}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ''}`,
      `${r.method} ${redactText(r.url)}`,
      ...formatHeaders(r.headers),
    ]
    if (r.body !== undefined && r.body !== '')
      lines.push('', formatRequestBody(r.body, r.headers, r.sensitive))
    this.write(`${lines.join('\n')}\n\n`)
  }

  response(r: TraceResponse): void {
    const lines = [
      `RESPONSE [${this.now().toISOString()}] #${r.id} ${r.status} (${r.elapsedMs} ms)`,
      ...formatHeaders(r.headers),
    ]
    if (r.body !== '') lines.push('', formatResponseBody(r.body, r.sensitive))
    this.write(`${lines.join('\n')}\n\n`)
  }

  failure(id: number, url: string, message: string, elapsedMs: number): void {
    this.write(
      `RESPONSE [${this.now().toISOString()}] #${id} no response from ${redactText(url)} after ${elapsedMs} ms: ${redactText(message)}\n\n`,
    )
  }

  close(): void {
    this.onClose()
  }
}

function formatHeaders(headers: Record<string, unknown>): string[] {
  const clean = redactHeaders(headers)
  return Object.entries(clean)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
}

function headerValue(headers: Record<string, unknown>, name: string): string {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return String(v)
  return ''
}

function formatRequestBody(body: string, headers: Record<string, unknown>, sensitive: boolean): string {
  if (/x-www-form-urlencoded/i.test(headerValue(headers, 'content-type'))) return REDACTED_FORM_BODY
  return formatBody(body, sensitive)
}

function formatResponseBody(body: string, sensitive: boolean): string {
  return formatBody(body, sensitive)
}

function formatBody(body: string, sensitive: boolean): string {
  let parsed: unknown
  let isJson = false
  try {
    parsed = JSON.parse(body)
    isJson = true
  } catch {
    isJson = false
  }
  if (isJson) {
    const clean = sensitive ? redactValues(parsed) : redactJson(parsed)
    return truncate(JSON.stringify(clean, null, 2))
  }
  if (sensitive) return `${REDACTED} (${body.length} characters)`
  // Non-JSON bodies (HTML error pages, form echoes) are scrubbed by shape; a form-looking body is hidden whole.
  if (/^[\w.%-]+=[^\s]*(&[\w.%-]+=[^\s]*)*$/.test(body.trim())) return REDACTED_FORM_BODY
  return truncate(redactText(body))
}

function truncate(text: string): string {
  return text.length > MAX_BODY_CHARS
    ? `${text.slice(0, MAX_BODY_CHARS)}\n… [${text.length - MAX_BODY_CHARS} more characters]`
    : text
}
