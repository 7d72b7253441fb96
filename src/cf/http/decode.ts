/**
 * The last step of a request: an error status the policies left is classified (errors.ts); any
 * other answer becomes the caller's response, its body decoded as JSON, text or not at all.
 */
import type {Answer, Call} from './connection.js'
import {ApiError, classifyHttpError, TRACE_HINT} from './errors.js'
import type {HttpMethod} from './retry.js'
import type {HttpResponse} from './types.js'
import {describeUrl} from './url.js'

export function decodeAnswer(call: Call, answer: Answer): HttpResponse {
  const {status, headers, text} = answer
  const {method, url, service, req} = call
  if (status >= 400 && !req.allowStatus?.includes(status)) {
    throw classifyHttpError({
      method,
      url,
      service,
      status,
      body: answer.parsed,
      attempts: call.failedAttempts,
    })
  }
  const data =
    req.accept === 'none'
      ? undefined
      : req.accept === 'text'
        ? text
        : status >= 400
          ? answer.parsed
          : decodeJson(text, status, headers, method, url, service)
  return {status, headers, data, url, size: text.length}
}

function decodeJson(
  text: string,
  status: number,
  headers: Record<string, string>,
  method: HttpMethod,
  url: string,
  service: string,
): unknown {
  // blank: `/\S/` stops at the first non-blank character instead of trimming the whole body
  if (status === 204 || !/\S/.test(text)) return undefined
  try {
    return JSON.parse(text)
  } catch {
    const head = text.trimStart()
    const kind = head.startsWith('<')
      ? 'an HTML page instead of JSON'
      : head.startsWith('{') || head.startsWith('[')
        ? `truncated or malformed JSON (${text.length} bytes)`
        : `a body that is not JSON (${headers['content-type'] || 'no content type'})`
    throw new ApiError(
      'BAD_RESPONSE',
      `${service} sent ${kind} for ${method} ${describeUrl(url)} (status ${status})`,
      {method, url, service, status},
      ['check that the API URL points at a Cloud Foundry foundation', TRACE_HINT],
    )
  }
}
