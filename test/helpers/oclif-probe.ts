/**
 * Which path answered a CLI run, observed from outside: a preloaded probe records, at exit, how
 * many @oclif/core modules the process loaded (none when a build-time cache of bin/ answered).
 * Used by the help cache's and the rules cache's end-to-end tests.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {type CliResult, runCli, tempDir} from './cli.js'

export type Env = Record<string, string | undefined>

export interface ProbedResult extends CliResult {
  /** @oclif/core modules the process loaded. */
  oclifModules: number
}

export interface OclifProbe {
  /** The environment that preloads the probe, and the file it will write its count to. */
  probeEnv(extra?: Env): {env: Env; out: string}
  /** The count a run given probeEnv's `out` wrote. */
  oclifModules(out: string): number
  /** runCli with the probe. */
  run(argv: string[], extra?: Env): Promise<ProbedResult>
}

export function oclifProbe(prefix: string): OclifProbe {
  const scratch = tempDir(prefix)
  const probe = join(scratch, 'probe.cjs')
  writeFileSync(
    probe,
    `process.on('exit', () => {
  const oclif = Object.keys(require.cache).filter((p) => /[\\\\/]@oclif[\\\\/]core[\\\\/]/.test(p)).length
  require('node:fs').writeFileSync(process.env.CACHE_PROBE_OUT, String(oclif))
})
`,
  )
  let probes = 0
  const probeEnv = (extra: Env = {}): {env: Env; out: string} => {
    const out = join(scratch, `probe-${++probes}`)
    // no user plugins, whatever this machine has installed
    const env = {NODE_OPTIONS: `--require ${probe}`, CACHE_PROBE_OUT: out, XDG_DATA_HOME: scratch, ...extra}
    return {env, out}
  }
  const oclifModules = (out: string): number => Number(readFileSync(out, 'utf8'))
  return {
    probeEnv,
    oclifModules,
    async run(argv, extra) {
      const {env, out} = probeEnv(extra)
      const result = await runCli(argv, {env})
      return {...result, oclifModules: oclifModules(out)}
    },
  }
}
