// Types for help-cache.js (plain JS so that run.js loads it without a build step), for the tests.

export interface HelpCache {
  schema: number
  /** The width the texts were wrapped at. */
  width: number
  /** package.json's oclif.helpOptions.maxWidth: oclif's help width whatever the terminal (null: none). */
  fixedWidth: number | null
  /** package.json's oclif.helpOptions.stripAnsi: oclif's help never carries colour. */
  plain: boolean
  /** oclif's `config.userAgent` at render time (the root help's VERSION line). */
  userAgent: string
  /** oclif's `config.dirname` (names the data dir where user plugins would be listed). */
  dirname: string
  /** Path relative to the package root → sha256 of its bytes at render time (null: absent). */
  sources: Record<string, string | null>
  /** Indices of texts that show the user agent. */
  userAgentTexts: number[]
  /** formKey(argv) → index into texts. */
  forms: Record<string, number>
  texts: string[]
}

export interface Stdout {
  isTTY?: boolean
  getWindowSize(): [number, number]
}

export interface CachedHelpOptions {
  env?: Record<string, string | undefined>
  stdout?: Stdout
  stdoutIsTTY?: boolean
  stderrIsTTY?: boolean
  cachePath?: string
  root?: string
  userAgent?: string
}

export const HELP_CACHE_SCHEMA: number
export const PACKAGE_ROOT: string
export const HELP_CACHE_PATH: string
export function formKey(argv: string[]): string
export function helpArgv(argv: string[]): string[]
export function oclifHelpWidth(env: Record<string, string | undefined>, stdout: Stdout): number
export function oclifHelpIsPlain(
  env: Record<string, string | undefined>,
  stdoutIsTTY: boolean,
  stderrIsTTY: boolean,
): boolean
export function envAllowsCache(env: Record<string, string | undefined>): boolean
export function oclifDataDir(env: Record<string, string | undefined>, dirname: string): string
export function fileDigest(path: string): string | null
export function sourcesUnchanged(sources: Record<string, string | null>, root?: string): boolean
export function cachedHelp(argv: string[], options?: CachedHelpOptions): string | undefined
