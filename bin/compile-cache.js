// V8's code cache on disk for the modules oclif and the command load (node:module
// enableCompileCache, Node 22.1+): a later run reads compiled code instead of compiling
// @oclif/core's and our ~300 modules again. Only a speed-up, never a condition: whatever goes
// wrong (no Node support, an unwritable or read-only directory, no home) the command runs as
// before — enableCompileCache reports a failure in its return value and prints nothing.
//
// Where: node's own NODE_COMPILE_CACHE when set (node has then enabled it before this runs);
// otherwise a directory of the user's own, `$CFGUARD_CACHE_DIR/compile-cache`, else
// `$XDG_CACHE_HOME/cfguard/compile-cache`, else `~/.cache/cfguard/compile-cache` — not node's
// default in the shared temporary directory, where another user could have made the directory
// first. NODE_DISABLE_COMPILE_CACHE=1 (node's switch) or CFGUARD_NO_COMPILE_CACHE=1 turn it off.
import module from 'node:module'
import {homedir} from 'node:os'
import {join} from 'node:path'

/** The directory cfguard asks node to keep its compile cache in, or undefined for none of ours. */
export function compileCacheDir(env, home = safeHomedir) {
  if (env.CFGUARD_CACHE_DIR) return join(env.CFGUARD_CACHE_DIR, 'compile-cache')
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'cfguard', 'compile-cache')
  const dir = env.HOME || home()
  return dir ? join(dir, '.cache', 'cfguard', 'compile-cache') : undefined
}

function safeHomedir() {
  try {
    return homedir()
  } catch {
    return undefined
  }
}

/**
 * Turns the compile cache on; returns what node answered ({status, message?, directory?}) or
 * undefined when it was not asked. Never throws.
 */
export function enableCompileCache(env = process.env, enable = module.enableCompileCache) {
  try {
    if (typeof enable !== 'function') return undefined
    if (env.CFGUARD_NO_COMPILE_CACHE || env.NODE_DISABLE_COMPILE_CACHE) return undefined
    if (env.NODE_COMPILE_CACHE) return enable()
    const dir = compileCacheDir(env)
    return dir ? enable(dir) : undefined
  } catch {
    return undefined
  }
}
