// Types for rules-cache.js (plain JS so that run.js loads it without a build step), for the tests.

export interface RulesCache {
  schema: number
  /** The width the tables were rendered at (lib/cli/render/terminal.js outputWidth). */
  width: number
  /** Environment variables of the command's flags (CFGUARD_JSON…): none may be set. */
  flagEnv: string[]
  /** oclif's `config.dirname` (names the data dir where user plugins would be listed). */
  dirname: string
  /** Path relative to the package root → sha256 of its bytes at render time (null: absent). */
  sources: Record<string, string | null>
  /** formKey(argv) → the text printed. */
  forms: Record<string, string>
}

export interface CachedRulesOptions {
  env?: Record<string, string | undefined>
  stdout?: {isTTY?: boolean; columns?: number}
  cachePath?: string
  root?: string
}

export const RULES_CACHE_SCHEMA: number
export const RULES_CACHE_PATH: string
export function mightBeRules(argv: string[]): boolean
export function noUserPlugins(dataDir: string): boolean
export function cachedRules(argv: string[], options?: CachedRulesOptions): Promise<string | undefined>
