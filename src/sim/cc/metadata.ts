/** Metadata (labels, annotations) validation and deep-merge updates (§6). */
import type {Metadata} from '../core/model.js'
import {unprocessable} from './errors.js'

const NAME = /^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?$/
const PREFIX = /^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,251}[a-zA-Z0-9])?$/
const LABEL_VALUE = /^(|[a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?)$/
const MAX_LABELS = 50
const MAX_ANNOTATIONS = 200

export function emptyMetadata(): Metadata {
  return {labels: {}, annotations: {}}
}

function validateKey(kind: 'label' | 'annotation', key: string): void {
  const slash = key.indexOf('/')
  const prefix = slash >= 0 ? key.slice(0, slash) : null
  const name = slash >= 0 ? key.slice(slash + 1) : key
  const fail = (why: string) => unprocessable(`Metadata ${kind} key error: ${why}`)
  if (prefix !== null) {
    if (prefix.length === 0 || prefix.length > 253 || !PREFIX.test(prefix) || name.includes('/')) {
      throw fail(`'${key}' has an invalid prefix`)
    }
    if (prefix.toLowerCase() === 'cloudfoundry.org' || prefix.toLowerCase().endsWith('.cloudfoundry.org')) {
      throw fail('Cloudfoundry.org is a reserved domain')
    }
  }
  if (name.length === 0) throw fail('key cannot be empty string')
  if (name.length > 63) throw fail(`'${name.slice(0, 8)}...' is greater than 63 characters`)
  if (!NAME.test(name)) {
    throw fail(
      `'${name}' contains invalid characters or does not begin and end with an alphanumeric character`,
    )
  }
}

/** Validates a `metadata` request object; returns it typed. */
export function parseMetadataRequest(input: unknown): {
  labels: Record<string, string | null>
  annotations: Record<string, string | null>
} {
  if (input === undefined || input === null) return {labels: {}, annotations: {}}
  if (typeof input !== 'object' || Array.isArray(input)) throw unprocessable('Metadata must be an object')
  const {labels = {}, annotations = {}, ...rest} = input as Record<string, unknown>
  if (Object.keys(rest).length > 0)
    throw unprocessable(`Metadata has unexpected field(s): '${Object.keys(rest).join("', '")}'`)
  const check = (kind: 'label' | 'annotation', obj: unknown): Record<string, string | null> => {
    if (obj === null) return {}
    if (typeof obj !== 'object' || Array.isArray(obj))
      throw unprocessable(`Metadata ${kind}s must be an object`)
    const out: Record<string, string | null> = {}
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      validateKey(kind, k)
      if (v === null) {
        out[k] = null
        continue
      }
      if (typeof v !== 'string') throw unprocessable(`Metadata ${kind} value error: values must be strings`)
      if (kind === 'label') {
        if (v.length > 63)
          throw unprocessable(
            `Metadata label value error: '${v.slice(0, 8)}...' is greater than 63 characters`,
          )
        if (!LABEL_VALUE.test(v)) {
          throw unprocessable(
            `Metadata label value error: '${v}' contains invalid characters or does not begin and end with an alphanumeric character`,
          )
        }
      } else if ([...v].length > 5000) {
        throw unprocessable(
          `Metadata annotation value error: '${v.slice(0, 8)}...' is greater than 5000 characters`,
        )
      }
      out[k] = v
    }
    return out
  }
  return {labels: check('label', labels), annotations: check('annotation', annotations)}
}

/** Deep merge: new key adds, existing key changes, null deletes, omitted stays. */
export function applyMetadata(target: Metadata, input: unknown): void {
  const req = parseMetadataRequest(input)
  const labels = merge(target.labels, req.labels)
  const annotations = merge(target.annotations, req.annotations)
  if (Object.keys(labels).length > MAX_LABELS) {
    throw unprocessable(
      `Failed to add ${Object.keys(req.labels).length} labels because it would exceed maximum of ${MAX_LABELS}`,
    )
  }
  if (Object.keys(annotations).length > MAX_ANNOTATIONS) {
    throw unprocessable(
      `Failed to add ${Object.keys(req.annotations).length} annotations because it would exceed maximum of ${MAX_ANNOTATIONS}`,
    )
  }
  target.labels = labels
  target.annotations = annotations
}

function merge(
  current: Record<string, string>,
  changes: Record<string, string | null>,
): Record<string, string> {
  const out = {...current}
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete out[k]
    else out[k] = v
  }
  return out
}

export function presentMetadata(m: Metadata): Metadata {
  return {labels: {...m.labels}, annotations: {...m.annotations}}
}
