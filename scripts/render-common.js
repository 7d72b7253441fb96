// What render-help.js and render-rules.js share: the parent's clean environment and child
// process (renderEnv, runRenderChild), and the child's capture of one oclif run (oclifRenderer,
// used by render-help-child.js and render-rules-child.js). Nothing here imports @oclif/core: the
// rules child loads it only after its module hook is in place.
import {spawnSync} from 'node:child_process'

// what may never reach a render from the shell, besides every OCLIF_* and CFGUARD_* setting
const ALWAYS_DROPPED = ['FORCE_COLOR', 'DEBUG', 'NODE_ENV', 'NODE_OPTIONS']

/** This shell's environment without oclif and cfguard settings, colour, debug and `drop`, plus `set`. */
export function renderEnv(drop, set) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('OCLIF_') &&
        !key.startsWith('CFGUARD_') &&
        !ALWAYS_DROPPED.includes(key) &&
        !drop.includes(key),
    ),
  )
  return Object.assign(env, set)
}

/** Runs the child script `script` (a path) on the package at `root`; the JSON document it prints. */
export function runRenderChild(script, root, env, what) {
  const child = spawnSync(process.execPath, [script, root], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  })
  if (child.status !== 0) {
    throw new Error(`rendering ${what} failed (exit ${child.status ?? child.signal}): ${child.stderr.trim()}`)
  }
  return JSON.parse(child.stdout)
}

/**
 * `render(argv)`: what oclif's `run` (what bin/run.js's `execute()` calls) writes for `argv`, or
 * the reason it cannot be cached.
 */
export function oclifRenderer(run, config, root) {
  return async function render(argv) {
    let stdout = ''
    let stderr = ''
    let warned = false
    const onWarning = () => (warned = true)
    const capture = (append) => (chunk, encoding, callback) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      const done = typeof encoding === 'function' ? encoding : callback
      if (typeof done === 'function') done()
      return true
    }
    const {write: out} = process.stdout
    const {write: err} = process.stderr
    process.stdout.write = capture((s) => (stdout += s))
    process.stderr.write = capture((s) => (stderr += s))
    process.on('warning', onWarning)
    process.exitCode = undefined
    // a command run adds its SIGINT/SIGTERM handlers (BaseCommand.init): a process of its own
    // would exit with them, this one removes them so that many runs stay under the listener limit
    const signals = ['SIGINT', 'SIGTERM'].map((s) => [s, process.listeners(s)])
    let failure
    try {
      await run(argv, root)
    } catch (error) {
      failure = `threw: ${error?.message ?? error}`
    } finally {
      process.stdout.write = out
      process.stderr.write = err
      for (const [signal, before] of signals)
        for (const l of process.listeners(signal)) if (!before.includes(l)) process.off(signal, l)
    }
    await new Promise((resolve) => setImmediate(resolve))
    process.off('warning', onWarning)
    if (!failure && process.exitCode) failure = `exit code ${process.exitCode}`
    process.exitCode = undefined
    if (!failure && stderr) failure = `wrote to stderr: ${stderr.split('\n')[0]}`
    if (!failure && warned) failure = 'emitted a warning'
    if (!failure && !stdout) failure = 'printed nothing'
    // text that shows a path of this machine depends on the environment, not only on the build
    const local = [config.home, config.root, config.cacheDir, config.configDir, config.dataDir]
    if (!failure && local.some((path) => path && stdout.includes(path))) failure = 'shows a local path'
    return failure ? {argv, failure} : {argv, stdout}
  }
}
