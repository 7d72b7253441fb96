/** Shared by the identity CLI tests: the demo's policy file and the simulator admin's environment. */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {Simulator} from '../../src/sim/index.js'
import {tempDir} from '../helpers/cli.js'

/** The demo's policy: apps labelled identity=required must have an identity (scenarios/README.md). */
export function demoPolicy(): string {
  const dir = tempDir('cfguard-policy-')
  const file = join(dir, 'cfguard.yml')
  writeFileSync(file, 'version: 1\nidentity:\n  requiredFor:\n    - labelSelector: identity=required\n')
  return file
}

export function adminEnv(sim: Simulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CFGUARD_API: sim.apiUrl,
    CFGUARD_CLIENT_ID: sim.admin.clientId,
    CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
    ...extra,
  }
}
