/**
 * Assertions shared by the reliability suites: one clean error line with next steps and the
 * documented exit code, never a stack trace, an "unexpected error" or a hang.
 */
import {expect} from 'chai'

import type {CliResult} from '../helpers/cli.js'

/**
 * Exit `code`; stderr is one `cfguard: …` line, at least one `  next: …` line and nothing else but
 * warnings; stdout is empty.
 */
export function expectCleanFailure(r: CliResult, code: number, message?: RegExp): void {
  const shown = `exit ${r.code}, stderr:\n${r.stderr.slice(0, 2000)}`
  expect(r.code, shown).to.equal(code)
  const lines = r.stderr.trimEnd().split('\n')
  const errorLines = lines.filter((l) => l.startsWith('cfguard: '))
  expect(errorLines.length, shown).to.equal(1)
  const other = lines.filter((l) => !l.startsWith('cfguard: '))
  expect(
    other.every((l) => l.startsWith('  next: ') || l.startsWith('warning: ')),
    `lines other than the error, next steps and warnings:\n${shown}`,
  ).to.equal(true)
  expect(
    other.some((l) => l.startsWith('  next: ')),
    `no next step:\n${shown}`,
  ).to.equal(true)
  if (message) expect(errorLines[0], shown).to.match(message)
  expect(r.stderr, shown).not.to.match(/\n\s+at [^\n]+:\d+:\d+/)
  expect(r.stderr, shown).not.to.match(/unexpected error|TypeError|ReferenceError|SyntaxError|RangeError/)
  expect(r.stdout, 'nothing on stdout on failure').to.equal('')
}
