/**
 * Mocha global fixtures: every temporary file of a test run (the tests' own, and those of the
 * CLIs and simulators they spawn, which inherit TMPDIR) goes under one directory, removed when
 * the run ends. Without it each full run left some 30,000 folders in /tmp.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

let root: string | null = null

export function mochaGlobalSetup(): void {
  root = mkdtempSync(join(tmpdir(), 'cfguard-tests-'))
  process.env.TMPDIR = root
}

export function mochaGlobalTeardown(): void {
  if (root === null) return
  rmSync(root, {recursive: true, force: true, maxRetries: 3})
  root = null
}
