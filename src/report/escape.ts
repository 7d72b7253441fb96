import {redactText} from '../redact.js'

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g
const ANSI = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g
/** Characters XML 1.0 does not allow at all (not even escaped), incl. lone surrogates. */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Free text from the result (messages, names, gap reasons) on its way out: redacted by shape as
 * defense in depth (the result never holds secret values), and stripped of terminal escapes and
 * control characters so user data (an app name) cannot drive the reader's terminal.
 */
export function clean(text: string | null | undefined): string {
  if (text === null || text === undefined) return ''
  return redactText(String(text)).replace(ANSI, '').replace(CONTROL, '')
}

export function xmlEscape(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/** HTML text and attribute values (double- or single-quoted). */
export function htmlEscape(text: string): string {
  return xmlEscape(text).replace(/&apos;/g, '&#39;')
}

/**
 * Inline Markdown (GitHub flavour) for a table cell or a list item: markup characters are
 * escaped, HTML is neutralised, newlines become <br>, @mentions cannot ping anybody.
 */
export function mdEscape(text: string): string {
  return text
    .replace(/[\\`*_[\]|#~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/\r?\n/g, '<br>')
}

/** Inline code span holding any text: a fence longer than any backtick run inside. */
export function mdCode(text: string): string {
  const runs = text.match(/`+/g) ?? []
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}${pad}${fence}`
}
